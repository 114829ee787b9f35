/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool load: store the images of a docker-archive or OCI archive. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-pull.h"
#include "lib/image.h"
#include "lib/util.h"

static const struct pt_flag load_flags[] = {
  { 'i', "input", 'i', "FILE", "Read from FILE, not stdin" },
  { 'q', "quiet", 'q', NULL, "Print nothing but errors" },
  { 0, NULL, 0, NULL, NULL },
};

static int
load_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *input = NULL;
  bool quiet = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_load, argc, argv, err)) != -1)
    switch (c)
      {
      case 'i': input = optarg; break;
      case 'q': quiet = true; break;
      default: return -1;
      }
  if (input == NULL && optind < argc)
    input = argv[optind];
  if (input == NULL && isatty (STDIN_FILENO))
    return pt_make_error (err, 0,
                          "cannot read from terminal, use command-line redirection or the "
                          "--input flag");
  if (input == NULL)
    input = "/dev/stdin";
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **names = NULL;
  struct pt_progress prog = { pt_cli_pull_progress, &quiet };
  if (m == NULL || pt_image_load (s, m, input, &prog, &names, err) < 0)
    return -1;
  for (size_t i = 0; names[i]; i++)
    {
      pt_cli_image_event (s, "load", names[i], NULL);
      if (!quiet)
        printf ("Loaded image: %s\n", names[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_load = {
  .name = "load",
  .usage = "[options]",
  .summary = "Load images from a docker-archive or OCI archive",
  .flags = load_flags,
  .exec = load_exec,
};

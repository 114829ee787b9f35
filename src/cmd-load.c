/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool load: store the images of a docker-archive or OCI archive. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

static int
load_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "input", required_argument, NULL, 'i' },
    { "quiet", no_argument, NULL, 'q' },
    { NULL, 0, NULL, 0 },
  };
  const char *input = NULL;
  bool quiet = false;
  int c;
  while ((c = getopt_long (argc, argv, "i:q", longopts, NULL)) != -1)
    switch (c)
      {
      case 'i': input = optarg; break;
      case 'q': quiet = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_load, err);
      }
  if (input == NULL && optind < argc)
    input = argv[optind];
  if (input == NULL)
    return pt_make_error (err, 0, "no archive given: podtool load -i FILE");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **names = NULL;
  if (m == NULL || pt_image_load (s, m, input, &names, err) < 0)
    return -1;
  for (size_t i = 0; !quiet && names[i]; i++)
    printf ("Loaded image: %s\n", names[i]);
  return 0;
}

const struct pt_cmd pt_cmd_load = {
  .name = "load",
  .usage = "[-q] -i FILE",
  .summary = "Load images from a docker-archive or OCI archive",
  .exec = load_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool save: write an image as a docker-archive or OCI archive. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/save.h"
#include "lib/util.h"

static int
save_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "output", required_argument, NULL, 'o' },
                                            { "format", required_argument, NULL, 'f' },
                                            { "quiet", no_argument, NULL, 'q' },
                                            { NULL, 0, NULL, 0 } };
  const char *output = NULL;
  enum pt_save_format format = PT_SAVE_DOCKER_ARCHIVE;
  int c;
  while ((c = getopt_long (argc, argv, "o:q", longopts, NULL)) != -1)
    switch (c)
      {
      case 'o': output = optarg; break;
      case 'q': break;
      case 'f':
        if (strcmp (optarg, "docker-archive") == 0)
          format = PT_SAVE_DOCKER_ARCHIVE;
        else if (strcmp (optarg, "oci-archive") == 0)
          format = PT_SAVE_OCI_ARCHIVE;
        else
          return pt_make_error (
              err, 0, "unsupported --format `%s`: use docker-archive or oci-archive", optarg);
        break;
      default: return pt_cmd_bad_option (&pt_cmd_save, err);
      }
  if (argc - optind != 1)
    return pt_make_error (err, 0, "`podtool save` takes one image: podtool save %s",
                          pt_cmd_save.usage);
  if (output == NULL && isatty (1))
    return pt_make_error (
        err, 0, "refusing to write an archive to a terminal: use -o FILE or redirect stdout");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  fflush (stdout);
  return pt_image_save (s, m, argv[optind], format, output, 1, err);
}

const struct pt_cmd pt_cmd_save = {
  .name = "save",
  .usage = "[-o FILE] [--format docker-archive|oci-archive] IMAGE",
  .summary = "Save an image to a docker-archive or OCI archive",
  .exec = save_exec,
};

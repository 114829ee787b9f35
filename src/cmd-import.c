/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool import: make a one-layer image of a rootfs tarball. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

static int
import_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "quiet", no_argument, NULL, 'q' }, { NULL, 0, NULL, 0 } };
  bool quiet = false;
  int c;
  while ((c = getopt_long (argc, argv, "q", longopts, NULL)) != -1)
    switch (c)
      {
      case 'q': quiet = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_import, err);
      }
  if (optind >= argc || argc - optind > 2)
    return pt_cmd_bad_option (&pt_cmd_import, err);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_free char *id = NULL;
  if (m == NULL
      || pt_image_import (s, m, argv[optind], argc - optind > 1 ? argv[optind + 1] : NULL, &id, err)
             < 0)
    return -1;
  (void)quiet;
  printf ("%s\n", id);
  return 0;
}

const struct pt_cmd pt_cmd_import = {
  .name = "import",
  .usage = "FILE [NAME[:TAG]]",
  .summary = "Create an image from a rootfs tarball",
  .exec = import_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool import: make a one-layer image of a rootfs tarball. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

enum
{
  OPT_OS = 256,
  OPT_ARCH,
  OPT_VARIANT,
};

static const struct pt_flag import_flags[] = {
  { OPT_ARCH, "arch", 0, "ARCH", "The image's architecture", PT_FLAG_NO_EFFECT,
    "the image is recorded as this machine's" },
  { 'c', "change", 'c', "INSTRUCTION", "Apply a Dockerfile instruction (CMD, ENV, ...)",
    PT_FLAG_REFUSED, "not yet" },
  { 'm', "message", 'm', "MESSAGE", "A history comment", PT_FLAG_NO_EFFECT,
    "podtool keeps no history comments" },
  { OPT_OS, "os", 0, "OS", "The image's OS", PT_FLAG_NO_EFFECT, "the image is recorded as linux" },
  { 'q', "quiet", 'q', NULL, "Print nothing but the image ID" },
  { OPT_VARIANT, "variant", 0, "VARIANT", "The image's architecture variant", PT_FLAG_NO_EFFECT,
    "the image is recorded as this machine's" },
  { 0, NULL, 0, NULL, NULL },
};

static int
import_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool quiet = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_import, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': quiet = true; break;
      default: return -1;
      }
  if (optind >= argc || argc - optind > 2)
    return pt_cli_need_args (&pt_cmd_import, argc - optind, 1, 2, err);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_free char *id = NULL;
  if (m == NULL
      || pt_image_import (s, m, argv[optind], argc - optind > 1 ? argv[optind + 1] : NULL, &id, err)
             < 0)
    return -1;
  (void)quiet;
  pt_cli_image_event (s, "import", id, argc - optind > 1 ? argv[optind + 1] : NULL);
  printf ("%s\n", id);
  return 0;
}

const struct pt_cmd pt_cmd_import = {
  .name = "import",
  .usage = "[options] FILE [NAME[:TAG]]",
  .summary = "Create an image from a rootfs tarball",
  .flags = import_flags,
  .exec = import_exec,
};

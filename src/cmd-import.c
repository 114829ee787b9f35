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
  { OPT_ARCH, "arch", 0, "ARCH", "The architecture the image says it is for (default amd64)" },
  { 'c', "change", 'c', "INSTRUCTION",
    "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, "
    "USER, VOLUME, WORKDIR" },
  { 'm', "message", 'm', "MESSAGE", "The comment of the image's history" },
  { OPT_OS, "os", 0, "OS", "The OS the image says it is for (default linux)" },
  { 'q', "quiet", 'q', NULL, "Print nothing but the image ID" },
  { OPT_VARIANT, "variant", 0, "VARIANT", "The architecture variant the image says it is for" },
  { 0, NULL, 0, NULL, NULL },
};

static int
import_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool quiet = false;
  cleanup_strv char **changes = xzalloc (sizeof (char *));
  struct pt_import_opts opts = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_import, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': quiet = pt_cli_optbool; break;
      case 'c': pt_strv_append (&changes, optarg); break;
      case 'm': opts.message = optarg; break;
      case OPT_OS: opts.os = optarg; break;
      case OPT_ARCH: opts.arch = optarg; break;
      case OPT_VARIANT: opts.variant = optarg; break;
      default: return -1;
      }
  if (optind >= argc || argc - optind > 2)
    return pt_cli_need_args (&pt_cmd_import, argc - optind, 1, 2, err);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_free char *id = NULL;
  if (m == NULL
      || (opts.changes = changes,
          pt_image_import (s, m, argv[optind], argc - optind > 1 ? argv[optind + 1] : NULL, &opts,
                           &id, err))
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

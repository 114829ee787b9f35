/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool save: write an image as a docker-archive or OCI archive. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-pull.h"
#include "lib/save.h"
#include "lib/util.h"

enum
{
  OPT_FORMAT = 256,
  OPT_COMPRESS,
  OPT_UNCOMPRESSED,
};

static const struct pt_flag save_flags[] = {
  { OPT_COMPRESS, "compress", 0, NULL, "Compress the layers (docker-dir only)", PT_FLAG_NO_EFFECT,
    "only for docker-dir, which podtool does not write" },
  { OPT_FORMAT, "format", 0, "FORMAT", "docker-archive (default) or oci-archive" },
  { 'm', "multi-image-archive", 'm', NULL,
    "Several images in one archive: the other names are images, not tags (docker-archive)" },
  { 'o', "output", 'o', "FILE", "Write to FILE, not stdout" },
  { 'q', "quiet", 'q', NULL, "Print nothing but errors" },
  { OPT_UNCOMPRESSED, "uncompressed", 0, NULL, "Keep the layers uncompressed", PT_FLAG_NO_EFFECT,
    "the layers of podtool's archives are uncompressed anyway" },
  { 0, NULL, 0, NULL, NULL },
};

static int
save_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct pt_save_opts o = { .format = PT_SAVE_DOCKER_ARCHIVE, .out_fd = 1 };
  bool quiet = false;
  struct pt_progress prog = { pt_cli_pull_progress, &quiet };
  o.prog = &prog;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_save, argc, argv, err)) != -1)
    switch (c)
      {
      case 'o': o.path = optarg; break;
      case 'm': o.multi = true; break;
      case 'q': quiet = true; break;
      case OPT_FORMAT:
        if (strcmp (optarg, "docker-archive") == 0)
          o.format = PT_SAVE_DOCKER_ARCHIVE;
        else if (strcmp (optarg, "oci-archive") == 0)
          o.format = PT_SAVE_OCI_ARCHIVE;
        else
          return pt_make_error (
              err, 0, "unsupported --format `%s`: use docker-archive or oci-archive", optarg);
        break;
      default: return -1;
      }
  if (argc - optind < 1)
    return pt_cli_need_args (&pt_cmd_save, argc - optind, 1, -1, err);
  if (o.multi && o.format != PT_SAVE_DOCKER_ARCHIVE)
    return pt_make_error (err, 0, "--multi-image-archive can only be used with docker-archive");
  if (o.path == NULL && isatty (1))
    return pt_make_error (
        err, 0, "refusing to write an archive to a terminal: use -o FILE or redirect stdout");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  fflush (stdout);
  if (pt_image_save (s, m, argv + optind, argc - optind, &o, err) < 0)
    return -1;
  for (int i = optind; i < (o.multi ? argc : optind + 1); i++)
    pt_cli_image_event (s, "save", argv[i], NULL);
  return 0;
}

const struct pt_cmd pt_cmd_save = {
  .name = "save",
  .usage = "[options] IMAGE [NAME...]",
  .summary = "Save an image to a docker-archive or OCI archive",
  .flags = save_flags,
  .exec = save_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool tag: give an image more names. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/events.h"
#include "lib/image.h"
#include "lib/util.h"

static int
tag_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_tag, argc, argv, err)) != -1)
    return -1;
  if (argc - optind < 2)
    return pt_cli_need_args (&pt_cmd_tag, argc - optind, 2, -1, err);
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  for (int i = optind + 1; i < argc; i++)
    {
      cleanup_free char *full = NULL;
      if (pt_image_tag (s, argv[optind], argv[i], &full, err) < 0)
        return -1;
      pt_cli_image_event (s, "tag", argv[optind], full);
    }
  return 0;
}

const struct pt_cmd pt_cmd_tag = {
  .name = "tag",
  .usage = "IMAGE NAME[:TAG]...",
  .summary = "Add names to an image",
  .exec = tag_exec,
};

static int
untag_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_untag, argc, argv, err)) != -1)
    return -1;
  if (optind >= argc)
    return pt_cli_need_args (&pt_cmd_untag, 0, 1, -1, err);
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  /* Without names, every name goes; the image stays, as <none>. */
  for (int i = optind + 1; i <= argc; i++)
    {
      if (i == argc && argc - optind > 1)
        break;
      cleanup_strv char **removed = NULL;
      if (pt_image_untag (s, argv[optind], i < argc ? argv[i] : NULL, &removed, err) < 0)
        return -1;
      for (size_t k = 0; removed[k]; k++)
        pt_cli_image_event (s, "untag", argv[optind], removed[k]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_untag = {
  .name = "untag",
  .usage = "IMAGE [NAME...]",
  .summary = "Remove names from an image (all of them without NAME)",
  .exec = untag_exec,
};

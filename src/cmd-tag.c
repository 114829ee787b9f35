/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool tag: give an image more names. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

static int
tag_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  if (getopt_long (argc, argv, "", longopts, NULL) != -1)
    return pt_cmd_bad_option (&pt_cmd_tag, err);
  if (argc - optind < 2)
    return pt_make_error (err, 0,
                          "`podtool tag` requires an image and at least one name: podtool tag %s",
                          pt_cmd_tag.usage);
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  for (int i = optind + 1; i < argc; i++)
    if (pt_image_tag (s, argv[optind], argv[i], NULL, err) < 0)
      return -1;
  return 0;
}

const struct pt_cmd pt_cmd_tag = {
  .name = "tag",
  .usage = "IMAGE NAME[:TAG]...",
  .summary = "Add names to an image",
  .exec = tag_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool version. */
#include <config.h>
#include <stdio.h>
#include "cmd.h"

static int
version_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g, (void)argc, (void)argv, (void)err;
  printf ("podtool version %s\n", PACKAGE_VERSION);
  return 0;
}

const struct pt_cmd pt_cmd_version = {
  .name = "version",
  .usage = "",
  .summary = "Print the version",
  .exec = version_exec,
};

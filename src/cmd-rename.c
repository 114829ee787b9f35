/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool rename: give a container another name. */
#include <config.h>
#include <getopt.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

static int
rename_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_rename, argc, argv, err)) != -1)
    return -1;
  if (argc - optind != 2)
    return pt_cli_need_args (&pt_cmd_rename, argc - optind, 2, 2, err);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  if (s == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0)
    return -1;
  return pt_ctr_rename (s, id, argv[optind + 1], err);
}

const struct pt_cmd pt_cmd_rename = {
  .name = "rename",
  .usage = "CONTAINER NEW_NAME",
  .summary = "Rename a container",
  .exec = rename_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool init: check that created containers can start, and mark them
   initialized until they do. */
#include <config.h>
#include <stdio.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"

static const struct pt_flag init_flags[] = {
  PT_FLAG_ALL ("Initialize all containers that are not running"),
  PT_FLAG_LATEST,
  { 0, NULL, 0, NULL, NULL },
};

static int
init_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  struct pt_ctr_state st;
  (void)data;
  if (all && (pt_ctr_state (s, id, &st, err) < 0 || pt_ctr_alive (&st)))
    return *err ? -1 : 1;
  return pt_ctr_init (s, id, err);
}

static int
init_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_init, argc, argv, err)) != -1)
    if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
      return -1;
  return pt_cli_each_selected (g, &sel, argv + optind, init_one, NULL, err);
}

const struct pt_cmd pt_cmd_init = {
  .name = "init",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Check that containers can start and mark them initialized",
  .flags = init_flags,
  .exec = init_exec,
};

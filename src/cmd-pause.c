/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pause, unpause: freeze and thaw a container's cgroup. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

/* With --all, only the containers in the state to change. */
static int
freeze_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  bool pause = *(bool *)data;
  struct pt_ctr_state st;
  if (all && pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (all && st.status != (pause ? PT_CTR_RUNNING : PT_CTR_PAUSED))
    return 1;
  return pt_ctr_pause (s, id, pause, err);
}

static const struct pt_flag pause_flags[] = {
  PT_FLAG_ALL ("Act on all running containers"),
  PT_FLAG_CIDFILE,
  PT_FLAG_FILTER,
  PT_FLAG_LATEST,
  { 0, NULL, 0, NULL, NULL },
};

static int
freeze (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv, bool pause,
        pt_error_t *err)
{
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { 0 };
  int c;
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
      return -1;
  return pt_cli_each_selected (g, &sel, argv + optind, freeze_one, &pause, err);
}

static int
pause_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return freeze (g, &pt_cmd_pause, argc, argv, true, err);
}

static int
unpause_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return freeze (g, &pt_cmd_unpause, argc, argv, false, err);
}

const struct pt_cmd pt_cmd_pause = {
  .name = "pause",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Pause containers: freeze their cgroup (needs a delegated cgroup v2 subtree)",
  .flags = pause_flags,
  .exec = pause_exec,
};

const struct pt_cmd pt_cmd_unpause = {
  .name = "unpause",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Unpause containers: thaw their cgroup",
  .flags = pause_flags,
  .exec = unpause_exec,
};

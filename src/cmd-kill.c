/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool kill: send a signal to running containers. */
#include <config.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

/* --all: the running ones; a named container that is not is an error. */
static int
kill_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  struct pt_ctr_state st;
  if (all && pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (all && !pt_ctr_alive (&st))
    return 1;
  return pt_ctr_kill (s, id, *(int *)data, err);
}

static const struct pt_flag kill_flags[] = {
  PT_FLAG_ALL ("Signal all running containers"),
  PT_FLAG_CIDFILE,
  PT_FLAG_FILTER,
  PT_FLAG_IGNORE,
  PT_FLAG_LATEST,
  { 's', "signal", 's', "SIGNAL", "Signal to send (default SIGKILL)" },
  { 0, NULL, 0, NULL, NULL },
};

static int
kill_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int sig = SIGKILL, c;
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { 0 };
  while ((c = pt_cli_getopt (&pt_cmd_kill, argc, argv, err)) != -1)
    switch (c)
      {
      case 's':
        if ((sig = pt_parse_signal (optarg)) < 0)
          return pt_make_error (err, 0, "invalid signal `%s`", optarg);
        break;
      default:
        if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
          return -1;
      }
  return pt_cli_each_selected (g, &sel, argv + optind, kill_one, &sig, err);
}

const struct pt_cmd pt_cmd_kill = {
  .name = "kill",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Send a signal (default SIGKILL) to running containers",
  .flags = kill_flags,
  .exec = kill_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool restart: stop, then start again. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/monitor.h"
#include "lib/util.h"

struct restart
{
  long timeout;
  bool running_only; /* --running: with --all, only those that run */
};

static int
restart_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  const struct restart *o = data;
  bool running;
  int fd = -1;
  pid_t pid;
  struct pt_ctr_state st;
  if (all && o->running_only && (pt_ctr_state (s, id, &st, err) < 0 || !pt_ctr_alive (&st)))
    return *err ? -1 : 1;
  struct pt_ctr_spec spec;
  if (pt_ctr_stop (s, id, o->timeout, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int needed = pt_monitor_start_needed (s, &spec, err);
  pt_ctr_spec_free (&spec);
  if (needed < 0 || pt_ctr_prepare_start (s, id, &running, err) < 0
      || pt_monitor_start (s, id, 0, &fd, &pid, err) < 0)
    return -1;
  close (fd);
  return 0;
}

static const struct pt_flag restart_flags[] = {
  PT_FLAG_ALL ("Restart all containers"),
  PT_FLAG_CIDFILE,
  PT_FLAG_FILTER,
  PT_FLAG_IGNORE,
  PT_FLAG_LATEST,
  { 'r', "running", 0, NULL, "With --all, only the running ones" },
  { 't', "time", 't', "SECONDS", "Seconds to wait before killing the container" },
  { 0, NULL, 0, NULL, NULL },
};

static int
restart_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct restart o = { .timeout = -1 }; /* -1: the container's --stop-timeout */
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_restart, argc, argv, err)) != -1)
    switch (c)
      {
      case 'r': o.running_only = pt_cli_optbool; break;
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &o.timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`", optarg);
        break;
      default:
        if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
          return -1;
      }
  return pt_cli_each_selected (g, &sel, argv + optind, restart_one, &o, err);
}

const struct pt_cmd pt_cmd_restart = {
  .name = "restart",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Restart containers: stop, then start",
  .flags = restart_flags,
  .exec = restart_exec,
};

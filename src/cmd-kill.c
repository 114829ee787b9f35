/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool kill: send a signal to running containers. */
#include <config.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
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

static int
kill_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "signal", required_argument, NULL, 's' },
                                            { "all", no_argument, NULL, 'a' },
                                            { NULL, 0, NULL, 0 } };
  int sig = SIGKILL, c;
  bool all = false;
  while ((c = getopt_long (argc, argv, "s:a", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a': all = true; break;
      case 's':
        if ((sig = pt_parse_signal (optarg)) < 0)
          return pt_make_error (err, 0, "invalid signal `%s`", optarg);
        break;
      default: return pt_cmd_bad_option (&pt_cmd_kill, err);
      }
  if (optind >= argc && !all)
    return pt_make_error (err, 0, "`podtool kill` requires at least one container, or --all");
  return pt_cli_each_container (g, argv + optind, all, kill_one, &sig, err);
}

const struct pt_cmd pt_cmd_kill = {
  .name = "kill",
  .usage = "[-s SIGNAL] [-a] CONTAINER...",
  .summary = "Send a signal (default SIGKILL) to running containers",
  .exec = kill_exec,
};

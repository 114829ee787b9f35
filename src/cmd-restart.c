/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool restart: stop, then start again. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/monitor.h"
#include "lib/util.h"

static int
restart_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  bool running;
  int fd = -1;
  pid_t pid;
  (void)all;
  if (pt_ctr_stop (s, id, *(long *)data, err) < 0 || pt_ctr_prepare_start (s, id, &running, err) < 0
      || pt_monitor_start (s, id, &fd, &pid, err) < 0)
    return -1;
  close (fd);
  return 0;
}

static int
restart_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "time", required_argument, NULL, 't' },
                                            { "all", no_argument, NULL, 'a' },
                                            { NULL, 0, NULL, 0 } };
  long timeout = -1; /* the container's --stop-timeout */
  bool all = false;
  int c;
  while ((c = getopt_long (argc, argv, "t:a", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a': all = true; break;
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`", optarg);
        break;
      default: return pt_cmd_bad_option (&pt_cmd_restart, err);
      }
  if (optind >= argc && !all)
    return pt_make_error (err, 0, "`podtool restart` requires at least one container, or --all");
  return pt_cli_each_container (g, argv + optind, all, restart_one, &timeout, err);
}

const struct pt_cmd pt_cmd_restart = {
  .name = "restart",
  .usage = "[-t SECONDS] [-a] CONTAINER...",
  .summary = "Restart containers: stop, then start",
  .exec = restart_exec,
};

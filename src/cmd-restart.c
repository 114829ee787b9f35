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
restart_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "time", required_argument, NULL, 't' }, { NULL, 0, NULL, 0 } };
  long timeout = 10;
  int c;
  while ((c = getopt_long (argc, argv, "t:", longopts, NULL)) != -1)
    switch (c)
      {
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`", optarg);
        break;
      default: return pt_cmd_bad_option (&pt_cmd_restart, err);
      }
  if (optind >= argc)
    return pt_make_error (err, 0, "`podtool restart` requires at least one container");
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  for (int i = optind; i < argc; i++)
    {
      cleanup_free char *id = NULL;
      bool running;
      int fd = -1;
      pid_t pid;
      if (pt_ctr_resolve (s, argv[i], &id, err) < 0 || pt_ctr_stop (s, id, timeout, err) < 0
          || pt_ctr_prepare_start (s, id, &running, err) < 0
          || pt_monitor_start (s, id, &fd, &pid, err) < 0)
        return -1;
      close (fd);
      printf ("%s\n", argv[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_restart = {
  .name = "restart",
  .usage = "[-t SECONDS] CONTAINER...",
  .summary = "Restart containers: stop, then start",
  .exec = restart_exec,
};

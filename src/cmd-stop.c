/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool stop: the image's stop signal, then SIGKILL after a timeout. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static int
stop_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  (void)all;
  return pt_ctr_stop (s, id, *(long *)data, err);
}

static int
stop_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "time", required_argument, NULL, 't' },
                                            { "all", no_argument, NULL, 'a' },
                                            { NULL, 0, NULL, 0 } };
  long timeout = -1; /* the container's --stop-timeout, 10 by default */
  bool all = false;
  int c;
  while ((c = getopt_long (argc, argv, "t:a", longopts, NULL)) != -1)
    switch (c)
      {
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`: seconds, 0 to 86400", optarg);
        break;
      case 'a': all = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_stop, err);
      }
  if (optind >= argc && !all)
    return pt_make_error (err, 0, "`podtool stop` requires at least one container, or --all");
  return pt_cli_each_container (g, argv + optind, all, stop_one, &timeout, err);
}

const struct pt_cmd pt_cmd_stop = {
  .name = "stop",
  .usage = "[-t SECONDS] [-a] CONTAINER...",
  .summary = "Stop containers: the stop signal, then SIGKILL after a timeout",
  .exec = stop_exec,
};

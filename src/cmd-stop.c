/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool stop: the image's stop signal, then SIGKILL after a timeout. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

static int
stop_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  (void)all;
  return pt_ctr_stop (s, id, *(long *)data, err);
}

static const struct pt_flag stop_flags[] = {
  PT_FLAG_ALL ("Stop all running containers"),
  PT_FLAG_CIDFILE,
  PT_FLAG_IGNORE,
  PT_FLAG_LATEST,
  { 't', "time", 't', "SECONDS",
    "Seconds to wait before killing the container (default: its --stop-timeout)" },
  PT_FLAG_FILTER,
  { 0, NULL, 0, NULL, NULL },
};

static int
stop_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  long timeout = -1; /* the container's --stop-timeout, 10 by default */
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_stop, argc, argv, err)) != -1)
    switch (c)
      {
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`: seconds, 0 to 86400", optarg);
        break;
      default:
        if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
          return -1;
      }
  return pt_cli_each_selected (g, &sel, argv + optind, stop_one, &timeout, err);
}

const struct pt_cmd pt_cmd_stop = {
  .name = "stop",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Stop containers: the stop signal, then SIGKILL after a timeout",
  .flags = stop_flags,
  .exec = stop_exec,
};

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

static int
kill_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "signal", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 } };
  int sig = SIGKILL, c;
  while ((c = getopt_long (argc, argv, "s:", longopts, NULL)) != -1)
    switch (c)
      {
      case 's':
        if ((sig = pt_parse_signal (optarg)) < 0)
          return pt_make_error (err, 0, "invalid signal `%s`", optarg);
        break;
      default: return pt_cmd_bad_option (&pt_cmd_kill, err);
      }
  if (optind >= argc)
    return pt_make_error (err, 0, "`podtool kill` requires at least one container");
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  for (int i = optind; i < argc; i++)
    {
      cleanup_free char *id = NULL;
      if (pt_ctr_resolve (s, argv[i], &id, err) < 0 || pt_ctr_kill (s, id, sig, err) < 0)
        return -1;
      printf ("%s\n", argv[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_kill = {
  .name = "kill",
  .usage = "[-s SIGNAL] CONTAINER...",
  .summary = "Send a signal (default SIGKILL) to running containers",
  .exec = kill_exec,
};

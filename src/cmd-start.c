/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool start: start created or exited containers under a new monitor. */
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
start_one (struct pt_global *g, const char *ref, bool attach, pt_error_t *err)
{
  cleanup_free char *id = NULL;
  bool running = false;
  struct pt_ctr_spec spec;
  if (pt_ctr_resolve (&g->store, ref, &id, err) < 0
      || pt_ctr_prepare_start (&g->store, id, &running, err) < 0
      || pt_ctr_spec_read (&g->store, id, &spec, err) < 0)
    return -1;
  bool in = spec.interactive, tty = spec.tty;
  pt_ctr_spec_free (&spec);
  if (running)
    {
      printf ("%s\n", ref);
      return 0;
    }
  int fd = -1, code = 0;
  pid_t pid = 0;
  if (pt_monitor_start (&g->store, id, &fd, &pid, err) < 0)
    return -1;
  if (!attach)
    {
      close (fd);
      printf ("%s\n", ref);
      return 0;
    }
  int r = pt_cli_relay (fd, pid, in, tty, &code, err);
  close (fd);
  if (r == 0)
    g->exit_code = code;
  return r;
}

static int
start_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "attach", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
  bool attach = false;
  int c;
  while ((c = getopt_long (argc, argv, "a", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a': attach = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_start, err);
      }
  if (optind >= argc)
    return pt_make_error (err, 0, "`podtool start` requires at least one container");
  if (attach && argc - optind > 1)
    return pt_make_error (err, 0, "you cannot start and attach multiple containers at once");
  if (pt_global_store (g, err) == NULL)
    return -1;
  for (int i = optind; i < argc; i++)
    if (start_one (g, argv[i], attach, err) < 0)
      return -1;
  fflush (stdout);
  return 0;
}

const struct pt_cmd pt_cmd_start = {
  .name = "start",
  .usage = "[-a] CONTAINER...",
  .summary = "Start one or more containers",
  .exec = start_exec,
};

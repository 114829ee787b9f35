/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool start: start created or exited containers under a new monitor. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-run.h"
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
  int needed = running ? 0 : pt_monitor_start_needed (&g->store, &spec, err);
  if (needed < 0)
    {
      pt_ctr_spec_free (&spec);
      return -1;
    }
  if (running)
    {
      pt_ctr_spec_free (&spec);
      printf ("%s\n", ref);
      return 0;
    }
  int fd = -1, code = 0;
  pid_t pid = 0;
  int started = pt_monitor_start (&g->store, id, 0, &fd, &pid, err);
  if (started == 0)
    pt_cli_sdnotify_started (&g->store, &spec);
  pt_ctr_spec_free (&spec);
  if (started < 0)
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

enum
{
  OPT_ALL = 256,
  OPT_SIG_PROXY,
  OPT_DETACH_KEYS,
};

static const struct pt_flag start_flags[] = {
  { OPT_ALL, "all", 0, NULL, "Start all containers that are not running" },
  { 'a', "attach", 'a', NULL, "Attach to the container's output" },
  { OPT_DETACH_KEYS, "detach-keys", 0, "KEYS", "Keys that detach from the container",
    PT_FLAG_NO_EFFECT, "podtool has no detach keys: the container goes on when podtool exits" },
  PT_FLAG_FILTER,
  { 'i', "interactive", 'i', NULL, "With --attach, pass stdin to the container" },
  PT_FLAG_LATEST,
  { OPT_SIG_PROXY, "sig-proxy", 0, NULL, "With --attach, pass signals on (default true)",
    PT_FLAG_NO_EFFECT, "an attached podtool always passes signals on" },
  { 0, NULL, 0, NULL, NULL },
};

static int
start_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool attach = false, all = false, latest = false;
  __attribute__ ((cleanup (pt_cli_filters_free))) struct pt_cli_filters f;
  pt_cli_filters_init (&f);
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_start, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': attach = pt_cli_optbool; break;
      case 'i': break; /* stdin follows the container's own -i */
      case 'l': latest = pt_cli_optbool; break;
      case OPT_ALL: all = pt_cli_optbool; break;
      case PT_OPT_FILTER:
        if (pt_cli_filters_add (&f, optarg, err) < 0)
          return -1;
        break;
      default: return -1;
      }
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  cleanup_strv char **refs = pt_cli_names (s, argv + optind, latest, err);
  if (refs == NULL)
    return -1;
  bool filtered = pt_cli_filters_any (&f);
  if (filtered && (refs[0] || all))
    return pt_make_error (err, 0,
                          "--filter, --all, --latest and arguments cannot be used together");
  if (all || filtered)
    {
      /* What is not running: all of it, or what the filters choose. */
      cleanup_strv char **ids = NULL;
      if (pt_cli_filters_resolve (s, &f, err) < 0 || pt_ctr_list (s, &ids, err) < 0)
        return -1;
      for (size_t i = 0; ids[i]; i++)
        {
          struct pt_ctr_state st;
          struct pt_ctr_spec spec = { 0 };
          pt_error_t e = NULL;
          if (pt_ctr_state (s, ids[i], &st, &e) < 0 || pt_ctr_spec_read (s, ids[i], &spec, &e) < 0)
            pt_error_release (&e);
          else if (!pt_ctr_alive (&st) && (!filtered || pt_cli_filters_match (&f, &spec, &st)))
            pt_strv_append (&refs, ids[i]);
          pt_ctr_spec_free (&spec);
        }
      all = true;
    }
  if (refs[0] == NULL && !all)
    return pt_cli_need_args (&pt_cmd_start, 0, 1, -1, err);
  if (attach && refs[0] && refs[1])
    return pt_make_error (err, 0, "you cannot start and attach multiple containers at once");
  for (size_t i = 0; refs[i]; i++)
    if (start_one (g, refs[i], attach, err) < 0)
      return -1;
  fflush (stdout);
  return 0;
}

const struct pt_cmd pt_cmd_start = {
  .name = "start",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Start one or more containers",
  .flags = start_flags,
  .exec = start_exec,
};

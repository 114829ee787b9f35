/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool container: the container verbs under one roof, as `podman
   container` has them, plus prune. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

/* Every container that is not running (or paused). */
static int
prune_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  struct pt_ctr_state st;
  (void)all, (void)data;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  return pt_ctr_alive (&st) ? 1 : pt_ctr_remove (s, NULL, id, false, err);
}

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
  bool force = false;
  int c;
  while ((c = getopt_long (argc, argv, "f", longopts, NULL)) != -1)
    switch (c)
      {
      case 'f': force = true; break;
      default: return pt_make_error (err, 0, "usage: podtool container prune [-f]");
      }
  int yes = pt_cli_confirm (force, "This will remove all non running containers.", err);
  if (yes <= 0)
    return yes;
  return pt_cli_prune_containers (g, err);
}

int
pt_cli_prune_containers (struct pt_global *g, pt_error_t *err)
{
  char *none[] = { NULL };
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL || pt_ctr_sweep_incomplete (s, err) < 0)
    return -1;
  return pt_cli_each_container (g, none, true, prune_one, NULL, err);
}

/* With --all, what is not running; a named running container is an error. */
static int
cleanup_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  struct pt_ctr_state st;
  if (all && pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (all && pt_ctr_alive (&st))
    return 1;
  return pt_ctr_cleanup (s, id, *(bool *)data, err);
}

static int
cleanup_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "all", no_argument, NULL, 'a' },
                                            { "rm", no_argument, NULL, 'r' },
                                            { NULL, 0, NULL, 0 } };
  bool all = false, rm = false;
  int c;
  while ((c = getopt_long (argc, argv, "a", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a': all = true; break;
      case 'r': rm = true; break;
      default:
        return pt_make_error (err, 0, "usage: podtool container cleanup [-a] [--rm] CONTAINER...");
      }
  if (optind >= argc && !all)
    return pt_make_error (err, 0, "`podtool container cleanup` requires a container, or --all");
  return pt_cli_each_container (g, argv + optind, all, cleanup_one, &rm, err);
}

struct sub
{
  const char *name;
  const struct pt_cmd *cmd;
};

static const struct sub subs[] = {
  { "attach", &pt_cmd_attach },   { "create", &pt_cmd_create }, { "exec", &pt_cmd_exec },
  { "inspect", &pt_cmd_inspect }, { "kill", &pt_cmd_kill },     { "logs", &pt_cmd_logs },
  { "ls", &pt_cmd_ps },           { "list", &pt_cmd_ps },       { "ps", &pt_cmd_ps },
  { "pause", &pt_cmd_pause },     { "port", &pt_cmd_port },     { "rename", &pt_cmd_rename },
  { "restart", &pt_cmd_restart }, { "rm", &pt_cmd_rm },         { "run", &pt_cmd_run },
  { "start", &pt_cmd_start },     { "stop", &pt_cmd_stop },     { "top", &pt_cmd_top },
  { "unpause", &pt_cmd_unpause }, { "wait", &pt_cmd_wait },
};

static int
container_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc < 2)
    return pt_make_error (err, 0, "`podtool container` needs a subcommand: %s",
                          pt_cmd_container.usage);
  optind = 0;
  if ((strcmp (argv[1], "prune") == 0 || strcmp (argv[1], "cleanup") == 0)
      && pt_cli_wants_help (argc - 1, argv + 1))
    {
      printf ("Usage: podtool container %s\n",
              argv[1][0] == 'p' ? "prune [-f]" : "cleanup [-a] [--rm] CONTAINER...");
      return 0;
    }
  if (strcmp (argv[1], "prune") == 0)
    return prune_exec (g, argc - 1, argv + 1, err);
  if (strcmp (argv[1], "cleanup") == 0)
    return cleanup_exec (g, argc - 1, argv + 1, err);
  for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
    if (strcmp (argv[1], subs[i].name) == 0)
      {
        if (pt_cli_wants_help (argc - 1, argv + 1))
          {
            pt_cmd_print_usage (subs[i].cmd, stdout);
            return 0;
          }
        return subs[i].cmd->exec (g, argc - 1, argv + 1, err);
      }
  return pt_make_error (err, 0, "unknown subcommand `podtool container %s`: %s", argv[1],
                        pt_cmd_container.usage);
}

const struct pt_cmd pt_cmd_container = {
  .name = "container",
  .usage = "attach|cleanup|create|exec|inspect|kill|logs|ls|pause|port|prune|rename|restart|rm|"
           "run|start|stop|top|unpause|wait [ARG...]",
  .summary = "Manage containers; `container prune` removes every container not running",
  .exec = container_exec,
};

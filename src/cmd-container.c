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
#include "lib/pod.h"
#include "lib/util.h"

/* Every container that is not running (or paused). */
static int
prune_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  struct pt_ctr_state st;
  struct pt_ctr_spec spec;
  (void)all;
  if (pt_ctr_state (s, id, &st, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  bool match = pt_cli_prune_matches (data, spec.created_ns, spec.labels);
  /* A pod's infra goes with its pod (pod rm, pod prune), never alone. */
  if (spec.infra && spec.pod && pt_pod_exists (s, spec.pod))
    match = false;
  pt_ctr_spec_free (&spec);
  return pt_ctr_alive (&st) || !match ? 1 : pt_ctr_remove (s, NULL, id, false, err);
}

static const struct pt_flag prune_flags[] = {
  { 'F', "filter", 0, "FILTER",
    "Prune only those: until=TIMESTAMP, label=KEY[=VALUE], label!=KEY[=VALUE]" },
  { 'f', "force", 'f', NULL, "Do not ask for confirmation" },
  { 0, NULL, 0, NULL, NULL },
};

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool force = false;
  __attribute__ ((cleanup (pt_cli_prune_filter_free))) struct pt_cli_prune_filter f = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_container_prune, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': force = pt_cli_optbool; break;
      case 'F':
        if (pt_cli_prune_filter (&f, optarg, err) < 0)
          return -1;
        break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_container_prune, argc - optind, 0, 0, err);
  int yes = pt_cli_confirm (force, "This will remove all non running containers.", err);
  if (yes <= 0)
    return yes;
  return pt_cli_prune_containers (g, &f, err);
}

const struct pt_cmd pt_cmd_container_prune = {
  .name = "prune",
  .usage = "[options]",
  .summary = "Remove all containers that are not running",
  .flags = prune_flags,
  .exec = prune_exec,
};

int
pt_cli_prune_containers (struct pt_global *g, const struct pt_cli_prune_filter *f, pt_error_t *err)
{
  char *none[] = { NULL };
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL || pt_ctr_sweep_incomplete (s, err) < 0)
    return -1;
  return pt_cli_each_container (g, none, true, prune_one, (void *)f, err);
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

static const struct pt_flag cleanup_flags[] = {
  PT_FLAG_ALL ("Clean up every container that is not running"),
  PT_FLAG_LATEST,
  { 'r', "rm", 0, NULL, "Remove the container too" },
  { 0, NULL, 0, NULL, NULL },
};

static int
cleanup_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool rm = false;
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_container_cleanup, argc, argv, err)) != -1)
    switch (c)
      {
      case 'r': rm = pt_cli_optbool; break;
      default:
        if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
          return -1;
      }
  return pt_cli_each_selected (g, &sel, argv + optind, cleanup_one, &rm, err);
}

const struct pt_cmd pt_cmd_container_cleanup = {
  .name = "cleanup",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Unmount and clean up after containers that are not running",
  .flags = cleanup_flags,
  .exec = cleanup_exec,
};

static const struct pt_cmd *const container_verbs[] = {
  &pt_cmd_attach,
  &pt_cmd_container_cleanup,
  &pt_cmd_commit,
  &pt_cmd_cp,
  &pt_cmd_create,
  &pt_cmd_diff,
  &pt_cmd_container_exists,
  &pt_cmd_exec,
  &pt_cmd_export,
  &pt_cmd_init,
  &pt_cmd_container_inspect,
  &pt_cmd_kill,
  &pt_cmd_container_ls,
  &pt_cmd_logs,
  &pt_cmd_pause,
  &pt_cmd_port,
  &pt_cmd_container_prune,
  &pt_cmd_rename,
  &pt_cmd_restart,
  &pt_cmd_rm,
  &pt_cmd_run,
  &pt_cmd_start,
  &pt_cmd_stats,
  &pt_cmd_stop,
  &pt_cmd_top,
  &pt_cmd_unpause,
  &pt_cmd_update,
  &pt_cmd_wait,
  NULL,
};

const struct pt_cmd pt_cmd_container = {
  .name = "container",
  .usage = "COMMAND",
  .summary = "Manage containers",
  .subs = container_verbs,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool system: migrate, prune and reset the user's own store. */
#include <config.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static int
rm_in_userns (void *data, pt_error_t *err)
{
  for (char **p = data; *p; p++)
    if (pt_rmtree_at (AT_FDCWD, *p, err) < 0)
      return -1;
  return 0;
}

/* Every container killed and removed, every image and layer gone. */
static int
reset (struct pt_global *g, bool force, pt_error_t *err)
{
  cleanup_free char *warning
      = xasprintf ("This will remove all containers, images and layers of %s.", g->store.root);
  int yes = pt_cli_confirm (force, warning, err);
  if (yes <= 0)
    return yes;
  const struct pt_idmap *m = pt_global_idmap (g, err);
  cleanup_strv char **ids = NULL;
  if (m == NULL || pt_ctr_list (&g->store, &ids, err) < 0)
    return -1;
  for (size_t i = 0; ids[i]; i++)
    if (pt_ctr_remove (&g->store, m, ids[i], true, err) < 0)
      return -1;
  if (pt_store_lock (&g->store, err) < 0)
    return -1;
  static const char *const parts[] = { "containers", "images", "layers", "tmp" };
  cleanup_strv char **paths = xzalloc (sizeof (char *));
  for (size_t i = 0; i < 4; i++)
    {
      cleanup_free char *p = pt_store_path (&g->store, "%s", parts[i]);
      pt_strv_append (&paths, p);
    }
  cleanup_free char *run = pt_store_runpath (&g->store, "containers");
  pt_strv_append (&paths, run);
  int r = pt_userns_run (m, rm_in_userns, paths, err);
  pt_store_unlock (&g->store);
  return r;
}

/* Brings every container's config to the current format and sweeps what
   killed commands left behind. */
static int
migrate (struct pt_global *g, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_ctr_sweep_incomplete (&g->store, err) < 0 || pt_ctr_list (&g->store, &ids, err) < 0)
    return -1;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      if (pt_ctr_spec_read (&g->store, ids[i], &spec, err) < 0)
        return -1;
      int r = pt_ctr_spec_write (&g->store, &spec, err);
      pt_ctr_spec_free (&spec);
      if (r < 0)
        return -1;
    }
  pt_store_clean_stale_tmp (&g->store);
  return 0;
}

static int
prune (struct pt_global *g, bool all, bool force, bool volumes,
       const struct pt_cli_prune_filter *f, pt_error_t *err)
{
  int yes = pt_cli_confirm (force,
                            all ? "This command removes:\n  - all stopped containers\n  - all "
                                  "images without at least one container associated with them"
                                : "This command removes:\n  - all stopped containers\n  - all "
                                  "dangling images",
                            err);
  if (yes <= 0)
    return yes;
  if (pt_cli_prune_containers (g, f, err) < 0)
    return -1;
  if (volumes && pt_cli_prune_volumes (g, NULL, err) < 0)
    return -1;
  return pt_cli_prune_images (g, all, f, err);
}

static const struct pt_flag prune_flags[] = {
  { 'a', "all", 'a', NULL, "Remove every image no container uses, not only dangling ones" },
  { 'F', "filter", 0, "FILTER",
    "Prune only those: until=TIMESTAMP, label=KEY[=VALUE], label!=KEY[=VALUE]" },
  { 'f', "force", 'f', NULL, "Do not ask for confirmation" },
  { 'v', "volumes", 0, NULL, "Prune the volumes no container uses too" },
  { 0, NULL, 0, NULL, NULL },
};

static const struct pt_flag reset_flags[] = {
  { 'f', "force", 'f', NULL, "Do not ask for confirmation" },
  { 0, NULL, 0, NULL, NULL },
};

static const struct pt_flag migrate_flags[] = {
  { 'n', "new-runtime", 0, "RUNTIME", "Move containers to another runtime", PT_FLAG_REFUSED,
    "podtool is its own runtime" },
  { 0, NULL, 0, NULL, NULL },
};

/* Every flag is parsed, and --help answered, before anything is touched. */
static int
system_verb (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv, pt_error_t *err)
{
  bool all = false, force = false, volumes = false;
  __attribute__ ((cleanup (pt_cli_prune_filter_free))) struct pt_cli_prune_filter f = { 0 };
  int c;
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'F':
        if (pt_cli_prune_filter (&f, optarg, err) < 0)
          return -1;
        break;
      case 'f': force = pt_cli_optbool; break;
      case 'v': volumes = pt_cli_optbool; break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (cmd, argc - optind, 0, 0, err);
  if (pt_global_store (g, err) == NULL)
    return -1;
  if (cmd == &pt_cmd_system_migrate)
    return migrate (g, err);
  return cmd == &pt_cmd_system_prune ? prune (g, all, force, volumes, &f, err) : reset (g, force, err);
}

static int
migrate_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return system_verb (g, &pt_cmd_system_migrate, argc, argv, err);
}

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return system_verb (g, &pt_cmd_system_prune, argc, argv, err);
}

static int
reset_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return system_verb (g, &pt_cmd_system_reset, argc, argv, err);
}

const struct pt_cmd pt_cmd_system_migrate = {
  .name = "migrate",
  .usage = "[options]",
  .summary
  = "Bring every container's config to the current format; sweep what killed commands left",
  .flags = migrate_flags,
  .exec = migrate_exec,
};

const struct pt_cmd pt_cmd_system_prune = {
  .name = "prune",
  .usage = "[options]",
  .summary = "Remove stopped containers and dangling (with --all, unused) images",
  .flags = prune_flags,
  .exec = prune_exec,
};

const struct pt_cmd pt_cmd_system_reset = {
  .name = "reset",
  .usage = "[options]",
  .summary = "Remove every container, image and layer of the store",
  .flags = reset_flags,
  .exec = reset_exec,
};

static const struct pt_cmd *const system_verbs[] = {
  &pt_cmd_system_df,    &pt_cmd_events,       &pt_cmd_info, &pt_cmd_system_migrate,
  &pt_cmd_system_prune, &pt_cmd_system_reset, NULL,
};

const struct pt_cmd pt_cmd_system = {
  .name = "system",
  .usage = "COMMAND",
  .summary = "Manage podtool: info, migrate, prune, reset",
  .subs = system_verbs,
};

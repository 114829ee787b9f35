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
prune (struct pt_global *g, bool all, bool force, pt_error_t *err)
{
  int yes = pt_cli_confirm (force,
                            all ? "This command removes:\n  - all stopped containers\n  - all "
                                  "images without at least one container associated with them"
                                : "This command removes:\n  - all stopped containers\n  - all "
                                  "dangling images",
                            err);
  if (yes <= 0)
    return yes;
  if (pt_cli_prune_containers (g, err) < 0)
    return -1;
  return pt_cli_prune_images (g, all, err);
}

static const struct
{
  const char *name, *usage;
} subs[] = {
  { "migrate", "migrate" },
  { "prune", "prune [-a] [-f]" },
  { "reset", "reset [-f]" },
};

/* Every flag is parsed, and --help answered, before anything is touched. */
static int
system_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc < 2)
    return pt_make_error (err, 0, "`podtool system` needs a subcommand: %s", pt_cmd_system.usage);
  const char *usage = NULL;
  for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
    if (strcmp (argv[1], subs[i].name) == 0)
      usage = subs[i].usage;
  if (usage == NULL)
    return pt_make_error (err, 0, "unknown subcommand `podtool system %s`: %s", argv[1],
                          pt_cmd_system.usage);
  static const struct option longopts[] = { { "all", no_argument, NULL, 'a' },
                                            { "force", no_argument, NULL, 'f' },
                                            { "help", no_argument, NULL, 'h' },
                                            { NULL, 0, NULL, 0 } };
  bool all = false, force = false, migrating = strcmp (argv[1], "migrate") == 0;
  bool pruning = strcmp (argv[1], "prune") == 0;
  char **args = argv + 1;
  int c;
  optind = 0;
  opterr = 0;
  while ((c = getopt_long (argc - 1, args, "afh", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a' : if (!pruning) goto bad; all = true; break;
      case 'f' : if (migrating) goto bad; force = true; break;
      case 'h': printf ("Usage: podtool system %s\n", usage); return 0;
      default: goto bad;
      }
  opterr = 1;
  if (optind < argc - 1)
    return pt_make_error (err, 0, "`podtool system %s` takes no arguments: podtool system %s",
                          argv[1], usage);
  if (pt_global_store (g, err) == NULL)
    return -1;
  if (migrating)
    return migrate (g, err);
  return pruning ? prune (g, all, force, err) : reset (g, force, err);
bad:
  opterr = 1;
  return pt_make_error (err, 0, "unknown flag: %s (usage: podtool system %s)",
                        args[optind - 1], usage);
}

const struct pt_cmd pt_cmd_system = {
  .name = "system",
  .usage = "migrate|prune [-a] [-f]|reset [-f]",
  .summary = "Migrate, prune or reset the user's own store",
  .exec = system_exec,
};

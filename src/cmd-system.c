/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool system: migrate and reset the user's own store. */
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
  if (!pt_cli_confirm (force, warning))
    return 0;
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
  if (pt_ctr_list (&g->store, &ids, err) < 0)
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
system_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc < 2)
    return pt_make_error (err, 0, "`podtool system` needs a subcommand: %s", pt_cmd_system.usage);
  bool force = argc > 2 && (strcmp (argv[2], "-f") == 0 || strcmp (argv[2], "--force") == 0);
  if (pt_global_store (g, err) == NULL)
    return -1;
  if (strcmp (argv[1], "reset") == 0)
    return reset (g, force, err);
  if (strcmp (argv[1], "migrate") == 0)
    return migrate (g, err);
  return pt_make_error (err, 0, "unknown subcommand `podtool system %s`: %s", argv[1],
                        pt_cmd_system.usage);
}

const struct pt_cmd pt_cmd_system = {
  .name = "system",
  .usage = "migrate|reset [-f]",
  .summary = "Migrate or reset the user's own store",
  .exec = system_exec,
};

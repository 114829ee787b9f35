/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool rm: remove containers and their writable layers. */
#include <config.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/pod.h"
#include "lib/util.h"

enum
{
  OPT_DEPEND = 256,
  OPT_VOLUMES,
};

static const struct pt_flag rm_flags[] = {
  PT_FLAG_ALL ("Remove all containers"),
  PT_FLAG_CIDFILE,
  { OPT_DEPEND, "depend", 0, NULL, "Remove the containers that depend on it first (its network, --requires)" },
  { PT_OPT_FILTER, "filter", 0, "FILTER", "Remove the containers that match (as ps --filter)" },
  { 'f', "force", 'f', NULL, "Remove running and paused containers too" },
  PT_FLAG_IGNORE,
  PT_FLAG_LATEST,
  { 't', "time", 't', "SECONDS",
    "With --force, stop a running container first, killing it after SECONDS (default: at once)" },
  { 'v', "volumes", 'v', NULL, "Remove the container's anonymous volumes (named ones stay)" },
  { 0, NULL, 0, NULL, NULL },
};

struct rm
{
  bool force, depend, volumes;
  long time; /* -1: kill at once */
};

/* Those that joined id's network (container:ID) or --requires it. */
static char **
dependents (struct pt_store *s, const char *id, bool requires_only)
{
  cleanup_strv char **ids = NULL;
  char **out = xzalloc (sizeof (char *));
  pt_error_t e = NULL;
  if (pt_ctr_list (s, &ids, &e) < 0)
    {
      pt_error_release (&e);
      return out;
    }
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      if (pt_ctr_spec_read (s, ids[i], &spec, &e) < 0)
        {
          pt_error_release (&e);
          continue;
        }
      bool joined = spec.net.mode == PT_NET_CONTAINER && strcmp (spec.net.target, id) == 0;
      bool requires = false;
      for (size_t k = 0; spec.requires && spec.requires[k]; k++)
        requires |= strcmp (spec.requires[k], id) == 0;
      if (requires || (joined && !requires_only))
        pt_strv_append (&out, ids[i]);
      pt_ctr_spec_free (&spec);
    }
  return out;
}

static int
rm_one (struct pt_store *s, const char *id, bool all, void *data, pt_error_t *err)
{
  const struct rm *o = data;
  struct pt_ctr_spec spec;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  bool infra = spec.infra && spec.pod && pt_pod_exists (s, spec.pod);
  cleanup_free char *pod = infra ? xstrdup (spec.pod) : NULL;
  pt_ctr_spec_free (&spec);
  /* A pod's infra goes with its pod (pod rm), never alone. */
  if (infra && all)
    return 1;
  if (infra)
    return pt_make_error (err, 0,
                          "container %s is the infra container of pod %s and cannot be removed "
                          "without removing the pod",
                          id, pod);
  if (!o->depend)
    {
      /* Podman's rule for --requires: the dependents go first, or with --depend. */
      cleanup_strv char **deps = dependents (s, id, true);
      if (deps[0])
        return pt_make_error (err, 0,
                              "container %s has dependent containers which must be removed "
                              "before it: %s",
                              id, deps[0]);
    }
  if (o->depend)
    {
      cleanup_strv char **deps = dependents (s, id, false);
      for (size_t i = 0; deps[i]; i++)
        {
          if (rm_one (s, deps[i], false, data, err) < 0)
            return -1;
          printf ("%s\n", deps[i]);
        }
    }
  struct pt_ctr_state st;
  if (o->force && o->time > 0 && pt_ctr_state (s, id, &st, err) == 0 && pt_ctr_alive (&st)
      && pt_ctr_stop (s, id, (int)o->time, err) < 0)
    return -1;
  return pt_ctr_remove_v (s, NULL, id, o->force, o->volumes, err);
}

static int
rm_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct rm o = { .time = -1 };
  __attribute__ ((cleanup (pt_cli_select_free))) struct pt_cli_select sel = { .missing_code = 1 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_rm, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': o.force = pt_cli_optbool; break;
      case 'v': o.volumes = pt_cli_optbool; break;
      case OPT_DEPEND: o.depend = pt_cli_optbool; break;
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &o.time) < 0)
          return pt_make_error (err, 0,
                                "invalid argument \"%s\" for \"-t, --time\" flag: seconds, "
                                "0 to 86400",
                                optarg);
        break;
      default:
        if (c < 0 || pt_cli_select_flag (c, &sel, err) <= 0)
          return -1;
      }
  /* A running container met without --force: exit 2, as Podman's. */
  int r = pt_cli_each_selected (g, &sel, argv + optind, rm_one, &o, err);
  /* --cidfile: the file goes with the container, as in Podman. */
  for (size_t i = 0; r == 0 && g->exit_code == 0 && sel.cidfiles && sel.cidfiles[i]; i++)
    unlink (sel.cidfiles[i]);
  return r;
}

const struct pt_cmd pt_cmd_rm = {
  .name = "rm",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Remove one or more containers",
  .flags = rm_flags,
  .exec = rm_exec,
};

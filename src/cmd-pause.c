/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pause, unpause: freeze a container's processes. */
#include <config.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

/* Freezing needs the container in a cgroup of its own, in a delegated
   cgroup v2 subtree (cgroup.freeze). Containers do not get one yet: that
   comes with resource limits. Until then the answer is a clear no. */
static int
freeze (struct pt_global *g, int argc, char **argv, const char *verb, pt_error_t *err)
{
  if (argc < 2)
    return pt_make_error (err, 0, "`podtool %s` requires at least one container", verb);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  if (s == NULL || pt_ctr_resolve (s, argv[1], &id, err) < 0)
    return -1;
  return pt_make_error (err, 0,
                        "%s: containers do not have a cgroup of their own yet, so there is no "
                        "freezer to use (this needs a delegated cgroup v2 subtree and comes with "
                        "resource limits)",
                        verb);
}

static int
pause_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return freeze (g, argc, argv, "pause", err);
}

static int
unpause_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return freeze (g, argc, argv, "unpause", err);
}

const struct pt_cmd pt_cmd_pause = {
  .name = "pause",
  .usage = "CONTAINER...",
  .summary = "Pause containers (needs a cgroup v2 subtree: not yet)",
  .exec = pause_exec,
};

const struct pt_cmd pt_cmd_unpause = {
  .name = "unpause",
  .usage = "CONTAINER...",
  .summary = "Unpause containers (needs a cgroup v2 subtree: not yet)",
  .exec = unpause_exec,
};

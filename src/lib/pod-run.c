/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A pod's containers started, stopped, killed and removed together: the
   infra first and last (it holds the namespaces the others join). */
#include <config.h>
#include "pod.h"
#include "container.h"
#include "lifecycle.h"
#include "monitor.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
start_one (struct pt_store *s, const char *id, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  bool running = false;
  int fd = -1;
  pid_t pid;
  if (pt_ctr_prepare_start (s, id, &running, err) < 0)
    return -1;
  if (running)
    return 0;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int r = pt_monitor_start_needed (s, &spec, err);
  pt_ctr_spec_free (&spec);
  if (r == 0)
    r = pt_monitor_start (s, id, 0, &fd, &pid, err);
  if (fd >= 0)
    close (fd);
  return r;
}

int
pt_pod_start (struct pt_store *s, const struct pt_pod *p, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_pod_members (s, p->id, false, &ids, err) < 0)
    return -1;
  if (*p->infra_id && start_one (s, p->infra_id, err) < 0)
    return pt_error_wrap (err, "pod %s: its infra", p->name);
  for (size_t i = 0; ids[i]; i++)
    if (start_one (s, ids[i], err) < 0)
      return pt_error_wrap (err, "pod %s", p->name);
  return 0;
}

int
pt_pod_stop (struct pt_store *s, const struct pt_pod *p, int timeout, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_pod_members (s, p->id, false, &ids, err) < 0)
    return -1;
  /* The last started goes first. */
  for (size_t i = pt_strv_len (ids); i-- > 0;)
    if (pt_ctr_stop (s, ids[i], timeout, err) < 0)
      return pt_error_wrap (err, "pod %s", p->name);
  if (*p->infra_id && pt_ctr_stop (s, p->infra_id, timeout, err) < 0)
    return pt_error_wrap (err, "pod %s: its infra", p->name);
  return 0;
}

int
pt_pod_kill (struct pt_store *s, const struct pt_pod *p, int sig, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_pod_members (s, p->id, true, &ids, err) < 0)
    return -1;
  size_t killed = 0;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_state st;
      if (pt_ctr_state (s, ids[i], &st, err) < 0)
        return -1;
      if (!pt_ctr_alive (&st))
        continue;
      if (pt_ctr_kill (s, ids[i], sig, err) < 0)
        return pt_error_wrap (err, "pod %s", p->name);
      killed++;
    }
  if (killed == 0)
    return pt_make_error (err, 0, "pod %s has no running containers", p->name);
  return 0;
}

/* Whether any of the pod's containers (its infra too) runs. */
bool
pt_pod_running (struct pt_store *s, const struct pt_pod *p, size_t *n_running, size_t *n_all)
{
  cleanup_strv char **ids = NULL;
  pt_error_t tmp = NULL;
  *n_running = *n_all = 0;
  if (pt_pod_members (s, p->id, true, &ids, &tmp) < 0)
    return pt_error_release (&tmp), false;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_state st;
      (*n_all)++;
      if (pt_ctr_state (s, ids[i], &st, &tmp) < 0)
        pt_error_release (&tmp);
      else if (pt_ctr_alive (&st))
        (*n_running)++;
    }
  return *n_running > 0;
}

int
pt_pod_rm (struct pt_store *s, const struct pt_idmap *m, const struct pt_pod *p, bool force,
           int timeout, pt_error_t *err)
{
  size_t running, all;
  if (pt_pod_running (s, p, &running, &all) && !force)
    return pt_make_error (err, 0,
                          "pod %s has running containers: stop them first or use -f (--force)",
                          p->name);
  if (force && running && pt_pod_stop (s, p, timeout, err) < 0)
    return -1;
  cleanup_strv char **ids = NULL;
  if (pt_pod_members (s, p->id, false, &ids, err) < 0)
    return -1;
  /* The infra last: the others' namespaces are its. */
  for (size_t i = pt_strv_len (ids); i-- > 0;)
    if (pt_ctr_remove (s, m, ids[i], true, err) < 0)
      return pt_error_wrap (err, "pod %s", p->name);
  if (*p->infra_id && pt_ctr_remove (s, m, p->infra_id, true, err) < 0)
    return pt_error_wrap (err, "pod %s: its infra", p->name);
  return pt_pod_remove (s, p->id, err);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create's process options: capabilities, the stop signal and timeout,
   --init, --read-only, and what the process gets before its exec (umask,
   ulimits, the OOM score, sysctls), annotations, --timeout and the pid files. */
#include <config.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cmd-run.h"
#include "lib/caps.h"
#include "lib/container.h"
#include "lib/util.h"

static const char *const rlimit_names[]
    = { "as",     "core",  "cpu", "data",   "fsize",  "locks",      "memlock", "msgqueue", "nice",
        "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",   NULL };

/* NAME=SOFT[:HARD], -1 or unlimited for no limit. */
static int
check_ulimit (const char *arg, pt_error_t *err)
{
  const char *eq = strchr (arg, '=');
  bool known = false;
  for (size_t i = 0; eq && rlimit_names[i]; i++)
    known = known
            || ((size_t)(eq - arg) == strlen (rlimit_names[i])
                && strncmp (arg, rlimit_names[i], eq - arg) == 0);
  if (!known)
    return pt_make_error (
        err, 0,
        "invalid --ulimit `%s`: NAME=SOFT[:HARD], NAME one of as, core, cpu, "
        "data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, "
        "rttime, sigpending, stack",
        arg);
  cleanup_free char *v = xstrdup (eq + 1);
  char *colon = strchr (v, ':');
  if (colon)
    *colon++ = '\0';
  long n;
  for (char *part = v; part; part = colon, colon = NULL)
    if (strcmp (part, "unlimited") != 0 && pt_parse_long (part, -1, LONG_MAX, &n) < 0)
      return pt_make_error (err, 0, "invalid --ulimit `%s`: a limit is a number, -1 or unlimited",
                            arg);
  return 0;
}

/* Namespaced sysctls only, as Podman allows them: net.* (with a network
   namespace of the container's own), the IPC namespace's kernel.* and fs.mqueue.*. */
static int
check_sysctl (const char *arg, pt_error_t *err)
{
  static const char *const ipc[]
      = { "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",          "kernel.sem", "kernel.shmall",
          "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", NULL };
  const char *eq = strchr (arg, '=');
  if (eq == NULL || eq == arg || strstr (arg, "..") || memchr (arg, '/', eq - arg))
    return pt_make_error (err, 0, "invalid --sysctl `%s`: KEY=VALUE", arg);
  size_t k = eq - arg;
  bool ok = strncmp (arg, "net.", 4) == 0 || strncmp (arg, "fs.mqueue.", 10) == 0;
  for (size_t i = 0; !ok && ipc[i]; i++)
    ok = k == strlen (ipc[i]) && strncmp (arg, ipc[i], k) == 0;
  if (!ok)
    return pt_make_error (err, 0,
                          "sysctl \"%.*s\" is not allowed: only namespaced ones (net.*, "
                          "fs.mqueue.*, kernel.msg*, kernel.sem, kernel.shm*) can be set",
                          (int)k, arg);
  return 0;
}

/* An absolute path for a file the monitor writes (its working directory is not ours). */
static char *
absolute (const char *path)
{
  if (*path == '/')
    return xstrdup (path);
  char cwd[PATH_MAX];
  return getcwd (cwd, sizeof cwd) ? xasprintf ("%s/%s", cwd, path) : xstrdup (path);
}

/* --pid, --ipc, --uts: private, or the host's (rootless Podman's modes that
   need no other container); joining another container's comes with pods. */
static int
ns_mode (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  const char *flag = c == OPT_PID ? "--pid" : c == OPT_IPC ? "--ipc" : "--uts";
  char **slot = c == OPT_PID ? &spec->pid_mode : c == OPT_IPC ? &spec->ipc_mode : &spec->uts_mode;
  bool ok = strcmp (arg, "private") == 0 || strcmp (arg, "host") == 0 || *arg == '\0'
            || (c == OPT_IPC && strcmp (arg, "shareable") == 0);
  if (pt_str_has_prefix (arg, "container:") || pt_str_has_prefix (arg, "ns:")
      || (c == OPT_IPC && strcmp (arg, "none") == 0))
    return pt_make_error (err, 0,
                          "%s %s: not supported by podtool yet: a container has namespaces of its "
                          "own or the host's (only --network joins another container's)",
                          flag, arg);
  if (!ok)
    return pt_make_error (err, 0, "invalid %s `%s`: private%s or host", flag, arg,
                          c == OPT_IPC ? ", shareable" : "");
  free (*slot);
  *slot = xstrdup (strcmp (arg, "host") == 0 ? "host" : "");
  return 0;
}

static int
more_process_options (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  long v;
  char *end;
  switch (c)
    {
    case OPT_ANNOTATION:
      if (strchr (arg, '=') == NULL || *arg == '=')
        return pt_make_error (err, 0, "invalid --annotation `%s`: KEY=VALUE", arg);
      pt_strv_append (&spec->annotations, arg);
      return 0;
    case OPT_UMASK:
      v = strtol (arg, &end, 8);
      if (*arg == '\0' || *end != '\0' || v < 0 || v > 0777)
        return pt_make_error (err, 0, "invalid umask string %s: an octal number 0000 to 0777", arg);
      free (spec->umask);
      spec->umask = xasprintf ("%04lo", v);
      return 0;
    case OPT_ULIMIT:
      if (check_ulimit (arg, err) < 0)
        return -1;
      pt_strv_append (&spec->ulimits, arg);
      return 0;
    case OPT_SYSCTL:
      if (check_sysctl (arg, err) < 0)
        return -1;
      pt_strv_append (&spec->sysctls, arg);
      return 0;
    case OPT_OOM_SCORE_ADJ:
      if (pt_parse_long (arg, -1000, 1000, &v) < 0)
        return pt_make_error (err, 0, "invalid --oom-score-adj `%s`: -1000 to 1000", arg);
      free (spec->oom_score_adj);
      spec->oom_score_adj = xasprintf ("%ld", v);
      return 0;
    case OPT_SHM_SIZE:
      if ((spec->shm_size = pt_parse_size (arg)) <= 0)
        return pt_make_error (err, 0, "invalid --shm-size `%s`: a size such as 64m", arg);
      return 0;
    case OPT_TIMEOUT:
      if (pt_parse_long (arg, 0, 1L << 30, &v) < 0)
        return pt_make_error (err, 0, "invalid --timeout `%s`: seconds", arg);
      spec->timeout = v;
      return 0;
    case OPT_PIDFILE:
      free (spec->pidfile);
      spec->pidfile = absolute (arg);
      return 0;
    case OPT_CONMON_PIDFILE:
      free (spec->conmon_pidfile);
      spec->conmon_pidfile = absolute (arg);
      return 0;
    case OPT_PID:
    case OPT_IPC:
    case OPT_UTS: return ns_mode (c, arg, spec, err);
    case OPT_REQUIRES:
      {
        /* Names for now: pt_cli_resolve_requires makes them ids. */
        cleanup_free char *copy = xstrdup (arg);
        for (char *save = NULL, *t = strtok_r (copy, ",", &save); t; t = strtok_r (NULL, ",", &save))
          pt_strv_append (&spec->requires, t);
        return 0;
      }
    }
  return 1;
}

/* --cap-add/--cap-drop NAME[,NAME...], kept as CAP_NAME (or ALL). */
static int
add_caps (char ***list, const char *arg, const char *flag, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (arg);
  for (char *save = NULL, *w = strtok_r (copy, ",", &save); w; w = strtok_r (NULL, ",", &save))
    {
      cleanup_free char *norm
          = strcasecmp (w, "all") == 0 ? xstrdup ("ALL") : pt_caps_normalize (w);
      if (norm == NULL)
        return pt_make_error (err, 0, "invalid %s `%s`: unknown capability", flag, w);
      pt_strv_append (list, norm);
    }
  return 0;
}

/* The process: --cap-add, --cap-drop, --read-only, --init, --stop-signal,
   --stop-timeout, and the rest below. */
int
pt_cli_process_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  long v;
  switch (c)
    {
    case OPT_CAP_ADD: return add_caps (&spec->cap_add, arg, "--cap-add", err);
    case OPT_CAP_DROP: return add_caps (&spec->cap_drop, arg, "--cap-drop", err);
    case OPT_READ_ONLY: spec->read_only = pt_cli_optbool; return 0;
    case OPT_READ_ONLY_TMPFS: spec->read_only_no_tmpfs = !pt_cli_optbool; return 0;
    case OPT_INIT: spec->init = true; return 0;
    case OPT_STOP_SIGNAL:
      if ((spec->stop_signal = pt_parse_signal (arg)) <= 0)
        return pt_make_error (err, 0, "invalid --stop-signal `%s`", arg);
      return 0;
    case OPT_STOP_TIMEOUT:
      if (pt_parse_long (arg, 0, 86400, &v) < 0)
        return pt_make_error (err, 0, "invalid --stop-timeout `%s`: seconds, 0 to 86400", arg);
      spec->stop_timeout = v;
      return 0;
    }
  return more_process_options (c, arg, spec, err);
}

int
pt_cli_resolve_requires (struct pt_store *s, char **names, pt_error_t *err)
{
  for (size_t i = 0; names && names[i]; i++)
    {
      char *id = NULL;
      if (pt_ctr_resolve (s, names[i], &id, err) < 0)
        return pt_error_wrap (err, "--requires");
      free (names[i]);
      names[i] = id;
    }
  return 0;
}

/* --volumes-from CTR[:ro|rw]: that container's volumes and bind mounts,
   where this one mounts nothing; its anonymous volumes are shared, not ours
   to remove. */
int
pt_cli_volumes_from (struct pt_store *s, char **refs, struct pt_ctr_spec *spec, pt_error_t *err)
{
  for (size_t i = 0; refs && refs[i]; i++)
    {
      cleanup_free char *ref = xstrdup (refs[i]), *id = NULL;
      char *mode = strchr (ref, ':');
      if (mode)
        *mode++ = '\0';
      if (mode && strcmp (mode, "ro") && strcmp (mode, "rw") && strcmp (mode, "z"))
        return pt_make_error (err, 0, "invalid --volumes-from `%s`: CONTAINER[:ro|rw]", refs[i]);
      struct pt_ctr_spec from;
      if (pt_ctr_resolve (s, ref, &id, err) < 0 || pt_ctr_spec_read (s, id, &from, err) < 0)
        return pt_error_wrap (err, "--volumes-from");
      for (size_t k = 0; k < from.n_mounts; k++)
        {
          const struct pt_mount *m = &from.mounts[k];
          bool taken = strcmp (m->type, "tmpfs") == 0;
          for (size_t j = 0; j < spec->n_mounts && !taken; j++)
            taken = strcmp (spec->mounts[j].destination, m->destination) == 0;
          if (taken)
            continue;
          spec->mounts = xrealloc (spec->mounts, (spec->n_mounts + 1) * sizeof *spec->mounts);
          spec->mounts[spec->n_mounts++] = (struct pt_mount){
            .type = xstrdup (m->type),
            .source = m->source ? xstrdup (m->source) : NULL,
            .destination = xstrdup (m->destination),
            .readonly = mode ? strcmp (mode, "ro") == 0 : m->readonly,
            .volume = m->volume ? xstrdup (m->volume) : NULL,
            .nocopy = true,
          };
        }
      pt_ctr_spec_free (&from);
    }
  return 0;
}

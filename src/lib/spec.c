/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's config.json: one table of its fields drives reading,
   writing and freeing it, so a new option of run/create is a member of
   struct pt_ctr_spec and a line here. The fields that are objects of
   their own (mounts, net, limits, the creation time) have code below. */
#include <config.h>
#include "container.h"
#include "jsonutil.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum kind
{
  F_STR,  /* char *: "" when missing */
  F_STRV, /* char **, NULL-terminated: empty when missing */
  F_BOOL, /* bool */
  F_INT,  /* int, dflt when missing */
  F_I64,  /* int64_t, dflt when missing */
};

struct field
{
  const char *key;
  enum kind kind;
  size_t off;
  long long dflt;
};

#define F(key, kind, member, dflt)                                                                 \
  {                                                                                                \
    key, kind, offsetof (struct pt_ctr_spec, member), dflt                                         \
  }

static const struct field fields[] = {
  F ("id", F_STR, id, 0),
  F ("name", F_STR, name, 0),
  F ("image", F_STR, image, 0),
  F ("image_id", F_STR, image_id, 0),
  F ("command", F_STRV, argv, 0),
  F ("env", F_STRV, env, 0),
  F ("labels", F_STRV, labels, 0),
  F ("cwd", F_STR, cwd, 0),
  F ("cwd_explicit", F_BOOL, cwd_explicit, 0),
  F ("user", F_STR, user, 0),
  F ("hostname", F_STR, hostname, 0),
  F ("network", F_STR, network, 0),
  F ("layers", F_STRV, layers, 0),
  F ("storage", F_STR, storage, 0),
  F ("rm", F_BOOL, rm, 0),
  F ("interactive", F_BOOL, interactive, 0),
  F ("tty", F_BOOL, tty, 0),
  F ("stop_signal", F_INT, stop_signal, SIGTERM),
  F ("stop_timeout", F_INT, stop_timeout, 10),
  F ("cap_add", F_STRV, cap_add, 0),
  F ("cap_drop", F_STRV, cap_drop, 0),
  F ("read_only", F_BOOL, read_only, 0),
  F ("read_only_no_tmpfs", F_BOOL, read_only_no_tmpfs, 0),
  F ("init", F_BOOL, init, 0),
  F ("log_max", F_I64, log_max, 0),
  F ("cgroup_parent", F_STR, cgroup_parent, 0),
  F ("cgroups_disabled", F_BOOL, cgroups_disabled, 0),
  F ("annotations", F_STRV, annotations, 0),
  F ("umask", F_STR, umask, 0),
  F ("ulimits", F_STRV, ulimits, 0),
  F ("sysctls", F_STRV, sysctls, 0),
  F ("oom_score_adj", F_STR, oom_score_adj, 0),
  F ("shm_size", F_I64, shm_size, 0),
  F ("timeout", F_INT, timeout, 0),
  F ("restart_policy", F_STR, restart_policy, 0),
  F ("restart_max", F_INT, restart_max, 0),
  F ("pidfile", F_STR, pidfile, 0),
  F ("conmon_pidfile", F_STR, conmon_pidfile, 0),
  F ("requires", F_STRV, requires, 0),
  F ("health_test", F_STRV, health_test, 0),
  F ("health_interval", F_I64, health_interval, 0),
  F ("health_timeout", F_I64, health_timeout, 0),
  F ("health_start_period", F_I64, health_start_period, 0),
  F ("health_retries", F_INT, health_retries, 0),
  F ("systemd", F_BOOL, systemd, 0),
  F ("sdnotify", F_STR, sdnotify, 0),
  F ("pod", F_STR, pod, 0),
  F ("infra", F_BOOL, infra, 0),
  F ("pid_mode", F_STR, pid_mode, 0),
  F ("ipc_mode", F_STR, ipc_mode, 0),
  F ("uts_mode", F_STR, uts_mode, 0),
  F ("privileged", F_BOOL, privileged, 0),
  F ("no_new_privs", F_BOOL, no_new_privs, 0),
  F ("seccomp_unconfined", F_BOOL, seccomp_unconfined, 0),
  F ("seccomp_profile", F_STR, seccomp_profile, 0),
  F ("masks", F_STRV, masks, 0),
  F ("unmasks", F_STRV, unmasks, 0),
  F ("security_opts", F_STRV, security_opts, 0),
  F ("group_add", F_STRV, group_add, 0),
  F ("userns", F_STR, userns, 0),
  F ("passwd_entry", F_STR, passwd_entry, 0),
  F ("group_entry", F_STR, group_entry, 0),
  F ("host_users", F_STRV, host_users, 0),
  F ("no_passwd", F_BOOL, no_passwd, 0),
};

#define AT(spec, f, type) ((type *)((char *)(spec) + (f)->off))

static char *
jstr (json_t *o, const char *key)
{
  char *v = pt_json_get_str (json_object_get (o, key));
  return v ? v : xstrdup ("");
}

static void
read_mounts (json_t *arr, struct pt_ctr_spec *spec)
{
  size_t i;
  json_t *o;
  spec->n_mounts = json_array_size (arr);
  spec->mounts = xzalloc ((spec->n_mounts + 1) * sizeof *spec->mounts);
  json_array_foreach (arr, i, o)
  {
    char *data = pt_json_get_str (json_object_get (o, "data"));
    spec->mounts[i] = (struct pt_mount){
      .type = jstr (o, "type"),
      .source = jstr (o, "source"),
      .destination = jstr (o, "destination"),
      .data = data,
      .readonly = json_is_true (json_object_get (o, "readonly")),
      .volume = pt_json_get_str (json_object_get (o, "volume")),
      .nocopy = json_is_true (json_object_get (o, "nocopy")),
      .anonymous = json_is_true (json_object_get (o, "anonymous")),
      .chown = json_is_true (json_object_get (o, "chown")),
      .overlay = json_is_true (json_object_get (o, "overlay")),
      .tmpfs_opts = pt_json_get_str (json_object_get (o, "tmpfs_opts")),
    };
  }
}

static json_t *
mounts_json (const struct pt_ctr_spec *spec)
{
  json_t *arr = json_array ();
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct pt_mount *m = &spec->mounts[i];
      json_t *o = json_pack ("{s:o, s:o, s:o, s:b}", "type", pt_json_str (m->type), "source",
                             pt_json_str (m->source), "destination", pt_json_str (m->destination),
                             "readonly", m->readonly);
      if (o && m->data)
        json_object_set_new (o, "data", pt_json_str (m->data));
      if (o && m->volume)
        json_object_set_new (o, "volume", pt_json_str (m->volume));
      if (o && m->volume)
        json_object_set_new (o, "nocopy", json_boolean (m->nocopy));
      if (o && m->volume)
        json_object_set_new (o, "anonymous", json_boolean (m->anonymous));
      if (o && m->chown)
        json_object_set_new (o, "chown", json_true ());
      if (o && m->overlay)
        json_object_set_new (o, "overlay", json_true ());
      if (o && m->tmpfs_opts)
        json_object_set_new (o, "tmpfs_opts", pt_json_str (m->tmpfs_opts));
      json_array_append_new (arr, o);
    }
  return arr;
}

void
pt_ctr_spec_free (struct pt_ctr_spec *spec)
{
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    if (fields[i].kind == F_STR)
      free (*AT (spec, &fields[i], char *));
    else if (fields[i].kind == F_STRV)
      pt_strv_free (*AT (spec, &fields[i], char **));
  for (size_t i = 0; i < spec->n_mounts; i++)
    pt_mount_free (&spec->mounts[i]);
  free (spec->mounts);
  free (spec->dir);
  free (spec->cgroup);
  pt_net_free (&spec->net);
  memset (spec, 0, sizeof *spec);
}

int
pt_ctr_spec_read (struct pt_store *s, const char *id, struct pt_ctr_spec *spec, pt_error_t *err)
{
  cleanup_free char *path = pt_store_path (s, "containers/%s/config.json", id);
  json_error_t jerr;
  json_t *j = json_load_file (path, JSON_ALLOW_NUL, &jerr);
  memset (spec, 0, sizeof *spec);
  if (j == NULL)
    return pt_make_error (err, errno == ENOENT ? ENOENT : 0, "read `%s`: %s", path, jerr.text);
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    {
      const struct field *f = &fields[i];
      json_t *v = json_object_get (j, f->key);
      switch (f->kind)
        {
        case F_STR: *AT (spec, f, char *) = jstr (j, f->key); break;
        case F_STRV: *AT (spec, f, char **) = pt_json_strv (v); break;
        case F_BOOL: *AT (spec, f, bool) = json_is_true (v); break;
        case F_INT:
          *AT (spec, f, int) = json_is_integer (v) ? json_integer_value (v) : f->dflt;
          break;
        case F_I64:
          *AT (spec, f, int64_t) = json_is_integer (v) ? json_integer_value (v) : f->dflt;
          break;
        }
    }
  read_mounts (json_object_get (j, "mounts"), spec);
  pt_net_from_json (json_object_get (j, "net"), &spec->net);
  spec->created_ns = pt_parse_time (json_string_value (json_object_get (j, "created")));
  json_t *lim = json_object_get (j, "limits");
  spec->limits = (struct pt_cgroup_limits){
    .memory = json_integer_value (json_object_get (lim, "memory")),
    .memory_swap = json_integer_value (json_object_get (lim, "memory_swap")),
    .pids = json_integer_value (json_object_get (lim, "pids")),
    .cpu_quota = json_integer_value (json_object_get (lim, "cpu_quota")),
    .cpu_shares = json_integer_value (json_object_get (lim, "cpu_shares")),
    .cpu_period = json_integer_value (json_object_get (lim, "cpu_period")),
    .cpu_quota_us = json_integer_value (json_object_get (lim, "cpu_quota_us")),
    .memory_low = json_integer_value (json_object_get (lim, "memory_low")),
    .blkio_weight = json_integer_value (json_object_get (lim, "blkio_weight")),
  };
  snprintf (spec->limits.cpuset_cpus, sizeof spec->limits.cpuset_cpus, "%s",
            json_string_value (json_object_get (lim, "cpuset_cpus")) ?: "");
  snprintf (spec->limits.cpuset_mems, sizeof spec->limits.cpuset_mems, "%s",
            json_string_value (json_object_get (lim, "cpuset_mems")) ?: "");
  spec->dir = pt_store_path (s, "containers/%s", id);
  json_decref (j);
  return 0;
}

int
pt_ctr_spec_write (struct pt_store *s, struct pt_ctr_spec *spec, pt_error_t *err)
{
  json_t *j = json_object ();
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
    {
      const struct field *f = &fields[i];
      json_t *v = NULL;
      switch (f->kind)
        {
        case F_STR: v = pt_json_str (*AT (spec, f, char *)); break;
        case F_STRV: v = pt_strv_json (*AT (spec, f, char **)); break;
        case F_BOOL: v = json_boolean (*AT (spec, f, bool)); break;
        case F_INT: v = json_integer (*AT (spec, f, int)); break;
        case F_I64: v = json_integer (*AT (spec, f, int64_t)); break;
        }
      json_object_set_new (j, f->key, v);
    }
  /* What a missing value means, said once for readers of other versions. */
  if (spec->storage == NULL || *spec->storage == '\0')
    json_object_set_new (j, "storage", json_string ("overlay"));
  if (spec->cgroup_parent == NULL)
    json_object_set_new (j, "cgroup_parent", json_string (""));
  if (spec->stop_signal <= 0)
    json_object_set_new (j, "stop_signal", json_integer (SIGTERM));
  cleanup_free char *created = pt_format_time_ns (spec->created_ns);
  json_object_set_new (j, "created", json_string (created));
  const struct pt_cgroup_limits *l = &spec->limits;
  json_object_set_new (j, "limits",
                       json_pack ("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:s}",
                                  "memory", (json_int_t)l->memory, "memory_swap",
                                  (json_int_t)l->memory_swap, "pids", (json_int_t)l->pids,
                                  "cpu_quota", (json_int_t)l->cpu_quota, "cpu_shares",
                                  (json_int_t)l->cpu_shares, "cpu_period",
                                  (json_int_t)l->cpu_period, "cpu_quota_us",
                                  (json_int_t)l->cpu_quota_us, "memory_low",
                                  (json_int_t)l->memory_low, "blkio_weight",
                                  (json_int_t)l->blkio_weight, "cpuset_cpus", l->cpuset_cpus,
                                  "cpuset_mems", l->cpuset_mems));
  json_object_set_new (j, "mounts", mounts_json (spec));
  json_object_set_new (j, "net", pt_net_to_json (&spec->net));
  cleanup_free char *text = json_dumps (j, JSON_INDENT (1));
  json_decref (j);
  if (text == NULL)
    return pt_make_error (err, 0, "cannot encode the configuration of container %s", spec->id);
  cleanup_free char *path = pt_store_path (s, "containers/%s/config.json", spec->id);
  return pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, 0, err);
}

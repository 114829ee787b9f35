/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Signals, waiting, stopping, inspecting and renaming containers: always
   from the state checked against /proc, so a dead monitor or a reused pid
   never makes podtool hang or signal a stranger. */
#include <config.h>
#include "jsonutil.h"
#include "caps.h"
#include "container.h"
#include "lifecycle.h"
#include "events.h"
#include "health.h"
#include "linux.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>


/* Podman's words for --pid, --ipc, --uts: host, container:ID (a pod's), private. */
static const char *
ns_mode_word (const char *mode)
{
  return pt_ns_mode_host (mode) ? "host" : pt_ns_mode_joined (mode) ? mode : "private";
}
static int signal_container (struct pt_store *s, const char *id, int sig, pt_error_t *err);

int
pt_ctr_kill (struct pt_store *s, const char *id, int sig, pt_error_t *err)
{
  if (signal_container (s, id, sig, err) < 0)
    return -1;
  pt_event_container (s, "kill", id, json_pack ("{s:i}", "signal", sig));
  return 0;
}

static int
signal_container (struct pt_store *s, const char *id, int sig, pt_error_t *err)
{
  struct pt_ctr_state st;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (!pt_ctr_alive (&st))
    return pt_make_error (err, 0,
                          "can only kill running containers. %s is in state %s: container state "
                          "improper",
                          id, pt_ctr_status_name (st.status));
  /* pidfd_send_signal cannot hit a pid reused since we looked it up. */
  int fd = syscall (SYS_pidfd_open, st.pid, 0);
  if (fd < 0 || pt_pid_start_time (st.pid) == 0)
    {
      if (fd >= 0)
        close (fd);
      return 0; /* gone meanwhile */
    }
  int r = syscall (SYS_pidfd_send_signal, fd, sig, NULL, 0);
  int e = errno;
  close (fd);
  if (r < 0 && e != ESRCH)
    return pt_make_error (err, e, "send signal %d to container %s", sig, id);
  return 0;
}

int
pt_ctr_wait (struct pt_store *s, const char *id, int timeout_ms, int *exit_code, bool *running,
             pt_error_t *err)
{
  struct pt_ctr_state st;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  *running = false;
  if (pt_ctr_alive (&st) && !pt_pid_wait (st.pid, timeout_ms))
    {
      *running = true;
      return 0;
    }
  /* The monitor writes the exit record just after the container ends: give
     it the time to, unless it is dead itself (the container may have ended
     before we first looked, its record not yet written). */
  if (st.exit_code < 0 && st.monitor_pid)
    pt_pid_wait (st.monitor_pid, 10000);
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  *exit_code = st.exit_code;
  return 0;
}

int
pt_ctr_stop (struct pt_store *s, const char *id, int timeout, pt_error_t *err)
{
  /* Kept for the event: its name and image, read once. */
  __attribute__ ((cleanup (pt_ctr_spec_free))) struct pt_ctr_spec spec;
  struct pt_ctr_state st;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int sig = spec.stop_signal > 0 ? spec.stop_signal : SIGTERM;
  if (timeout < 0)
    timeout = spec.stop_timeout;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (st.status == PT_CTR_PAUSED)
    return pt_make_error (err, 0,
                          "can only stop created or running containers. %s is in state paused: "
                          "container state improper",
                          id);
  /* Marked first: a --restart policy must not start it again. */
  if (st.monitor_pid)
    pt_ctr_request_stop (s, id);
  if (st.status != PT_CTR_RUNNING)
    {
      /* Between two runs of a --restart policy: its monitor ends now. */
      if (st.monitor_pid && !pt_pid_wait (st.monitor_pid, 5000))
        return pt_make_error (err, 0, "the monitor of container %s did not end", id);
      return pt_ctr_state (s, id, &st, err) < 0 || st.status != PT_CTR_RUNNING
                 ? 0
                 : pt_ctr_stop (s, id, timeout, err);
    }
  int code;
  bool running;
  if (signal_container (s, id, sig, err) < 0
      || pt_ctr_wait (s, id, timeout * 1000, &code, &running, err) < 0)
    return -1;
  if (running
      && (signal_container (s, id, SIGKILL, err) < 0
          || pt_ctr_wait (s, id, -1, &code, &running, err) < 0))
    return -1;
  pt_event (s, "container", "stop", id, spec.name, spec.image, NULL);
  return 0;
}

static char *
time_or_zero (int64_t ns)
{
  return ns ? pt_format_time_ns (ns) : xstrdup ("0001-01-01T00:00:00Z");
}

/* Podman's State.CgroupPath (relative to the cgroup mount) and the
   HostConfig limits. */
static void
add_cgroup_fields (json_t *j, const struct pt_ctr_spec *spec, const struct pt_ctr_state *st)
{
  const char *rel
      = st->cgroup
        + (pt_str_has_prefix (st->cgroup, PT_CGROUP_MOUNT) ? strlen (PT_CGROUP_MOUNT) : 0);
  json_object_set_new (json_object_get (j, "State"), "CgroupPath", json_string (rel));
  const struct pt_cgroup_limits *l = &spec->limits;
  json_t *hc = json_object_get (j, "HostConfig");
  int64_t swap = l->memory_swap ? l->memory_swap : l->memory ? 2 * l->memory : 0;
  json_object_set_new (hc, "Memory", json_integer (l->memory));
  json_object_set_new (hc, "MemorySwap", json_integer (swap));
  /* 2048 is applied by default only where the container has a cgroup. */
  int64_t pids = l->pids < 0 ? 0 : l->pids ? l->pids : st->cgroup[0] ? 2048 : 0;
  json_object_set_new (hc, "PidsLimit", json_integer (pids));
  json_object_set_new (hc, "NanoCpus", json_integer (l->cpu_quota * 10000));
  json_object_set_new (hc, "CpuShares", json_integer (l->cpu_shares));
  json_object_set_new (hc, "CpuPeriod", json_integer (l->cpu_period));
  json_object_set_new (hc, "CpuQuota", json_integer (l->cpu_quota_us));
  json_object_set_new (hc, "MemoryReservation", json_integer (l->memory_low));
  json_object_set_new (hc, "BlkioWeight", json_integer (l->blkio_weight));
  json_object_set_new (hc, "CpusetCpus", json_string (l->cpuset_cpus));
  json_object_set_new (hc, "CpusetMems", json_string (l->cpuset_mems));
  json_object_set_new (hc, "CgroupParent", json_string (spec->cgroup_parent ?: ""));
  json_object_set_new (hc, "Cgroups",
                       json_string (spec->cgroups_disabled ? "disabled" : "default"));
}

/* Mounts as Podman shows them: binds in Mounts, tmpfs in HostConfig.Tmpfs. */
static void
add_mounts (json_t *j, const struct pt_ctr_spec *spec)
{
  json_t *mounts = json_array (), *tmpfs = json_object ();
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct pt_mount *m = &spec->mounts[i];
      if (strcmp (m->type, "tmpfs") == 0)
        {
          cleanup_free char *opts = xasprintf ("%s%s%s", m->readonly ? "ro" : "rw",
                                               m->data && *m->data ? "," : "", m->data ?: "");
          json_t *k = pt_json_text (m->destination);
          json_object_set_new (tmpfs, json_string_value (k), pt_json_text (opts));
          json_decref (k);
          continue;
        }
      bool vol = strcmp (m->type, "volume") == 0;
      json_t *o = json_pack ("{s:s, s:o, s:o, s:s, s:s, s:[s], s:b, s:s}", "Type",
                             vol ? "volume" : "bind", "Source", pt_json_text (m->source),
                             "Destination", pt_json_text (m->destination), "Driver",
                             vol ? "local" : "", "Mode", "", "Options",
                             vol && m->nocopy ? "nocopy" : "rbind", "RW", !m->readonly,
                             "Propagation", vol ? "" : "rprivate");
      json_object_set_new (o, "Name", pt_json_text (vol ? m->volume : ""));
      json_array_append_new (mounts, o);
    }
  json_object_set_new (j, "Mounts", mounts);
  json_object_set_new (json_object_get (j, "HostConfig"), "Tmpfs", tmpfs);
}

/* HostConfig.CapAdd/CapDrop/ReadonlyRootfs, and EffectiveCaps (for root in
   the container), as Podman shows them. */
static void
add_security_fields (json_t *j, const struct pt_ctr_spec *spec)
{
  json_t *hc = json_object_get (j, "HostConfig");
  json_object_set_new (hc, "CapAdd", pt_strv_json (spec->cap_add));
  json_object_set_new (hc, "CapDrop", pt_strv_json (spec->cap_drop));
  json_object_set_new (hc, "ReadonlyRootfs", json_boolean (spec->read_only));
  json_object_set_new (hc, "Init", json_boolean (spec->init));
  json_object_set_new (hc, "Privileged", json_boolean (spec->privileged));
  json_object_set_new (hc, "SecurityOpt", pt_strv_json (spec->security_opts));
  uint64_t mask = 0;
  pt_error_t tmp = NULL;
  static char all_name[] = "ALL";
  char *all[] = { all_name, NULL };
  if (pt_caps_mask (spec->privileged ? all : spec->cap_add, spec->cap_drop, &mask, &tmp) < 0)
    pt_error_release (&tmp);
  cleanup_strv char **names = pt_caps_names (mask);
  json_object_set_new (j, "EffectiveCaps", pt_strv_json (names));
}

json_t *
pt_ctr_inspect (struct pt_store *s, const char *id, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  struct pt_ctr_state st;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return NULL;
  if (pt_ctr_state (s, id, &st, err) < 0)
    {
      pt_ctr_spec_free (&spec);
      return NULL;
    }
  cleanup_free char *created = pt_format_time_ns (spec.created_ns);
  cleanup_free char *started = time_or_zero (st.started_ns);
  cleanup_free char *finished = time_or_zero (st.finished_ns);
  cleanup_free char *log = pt_store_path (s, "containers/%s/ctr.log", id);
  cleanup_free char *upper = xasprintf ("%s/upper", spec.dir);
  cleanup_free char *lowers = pt_strv_join (spec.layers, ":");
  const char *status = pt_ctr_status_name (st.status);
  json_t *args = json_array ();
  for (size_t i = 1; spec.argv[i]; i++)
    json_array_append_new (args, pt_json_text (spec.argv[i]));
  json_t *j = json_pack (
      "{s:s, s:s, s:o, s:o, s:o, "
      "s:{s:s, s:b, s:b, s:b, s:b, s:b, s:i, s:i, s:i, s:s, s:s, s:s, s:b},"
      " s:s, s:s, s:s, s:i, s:s,"
      " s:{s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:i},"
      " s:[], s:{s:s, s:{s:s, s:s}}, s:{}, s:{s:s, s:b}}",
      "Id", spec.id, "Created", created, "Path", pt_json_text (spec.argv[0] ? spec.argv[0] : ""),
      "Name", pt_json_text (spec.name), "Args", args, "State", "Status", status, "Running",
      pt_ctr_alive (&st), "Paused", st.status == PT_CTR_PAUSED, "Restarting", 0, "OOMKilled",
      st.oom_killed, "Dead", 0, "Pid", (int)st.pid, "ConmonPid",
      pt_ctr_alive (&st) ? (int)st.monitor_pid : 0, "ExitCode", st.exit_code < 0 ? 0 : st.exit_code,
      "Error",
      st.status == PT_CTR_EXITED && st.exit_code < 0
          ? "exit code unknown: the container's monitor died before recording it"
          : "",
      "StartedAt", started, "FinishedAt", finished, "ExitCodeKnown", st.exit_code >= 0, "Image",
      spec.image_id, "ImageName", spec.image, "LogPath", log, "RestartCount", st.restarts, "Driver",
      spec.storage && *spec.storage ? spec.storage : "overlay", "Config", "Hostname",
      pt_json_text (spec.hostname), "User", pt_json_text (spec.user), "Env",
      pt_strv_json_text (spec.env), "Cmd", pt_strv_json_text (spec.argv), "WorkingDir",
      pt_json_text (spec.cwd), "Image", spec.image, "StopSignal",
      sigabbrev_np (spec.stop_signal) ?: "TERM", "StopTimeout", spec.stop_timeout, "Mounts",
      "GraphDriver", "Name", "overlay", "Data", "LowerDir", lowers, "UpperDir", upper,
      "NetworkSettings", "HostConfig", "NetworkMode", spec.network, "AutoRemove", spec.rm);
  if (j)
    {
      json_object_set_new (json_object_get (j, "NetworkSettings"), "Ports",
                           pt_net_ports_json (&spec.net));
      json_object_set_new (json_object_get (j, "HostConfig"), "PortBindings",
                           pt_net_ports_json (&spec.net));
    }
  if (j)
    {
      add_cgroup_fields (j, &spec, &st);
      add_mounts (j, &spec);
      add_security_fields (j, &spec);
      json_t *hcfg = json_object_get (j, "HostConfig");
      json_object_set_new (hcfg, "PidMode", json_string (ns_mode_word (spec.pid_mode)));
      json_object_set_new (hcfg, "IpcMode", json_string (ns_mode_word (spec.ipc_mode)));
      json_object_set_new (hcfg, "UTSMode", json_string (ns_mode_word (spec.uts_mode)));
      json_object_set_new (j, "Pod", json_string (spec.pod ? spec.pod : ""));
      json_object_set_new (j, "IsInfra", json_boolean (spec.infra));
      json_object_set_new (hcfg, "UsernsMode", json_string (spec.userns ? spec.userns : ""));
      /* Podman's Config.StopSignal is the number (the image's is a name). */
      json_object_set_new (json_object_get (j, "Config"), "StopSignal",
                           json_integer (spec.stop_signal > 0 ? spec.stop_signal : SIGTERM));
      json_t *health = pt_ctr_alive (&st) ? pt_health_state (s, &spec) : NULL;
      if (health == NULL && pt_health_defined (&spec))
        health = json_pack ("{s:s, s:i, s:[]}", "Status", "", "FailingStreak", 0, "Log");
      if (health)
        {
          json_object_set (json_object_get (j, "State"), "Health", health);
          json_object_set_new (json_object_get (j, "State"), "Healthcheck", health);
        }
      json_t *hc = pt_health_config_json (&spec);
      if (hc)
        json_object_set_new (json_object_get (j, "Config"), "Healthcheck", hc);
      json_object_set_new (json_object_get (j, "Config"), "Labels", pt_ctr_labels_json (&spec));
      /* --annotation KEY=VALUE, as Config.Annotations (an object) shows them. */
      json_object_set_new (json_object_get (j, "Config"), "Annotations",
                           pt_kv_json (spec.annotations));
      json_object_set_new (json_object_get (j, "HostConfig"), "RestartPolicy",
                           json_pack ("{s:s, s:i}", "Name",
                                      spec.restart_policy ? spec.restart_policy : "",
                                      "MaximumRetryCount", spec.restart_max));
    }
  pt_ctr_spec_free (&spec);
  if (j == NULL)
    pt_make_error (err, 0, "build the inspect data of `%s`", id);
  return j;
}

int
pt_ctr_pause (struct pt_store *s, const char *id, bool pause, pt_error_t *err)
{
  struct pt_ctr_state st;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (st.status != (pause ? PT_CTR_RUNNING : PT_CTR_PAUSED))
    return pt_make_error (err, 0, "\"%s\" is not %s, can't %s: container state improper", id,
                          pause ? "running" : "paused", pause ? "pause" : "unpause");
  if (st.cgroup[0] == '\0')
    {
      cleanup_free char *why = pt_cgroup_why_none ();
      return pt_make_error (err, 0,
                            "%s: pausing needs the container in a cgroup of its own, and it has "
                            "none: %s",
                            id, why);
    }
  if (pt_cgroup_freeze (st.cgroup, pause, err) < 0)
    return -1;
  pt_event_container (s, pause ? "pause" : "unpause", id, NULL);
  return 0;
}

int
pt_ctr_rename (struct pt_store *s, const char *id, const char *name, pt_error_t *err)
{
  if (pt_ctr_check_name (name, err) < 0 || pt_store_lock (s, err) < 0)
    return -1;
  cleanup_free char *other = NULL;
  pt_error_t tmp = NULL;
  int r = 0;
  if (pt_ctr_resolve (s, name, &other, &tmp) == 0 && strcmp (other, id) != 0)
    r = pt_make_error (err, 0, "the container name \"%s\" is already in use by %.12s", name, other);
  pt_error_release (&tmp);
  struct pt_ctr_spec spec;
  if (r == 0 && (r = pt_ctr_spec_read (s, id, &spec, err)) == 0)
    {
      free (spec.name);
      spec.name = xstrdup (name);
      r = pt_ctr_spec_write (s, &spec, err);
      pt_ctr_spec_free (&spec);
    }
  pt_store_unlock (s);
  if (r == 0)
    pt_event_container (s, "rename", id, NULL);
  return r;
}

int
pt_ctr_update (struct pt_store *s, const char *id, const struct pt_cgroup_limits *l,
               pt_error_t *err)
{
  int lock = pt_store_lock_container (s, id, err);
  if (lock < 0)
    return -1;
  struct pt_ctr_spec spec;
  struct pt_ctr_state st;
  int r = pt_ctr_spec_read (s, id, &spec, err);
  if (r == 0 && (r = pt_ctr_state (s, id, &st, err)) == 0)
    {
      if (pt_ctr_alive (&st) && st.cgroup[0] == '\0')
        r = pt_make_error (err, 0,
                           "container %s runs without a cgroup of its own: its limits cannot "
                           "change while it runs",
                           id);
      else if (pt_ctr_alive (&st))
        r = pt_cgroup_update (st.cgroup, l, err);
      else
        {
          /* As create checks them: they must have somewhere to go. */
          char *parent = NULL;
          r = pt_cgroup_choose_parent (spec.cgroups_disabled, spec.cgroup_parent, l, &parent, err);
          free (parent);
        }
      if (r == 0)
        {
          spec.limits = *l;
          r = pt_ctr_spec_write (s, &spec, err);
        }
    }
  pt_ctr_spec_free (&spec);
  pt_store_unlock_container (lock);
  return r;
}

int
pt_ctr_init (struct pt_store *s, const char *id, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  struct pt_ctr_state st;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0 || pt_ctr_state (s, id, &st, err) < 0)
    {
      pt_ctr_spec_free (&spec);
      return -1;
    }
  int r = 0;
  if (pt_ctr_alive (&st))
    r = pt_make_error (err, 0,
                       "container %s has already been created in runtime: container state "
                       "improper",
                       id);
  for (size_t i = 0; r == 0 && spec.layers && spec.layers[i]; i++)
    if (access (spec.layers[i], F_OK) < 0)
      r = pt_make_error (err, errno, "container %s: its image layer `%s` is missing", id,
                         spec.layers[i]);
  pt_ctr_spec_free (&spec);
  cleanup_free char *dir = pt_store_runpath (s, "containers/%s", id);
  cleanup_free char *init = pt_store_runpath (s, "containers/%s/initialized", id);
  if (r == 0 && (pt_mkdir_p (dir, 0700, err) < 0
                 || pt_write_file_atomic (AT_FDCWD, init, "", 0, 0600, 0, err) < 0))
    r = -1;
  return r;
}

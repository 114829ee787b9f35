/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CONTAINER_H
#define PT_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <limits.h>
#include "cgroup.h"
#include "error.h"
#include "mounts.h"
#include "net.h"
#include "store.h"
#include "userns.h"

/* Everything a container needs, written once by `create` to
   containers/<id>/config.json and read by the monitor (spec.c: one field
   table reads, writes and frees it). */
struct pt_ctr_spec
{
  char *id, *name;
  char *image, *image_id;
  char **argv, **env;
  char **labels;           /* "KEY=VALUE": the image's, then --label's */
  struct pt_mount *mounts; /* -v, --mount, --tmpfs, in order */
  size_t n_mounts;
  char *cwd;
  bool cwd_explicit; /* -w: must exist; the image's WorkingDir is created */
  char *user;        /* "", "name", "uid", "name:group", "uid:gid" */
  char *hostname;
  char *network;     /* Podman's NetworkMode word, from net */
  struct pt_net net; /* --network, -p, --dns... */
  char **layers;     /* absolute lower dirs, bottom first */
  char *dir;         /* containers/<id> */
  char *storage;     /* "overlay" (falls back to "vfs" where the kernel refuses) or "vfs" */
  bool rm;
  bool interactive;           /* -i: stdin is kept open */
  bool tty;                   /* -t: a pseudo-terminal */
  int stop_signal;            /* --stop-signal, or the image's StopSignal, SIGTERM without one */
  int stop_timeout;           /* --stop-timeout: seconds stop waits before SIGKILL (10) */
  char **cap_add, **cap_drop; /* "CAP_X" or "ALL", over Podman's default set */
  bool read_only;             /* --read-only: the root is read-only, /tmp /var/tmp /run tmpfs */
  bool read_only_no_tmpfs;    /* --read-only-tmpfs=false: and no tmpfs on them */
  bool init;                  /* --init: /run/podtool-init is PID 1 and runs the command */
  char *pod;                  /* the pod's id (pod.h), or NULL */
  bool infra;                 /* a pod's infra: podtool-init --pause is all it runs */
  int64_t log_max;            /* --log-opt max-size in bytes, 0: unbounded */
  int64_t created_ns;
  struct pt_cgroup_limits limits; /* --memory, --pids-limit, --cpus, ... */
  char *cgroup_parent;            /* --cgroup-parent, "" for podtool's own place */
  bool cgroups_disabled;          /* --cgroups=disabled */
  char *cgroup;                   /* the monitor's, not stored: the cgroup it made, or NULL */
  char **annotations;             /* --annotation KEY=VALUE */
  char *umask;                    /* --umask, octal, "" for 0022 */
  char **ulimits;                 /* --ulimit NAME=SOFT[:HARD] */
  char **sysctls;                 /* --sysctl KEY=VALUE, namespaced ones */
  char *oom_score_adj;            /* --oom-score-adj, "" for none */
  int64_t shm_size;               /* --shm-size in bytes, 0: 64m */
  int timeout;                    /* --timeout seconds, 0: none */
  char *restart_policy;           /* --restart: "", no, on-failure, always, unless-stopped */
  int restart_max;                /* on-failure:N, 0: no bound */
  char *pidfile, *conmon_pidfile; /* --pidfile, --conmon-pidfile: "" for none */
  char **requires;                /* --requires: ids of containers started before it */
  char **health_test;             /* the healthcheck (health.h), NULL: none */
  int64_t health_interval, health_timeout, health_start_period; /* ns, 0: default */
  int health_retries;                                            /* 0: default */
  bool systemd;   /* --systemd: its cgroup is writable (cmd-run-systemd.c) */
  char *sdnotify; /* --sdnotify: container, conmon or ignore */
  /* --pid, --ipc, --uts: "" (private), "host", or "container:ID" (a pod's
     infra's, joined with its network) */
  char *pid_mode, *ipc_mode, *uts_mode;
  bool privileged;          /* every capability, no seccomp, nothing masked */
  bool no_new_privs;        /* --security-opt no-new-privileges */
  bool seccomp_unconfined;  /* --security-opt seccomp=unconfined */
  char *seccomp_profile;    /* --security-opt seccomp=FILE: its JSON text, or NULL */
  char **masks, **unmasks;  /* --security-opt mask=, unmask= (ALL: every one) */
  char **security_opts;     /* as given, for inspect */
  char **group_add;         /* --group-add: GIDs, names of the image's groups, keep-groups */
  char *userns;             /* --userns: "" (the user's mapping), keep-id[:...], nomap */
  char *passwd_entry, *group_entry; /* lines added to the root's /etc/passwd, /etc/group */
  char **host_users;                /* --hostuser: the host's passwd lines, added too */
  bool no_passwd;                   /* --passwd=false: none added */
  /* Not stored: --preserve-fds N of this start (run, exec): fds from
     preserve_fds_from on become the command's 3..N+2. */
  int preserve_fds, preserve_fds_from;
};

enum pt_ctr_status
{
  PT_CTR_CREATED,
  PT_CTR_RUNNING,
  PT_CTR_PAUSED, /* running, its cgroup frozen */
  PT_CTR_EXITED,
  PT_CTR_INITIALIZED, /* created, and podtool init checked it can start */
};

struct pt_ctr_state
{
  enum pt_ctr_status status;
  pid_t pid, monitor_pid;
  int exit_code; /* -1: unknown (the monitor died before it could record it) */
  int64_t started_ns, finished_ns;
  bool oom_killed;
  int restarts;          /* by the --restart policy, in this monitor's life */
  char cgroup[PATH_MAX]; /* its own cgroup while it runs, "" without one */
};

/* Running or paused: its processes exist. */
static inline bool
pt_ctr_alive (const struct pt_ctr_state *st)
{
  return st->status == PT_CTR_RUNNING || st->status == PT_CTR_PAUSED;
}

/* The labels as a JSON object, as inspect and ps show them. */
struct json_t *pt_ctr_labels_json (const struct pt_ctr_spec *spec);
/* "created", "running", "paused", "exited", as Podman names the states. */
const char *pt_ctr_status_name (enum pt_ctr_status status);
void pt_ctr_spec_free (struct pt_ctr_spec *spec);
int pt_ctr_spec_read (struct pt_store *s, const char *id, struct pt_ctr_spec *spec,
                      pt_error_t *err);
int pt_ctr_spec_write (struct pt_store *s, struct pt_ctr_spec *spec, pt_error_t *err);
/* Creates containers/<id>/ with its config, upper, work, merged and /etc files. */
/* m: the user's ids, for --userns auto's slice (NULL without subordinate ids). */
int pt_ctr_create (struct pt_store *s, const struct pt_idmap *m, struct pt_ctr_spec *spec,
                   pt_error_t *err);
/* Removes what a killed create left: container directories without a
   config.json, which no verb lists. */
int pt_ctr_sweep_incomplete (struct pt_store *s, pt_error_t *err);
/* Podman's rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
int pt_ctr_check_name (const char *name, pt_error_t *err);
/* Full id of the container `ref` names: id, name or unique id prefix. */
int pt_ctr_resolve (struct pt_store *s, const char *ref, char **id, pt_error_t *err);
/* All container ids, oldest first. */
int pt_ctr_list (struct pt_store *s, char ***ids, pt_error_t *err);
/* The truth about a container, checked against /proc (pid + start time + boot id). */
int pt_ctr_state (struct pt_store *s, const char *id, struct pt_ctr_state *st, pt_error_t *err);
/* Written by the monitor. */
int pt_ctr_write_running (struct pt_store *s, const char *id, pid_t pid, pid_t monitor,
                          const char *cgroup, int restarts, pt_error_t *err);
/* stop and rm mark a container before they signal it, so its monitor does
   not start it again under a --restart policy; the monitor clears it. */
void pt_ctr_request_stop (struct pt_store *s, const char *id);
bool pt_ctr_stop_requested (struct pt_store *s, const char *id);
void pt_ctr_clear_stop_request (struct pt_store *s, const char *id);
int pt_ctr_write_exit (struct pt_store *s, const char *id, int exit_code, bool oom_killed,
                       pt_error_t *err);
/* Removes a container that is not running (or, with force, kills it first).
   m may be NULL: the mapping is loaded only if files of subordinate owners
   need a user namespace to go. */
/* As pt_ctr_remove, and with volumes its anonymous volumes (rm -v). */
int pt_ctr_remove_v (struct pt_store *s, const struct pt_idmap *m, const char *id, bool force,
                     bool volumes, pt_error_t *err);
int pt_ctr_remove (struct pt_store *s, const struct pt_idmap *m, const char *id, bool force,
                   pt_error_t *err);
/* What the monitor does after an exit, for one whose monitor died: removes
   the cgroup left behind and, for a --rm container (or with rm), the
   container. */
int pt_ctr_cleanup (struct pt_store *s, const char *id, bool rm, pt_error_t *err);
char *pt_ctr_generate_name (void);
/* Before a start: clears the last run's exit record unless it is running. */
int pt_ctr_prepare_start (struct pt_store *s, const char *id, bool *running, pt_error_t *err);

#endif

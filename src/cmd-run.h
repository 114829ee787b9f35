/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_RUN_H
#define PT_CMD_RUN_H

#include "cmd.h"

/* The flags run and create share (cmd-run-flags.c), and their ids. */
enum
{
  OPT_RM = 256,
  OPT_ENV_FILE,
  OPT_HOSTNAME,
  OPT_ENTRYPOINT,
  OPT_NAME,
  OPT_LOG_OPT,
  OPT_MEMORY_SWAP,
  OPT_PIDS_LIMIT,
  OPT_CPUS,
  OPT_CPU_PERIOD,
  OPT_CPU_QUOTA,
  OPT_CPUSET_CPUS,
  OPT_CPUSET_MEMS,
  OPT_MEMORY_RESERVATION,
  OPT_BLKIO_WEIGHT,
  OPT_CGROUP_PARENT,
  OPT_CGROUPS,
  OPT_LABEL,
  OPT_MOUNT,
  OPT_TMPFS,
  OPT_CAP_ADD,
  OPT_CAP_DROP,
  OPT_READ_ONLY,
  OPT_STOP_SIGNAL,
  OPT_STOP_TIMEOUT,
  OPT_INIT,
  OPT_CIDFILE,
  OPT_REPLACE,
  OPT_PULL,
  OPT_TZ,
  OPT_LOG_DRIVER,
  OPT_ENV_HOST,
  OPT_UNSETENV,
  OPT_UNSETENV_ALL,
  OPT_LABEL_FILE,
  OPT_RESTART,
  OPT_ANNOTATION,
  OPT_UMASK,
  OPT_ULIMIT,
  OPT_SYSCTL,
  OPT_OOM_SCORE_ADJ,
  OPT_SHM_SIZE,
  OPT_TIMEOUT,
  OPT_PIDFILE,
  OPT_CONMON_PIDFILE,
  OPT_READ_ONLY_TMPFS,
  OPT_RMI,
  OPT_REQUIRES,
  OPT_HEALTH_CMD,
  OPT_HEALTH_INTERVAL,
  OPT_HEALTH_RETRIES,
  OPT_HEALTH_START_PERIOD,
  OPT_HEALTH_TIMEOUT,
  OPT_NO_HEALTHCHECK,
  OPT_SYSTEMD,
  OPT_SDNOTIFY,
  OPT_PID,
  OPT_IPC,
  OPT_UTS,
  OPT_VOLUMES_FROM,
  OPT_PRIVILEGED,
  OPT_SECURITY_OPT,
  OPT_GROUP_ADD,
  OPT_DEVICE,
  OPT_USERNS,
  OPT_UIDMAP,
  OPT_PASSWD_ENTRY,
  OPT_HOSTUSER,
  OPT_PASSWD,
  OPT_SUBIDNAME,
  OPT_GIDMAP,
  OPT_PRESERVE_FDS,
  OPT_TLS_VERIFY,
  OPT_AUTHFILE,
  OPT_CERT_DIR,
  OPT_CREDS,
  OPT_ARCH,
  OPT_OS,
  OPT_VARIANT,
  OPT_PLATFORM,
  OPT_POD,
  OPT_IGNORED, /* the ones with no effect, and the refused: never returned */
};

/* The limit flags run, create and update share. */
#define PT_LIMIT_FLAG_BLKIO_WEIGHT { OPT_BLKIO_WEIGHT, "blkio-weight", 0, "WEIGHT", "Block IO weight, 10 to 1000 (io.weight)" }
#define PT_LIMIT_FLAG_CPU_PERIOD { OPT_CPU_PERIOD, "cpu-period", 0, "US", "CPU CFS period in microseconds (1000 to 1000000)" }
#define PT_LIMIT_FLAG_CPU_QUOTA { OPT_CPU_QUOTA, "cpu-quota", 0, "US", "CPU time a period in microseconds (1000 and up)" }
#define PT_LIMIT_FLAG_CPU_SHARES { 'c', "cpu-shares", 'c', "N", "CPU weight, 2 to 262144" }
#define PT_LIMIT_FLAG_CPUS { OPT_CPUS, "cpus", 0, "N", "Number of CPUs (0.01 and up)" }
#define PT_LIMIT_FLAG_CPUSET_CPUS { OPT_CPUSET_CPUS, "cpuset-cpus", 0, "CPUS", "CPUs to run on (0-3,5)" }
#define PT_LIMIT_FLAG_CPUSET_MEMS { OPT_CPUSET_MEMS, "cpuset-mems", 0, "NODES", "Memory nodes to use (0-1)" }
#define PT_LIMIT_FLAG_MEMORY { 'm', "memory", 'm', "SIZE", "Memory limit (e.g. 512m)" }
#define PT_LIMIT_FLAG_MEMORY_RESERVATION { OPT_MEMORY_RESERVATION, "memory-reservation", 0, "SIZE", "Memory soft limit (memory.low)" }
#define PT_LIMIT_FLAG_MEMORY_SWAP { OPT_MEMORY_SWAP, "memory-swap", 0, "SIZE", "Memory plus swap limit, -1 for unlimited swap" }

extern const struct pt_flag pt_cli_create_flags[];

/* The process options (cmd-run-process.c) into spec: 0 taken, 1 not one
   of them, -1 an error. */
struct pt_ctr_spec;
int pt_cli_process_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err);
/* The cgroup options (limits, --cgroup-parent, --cgroups) into spec: 0
   taken, 1 not one of them, -1 an error; then what only holds together. */
int pt_cli_cgroup_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err);
int pt_cli_check_cgroup_options (const struct pt_ctr_spec *spec, pt_error_t *err);
/* --health-* and --no-healthcheck into h: 0 taken, 1 not one of them, -1
   an error (cmd-run-health.c). */
struct pt_health_opts;
int pt_cli_health_option (int c, const char *arg, struct pt_health_opts *h, pt_error_t *err);
void pt_cli_health_free (struct pt_health_opts *h);
/* --systemd true|false|always, then applied to the built spec: tmpfs on
   /run, /run/lock, /tmp, /var/log/journal, SIGRTMIN+3
   (unless --stop-signal), its cgroup writable (cmd-run-systemd.c). */
enum
{
  PT_SYSTEMD_TRUE,
  PT_SYSTEMD_FALSE,
  PT_SYSTEMD_ALWAYS,
};
int pt_cli_systemd_parse (const char *arg, int *mode, pt_error_t *err);
int pt_cli_systemd_apply (int mode, bool stop_signal_given, struct pt_ctr_spec *spec,
                          pt_error_t *err);
/* --sdnotify (cmd-sdnotify.c): the mode; at create, container's socket
   bound in; once started, conmon's READY=1. Only with NOTIFY_SOCKET set. */
int pt_cli_sdnotify_parse (const char *arg, char **mode, pt_error_t *err);
int pt_cli_sdnotify_create (struct pt_ctr_spec *spec, pt_error_t *err);
void pt_cli_sdnotify_started (struct pt_store *s, const struct pt_ctr_spec *spec);
/* --volumes-from: the named containers' volume and bind mounts into spec. */
int pt_cli_volumes_from (struct pt_store *s, char **refs, struct pt_ctr_spec *spec, pt_error_t *err);
/* --privileged, --security-opt into spec: 0 taken, 1 not one of them, -1
   an error (cmd-run-security.c). */
int pt_cli_security_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err);
/* --userns (parsed by pt_cli_security_option): checked against the user's
   ids, the root made a chowned copy, and for keep-id the user and its
   passwd/group entries. */
int pt_cli_userns_apply (struct pt_global *g, struct pt_ctr_spec *spec, bool user_given,
                         pt_error_t *err);
/* --pull and the registry flags (cmd-run-pull.c): 0 taken, 1 not one of
   them, -1 an error; then the image pulled as the policy says. */
#include "lib/pull.h"
struct pt_cli_pull
{
  const char *policy;
  bool quiet;
  struct pt_pull_opts o;
  char *platform;
};
void pt_cli_pull_init (struct pt_cli_pull *p);
void pt_cli_pull_free (struct pt_cli_pull *p);
int pt_cli_pull_option (int c, const char *arg, struct pt_cli_pull *p, pt_error_t *err);
/* *resolved: the name the image was pulled (or found) under when that is
   not ref (a short name's registry), else NULL. */
int pt_cli_pull_for_run (struct pt_global *g, struct pt_cli_pull *p, const char *ref,
                         char **resolved, pt_error_t *err);
/* --requires names into container ids, each of which must exist. */
int pt_cli_resolve_requires (struct pt_store *s, char **names, pt_error_t *err);

/* --pod NAME|new:NAME (cmd-run-pod.c): the pod, made first with new:;
   the container joins its infra's network, IPC and UTS namespaces, so
   its own --network, -p and --hostname are refused. infra_of: set while
   `pod create` makes the pod's infra through this same path. */
struct pt_cli_pod
{
  const char *ref;
  char *id, *hostname;
  char *infra_of;
};
extern struct pt_cli_pod pt_cli_pod_infra;
int pt_cli_pod_apply (struct pt_global *g, struct pt_cli_pod *p, struct pt_cli_net *net,
                      struct pt_ctr_spec *options, const char **hostname, pt_error_t *err);
/* The spec once built: its pod, and an infra's own marks. */
void pt_cli_pod_spec (struct pt_cli_pod *p, struct pt_ctr_spec *spec);

#endif

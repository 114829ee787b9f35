/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LIFECYCLE_H
#define PT_LIFECYCLE_H

#include "container.h"

/* What podtool does to a container that exists (lifecycle.c): signal,
   stop, wait for, pause, rename and inspect it. */

/* Signals to a running container; an error if it is not running. */
int pt_ctr_kill (struct pt_store *s, const char *id, int sig, pt_error_t *err);
/* Waits until the container is not running (timeout_ms < 0: for ever) and
   gives its exit code: -1 if nobody could record it (the monitor died).
   *running says whether it still runs after the timeout. */
int pt_ctr_wait (struct pt_store *s, const char *id, int timeout_ms, int *exit_code, bool *running,
                 pt_error_t *err);
/* The stop signal, then SIGKILL after timeout seconds (< 0: the container's
   --stop-timeout). */
int pt_ctr_stop (struct pt_store *s, const char *id, int timeout, pt_error_t *err);
/* The container as `podman inspect` shows it. */
struct json_t;
struct json_t *pt_ctr_inspect (struct pt_store *s, const char *id, pt_error_t *err);
int pt_ctr_rename (struct pt_store *s, const char *id, const char *name, pt_error_t *err);
/* pause / unpause: freezes or thaws the container's cgroup. */
int pt_ctr_pause (struct pt_store *s, const char *id, bool pause, pt_error_t *err);

/* podman init: a created (or exited) container whose image layers are all
   there is marked initialized (ps, inspect) until it starts; one that runs
   is an error. */
int pt_ctr_init (struct pt_store *s, const char *id, pt_error_t *err);

/* podman update: the container's stored limits become l, and where it runs
   in a cgroup of its own they are written there at once. A container that
   runs without one cannot take limits until it is started again: an error. */
int pt_ctr_update (struct pt_store *s, const char *id, const struct pt_cgroup_limits *l,
                   pt_error_t *err);

#endif

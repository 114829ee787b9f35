/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CGROUP_H
#define PT_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"

/* A container gets a cgroup of its own only inside a cgroup v2 subtree
   delegated to the user (systemd's Delegate=yes, or a session set up like
   that): podtool never asks anybody for one and never writes outside it. */

#define PT_CGROUP_MOUNT "/sys/fs/cgroup"

/* What `run --memory ...` asked for; 0 means "not set". */
struct pt_cgroup_limits
{
  int64_t memory;      /* memory.max, bytes */
  int64_t memory_swap; /* memory + swap, bytes, -1 unlimited (Podman's --memory-swap) */
  int64_t pids;        /* pids.max, -1 unlimited */
  int64_t cpu_quota;   /* cpu.max quota in µs per 100 ms period */
  int64_t cpu_shares;  /* Podman's --cpu-shares, turned into cpu.weight */
  int64_t cpu_period;  /* --cpu-period µs (cpu.max's second field), 0: 100000 */
  int64_t cpu_quota_us; /* --cpu-quota µs a period (over cpu_quota), 0: none */
  int64_t memory_low;  /* --memory-reservation: memory.low, bytes */
  int64_t blkio_weight; /* --blkio-weight 10-1000, turned into io.weight */
  char cpuset_cpus[128], cpuset_mems[128]; /* cpuset.cpus, cpuset.mems: "" none */
};

bool pt_cgroup_limits_set (const struct pt_cgroup_limits *l);

/* The directory under which containers get their cgroups: `requested`
   (--cgroup-parent, a cgroup path or one under /sys/fs/cgroup) or else
   `podtool` beside the cgroup we run in, at the top of the subtree delegated
   to us. NULL, with the reason in *why, where there is none. */
char *pt_cgroup_parent (const char *requested, char **why);

/* Why a container has no cgroup of its own: why none can be had here or,
   where one can, that it was started without one. */
char *pt_cgroup_why_none (void);

/* Where a container's cgroup goes: *parent is NULL when it gets none
   (--cgroups=disabled, or no delegation and no limits asked for); an error
   when limits were asked for and there is nowhere to apply them. */
int pt_cgroup_choose_parent (bool disabled, const char *requested, const struct pt_cgroup_limits *l,
                             char **parent, pt_error_t *err);

/* Creates parent/podtool-<id> (enabling the controllers the parents allow)
   and writes the limits. Returns its path. */
int pt_cgroup_create (const char *parent, const char *id, const struct pt_cgroup_limits *l,
                      char **path, pt_error_t *err);
/* Writes the limits into an existing cgroup (podman update). */
int pt_cgroup_update (const char *path, const struct pt_cgroup_limits *l, pt_error_t *err);
/* Moves the calling process into the cgroup. */
int pt_cgroup_enter (const char *path, pt_error_t *err);
/* Freezes or thaws every process in it, and waits until that is done. */
int pt_cgroup_freeze (const char *path, bool frozen, pt_error_t *err);
bool pt_cgroup_frozen (const char *path);
/* Did the kernel's OOM killer kill anything in it? */
bool pt_cgroup_oom_killed (const char *path);
/* What `podtool stats` shows of a cgroup. */
struct pt_cgroup_stats
{
  uint64_t cpu_usec;           /* cpu.stat usage_usec */
  uint64_t memory, memory_max; /* memory.current; memory.max, 0 for none */
  uint64_t pids;               /* pids.current */
  uint64_t io_read, io_write;  /* io.stat rbytes, wbytes summed over devices */
};
/* Fields whose controller is not enabled stay 0. */
int pt_cgroup_read_stats (const char *path, struct pt_cgroup_stats *st, pt_error_t *err);

/* Kills what is left in it and removes it; quiet when it is gone already. */
void pt_cgroup_destroy (const char *path);

#endif

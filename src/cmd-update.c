/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool update: change a container's cgroup limits, at once where it runs. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

#define NO_RT "podtool containers get no real-time scheduling (cgroup v2 has no cpu.rt_*)"
#define NO_DEVICE "not yet: per-device limits need the device's major:minor numbers"

static const struct pt_flag update_flags[] = {
  PT_LIMIT_FLAG_BLKIO_WEIGHT,
  { OPT_IGNORED, "blkio-weight-device", 0, "DEVICE:WEIGHT", "Block IO weight of a device",
    PT_FLAG_REFUSED, NO_DEVICE },
  PT_LIMIT_FLAG_CPU_PERIOD,
  PT_LIMIT_FLAG_CPU_QUOTA,
  { OPT_IGNORED, "cpu-rt-period", 0, "US", "Real-time period", PT_FLAG_REFUSED, NO_RT },
  { OPT_IGNORED, "cpu-rt-runtime", 0, "US", "Real-time runtime", PT_FLAG_REFUSED, NO_RT },
  PT_LIMIT_FLAG_CPU_SHARES,
  PT_LIMIT_FLAG_CPUS,
  PT_LIMIT_FLAG_CPUSET_CPUS,
  PT_LIMIT_FLAG_CPUSET_MEMS,
  { OPT_IGNORED, "device-read-bps", 0, "DEVICE:RATE", "Read rate from a device", PT_FLAG_REFUSED,
    NO_DEVICE },
  { OPT_IGNORED, "device-read-iops", 0, "DEVICE:RATE", "Read operations from a device",
    PT_FLAG_REFUSED, NO_DEVICE },
  { OPT_IGNORED, "device-write-bps", 0, "DEVICE:RATE", "Write rate to a device", PT_FLAG_REFUSED,
    NO_DEVICE },
  { OPT_IGNORED, "device-write-iops", 0, "DEVICE:RATE", "Write operations to a device",
    PT_FLAG_REFUSED, NO_DEVICE },
  PT_LIMIT_FLAG_MEMORY,
  PT_LIMIT_FLAG_MEMORY_RESERVATION,
  PT_LIMIT_FLAG_MEMORY_SWAP,
  { OPT_IGNORED, "memory-swappiness", 0, "N", "Swappiness", PT_FLAG_NO_EFFECT,
    "cgroup v2 has no per-cgroup swappiness" },
  { OPT_PIDS_LIMIT, "pids-limit", 0, "N", "Process limit, -1 for unlimited" },
  { 0, NULL, 0, NULL, NULL },
};

struct given
{
  int c;
  char *arg;
};

/* The flags over the stored limits: a CPU bound given one way replaces one
   given the other way. */
static int
apply (struct pt_ctr_spec *spec, const struct given *v, size_t n, pt_error_t *err)
{
  for (size_t i = 0; i < n; i++)
    {
      struct pt_cgroup_limits *l = &spec->limits;
      if (v[i].c == OPT_CPUS)
        l->cpu_period = l->cpu_quota_us = 0;
      else if (v[i].c == OPT_CPU_PERIOD || v[i].c == OPT_CPU_QUOTA)
        l->cpu_quota = 0;
      if (pt_cli_cgroup_option (v[i].c, v[i].arg, spec, err) != 0)
        return -1;
    }
  return pt_cli_check_cgroup_options (spec, err);
}

static int
update_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct given v[64];
  size_t n = 0;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_update, argc, argv, err)) != -1)
    {
      if (c < 0)
        return -1;
      if (n == sizeof v / sizeof *v)
        return pt_make_error (err, 0, "too many flags");
      v[n++] = (struct given){ c, optarg };
    }
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_update, argc - optind, 1, 1, err);
  if (n == 0)
    return pt_make_error (err, 0, "no limit to change: give at least one flag");
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_spec spec;
  if (s == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0
      || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int r = apply (&spec, v, n, err);
  if (r == 0)
    r = pt_ctr_update (s, id, &spec.limits, err);
  pt_ctr_spec_free (&spec);
  if (r == 0)
    printf ("%s\n", id);
  return r;
}

const struct pt_cmd pt_cmd_update = {
  .name = "update",
  .usage = "[options] CONTAINER",
  .summary = "Change a container's cgroup limits (at once, where it runs)",
  .flags = update_flags,
  .exec = update_exec,
};

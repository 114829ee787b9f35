/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cgroup options of run, create and update: limits, where the cgroup
   goes, whether there is one; each checked as it is parsed, then together. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/util.h"

/* A list of numbers and ranges ("0-3,5"), each within the machine's CPUs
   for --cpuset-cpus; the kernel checks the memory nodes. */
static int
parse_cpuset (const char *flag, const char *arg, char out[128], pt_error_t *err)
{
  long cpus = sysconf (_SC_NPROCESSORS_CONF);
  bool is_cpus = strcmp (flag, "--cpuset-cpus") == 0;
  const char *p = arg;
  if (strlen (arg) >= 128 || *arg == '\0')
    return pt_make_error (err, 0, "invalid %s `%.40s`: a list such as 0-3,5", flag, arg);
  while (*p)
    {
      char *end;
      long a = strtol (p, &end, 10), b = a;
      if (end == p || a < 0)
        return pt_make_error (err, 0, "invalid %s `%s`: a list such as 0-3,5", flag, arg);
      if (*end == '-')
        {
          p = end + 1;
          b = strtol (p, &end, 10);
          if (end == p || b < a)
            return pt_make_error (err, 0, "invalid %s `%s`: a list such as 0-3,5", flag, arg);
        }
      if (is_cpus && b >= cpus)
        return pt_make_error (err, 0, "invalid %s `%s`: CPU %ld is not there (this machine has 0-%ld)",
                              flag, arg, b, cpus - 1);
      if (*end != ',' && *end != '\0')
        return pt_make_error (err, 0, "invalid %s `%s`: a list such as 0-3,5", flag, arg);
      p = *end ? end + 1 : end;
    }
  snprintf (out, 128, "%s", arg);
  return 0;
}

/* The cgroup options: limits, where the cgroup goes, whether there is one. */
int
pt_cli_cgroup_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  struct pt_cgroup_limits *l = &spec->limits;
  long v;
  char *end;
  switch (c)
    {
    case 'm':
      if ((l->memory = pt_parse_size (arg)) < 6 * 1024 * 1024)
        return pt_make_error (err, 0, "invalid --memory `%s`: a size of at least 6m", arg);
      return 0;
    case OPT_MEMORY_SWAP:
      if (strcmp (arg, "-1") == 0)
        l->memory_swap = -1;
      else if ((l->memory_swap = pt_parse_size (arg)) <= 0)
        return pt_make_error (err, 0, "invalid --memory-swap `%s`: a size, or -1 for unlimited",
                              arg);
      return 0;
    case OPT_PIDS_LIMIT:
      if (pt_parse_long (arg, -1, 1L << 30, &v) < 0)
        return pt_make_error (err, 0, "invalid --pids-limit `%s`: a number, -1 for unlimited", arg);
      l->pids = v <= 0 ? -1 : v;
      return 0;
    case OPT_CPUS:
      {
        double cpus = strtod (arg, &end);
        long online = sysconf (_SC_NPROCESSORS_ONLN);
        if (*arg == '\0' || *end != '\0' || !(cpus >= 0.01) || cpus > online)
          return pt_make_error (err, 0,
                                "invalid --cpus `%s`: the range is 0.01 to %ld.00, as there are "
                                "%ld CPUs",
                                arg, online, online);
        l->cpu_quota = (int64_t)(cpus * 100000 + 0.5);
        return 0;
      }
    case 'c':
      if (pt_parse_long (arg, 2, 262144, &v) < 0)
        return pt_make_error (err, 0, "invalid --cpu-shares `%s`: 2 to 262144", arg);
      l->cpu_shares = v;
      return 0;
    case OPT_CPU_PERIOD:
      if (pt_parse_long (arg, 1000, 1000000, &v) < 0)
        return pt_make_error (err, 0, "invalid --cpu-period `%s`: 1000 to 1000000 microseconds",
                              arg);
      l->cpu_period = v;
      return 0;
    case OPT_CPU_QUOTA:
      if (pt_parse_long (arg, 1000, 1L << 40, &v) < 0)
        return pt_make_error (err, 0, "invalid --cpu-quota `%s`: 1000 microseconds or more", arg);
      l->cpu_quota_us = v;
      return 0;
    case OPT_MEMORY_RESERVATION:
      if ((l->memory_low = pt_parse_size (arg)) <= 0)
        return pt_make_error (err, 0, "invalid --memory-reservation `%s`: a size", arg);
      return 0;
    case OPT_BLKIO_WEIGHT:
      if (pt_parse_long (arg, 10, 1000, &v) < 0)
        return pt_make_error (err, 0, "invalid --blkio-weight `%s`: 10 to 1000", arg);
      l->blkio_weight = v;
      return 0;
    case OPT_CPUSET_CPUS:
    case OPT_CPUSET_MEMS:
      return parse_cpuset (c == OPT_CPUSET_CPUS ? "--cpuset-cpus" : "--cpuset-mems", arg,
                           c == OPT_CPUSET_CPUS ? l->cpuset_cpus : l->cpuset_mems, err);
    case OPT_CGROUP_PARENT:
      free (spec->cgroup_parent);
      spec->cgroup_parent = xstrdup (arg);
      return 0;
    case OPT_CGROUPS:
      if (strcmp (arg, "enabled") != 0 && strcmp (arg, "disabled") != 0)
        return pt_make_error (err, 0, "invalid --cgroups `%s`: enabled or disabled", arg);
      spec->cgroups_disabled = strcmp (arg, "disabled") == 0;
      return 0;
    }
  return 1;
}

/* After parsing: what only makes sense together. */
int
pt_cli_check_cgroup_options (const struct pt_ctr_spec *spec, pt_error_t *err)
{
  const struct pt_cgroup_limits *l = &spec->limits;
  if (l->memory_swap && !l->memory)
    return pt_make_error (err, 0, "--memory-swap needs --memory");
  if (l->cpu_quota && (l->cpu_period || l->cpu_quota_us))
    return pt_make_error (err, 0, "--cpus conflicts with --cpu-period and --cpu-quota: use one or the other");
  if (l->memory_low && l->memory && l->memory_low > l->memory)
    return pt_make_error (err, 0, "--memory-reservation must not be more than --memory");
  if (l->memory_swap > 0 && l->memory_swap < l->memory)
    return pt_make_error (err, 0,
                          "--memory-swap must be at least --memory: it counts memory and swap "
                          "together");
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a container's process gets before its exec: see proc-attrs.h. */
#include <config.h>
#include "proc-attrs.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <stdio.h>
#include <sys/stat.h>

static const struct
{
  const char *name;
  int resource;
} rlimits[] = {
  { "as", RLIMIT_AS },
  { "core", RLIMIT_CORE },
  { "cpu", RLIMIT_CPU },
  { "data", RLIMIT_DATA },
  { "fsize", RLIMIT_FSIZE },
  { "locks", RLIMIT_LOCKS },
  { "memlock", RLIMIT_MEMLOCK },
  { "msgqueue", RLIMIT_MSGQUEUE },
  { "nice", RLIMIT_NICE },
  { "nofile", RLIMIT_NOFILE },
  { "nproc", RLIMIT_NPROC },
  { "rss", RLIMIT_RSS },
  { "rtprio", RLIMIT_RTPRIO },
  { "rttime", RLIMIT_RTTIME },
  { "sigpending", RLIMIT_SIGPENDING },
  { "stack", RLIMIT_STACK },
};

static rlim_t
limit_of (const char *v)
{
  return strcmp (v, "unlimited") == 0 || strcmp (v, "-1") == 0 ? RLIM_INFINITY
                                                               : strtoull (v, NULL, 10);
}

static int
set_ulimit (const char *spec, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (spec);
  char *eq = strchr (copy, '='), *colon;
  if (eq == NULL)
    return pt_make_error (err, 0, "invalid --ulimit `%s`", spec);
  *eq = '\0';
  colon = strchr (eq + 1, ':');
  if (colon)
    *colon++ = '\0';
  for (size_t i = 0; i < sizeof rlimits / sizeof *rlimits; i++)
    if (strcmp (rlimits[i].name, copy) == 0)
      {
        struct rlimit now, want;
        getrlimit (rlimits[i].resource, &now);
        want.rlim_cur = limit_of (eq + 1);
        want.rlim_max = colon ? limit_of (colon) : want.rlim_cur;
        if (setrlimit (rlimits[i].resource, &want) == 0)
          return 0;
        if (errno == EPERM && want.rlim_max > now.rlim_max)
          return pt_make_error (err, 0,
                                "--ulimit %s: the hard limit cannot be raised above the "
                                "user's (%llu) rootless",
                                spec, (unsigned long long)now.rlim_max);
        return pt_make_error (err, errno, "--ulimit %s", spec);
      }
  return pt_make_error (err, 0, "invalid --ulimit `%s`: unknown resource", spec);
}

static int
write_proc (const char *path, const char *value)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t n = strlen (value);
  int r = write (fd, value, n) == (ssize_t)n ? 0 : -1;
  int e = errno;
  close (fd);
  errno = e;
  return r;
}

int
pt_proc_oom_score_adj (pid_t pid, const char *value, pt_error_t *err)
{
  if (value == NULL || *value == '\0')
    return 0;
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
  if (write_proc (path, value) == 0)
    return 0;
  return errno == EACCES || errno == EPERM
             ? pt_make_error (err, 0,
                              "--oom-score-adj %s: a rootless container cannot lower its "
                              "OOM score below the user's",
                              value)
             : pt_make_error (err, errno, "--oom-score-adj %s", value);
}

int
pt_proc_sysctls (char *const *sysctls, pt_error_t *err)
{
  for (size_t i = 0; sysctls && sysctls[i]; i++)
    {
      const char *eq = strchr (sysctls[i], '=');
      if (eq == NULL)
        continue;
      cleanup_free char *path = xasprintf ("/proc/sys/%.*s", (int)(eq - sysctls[i]), sysctls[i]);
      for (char *p = path + 10; *p; p++)
        if (*p == '.')
          *p = '/';
      if (write_proc (path, eq + 1) < 0)
        return pt_make_error (err, errno, "set sysctl %.*s", (int)(eq - sysctls[i]), sysctls[i]);
    }
  return 0;
}

int
pt_proc_attrs (const struct pt_ctr_spec *spec, pt_error_t *err)
{
  for (size_t i = 0; spec->ulimits && spec->ulimits[i]; i++)
    if (set_ulimit (spec->ulimits[i], err) < 0)
      return -1;
  if (spec->umask && *spec->umask)
    umask ((mode_t)strtol (spec->umask, NULL, 8));
  return 0;
}

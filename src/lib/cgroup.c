/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Container cgroups in a delegated cgroup v2 subtree: create with limits,
   freeze, read the OOM count, remove. */
#include <config.h>
#include "cgroup.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

bool
pt_cgroup_limits_set (const struct pt_cgroup_limits *l)
{
  return l->memory || l->memory_swap || l->pids || l->cpu_quota || l->cpu_shares || l->cpu_period
         || l->cpu_quota_us || l->memory_low || l->blkio_weight || l->cpuset_cpus[0]
         || l->cpuset_mems[0];
}

static int
write_small (const char *dir, const char *file, const char *value, pt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write (fd, value, strlen (value)) < 0)
    return pt_make_error (err, errno, "write `%s` to `%s`", value, path);
  return 0;
}

/* The cgroup we run in, from the "0::/path" line: a path under the mount. */
static char *
own_cgroup (void)
{
  cleanup_free char *text = pt_read_small ("/proc/self/cgroup");
  for (char *line = text, *next; line && *line; line = next)
    {
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      if (pt_str_has_prefix (line, "0::/"))
        return xasprintf (PT_CGROUP_MOUNT "%s", strcmp (line + 3, "/") ? line + 3 : "");
    }
  return NULL;
}

/* Ours to manage: the directory and its cgroup.procs belong to us. */
static bool
delegated_to_us (const char *dir)
{
  struct stat st;
  cleanup_free char *procs = xasprintf ("%s/cgroup.procs", dir);
  return stat (dir, &st) == 0 && st.st_uid == getuid () && access (procs, W_OK) == 0;
}

char *
pt_cgroup_parent (const char *requested, char **why)
{
  struct statfs sf;
  *why = NULL;
  if (statfs (PT_CGROUP_MOUNT, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC)
    {
      *why = xstrdup ("cgroup v2 is not mounted on " PT_CGROUP_MOUNT
                      " (this machine uses cgroup v1 or a hybrid hierarchy)");
      return NULL;
    }
  if (requested && *requested)
    {
      char *dir = pt_str_has_prefix (requested, PT_CGROUP_MOUNT "/")
                      ? xstrdup (requested)
                      : xasprintf (PT_CGROUP_MOUNT "/%s", requested + (*requested == '/'));
      pt_error_t tmp = NULL;
      if (strstr (dir, "/../") || pt_mkdir_p (dir, 0755, &tmp) < 0 || !delegated_to_us (dir))
        {
          pt_error_release (&tmp);
          *why = xasprintf ("the cgroup parent `%s` is not a cgroup delegated to uid %d", dir,
                            (int)getuid ());
          free (dir);
          return NULL;
        }
      return dir;
    }
  cleanup_free char *own = own_cgroup ();
  if (own == NULL || !delegated_to_us (own))
    {
      *why = xasprintf ("the cgroup `%s` podtool runs in is not delegated to uid %d (run it "
                        "under `systemd-run --user --scope`, or pass --cgroup-parent)",
                        own ? own : "?", (int)getuid ());
      return NULL;
    }
  /* Climb to the top of the delegation: the processes sit in a leaf below
     it, and a cgroup with processes cannot hand controllers down. */
  cleanup_free char *top = xstrdup (own);
  for (;;)
    {
      char *slash = strrchr (top, '/');
      if (slash == NULL || slash - top <= (ptrdiff_t)strlen (PT_CGROUP_MOUNT))
        break;
      cleanup_free char *up = xstrndup (top, slash - top);
      if (!delegated_to_us (up))
        break;
      free (top);
      top = steal_pointer (&up);
    }
  return xasprintf ("%s/podtool", top);
}

char *
pt_cgroup_why_none (void)
{
  char *why = NULL;
  cleanup_free char *parent = pt_cgroup_parent (NULL, &why);
  return why ? why : xstrdup ("it was started with --cgroups=disabled or before one could be had");
}

static const char *
first_limit_flag (const struct pt_cgroup_limits *l)
{
  return l->memory           ? "--memory"
         : l->memory_swap    ? "--memory-swap"
         : l->pids           ? "--pids-limit"
         : l->cpu_quota      ? "--cpus"
         : l->cpu_shares     ? "--cpu-shares"
         : l->cpu_period     ? "--cpu-period"
         : l->cpu_quota_us   ? "--cpu-quota"
         : l->memory_low     ? "--memory-reservation"
         : l->blkio_weight   ? "--blkio-weight"
         : l->cpuset_cpus[0] ? "--cpuset-cpus"
                             : "--cpuset-mems";
}

int
pt_cgroup_choose_parent (bool disabled, const char *requested, const struct pt_cgroup_limits *l,
                         char **parent, pt_error_t *err)
{
  *parent = NULL;
  if (disabled)
    return pt_cgroup_limits_set (l) ? pt_make_error (
               err, 0, "%s cannot be used with --cgroups=disabled", first_limit_flag (l))
                                    : 0;
  cleanup_free char *why = NULL;
  *parent = pt_cgroup_parent (requested, &why);
  if (*parent == NULL && (pt_cgroup_limits_set (l) || (requested && *requested)))
    return pt_make_error (err, 0, "%s needs a cgroup of the container's own, and %s",
                          requested && *requested ? "--cgroup-parent" : first_limit_flag (l), why);
  return 0;
}

/* Is word one of the space-separated words of a cgroup file's line? */
static bool
has_word (const char *list, const char *word)
{
  size_t n = strlen (word);
  for (const char *p = list; (p = strstr (p, word)); p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
      return true;
  return false;
}

/* Hands down every controller `dir` has that we need, as far as the kernel
   lets us (it refuses where processes sit in dir itself). */
static void
enable_controllers (const char *dir)
{
  static const char *const wanted[] = { "memory", "pids", "cpu", "io" };
  cleanup_free char *cpath = xasprintf ("%s/cgroup.controllers", dir);
  cleanup_free char *spath = xasprintf ("%s/cgroup.subtree_control", dir);
  cleanup_free char *have = pt_read_small (cpath);
  cleanup_free char *on = pt_read_small (spath);
  for (size_t i = 0; have && i < sizeof wanted / sizeof *wanted; i++)
    {
      if (!has_word (have, wanted[i]) || (on && has_word (on, wanted[i])))
        continue;
      cleanup_free char *plus = xasprintf ("+%s", wanted[i]);
      pt_error_t tmp = NULL;
      if (write_small (dir, "cgroup.subtree_control", plus, &tmp) < 0)
        pt_error_release (&tmp);
    }
}

static int
write_limit (const char *dir, const char *file, const char *flag, const char *value,
             pt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, file);
  if (access (path, F_OK) < 0)
    {
      const char *controller = strndupa (file, strcspn (file, "."));
      return pt_make_error (err, 0,
                            "%s needs the %s controller, which the delegated cgroup `%s` does not "
                            "hand down",
                            flag, controller, dir);
    }
  return write_small (dir, file, value, err);
}

static char *
limit_value (int64_t v)
{
  return v < 0 ? xstrdup ("max") : xasprintf ("%lld", (long long)v);
}

/* Reservation, block IO weight and the CPU and memory-node sets. */
static int
write_more_limits (const char *dir, const struct pt_cgroup_limits *l, pt_error_t *err)
{
  if (l->memory_low > 0)
    {
      cleanup_free char *v = limit_value (l->memory_low);
      if (write_limit (dir, "memory.low", "--memory-reservation", v, err) < 0)
        return -1;
    }
  if (l->blkio_weight > 0)
    {
      /* crun's mapping of blkio weight [10, 1000] onto io.weight [1, 10000]. */
      cleanup_free char *v
          = xasprintf ("default %lld", (long long)(1 + ((l->blkio_weight - 10) * 9999) / 990));
      if (write_limit (dir, "io.weight", "--blkio-weight", v, err) < 0)
        return -1;
    }
  if (l->cpuset_cpus[0] && write_limit (dir, "cpuset.cpus", "--cpuset-cpus", l->cpuset_cpus, err) < 0)
    return -1;
  if (l->cpuset_mems[0] && write_limit (dir, "cpuset.mems", "--cpuset-mems", l->cpuset_mems, err) < 0)
    return -1;
  return 0;
}

static int
write_limits (const char *dir, const struct pt_cgroup_limits *l, pt_error_t *err)
{
  if (l->memory > 0)
    {
      cleanup_free char *v = limit_value (l->memory);
      if (write_limit (dir, "memory.max", "--memory", v, err) < 0)
        return -1;
      /* Podman: swap is --memory-swap minus --memory, by default as much
         again as --memory; -1 is unlimited. */
      int64_t swap = l->memory_swap < 0   ? -1
                     : l->memory_swap > 0 ? l->memory_swap - l->memory
                                          : l->memory;
      cleanup_free char *sv = limit_value (swap);
      cleanup_free char *swap_file = xasprintf ("%s/memory.swap.max", dir);
      /* No swap accounting in this kernel: nothing to bound. */
      if (access (swap_file, F_OK) == 0 && write_small (dir, "memory.swap.max", sv, err) < 0)
        return -1;
    }
  if (l->pids)
    {
      cleanup_free char *v = limit_value (l->pids);
      if (write_limit (dir, "pids.max", "--pids-limit", v, err) < 0)
        return -1;
    }
  else
    {
      /* Podman's default, where the pids controller is there to enforce it. */
      cleanup_free char *pids_max = xasprintf ("%s/pids.max", dir);
      if (access (pids_max, F_OK) == 0 && write_small (dir, "pids.max", "2048", err) < 0)
        return -1;
    }
  if (l->cpu_quota > 0 || l->cpu_quota_us || l->cpu_period)
    {
      int64_t quota = l->cpu_quota_us ? l->cpu_quota_us : l->cpu_quota;
      cleanup_free char *q = quota > 0 ? xasprintf ("%lld", (long long)quota) : xstrdup ("max");
      cleanup_free char *v
          = xasprintf ("%s %lld", q, (long long)(l->cpu_period ? l->cpu_period : 100000));
      if (write_limit (dir, "cpu.max",
                       l->cpu_quota_us ? "--cpu-quota" : l->cpu_period ? "--cpu-period" : "--cpus",
                       v, err)
          < 0)
        return -1;
    }
  if (write_more_limits (dir, l, err) < 0)
    return -1;
  if (l->cpu_shares > 0)
    {
      /* crun's mapping of shares [2, 262144] onto weight [1, 10000]. */
      int64_t shares = l->cpu_shares < 2 ? 2 : l->cpu_shares > 262144 ? 262144 : l->cpu_shares;
      cleanup_free char *v = xasprintf ("%lld", (long long)(1 + ((shares - 2) * 9999) / 262142));
      if (write_limit (dir, "cpu.weight", "--cpu-shares", v, err) < 0)
        return -1;
    }
  return 0;
}

int
pt_cgroup_create (const char *parent, const char *id, const struct pt_cgroup_limits *l, char **path,
                  pt_error_t *err)
{
  cleanup_free char *up = xstrndup (parent, strrchr (parent, '/') - parent);
  if (mkdir (parent, 0755) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "create the cgroup `%s`", parent);
  enable_controllers (up);
  enable_controllers (parent);
  cleanup_free char *dir = xasprintf ("%s/podtool-%s", parent, id);
  /* A leftover of a monitor that was killed: its processes are gone with
     the container's PID namespace, so it can go. */
  if (rmdir (dir) < 0 && errno != ENOENT && errno != EBUSY)
    return pt_make_error (err, errno, "remove the stale cgroup `%s`", dir);
  if (mkdir (dir, 0755) < 0)
    return pt_make_error (err, errno, "create the cgroup `%s`", dir);
  if (write_limits (dir, l, err) < 0)
    {
      rmdir (dir);
      return -1;
    }
  *path = steal_pointer (&dir);
  return 0;
}

int
pt_cgroup_enter (const char *path, pt_error_t *err)
{
  return write_small (path, "cgroup.procs", "0", err);
}

static bool
events_say (const char *path, const char *file, const char *key, long *value)
{
  cleanup_free char *p = xasprintf ("%s/%s", path, file);
  cleanup_free char *text = pt_read_small (p);
  size_t klen = strlen (key);
  for (char *line = text; line && *line;)
    {
      if (strncmp (line, key, klen) == 0 && line[klen] == ' ')
        {
          *value = strtol (line + klen + 1, NULL, 10);
          return true;
        }
      line = strchr (line, '\n');
      line = line ? line + 1 : NULL;
    }
  return false;
}

bool
pt_cgroup_frozen (const char *path)
{
  long v = 0;
  return path && *path && events_say (path, "cgroup.events", "frozen", &v) && v == 1;
}

int
pt_cgroup_freeze (const char *path, bool frozen, pt_error_t *err)
{
  if (write_small (path, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
    return -1;
  /* The write returns at once; the tasks stop at their next chance. */
  for (int i = 0; i < 20000; i++)
    {
      if (pt_cgroup_frozen (path) == frozen)
        return 0;
      nanosleep (&(struct timespec){ 0, 1000000 }, NULL);
    }
  return pt_make_error (err, 0, "the cgroup `%s` did not %s in 20 seconds", path,
                        frozen ? "freeze" : "thaw");
}

bool
pt_cgroup_oom_killed (const char *path)
{
  long v = 0;
  return path && *path && events_say (path, "memory.events", "oom_kill", &v) && v > 0;
}

static uint64_t
read_number (const char *dir, const char *file)
{
  cleanup_free char *p = xasprintf ("%s/%s", dir, file);
  cleanup_free char *text = pt_read_small (p);
  return text ? strtoull (text, NULL, 10) : 0;
}

/* Sums "key=N" over the lines of io.stat (one per device). */
static uint64_t
io_total (const char *text, const char *key)
{
  uint64_t sum = 0;
  size_t klen = strlen (key);
  for (const char *p = text; p && (p = strstr (p, key)); p += klen)
    if ((p == text || p[-1] == ' ') && p[klen] == '=')
      sum += strtoull (p + klen + 1, NULL, 10);
  return sum;
}

int
pt_cgroup_read_stats (const char *path, struct pt_cgroup_stats *st, pt_error_t *err)
{
  long usec = 0;
  memset (st, 0, sizeof *st);
  if (!events_say (path, "cpu.stat", "usage_usec", &usec))
    return pt_make_error (err, errno, "read `%s/cpu.stat`", path);
  st->cpu_usec = usec;
  st->memory = read_number (path, "memory.current");
  st->memory_max = read_number (path, "memory.max"); /* "max" reads as 0 */
  st->pids = read_number (path, "pids.current");
  cleanup_free char *io = xasprintf ("%s/io.stat", path);
  cleanup_free char *text = pt_read_small (io);
  st->io_read = io_total (text, "rbytes");
  st->io_write = io_total (text, "wbytes");
  return 0;
}

void
pt_cgroup_destroy (const char *path)
{
  if (path == NULL || *path == '\0')
    return;
  pt_error_t tmp = NULL;
  cleanup_free char *kill_file = xasprintf ("%s/cgroup.kill", path);
  if (access (kill_file, F_OK) == 0 && write_small (path, "cgroup.kill", "1", &tmp) < 0)
    pt_error_release (&tmp);
  /* The killed need a moment to leave. */
  for (int i = 0; i < 2000 && rmdir (path) < 0 && errno == EBUSY; i++)
    nanosleep (&(struct timespec){ 0, 1000000 }, NULL);
}

int
pt_cgroup_update (const char *path, const struct pt_cgroup_limits *l, pt_error_t *err)
{
  return write_limits (path, l, err);
}

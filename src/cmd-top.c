/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool top: the processes of a running container, as it numbers them. */
#include <config.h>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

struct proc
{
  long pid, ppid; /* as the container sees them */
  unsigned uid;
  unsigned long long ticks, start;
  char *cmd;
};

static char *
read_small (const char *path)
{
  char *s = NULL;
  pt_error_t tmp = NULL;
  if (pt_read_file (AT_FDCWD, path, &s, NULL, &tmp) < 0)
    pt_error_release (&tmp);
  return s;
}

/* The last number of "NSpid:" in /proc/PID/status: the pid in the innermost namespace. */
static long
ns_pid (const char *status, const char *key)
{
  const char *p = strstr (status, key);
  if (p == NULL)
    return -1;
  const char *eol = strchr (p, '\n');
  const char *last = eol ? eol : p + strlen (p);
  while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
    last--;
  while (last > p && last[-1] >= '0' && last[-1] <= '9')
    last--;
  return strtol (last, NULL, 10);
}

static bool
read_proc (long host_pid, struct proc *pr)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%ld/status", host_pid);
  cleanup_free char *status = read_small (path);
  snprintf (path, sizeof path, "/proc/%ld/stat", host_pid);
  cleanup_free char *stat = read_small (path);
  snprintf (path, sizeof path, "/proc/%ld/cmdline", host_pid);
  size_t len = 0;
  char *cmd = NULL;
  pt_error_t tmp = NULL;
  if (status == NULL || stat == NULL)
    return false;
  if (pt_read_file (AT_FDCWD, path, &cmd, &len, &tmp) < 0)
    pt_error_release (&tmp);
  for (size_t i = 0; cmd && i + 1 < len; i++)
    if (cmd[i] == '\0')
      cmd[i] = ' ';
  pr->pid = ns_pid (status, "NSpid:");
  const char *uid = strstr (status, "Uid:");
  pr->uid = uid ? strtoul (uid + 4, NULL, 10) : 0;
  char *p = strrchr (stat, ')');
  unsigned long long f[22] = { 0 };
  for (int i = 3; p && i <= 22; i++)
    {
      p = strchr (p + 1, ' ');
      if (p)
        f[i - 1] = strtoull (p + 1, NULL, 10);
    }
  pr->ticks = f[13] + f[14];
  pr->start = f[21];
  pr->cmd = cmd && *cmd ? cmd : (free (cmd), xstrdup ("?"));
  pr->ppid = f[3]; /* host ppid for now; mapped below */
  return true;
}

static int
top_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc != 2)
    return pt_make_error (err, 0, "`podtool top` takes one container: podtool top %s",
                          pt_cmd_top.usage);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_state st;
  if (s == NULL || pt_ctr_resolve (s, argv[1], &id, err) < 0 || pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (!pt_ctr_alive (&st))
    return pt_make_error (err, 0, "top can only be used on running containers");
  char want[64], path[64];
  snprintf (path, sizeof path, "/proc/%d/ns/pid", (int)st.pid);
  ssize_t n = readlink (path, want, sizeof want - 1);
  if (n < 0)
    return pt_make_error (err, 0, "read the PID namespace of container %s", argv[1]);
  want[n] = '\0';
  struct proc *v = NULL;
  size_t count = 0;
  long *host = NULL;
  cleanup_dir DIR *d = opendir ("/proc");
  struct dirent *de;
  while (d && (de = readdir (d)))
    {
      char *end;
      long pid = strtol (de->d_name, &end, 10);
      char ns[64];
      if (*end || pid <= 0)
        continue;
      snprintf (path, sizeof path, "/proc/%ld/ns/pid", pid);
      ssize_t k = readlink (path, ns, sizeof ns - 1);
      if (k < 0)
        continue;
      ns[k] = '\0';
      struct proc pr;
      if (strcmp (ns, want) != 0 || !read_proc (pid, &pr))
        continue;
      v = xrealloc (v, (count + 1) * sizeof *v);
      host = xrealloc (host, (count + 1) * sizeof *host);
      host[count] = pid;
      v[count++] = pr;
    }
  const struct pt_idmap *m = pt_global_idmap (g, err);
  if (m == NULL)
    {
      for (size_t i = 0; i < count; i++)
        free (v[i].cmd);
      free (v);
      free (host);
      return -1;
    }
  long hz = sysconf (_SC_CLK_TCK);
  struct timespec up;
  clock_gettime (CLOCK_BOOTTIME, &up);
  printf ("%-8s %-8s %-8s %-6s %-10s %-8s %s\n", "USER", "PID", "PPID", "%CPU", "ELAPSED", "TIME",
          "COMMAND");
  for (size_t i = 0; i < count; i++)
    {
      long ppid = 0; /* the parent's pid in the container, 0 outside it */
      for (size_t k = 0; k < count; k++)
        if (host[k] == v[i].ppid)
          ppid = v[k].pid;
      double elapsed = up.tv_sec + up.tv_nsec / 1e9 - (double)v[i].start / hz;
      double cpu = elapsed > 0 ? 100.0 * v[i].ticks / hz / elapsed : 0;
      unsigned long t = v[i].ticks / hz;
      char user[32], age[32];
      long uid = pt_idmap_container_uid (m, v[i].uid);
      snprintf (user, sizeof user, uid < 0 ? "?" : "%ld", uid);
      snprintf (age, sizeof age, "%.0fs", elapsed);
      printf ("%-8s %-8ld %-8ld %-6.3f %-10s %02lu:%02lu:%02lu %s\n", user, v[i].pid, ppid, cpu,
              age, t / 3600, t / 60 % 60, t % 60, v[i].cmd);
      free (v[i].cmd);
    }
  free (v);
  free (host);
  return 0;
}

const struct pt_cmd pt_cmd_top = {
  .name = "top",
  .usage = "CONTAINER",
  .summary = "Show the processes of a running container",
  .exec = top_exec,
};

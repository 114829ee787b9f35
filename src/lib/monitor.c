/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "monitor.h"
#include "container.h"
#include "attach.h"
#include "log.h"
#include "userns.h"
#include "sync.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>


char *
pt_monitor_path (void)
{
  const char *env = getenv ("PODTOOL_CONMON");
  if (env && *env)
    return xstrdup (env);
  char exe[PATH_MAX];
  ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0)
    {
      exe[n] = '\0';
      *strrchr (exe, '/') = '\0';
      char *built = xasprintf ("%s/conmon/conmon", exe);
      if (access (built, X_OK) == 0)
        return built;
      free (built);
    }
  return xstrdup (PT_CONMON_PATH);
}

char *
pt_init_path_near (const char *monitor)
{
  const char *env = getenv ("PODTOOL_INIT");
  if (env && *env)
    return xstrdup (env);
  const char *slash = strrchr (monitor, '/');
  return slash ? xasprintf ("%.*s/podtool-init", (int)(slash - monitor), monitor)
               : xstrdup ("podtool-init");
}

static void __attribute__ ((noreturn))
exec_monitor (struct pt_store *s, const char *id, const char *path, int sync_fd, int attach_fd,
              int n_fds)
{
  /* Second child: a session of its own, stdio on /dev/null, fds 3 and 4,
     then the n_fds of --preserve-fds (ours at 3..) at 5.. (moved in
     descending order: each destination is above its source). */
  int null = open ("/dev/null", O_RDWR);
  if (null < 0 || dup2 (null, 0) < 0 || dup2 (null, 1) < 0 || dup2 (null, 2) < 0)
    _exit (1);
  if ((sync_fd = fcntl (sync_fd, F_DUPFD_CLOEXEC, 5 + n_fds)) < 0
      || (attach_fd = fcntl (attach_fd, F_DUPFD_CLOEXEC, 5 + n_fds)) < 0)
    _exit (1);
  for (int i = n_fds; i-- > 0;)
    if (dup2 (3 + i, 5 + i) < 0)
      _exit (1);
  if (dup2 (sync_fd, 3) < 0 || dup2 (attach_fd, 4) < 0)
    _exit (1);
  char n[16], self[PATH_MAX] = "";
  snprintf (n, sizeof n, "%d", n_fds);
  /* podtool itself, for the healthchecks the monitor runs. */
  ssize_t k = readlink ("/proc/self/exe", self, sizeof self - 1);
  self[k > 0 ? k : 0] = '\0';
  const char *argv[] = { path,        "--root",    s->root,     "--runroot", s->runroot,
                         "--cid",     id,          "--sync-fd", "3",         "--attach-fd",
                         "4",         "--podtool", self,        n_fds ? "--preserve-fds" : NULL,
                         n,           NULL };
  execv (path, (char *const *)argv);
  _exit (127);
}

static int monitor_start_locked (struct pt_store *s, const char *id, int n_fds, int *attach_fd,
                                 pid_t *pid, pt_error_t *err);

/* Under the container's lock, from a check that it is still there to the
   monitor's report of the pid: an rm -f waits for that, then finds it
   running and kills it, or came first and the start fails. */
int
pt_monitor_start (struct pt_store *s, const char *id, int n_fds, int *attach_fd, pid_t *pid,
                  pt_error_t *err)
{
  int lock = pt_store_lock_container (s, id, err);
  if (lock < 0)
    return -1;
  cleanup_free char *cfg = pt_store_path (s, "containers/%s/config.json", id);
  struct pt_ctr_state st;
  int r;
  if (access (cfg, F_OK) < 0)
    r = pt_make_error (err, 0,
                       "no container with name or ID \"%s\" found: no such container (removed "
                       "while it was starting)",
                       id);
  else if (pt_ctr_state (s, id, &st, err) == 0 && pt_ctr_alive (&st))
    /* Another start got there first: one monitor per container. */
    r = pt_make_error (err, EBUSY, "container %s was started meanwhile by another podtool", id);
  else
    r = monitor_start_locked (s, id, n_fds, attach_fd, pid, err);
  pt_store_unlock_container (lock);
  return r;
}

static int
monitor_start_locked (struct pt_store *s, const char *id, int n_fds, int *attach_fd, pid_t *pid,
                      pt_error_t *err)
{
  cleanup_free char *path = pt_monitor_path ();
  if (access (path, X_OK) < 0)
    return pt_make_error (err, errno, "monitor `%s`", path);
  /* The monitor reads the id mapping from the cache only: make sure it is
     there and current (a stat and a small read when it is). */
  struct pt_idmap m;
  cleanup_free char *cache = pt_store_runpath (s, "idmap.json");
  if (pt_idmap_load (&m, cache, err) < 0)
    return -1;
  pt_idmap_free (&m);
  int sv[2], sp[2];
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return pt_make_error (err, errno, "socketpair");
  if (pipe2 (sp, O_CLOEXEC) < 0)
    {
      close (sv[0]);
      close (sv[1]);
      return pt_make_error (err, errno, "pipe");
    }
  pid_t child = fork ();
  if (child == 0)
    {
      setsid ();
      if (fork () == 0)
        exec_monitor (s, id, path, sp[1], sv[1], n_fds);
      _exit (0);
    }
  close (sp[1]);
  close (sv[1]);
  cleanup_close int sync_fd = sp[0];
  if (child < 0)
    {
      close (sv[0]);
      return pt_make_error (err, errno, "fork");
    }
  while (waitpid (child, NULL, 0) < 0 && errno == EINTR)
    ;
  char tag;
  ssize_t n;
  while ((n = pt_read_all (sync_fd, &tag, 1)) == 1 && tag == PT_SYNC_WARN)
    {
      pt_error_t w = NULL;
      if (pt_sync_recv_error (sync_fd, &w) > 0)
        pt_warn ("%s", w->msg);
      pt_error_release (&w);
    }
  if (n == 1 && tag == PT_SYNC_PID)
    {
      char buf[32] = "";
      n = pt_read_all (sync_fd, buf, sizeof buf - 1);
      long v;
      if (n <= 0 || pt_parse_long (buf, 1, INT_MAX, &v) < 0)
        {
          close (sv[0]);
          return pt_make_error (err, 0, "the monitor sent a bad pid `%s`", buf);
        }
      *pid = v;
      *attach_fd = sv[0];
      return 0;
    }
  close (sv[0]);
  if (n == 1 && tag == PT_SYNC_ERROR && pt_sync_recv_error (sync_fd, err) > 0)
    return -1;
  return pt_make_error (err, 0, "the monitor `%s` exited before starting the container", path);
}

static int
start_needed (struct pt_store *s, const struct pt_ctr_spec *spec, int depth, pt_error_t *err)
{
  cleanup_strv char **needs = pt_strv_dup (spec->requires);
  if (needs == NULL)
    needs = xzalloc (sizeof (char *));
  if (spec->net.mode == PT_NET_CONTAINER && spec->net.target)
    pt_strv_append (&needs, spec->net.target);
  for (size_t i = 0; needs[i]; i++)
    {
      struct pt_ctr_state st;
      struct pt_ctr_spec dep;
      if (depth > 16)
        return pt_make_error (err, 0, "container %.12s: its --requires go round in a loop",
                              spec->id);
      if (pt_ctr_state (s, needs[i], &st, err) < 0)
        return pt_error_wrap (err, "container %.12s needs %.12s", spec->id, needs[i]);
      if (pt_ctr_alive (&st))
        continue;
      if (pt_ctr_spec_read (s, needs[i], &dep, err) < 0)
        return -1;
      int r = start_needed (s, &dep, depth + 1, err);
      pt_ctr_spec_free (&dep);
      bool running = false;
      int fd = -1;
      pid_t pid;
      if (r < 0 || pt_ctr_prepare_start (s, needs[i], &running, err) < 0
          || (!running && pt_monitor_start (s, needs[i], 0, &fd, &pid, err) < 0))
        return -1;
      if (fd >= 0)
        close (fd);
    }
  return 0;
}

int
pt_monitor_start_needed (struct pt_store *s, const struct pt_ctr_spec *spec, pt_error_t *err)
{
  return start_needed (s, spec, 0, err);
}

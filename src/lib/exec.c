/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "exec.h"
#include "container.h"
#include "linux.h"
#include "monitor.h"
#include "sealed.h"
#include "sync.h"
#include "util.h"
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>

static pid_t command_pid;

/* The container's namespaces that are not ours already: --network host
   shares the host's, which setns() would refuse to join again. */
static int
ns_flags (pid_t pid)
{
  static const struct
  {
    const char *name;
    int flag;
  } ns[] = { { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },  { "pid", CLONE_NEWPID },
             { "uts", CLONE_NEWUTS },   { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
             { "cgroup", CLONE_NEWCGROUP } };
  int flags = 0;
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
    {
      char theirs[64], ours[64];
      struct stat a, b;
      snprintf (theirs, sizeof theirs, "/proc/%d/ns/%s", (int)pid, ns[i].name);
      snprintf (ours, sizeof ours, "/proc/self/ns/%s", ns[i].name);
      if (stat (theirs, &a) < 0 || stat (ours, &b) < 0 || a.st_ino != b.st_ino
          || a.st_dev != b.st_dev)
        flags |= ns[i].flag;
    }
  return flags;
}

static void
forward_signal (int sig)
{
  kill (command_pid, sig);
}

/* The first child joins the namespaces; setns(CLONE_NEWPID) only affects
   children, so it forks the one that runs the command and passes its
   status on. The command has a session of its own (no controlling
   terminal of the user's to reach through /dev/tty), so the signals a
   terminal sends us are passed on to it. */
static void __attribute__ ((noreturn))
join_and_run (int pidfd, int ns, const char *cgroup, struct pt_ctr_spec *spec, const int stdio[3],
              int sync_fd, int stub_fd)
{
  pt_error_t err = NULL;
  pt_undumpable ();
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  for (int i = 0; i < 3; i++)
    if (stdio[i] >= 0 && dup2 (stdio[i], i) < 0)
      {
        pt_make_error (&err, errno, "set up the command's stdio");
        pt_sync_die (sync_fd, err);
      }
  /* Its cgroup too, so its limits hold and pause freezes it. */
  if (*cgroup && pt_cgroup_enter (cgroup, &err) < 0)
    pt_sync_die (sync_fd, err);
  if (setns (pidfd, ns) < 0)
    {
      pt_make_error (&err, errno, "join the container's namespaces");
      pt_sync_die (sync_fd, err);
    }
  pid_t pid = fork ();
  if (pid < 0)
    {
      pt_make_error (&err, errno, "fork into the container's PID namespace");
      pt_sync_die (sync_fd, err);
    }
  if (pid == 0)
    pt_linux_exec_child (spec, sync_fd, stub_fd);
  close (sync_fd);
  command_pid = pid;
  static const int passed[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH };
  for (size_t i = 0; i < sizeof passed / sizeof *passed; i++)
    signal (passed[i], forward_signal);
  int status;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  _exit (WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
}

int
pt_exec (struct pt_store *s, const char *id, const struct pt_exec_options *o, int *exit_code,
         pt_error_t *err)
{
  struct pt_ctr_state st;
  struct pt_ctr_spec spec;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (st.status != PT_CTR_RUNNING)
    return pt_make_error (err, 0,
                          "can only create exec sessions on running containers: container state "
                          "improper");
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  pt_strv_free (spec.argv);
  spec.argv = pt_strv_dup (o->argv);
  for (size_t i = 0; o->env && o->env[i]; i++)
    pt_env_set (&spec.env, o->env[i]);
  if (o->workdir)
    {
      free (spec.cwd);
      spec.cwd = xstrdup (o->workdir);
      spec.cwd_explicit = true;
    }
  if (o->user)
    {
      free (spec.user);
      spec.user = xstrdup (o->user);
    }
  spec.tty = o->tty;
  spec.preserve_fds = o->preserve_fds;
  spec.preserve_fds_from = 3;
  int r = 0, sv[2] = { -1, -1 };
  cleanup_free char *monitor = pt_monitor_path ();
  cleanup_free char *stub = pt_init_path_near (monitor);
  cleanup_close int stub_fd = pt_sealed_copy (stub, err);
  int pidfd = stub_fd < 0 ? -1 : syscall (SYS_pidfd_open, st.pid, 0);
  if (stub_fd < 0)
    r = -1;
  else if (pidfd < 0)
    r = pt_make_error (err, errno, "open the container's process %d", (int)st.pid);
  else if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    r = pt_make_error (err, errno, "socketpair");
  int ns = r == 0 ? ns_flags (st.pid) : 0;
  pid_t child = r == 0 ? fork () : -1;
  if (r == 0 && child < 0)
    r = pt_make_error (err, errno, "fork");
  if (r == 0 && child == 0)
    {
      close (sv[0]);
      join_and_run (pidfd, ns, st.cgroup, &spec, o->stdio, sv[1], stub_fd);
    }
  if (sv[1] >= 0)
    close (sv[1]);
  for (int i = 0; i < 3; i++)
    if (o->stdio[i] >= 0)
      close (o->stdio[i]); /* the command's now: EOF comes when it closes them */
  if (r == 0)
    {
      /* The terminal's master first with -t; then an error from the
         child's setup, or EOF once the command runs. */
      int tty = -1, got;
      char buf[4200];
      ssize_t n = pt_sync_recv_fd (sv[0], buf, sizeof buf, &tty);
      if (n == 1 && buf[0] == PT_SYNC_CONSOLE && tty >= 0)
        n = pt_sync_recv_fd (sv[0], buf, sizeof buf, &tty);
      if (n > 0)
        got = pt_sync_parse_error (buf, n, err);
      else if (n < 0)
        got = pt_make_error (err, errno, "read the exec sync socket");
      else
        got = 0;
      if (got == 0 && tty >= 0 && o->on_tty)
        o->on_tty (tty, o->on_tty_data);
      else if (got == 0 && tty < 0 && o->on_running)
        o->on_running (child, o->on_tty_data);
      if (tty >= 0)
        close (tty);
      int status;
      while (waitpid (child, &status, 0) < 0 && errno == EINTR)
        ;
      if (got != 0)
        r = -1;
      else
        *exit_code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
    }
  if (sv[0] >= 0)
    close (sv[0]);
  if (pidfd >= 0)
    close (pidfd);
  pt_ctr_spec_free (&spec);
  return r;
}

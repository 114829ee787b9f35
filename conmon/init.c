/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool-init: PID 1 of a `run --init` container. Run from a sealed copy
   of its static binary, as
     /run/podtool-init --init SYNC-FD -- COMMAND [ARG...]
   It runs the command as its child in a process group of its own (the
   terminal's foreground one, with -t), passes every signal it gets on to
   it, reaps whatever is orphaned in the container, and exits as the command
   did: its code, or 128+N for signal N. No host file is PID 1.

   The exec stub: the last step of `podtool exec`, run from the same sealed
   binary, as  podtool-exec --exec-stub SYNC-FD -- COMMAND [ARG...]

   A pod's infra: podtool-init --pause SYNC-FD holds the pod's namespaces,
   reaps, and ends at SIGTERM, SIGINT, SIGHUP or SIGQUIT (exit 0). */
#include <config.h>
#include "init.h"
#include "lib/exec-report.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

static void __attribute__ ((noreturn)) run_command (char **argv, int sync_fd, const sigset_t *old)
{
  /* Ctrl-C on the terminal reaches the command, not us as well. */
  setpgid (0, 0);
  if (isatty (STDIN_FILENO))
    tcsetpgrp (STDIN_FILENO, getpid ()); /* SIGTTOU is still blocked here */
  sigprocmask (SIG_SETMASK, old, NULL);
  fcntl (sync_fd, F_SETFD, FD_CLOEXEC);
  pt_exec_or_report (argv, sync_fd);
}

int
pt_init_main (int argc, char **argv)
{
  if (argc < 5 || strcmp (argv[3], "--") != 0)
    return 125;
  /* Run from a sealed fd, the kernel named us after its number. */
  prctl (PR_SET_NAME, "podtool-init", 0, 0, 0);
  int sync_fd = atoi (argv[2]);
  sigset_t all, old;
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  pid_t child = fork ();
  if (child < 0)
    return 125;
  if (child == 0)
    run_command (argv + 4, sync_fd, &old);
  close (sync_fd);
  for (;;)
    {
      siginfo_t si;
      int sig = sigwaitinfo (&all, &si);
      if (sig < 0)
        continue;
      if (sig != SIGCHLD)
        {
          kill (child, sig);
          continue;
        }
      int status;
      pid_t p;
      while ((p = waitpid (-1, &status, WNOHANG)) > 0)
        if (p == child)
          return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
    }
}

int
pt_pause_main (int argc, char **argv)
{
  if (argc < 3)
    return 125;
  prctl (PR_SET_NAME, "podtool-pause", 0, 0, 0);
  /* The exec worked: the monitor learns it as the socket closes. */
  close (atoi (argv[2]));
  sigset_t all;
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, NULL);
  for (;;)
    {
      int sig = sigwaitinfo (&all, NULL);
      if (sig == SIGTERM || sig == SIGINT || sig == SIGHUP || sig == SIGQUIT)
        return 0;
      while (sig == SIGCHLD && waitpid (-1, NULL, WNOHANG) > 0)
        ;
    }
}

int
pt_exec_stub_main (int argc, char **argv)
{
  /* The sync socket is podtool's: closed to the container at once. */
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (argc < 5 || strcmp (argv[3], "--") != 0)
    _exit (125);
  int sync_fd = atoi (argv[2]);
  fcntl (sync_fd, F_SETFD, FD_CLOEXEC);
  pt_exec_or_report (argv + 4, sync_fd);
}

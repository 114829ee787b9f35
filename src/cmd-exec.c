/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool exec: run a command in a running container. */
#include <config.h>
#include <sys/wait.h>
#include <getopt.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/exec.h"
#include "lib/util.h"

struct tty_relay
{
  bool input;
  int in, out, err; /* without -t: our ends of the command's pipes, or -1 */
};

/* Our terminal (raw) to the command's, until the command's closes. */
static void
relay_tty (int master, void *data)
{
  struct tty_relay *t = data;
  struct termios saved;
  bool raw = t->input && isatty (0) && tcgetattr (0, &saved) == 0;
  struct winsize ws;
  if (isatty (0) && ioctl (0, TIOCGWINSZ, &ws) == 0)
    ioctl (master, TIOCSWINSZ, &ws);
  if (raw)
    {
      struct termios r = saved;
      cfmakeraw (&r);
      tcsetattr (0, TCSANOW, &r);
    }
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGWINCH);
  sigprocmask (SIG_BLOCK, &set, NULL);
  int sfd = signalfd (-1, &set, SFD_CLOEXEC);
  struct pollfd p[3] = { { .fd = master, .events = POLLIN },
                         { .fd = t->input ? 0 : -1, .events = POLLIN },
                         { .fd = sfd, .events = POLLIN } };
  char buf[65536];
  for (;;)
    {
      if (poll (p, 3, -1) < 0 && errno != EINTR)
        break;
      if (p[2].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          if (read (sfd, &si, sizeof si) > 0 && ioctl (0, TIOCGWINSZ, &ws) == 0)
            ioctl (master, TIOCSWINSZ, &ws);
        }
      if (p[1].revents & (POLLIN | POLLHUP))
        {
          ssize_t n = read (0, buf, sizeof buf);
          if (n <= 0)
            p[1].fd = -1;
          else
            (void)pt_write_all (master, buf, n);
        }
      if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
        {
          ssize_t n = read (master, buf, sizeof buf);
          if (n <= 0)
            break; /* EIO: the command and everything on its terminal ended */
          (void)pt_write_all (1, buf, n);
        }
    }
  if (sfd >= 0)
    close (sfd);
  if (raw)
    tcsetattr (0, TCSANOW, &saved);
}

/* Whether fd i can be handed to the command as it is: a pipe or socket
   (reopening it through /proc gives nothing more), or /dev/null. Anything
   else (a terminal: TIOCSTI types into the user's shell; a file: reopened
   read-write through /proc/PID/fd) is relayed through a pipe, as conmon
   does for Podman. */
static bool
passes_as_is (int fd)
{
  struct stat st;
  if (fstat (fd, &st) < 0)
    return true; /* closed: the command gets it closed too */
  return S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)
         || (S_ISCHR (st.st_mode) && st.st_rdev == makedev (1, 3));
}

/* The command's stdio: each of ours as it is where that is safe, else a
   pipe whose other end we relay; without -i, a terminal on stdin gives it
   /dev/null (Podman's exec) rather than our keystrokes. */
static int
plan_stdio (struct pt_exec_options *o, struct tty_relay *t, pt_error_t *err)
{
  int *ours[3] = { &t->in, &t->out, &t->err };
  for (int i = 0; i < 3; i++)
    {
      *ours[i] = -1;
      o->stdio[i] = -1;
      if (o->tty || passes_as_is (i))
        continue;
      if (i == 0 && !t->input && isatty (0))
        {
          o->stdio[0] = open ("/dev/null", O_RDONLY | O_CLOEXEC);
          if (o->stdio[0] < 0)
            return pt_make_error (err, errno, "open `/dev/null`");
          continue;
        }
      int p[2];
      if (pipe2 (p, O_CLOEXEC) < 0)
        return pt_make_error (err, errno, "create the command's pipes");
      o->stdio[i] = i == 0 ? p[0] : p[1];
      *ours[i] = i == 0 ? p[1] : p[0];
    }
  return 0;
}

/* Without -t: our stdin into the command's pipe, its pipes out to ours,
   until it has ended and its output is drained. */
static void
relay_pipes (pid_t pid, void *data)
{
  struct tty_relay *t = data;
  int pidfd = syscall (SYS_pidfd_open, pid, 0);
  /* A terminal's signals reach the command through our child, which
     passes them on; what is sent to us by a process, we pass on too. The
     exit code is the command's. */
  sigset_t sigs;
  sigemptyset (&sigs);
  sigaddset (&sigs, SIGINT);
  sigaddset (&sigs, SIGQUIT);
  sigaddset (&sigs, SIGTERM);
  sigaddset (&sigs, SIGHUP);
  sigprocmask (SIG_BLOCK, &sigs, NULL);
  int sfd = signalfd (-1, &sigs, SFD_CLOEXEC);
  struct pollfd p[5] = { { .fd = t->out, .events = POLLIN },
                         { .fd = t->err, .events = POLLIN },
                         { .fd = t->in >= 0 ? 0 : -1, .events = POLLIN },
                         { .fd = pidfd, .events = POLLIN },
                         { .fd = sfd, .events = POLLIN } };
  static const int to[2] = { 1, 2 };
  char buf[65536];
  bool ended = false;
  while (!ended || p[0].fd >= 0 || p[1].fd >= 0)
    {
      if (poll (p, 5, ended ? 0 : -1) < 0 && errno != EINTR)
        break;
      if (p[3].revents & POLLIN)
        ended = true, p[3].fd = -1;
      struct signalfd_siginfo si;
      if ((p[4].revents & POLLIN) && read (sfd, &si, sizeof si) == sizeof si
          && (si.ssi_pid != 0 || si.ssi_signo == SIGHUP))
        kill (pid, si.ssi_signo);
      bool any = false;
      for (int i = 0; i < 2; i++)
        if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
          {
            ssize_t n = read (p[i].fd, buf, sizeof buf);
            if (n > 0 && pt_write_all (to[i], buf, n) == 0)
              any = true;
            else if (!(n < 0 && errno == EINTR))
              p[i].fd = -1; /* EOF, or we can no longer write it out */
          }
      if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
        {
          ssize_t n = read (0, buf, sizeof buf);
          if (n <= 0 || pt_write_all (t->in, buf, n) < 0)
            {
              p[2].fd = -1;
              close (t->in);
              t->in = -1;
            }
        }
      /* Once it has ended, what a daemon it left keeps open is not ours
         to wait for: leave when nothing more is there. */
      if (ended && !any)
        break;
    }
  for (int i = 0; i < 3; i++)
    {
      int *fd = i == 0 ? &t->in : i == 1 ? &t->out : &t->err;
      if (*fd >= 0)
        close (*fd);
      *fd = -1;
    }
  if (pidfd >= 0)
    close (pidfd);
  if (sfd >= 0)
    close (sfd);
}

enum
{
  OPT_DETACH_KEYS = 256,
  OPT_ENV_FILE,
  OPT_PRESERVE_FDS,
  OPT_PRIVILEGED,
};

static const struct pt_flag exec_flags[] = {
  { 'd', "detach", 'd', NULL, "Run the command in the background and print its session ID" },
  { OPT_DETACH_KEYS, "detach-keys", 0, "KEYS", "Keys that detach", PT_FLAG_NO_EFFECT,
    "podtool has no detach keys" },
  { 'e', "env", 'e', "K=V", "Set an environment variable (a bare K: podtool's own value)" },
  { OPT_ENV_FILE, "env-file", 0, "FILE", "Read environment variables from FILE" },
  { 'i', "interactive", 'i', NULL, "Keep stdin open" },
  PT_FLAG_LATEST,
  { OPT_PRESERVE_FDS, "preserve-fds", 0, "N",
    "Pass our file descriptors 3..N+2 to the command, as its 3..N+2" },
  { OPT_PRIVILEGED, "privileged", 0, NULL, "Extended privileges", PT_FLAG_REFUSED,
    "the container's capabilities and filters hold for exec too" },
  { 't', "tty", 't', NULL, "Allocate a pseudo-terminal" },
  { 'u', "user", 'u', "USER[:GROUP]", "User (and group) to run as" },
  { 'w', "workdir", 'w', "DIR", "Working directory inside the container" },
  { 0, NULL, 0, NULL, NULL },
};

/* -d: the session runs on in a process of its own, in a session of its
   own, its stdio /dev/null; its ID is printed once it has been started. */
static int
exec_detached (struct pt_store *s, const char *id, struct pt_exec_options *o, char **env,
               char **args, pt_error_t *err)
{
  int ready[2];
  if (o->tty)
    return pt_make_error (err, 0,
                          "--detach with --tty: not supported by podtool: a detached "
                          "session has no terminal to give");
  if (pipe2 (ready, O_CLOEXEC) < 0)
    return pt_make_error (err, errno, "pipe");
  fflush (stdout);
  pid_t pid = fork ();
  if (pid < 0)
    return pt_make_error (err, errno, "fork");
  if (pid == 0)
    {
      close (ready[0]);
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      if (setsid () < 0 || null < 0 || dup2 (null, 0) < 0 || dup2 (null, 1) < 0
          || dup2 (null, 2) < 0)
        _exit (125);
      /* A second fork: podtool returns while the session goes on. */
      if (fork () != 0)
        _exit (0);
      o->env = env;
      o->argv = args;
      o->on_running = NULL;
      o->stdio[0] = o->stdio[1] = o->stdio[2] = -1; /* ours: /dev/null */
      (void)!write (ready[1], "s", 1);
      close (ready[1]);
      int code = 0;
      pt_error_t e = NULL;
      _exit (pt_exec (s, id, o, &code, &e) < 0 ? 125 : code);
    }
  close (ready[1]);
  char ok;
  int got = read (ready[0], &ok, 1);
  close (ready[0]);
  waitpid (pid, NULL, 0);
  if (got != 1)
    return pt_make_error (err, 0, "start the detached exec session");
  cleanup_free char *session = pt_random_id ();
  printf ("%s\n", session);
  return 0;
}

static int
exec_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct pt_exec_options o = { 0 };
  struct tty_relay relay = { 0 };
  cleanup_strv char **env = xzalloc (sizeof (char *));
  bool latest = false, detach = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_exec, argc, argv, err)) != -1)
    switch (c)
      {
      case 'e':
        if (pt_cli_env_add (&env, optarg, "--env", err) < 0)
          return -1;
        break;
      case OPT_ENV_FILE:
        if (pt_cli_env_file (&env, optarg, err) < 0)
          return -1;
        break;
      case 'w': o.workdir = optarg; break;
      case 'u': o.user = optarg; break;
      case 'i': relay.input = pt_cli_optbool; break; /* without -t, stdin is ours anyway */
      case 't': o.tty = pt_cli_optbool; break;
      case 'l': latest = pt_cli_optbool; break;
      case 'd': detach = pt_cli_optbool; break;
      case OPT_PRESERVE_FDS:
        if (pt_cli_preserve_fds (optarg, &o.preserve_fds, err) < 0)
          return -1;
        break;
      default: return -1;
      }
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  if (s == NULL || (latest && pt_cli_latest (s, &id, err) < 0))
    return -1;
  /* With --latest, the first operand is the command already. */
  if (latest)
    optind--;
  if (argc - optind < 2)
    return pt_cli_need_args (&pt_cmd_exec, argc - optind < 0 ? 0 : argc - optind, 2, -1, err);
  if ((!latest && pt_ctr_resolve (s, argv[optind], &id, err) < 0))
    return -1;
  if (detach)
    return exec_detached (s, id, &o, env, argv + optind + 1, err);
  o.env = env;
  o.on_tty = relay_tty;
  o.on_running = relay_pipes;
  o.on_tty_data = &relay;
  if (plan_stdio (&o, &relay, err) < 0)
    return -1;
  o.argv = argv + optind + 1;
  int code = 0;
  if (pt_exec (s, id, &o, &code, err) < 0)
    return -1;
  g->exit_code = code;
  return 0;
}

const struct pt_cmd pt_cmd_exec = {
  .name = "exec",
  .usage = "[options] CONTAINER COMMAND [ARG...]",
  .summary = "Run a command in a running container",
  .flags = exec_flags,
  .stop_at_operand = true,
  .exec = exec_exec,
};

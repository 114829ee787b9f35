/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool exec: run a command in a running container. */
#include <config.h>
#include <getopt.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/exec.h"
#include "lib/util.h"

struct tty_relay
{
  bool input;
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

static int
exec_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "env", required_argument, NULL, 'e' },
    { "workdir", required_argument, NULL, 'w' },
    { "user", required_argument, NULL, 'u' },
    { "interactive", no_argument, NULL, 'i' },
    { NULL, 0, NULL, 0 },
  };
  struct pt_exec_options o = { 0 };
  struct tty_relay relay = { 0 };
  cleanup_strv char **env = xzalloc (sizeof (char *));
  int c;
  while ((c = getopt_long (argc, argv, "+e:w:u:it", longopts, NULL)) != -1)
    switch (c)
      {
      case 'e': pt_strv_append (&env, optarg); break;
      case 'w': o.workdir = optarg; break;
      case 'u': o.user = optarg; break;
      case 'i': relay.input = true; break; /* without -t, stdin is ours anyway */
      case 't': o.tty = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_exec, err);
      }
  if (argc - optind < 2)
    return pt_make_error (err, 0,
                          "`podtool exec` requires a container and a command: podtool exec %s",
                          pt_cmd_exec.usage);
  o.env = env;
  o.on_tty = relay_tty;
  o.on_tty_data = &relay;
  o.argv = argv + optind + 1;
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  int code = 0;
  if (s == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0
      || pt_exec (s, id, &o, &code, err) < 0)
    return -1;
  g->exit_code = code;
  return 0;
}

const struct pt_cmd pt_cmd_exec = {
  .name = "exec",
  .usage = "[-i] [-t] [-e K=V]... [-w DIR] [-u USER[:GROUP]] CONTAINER CMD [ARG...]",
  .summary = "Run a command in a running container",
  .exec = exec_exec,
};

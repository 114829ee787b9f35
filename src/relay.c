/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The client end of the attach protocol (lib/attach.h): run, start -a and
   attach all relay through here. */
#include <config.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include "cmd.h"
#include "lib/attach.h"
#include "lib/util.h"

static void
send_size (int fd)
{
  char msg[1 + sizeof (struct winsize)] = { PT_ATTACH_RESIZE };
  struct winsize ws;
  if (ioctl (0, TIOCGWINSZ, &ws) == 0)
    {
      memcpy (msg + 1, &ws, sizeof ws);
      send (fd, msg, sizeof msg, MSG_NOSIGNAL);
    }
}

/* Our stdin to the monitor; false once it is at its end. */
static bool
send_input (int fd)
{
  static char buf[PT_ATTACH_MAX + 1];
  ssize_t n = read (0, buf + 1, PT_ATTACH_MAX);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  buf[0] = PT_ATTACH_STDIN;
  send (fd, buf, n > 0 ? n + 1 : 1, MSG_NOSIGNAL);
  return n > 0;
}

static int
relay_loop (int fd, pid_t pid, bool stdin_open, bool tty, int *exit_code, pt_error_t *err)
{
  sigset_t set;
  sigemptyset (&set);
  int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
    sigaddset (&set, sigs[i]);
  sigprocmask (SIG_BLOCK, &set, NULL);
  signal (SIGPIPE, SIG_IGN);
  cleanup_close int sfd = signalfd (-1, &set, SFD_CLOEXEC);
  struct pollfd p[3] = { { .fd = fd, .events = POLLIN },
                         { .fd = sfd, .events = POLLIN },
                         { .fd = stdin_open ? 0 : -1, .events = POLLIN } };
  static char buf[PT_ATTACH_MAX + 1];
  if (tty)
    send_size (fd);
  for (;;)
    {
      if (poll (p, 3, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return pt_make_error (err, errno, "poll");
        }
      if (p[1].revents & POLLIN)
        {
          struct signalfd_siginfo si;
          if (read (sfd, &si, sizeof si) == sizeof si)
            {
              if (si.ssi_signo == SIGWINCH)
                {
                  if (tty)
                    send_size (fd);
                }
              else
                kill (pid, si.ssi_signo);
            }
        }
      if ((p[2].revents & (POLLIN | POLLHUP | POLLERR)) && !send_input (fd))
        p[2].fd = -1;
      if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t n = recv (fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return pt_make_error (err, n < 0 ? errno : 0,
                              "the container's monitor went away before reporting an exit code");
      if (buf[0] == PT_ATTACH_STDOUT || buf[0] == PT_ATTACH_STDERR)
        (void)pt_write_all (buf[0] == PT_ATTACH_STDOUT ? 1 : 2, buf + 1, n - 1);
      else if (buf[0] == PT_ATTACH_EXIT && n >= 5)
        {
          int32_t code;
          memcpy (&code, buf + 1, sizeof code);
          *exit_code = code;
          return 0;
        }
    }
}

int
pt_cli_relay (int fd, pid_t pid, bool stdin_open, bool tty, int *exit_code, pt_error_t *err)
{
  struct termios saved;
  /* A terminal goes raw, so keys reach the container's own terminal as typed. */
  bool raw = tty && stdin_open && isatty (0) && tcgetattr (0, &saved) == 0;
  if (raw)
    {
      struct termios t = saved;
      cfmakeraw (&t);
      tcsetattr (0, TCSANOW, &t);
    }
  int r = relay_loop (fd, pid, stdin_open, tty, exit_code, err);
  if (raw)
    tcsetattr (0, TCSANOW, &saved);
  return r;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The monitor's event loop (see monitor-state.h): one epoll set, each fd
   registered with the kind of source it is, and a table of one handler a
   kind. A new kind of fd is one more entry, not one more `fd ==` test. */
#include <config.h>
#include "monitor-state.h"
#include "lib/attach.h"
#include "lib/health.h"
#include "lib/util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>

enum source
{
  SRC_EXIT,    /* the container's pidfd */
  SRC_SIGNAL,  /* our signalfd */
  SRC_LISTEN,  /* the attach socket */
  SRC_CLIENT,  /* an attached client; arg: its slot */
  SRC_OUTPUT,  /* the container's stdout or stderr */
  SRC_NET,     /* the net helper's lifeline */
  SRC_TIMEOUT, /* --timeout's timerfd */
  SRC_HEALTH,  /* the healthcheck interval's timerfd */
  SRC_N
};

static void
watch (struct monitor *m, enum source kind, int fd, int arg)
{
  struct epoll_event ev
      = { .events = EPOLLIN, .data.u64 = (uint64_t)(uint32_t)fd << 32 | (uint64_t)arg << 8 | kind };
  if (m->epfd >= 0 && fd >= 0)
    epoll_ctl (m->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void
unwatch (struct monitor *m, int fd)
{
  if (m->epfd >= 0)
    epoll_ctl (m->epfd, EPOLL_CTL_DEL, fd, NULL);
}

static void
drop_client (struct monitor *m, int i)
{
  /* The client went away: the container goes on without it. */
  unwatch (m, m->clients[i]);
  close (m->clients[i]);
  m->clients[i] = -1;
}

void
mon_send_clients (struct monitor *m, int tag, const char *data, size_t len)
{
  char buf[PT_ATTACH_MAX + 1];
  do
    {
      size_t chunk = len > PT_ATTACH_MAX ? PT_ATTACH_MAX : len;
      buf[0] = tag;
      memcpy (buf + 1, data, chunk);
      for (int i = 0; i < PT_MAX_CLIENTS; i++)
        if (m->clients[i] >= 0 && send (m->clients[i], buf, chunk + 1, MSG_NOSIGNAL) < 0)
          drop_client (m, i);
      data += chunk;
      len -= chunk;
    }
  while (len > 0);
}

static void
add_client (struct monitor *m, int fd)
{
  for (int i = 0; i < PT_MAX_CLIENTS; i++)
    if (m->clients[i] < 0)
      {
        m->clients[i] = fd;
        watch (m, SRC_CLIENT, fd, i);
        return;
      }
  close (fd);
}

/* A message from a client: input for the container, or a resize. */
static void
client_message (struct monitor *m, int i)
{
  char buf[PT_ATTACH_MAX + 1];
  ssize_t n = recv (m->clients[i], buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0 && errno == EAGAIN)
    return;
  if (n <= 0)
    {
      drop_client (m, i);
      return;
    }
  if (buf[0] == PT_ATTACH_STDIN && m->in_fd >= 0)
    {
      if (n > 1)
        (void)pt_write_all (m->in_fd, buf + 1, n - 1);
      else if (m->tty_fd < 0)
        {
          close (m->in_fd); /* EOF on the container's stdin */
          m->in_fd = -1;
        }
    }
  else if (buf[0] == PT_ATTACH_RESIZE && m->tty_fd >= 0 && (size_t)n >= 1 + sizeof (struct winsize))
    {
      struct winsize ws;
      memcpy (&ws, buf + 1, sizeof ws);
      ioctl (m->tty_fd, TIOCSWINSZ, &ws);
    }
}

/* The attach socket: containers/ID/attach in the runtime dir, bound
   through /proc/self/fd so the path fits in sun_path. */
int
mon_listen_attach (struct monitor *m, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_runpath (&m->store, "containers/%s", m->spec.id);
  cleanup_close int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return pt_make_error (err, errno, "open `%s`", dir);
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  snprintf (sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/attach", dfd);
  unlink (sa.sun_path);
  m->listen_fd = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (m->listen_fd < 0 || bind (m->listen_fd, (struct sockaddr *)&sa, sizeof sa) < 0
      || listen (m->listen_fd, 8) < 0)
    return pt_make_error (err, errno, "listen on `%s/attach`", dir);
  return 0;
}

/* k8s-file: "<RFC3339Nano> stdout F line", P for a line still open. */
static void
log_output (struct monitor *m, const char *stream, const char *data, size_t len)
{
  if (m->log_fd < 0)
    return;
  struct timespec ts;
  struct tm tm;
  char stamp[64];
  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  size_t sl = strftime (stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf (stamp + sl, sizeof stamp - sl, ".%09ld+00:00", ts.tv_nsec);
  while (len > 0)
    {
      const char *nl = memchr (data, '\n', len);
      size_t n = nl ? (size_t)(nl - data) : len;
      cleanup_free char *head = xasprintf ("%s %s %s ", stamp, stream, nl ? "F" : "P");
      size_t rec = strlen (head) + n + 1;
      /* Over max-size the log starts again, as conmon's log-size-max does. */
      if (m->spec.log_max > 0 && m->log_size + (int64_t)rec > m->spec.log_max
          && ftruncate (m->log_fd, 0) == 0)
        m->log_size = 0;
      struct iovec iov[3] = { { head, strlen (head) }, { (void *)data, n }, { (void *)"\n", 1 } };
      if (writev (m->log_fd, iov, 3) > 0)
        m->log_size += rec;
      data += n + (nl ? 1 : 0);
      len -= n + (nl ? 1 : 0);
    }
}

/* Returns false at EOF. */
static bool
pump (struct monitor *m, int fd)
{
  char buf[PT_ATTACH_MAX];
  ssize_t n = read (fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  if (n <= 0)
    return false;
  bool is_out = fd == m->out_fd;
  log_output (m, is_out ? "stdout" : "stderr", buf, n);
  mon_send_clients (m, is_out ? PT_ATTACH_STDOUT : PT_ATTACH_STDERR, buf, n);
  return true;
}

/* After init is gone the kernel kills the rest of the PID namespace, so
   every write end closes soon: read to EOF and nothing is lost. */
static void
drain (struct monitor *m, int *fd)
{
  if (*fd < 0)
    return;
  while (pump (m, *fd))
    ;
  close (*fd);
  *fd = -1;
}

static int
wait_exit_code (struct monitor *m)
{
  siginfo_t si = { 0 };
  if (waitid (P_PIDFD, m->pidfd, &si, WEXITED) < 0)
    return -1;
  if (si.si_code == CLD_EXITED)
    return si.si_status;
  return 128 + si.si_status;
}

/* Handlers: -1 to go on, else the loop's result. */

static int
on_exit_ (struct monitor *m, int fd, int arg)
{
  (void)fd, (void)arg;
  int code = wait_exit_code (m);
  drain (m, &m->out_fd);
  drain (m, &m->err_fd);
  return code < 0 ? -2 : code;
}

static int
on_signal (struct monitor *m, int fd, int arg)
{
  (void)arg;
  struct signalfd_siginfo si;
  if (read (fd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD)
    kill (m->pid, si.ssi_signo);
  /* Reap whatever else we adopted as subreaper; never the container,
     whose exit code its pidfd's handler reads. */
  for (;;)
    {
      siginfo_t w = { 0 };
      if (waitid (P_ALL, 0, &w, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 || w.si_pid == 0
          || w.si_pid == m->pid || waitpid (w.si_pid, NULL, WNOHANG | __WALL) <= 0)
        break;
      if (w.si_pid == m->health_pid)
        m->health_pid = 0;
    }
  return -1;
}

static int
on_listen (struct monitor *m, int fd, int arg)
{
  (void)arg;
  int c = accept4 (fd, NULL, NULL, SOCK_CLOEXEC);
  if (c >= 0)
    add_client (m, c);
  return -1;
}

static int
on_client (struct monitor *m, int fd, int arg)
{
  if (arg >= 0 && arg < PT_MAX_CLIENTS && m->clients[arg] == fd)
    client_message (m, arg);
  return -1;
}

static int
on_output (struct monitor *m, int fd, int arg)
{
  (void)arg;
  if (!pump (m, fd))
    {
      unwatch (m, fd);
      close (fd);
      *(fd == m->out_fd ? &m->out_fd : &m->err_fd) = -1;
    }
  return -1;
}

static int
on_net (struct monitor *m, int fd, int arg)
{
  (void)fd, (void)arg;
  /* The helper died under the container (it acknowledges only when told
     to stop): the container goes on with a network that leads nowhere. */
  unwatch (m, m->net.lifeline);
  pt_mon_net_lost (&m->net);
  fprintf (stderr, "conmon: the network helper of %.12s exited: the container has no network now\n",
           m->spec.id);
  return -1;
}

static int
on_timeout (struct monitor *m, int fd, int arg)
{
  (void)arg;
  uint64_t n;
  (void)!read (fd, &n, sizeof n);
  unwatch (m, fd);
  close (fd);
  /* --timeout: the time is up; the exit comes through the pidfd. */
  kill (m->pid, SIGKILL);
  return -1;
}

/* The interval is up: `podtool healthcheck run` records the result, unless
   the last one still runs. */
static int
on_health (struct monitor *m, int fd, int arg)
{
  (void)arg;
  uint64_t n;
  (void)!read (fd, &n, sizeof n);
  if (m->health_pid > 0 || m->podtool == NULL)
    return -1;
  pid_t pid = fork ();
  if (pid == 0)
    {
      sigset_t none;
      sigemptyset (&none);
      sigprocmask (SIG_SETMASK, &none, NULL);
      int null = open ("/dev/null", O_RDWR);
      if (null >= 0)
        dup2 (null, 0), dup2 (null, 1), dup2 (null, 2);
      const char *argv[] = { m->podtool,         "--root",      m->store.root, "--runroot",
                             m->store.runroot,   "healthcheck", "run",         m->spec.id,
                             NULL };
      execv (m->podtool, (char *const *)argv);
      _exit (127);
    }
  if (pid > 0)
    m->health_pid = pid;
  return -1;
}

static int (*const handlers[SRC_N]) (struct monitor *, int, int) = {
  [SRC_EXIT] = on_exit_,      [SRC_SIGNAL] = on_signal, [SRC_LISTEN] = on_listen,
  [SRC_CLIENT] = on_client,   [SRC_OUTPUT] = on_output, [SRC_NET] = on_net,
  [SRC_TIMEOUT] = on_timeout, [SRC_HEALTH] = on_health,
};

int
mon_run_loop (struct monitor *m)
{
  m->epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (m->epfd < 0)
    return -1;
  watch (m, SRC_OUTPUT, m->out_fd, 0);
  if (m->err_fd != m->out_fd)
    watch (m, SRC_OUTPUT, m->err_fd, 0);
  watch (m, SRC_EXIT, m->pidfd, 0);
  watch (m, SRC_SIGNAL, m->sigfd, 0);
  watch (m, SRC_LISTEN, m->listen_fd, 0);
  if (m->net.pid > 0)
    watch (m, SRC_NET, m->net.lifeline, 0);
  if (m->spec.timeout > 0)
    {
      int t = timerfd_create (CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
      struct itimerspec when = { .it_value = { .tv_sec = m->spec.timeout } };
      if (t >= 0 && timerfd_settime (t, 0, &when, NULL) == 0)
        watch (m, SRC_TIMEOUT, t, 0);
    }
  if (pt_health_defined (&m->spec) && m->spec.health_interval >= 0)
    {
      int64_t every = m->spec.health_interval ? m->spec.health_interval : PT_HEALTH_DEFAULT_INTERVAL;
      struct timespec ts = { every / 1000000000, every % 1000000000 };
      struct itimerspec when = { .it_value = ts, .it_interval = ts };
      int t = timerfd_create (CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
      if (t >= 0 && timerfd_settime (t, 0, &when, NULL) == 0)
        watch (m, SRC_HEALTH, t, 0);
    }
  for (int i = 0; i < PT_MAX_CLIENTS; i++)
    watch (m, SRC_CLIENT, m->clients[i], i);
  for (;;)
    {
      struct epoll_event evs[8];
      int n = epoll_wait (m->epfd, evs, 8, -1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      for (int i = 0; i < n; i++)
        {
          uint64_t d = evs[i].data.u64;
          int r = handlers[d & 0xff](m, (int)(d >> 32), (int)((d >> 8) & 0xffffff));
          if (r != -1)
            return r == -2 ? -1 : r;
        }
    }
}

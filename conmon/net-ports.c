/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Published ports, spliced: see net-ports.h. */
#include <config.h>
#include "net-ports.h"
#include "lib/caps.h"
#include "lib/net.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define MAX_LISTEN 256
#define MAX_CONN 1024
#define MAX_FLOWS 256
#define PIPE_SIZE (1 << 20)
#define FLOW_IDLE_S 60

struct listener
{
  int fd;
  bool udp;
  int ctr_port;
  int idx; /* in the pollfd array of this round */
};

/* One direction: from → pipe → to. */
struct half
{
  int pipe[2];
  size_t queued, cap; /* bytes in the pipe, and what it holds */
  bool eof;           /* from has no more */
  bool shut;          /* and to was told so */
};

struct conn
{
  int host, ctr; /* host: accepted; ctr: in the container's namespace */
  bool connecting, used;
  struct half up, down; /* host → ctr, ctr → host */
  int ih, ic;           /* pollfd indexes this round, or -1 */
};

struct flow
{
  bool used;
  struct listener *l;
  struct sockaddr_storage peer;
  socklen_t peer_len;
  int ctr; /* connected to 127.0.0.1:PORT inside the container */
  time_t last;
  int idx;
};

struct ports
{
  int maker; /* to the child in the container's namespaces: it answers with sockets */
  struct listener l[MAX_LISTEN];
  int nl;
  struct conn c[MAX_CONN];
  struct flow f[MAX_FLOWS];
};

/* The maker: a thread of ours whose network namespace is the
   container's (a namespace is a thread's; a socket keeps the one it was
   made in). The process joined the container's user namespace first, so
   the thread may join its network; then it holds no capability and has
   the container's seccomp filter. For each byte read ('t' TCP, 'u' UDP)
   it answers with a socket's number, or -1: the fd table is shared. */
struct maker_arg
{
  int netns, sock;
  int ok[2]; /* one byte: 0 joined, else an errno */
};

static void *
maker (void *opaque)
{
  struct maker_arg *a = opaque;
  pt_error_t err = NULL;
  char e = 0;
  if (setns (a->netns, CLONE_NEWNET) < 0)
    e = (char)errno;
  else if (pt_caps_drop_bounding (0, &err) < 0 || pt_caps_set (0, &err) < 0
           || prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || pt_seccomp_load_default (&err) < 0)
    e = (char)(err && err->status ? err->status : errno ? errno : EPERM);
  pt_error_release (&err);
  close (a->netns);
  int sock = a->sock, ready = a->ok[1];
  (void)!write (ready, &e, 1);
  close (ready);
  if (e)
    return NULL;
  char kind;
  while (read (sock, &kind, 1) == 1)
    {
      int fd = socket (AF_INET,
                       (kind == 'u' ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (write (sock, &fd, sizeof fd) != sizeof fd)
        break;
    }
  return NULL;
}

/* A socket of the container's network namespace, connected (or
   connecting) to 127.0.0.1:port there. */
static int
ctr_socket (struct ports *p, bool udp, int port)
{
  char kind = udp ? 'u' : 't';
  int fd = -1;
  if (write (p->maker, &kind, 1) != 1 || read (p->maker, &fd, sizeof fd) != sizeof fd || fd < 0)
    return -1;
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons (port) };
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static int
listen_on (const char *spec, struct listener *l, char *why, size_t why_len)
{
  struct pt_port p;
  if (pt_net_port_parse_spec (spec, &p) < 0)
    return snprintf (why, why_len, "invalid --port `%s`", spec), -1;
  struct sockaddr_storage ss;
  socklen_t len = pt_net_port_sockaddr (&p, &ss);
  bool v6 = ss.ss_family == AF_INET6, udp = p.udp;
  int fd = socket (v6 ? AF_INET6 : AF_INET,
                   (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd >= 0)
    setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind (fd, (struct sockaddr *)&ss, len) < 0 || (!udp && listen (fd, 128) < 0))
    {
      snprintf (why, why_len, "rootlessport listen %s %s:%d: bind: %s", udp ? "udp" : "tcp",
                *p.host_ip ? p.host_ip : "0.0.0.0", p.host_port, strerror (errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  *l = (struct listener){ .fd = fd, .udp = udp, .ctr_port = p.ctr_port, .idx = -1 };
  return 0;
}

struct ports *
ports_new (int netns, char **specs, int n, char *why, size_t why_len)
{
  struct ports *p = calloc (1, sizeof *p);
  int sv[2];
  static struct maker_arg a;
  if (p == NULL || socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0
      || pipe2 (a.ok, O_CLOEXEC) < 0)
    {
      snprintf (why, why_len, "reach the container's network namespace: %s", strerror (errno));
      return NULL;
    }
  a.netns = netns;
  a.sock = sv[1];
  p->maker = sv[0];
  /* One malloc arena: a thread of its own would cost its pages. */
  mallopt (M_ARENA_MAX, 1);
  pthread_attr_t attr;
  pthread_t t;
  pthread_attr_init (&attr);
  pthread_attr_setstacksize (&attr, 64 * 1024);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  int r = pthread_create (&t, &attr, maker, &a);
  pthread_attr_destroy (&attr);
  char e = 0;
  if (r != 0)
    close (a.ok[1]); /* else the thread's, as netns */
  if (r != 0 || read (a.ok[0], &e, 1) != 1 || e)
    {
      snprintf (why, why_len, "join the container's network namespace: %s",
                strerror (r   ? r
                          : e ? e
                              : EIO));
      return NULL;
    }
  close (a.ok[0]);
  for (int i = 0; i < n && i < MAX_LISTEN; i++)
    if (listen_on (specs[i], &p->l[p->nl++], why, why_len) < 0)
      return NULL;
  return p;
}

static int
add_fd (struct pollfd *pfd, int *n, int max, int fd, short ev)
{
  if (*n >= max || ev == 0)
    return -1;
  pfd[*n] = (struct pollfd){ .fd = fd, .events = ev };
  return (*n)++;
}

static void
conn_close (struct conn *c)
{
  close (c->host);
  close (c->ctr);
  close (c->up.pipe[0]), close (c->up.pipe[1]);
  close (c->down.pipe[0]), close (c->down.pipe[1]);
  c->used = false;
}

void
ports_fill (struct ports *p, struct pollfd *pfd, int *n, int max)
{
  for (int i = 0; i < p->nl; i++)
    p->l[i].idx = add_fd (pfd, n, max, p->l[i].fd, POLLIN);
  for (int i = 0; i < MAX_CONN; i++)
    {
      struct conn *c = &p->c[i];
      if (!c->used) /* untouched: its page need not be resident */
        continue;
      c->ih = c->ic = -1;
      if (c->connecting)
        {
          c->ic = add_fd (pfd, n, max, c->ctr, POLLOUT);
          continue;
        }
      /* Read only into room: a full pipe waits for its reader, not in a spin. */
      short h
          = (!c->up.eof && c->up.queued < c->up.cap ? POLLIN : 0) | (c->down.queued ? POLLOUT : 0);
      short k = (!c->down.eof && c->down.queued < c->down.cap ? POLLIN : 0)
                | (c->up.queued ? POLLOUT : 0);
      c->ih = add_fd (pfd, n, max, c->host, h);
      c->ic = add_fd (pfd, n, max, c->ctr, k);
    }
  time_t now = time (NULL);
  for (int i = 0; i < MAX_FLOWS; i++)
    {
      struct flow *f = &p->f[i];
      if (!f->used)
        continue;
      f->idx = -1;
      if (now - f->last > FLOW_IDLE_S)
        {
          close (f->ctr);
          f->used = false;
        }
      if (f->used)
        f->idx = add_fd (pfd, n, max, f->ctr, POLLIN);
    }
}

static void
accept_tcp (struct ports *p, struct listener *l)
{
  int h = accept4 (l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (h < 0)
    return;
  struct conn *c = NULL;
  for (int i = 0; i < MAX_CONN && c == NULL; i++)
    if (!p->c[i].used)
      c = &p->c[i];
  int k = c ? ctr_socket (p, false, l->ctr_port) : -1;
  if (k < 0)
    {
      close (h);
      return;
    }
  *c = (struct conn){ .host = h,
                      .ctr = k,
                      .connecting = true,
                      .used = true,
                      .ih = -1,
                      .ic = -1,
                      .up = { .pipe = { -1, -1 } },
                      .down = { .pipe = { -1, -1 } } };
  if (pipe2 (c->up.pipe, O_NONBLOCK | O_CLOEXEC) < 0
      || pipe2 (c->down.pipe, O_NONBLOCK | O_CLOEXEC) < 0)
    {
      conn_close (c);
      return;
    }
  fcntl (c->up.pipe[1], F_SETPIPE_SZ, PIPE_SIZE);
  fcntl (c->down.pipe[1], F_SETPIPE_SZ, PIPE_SIZE);
  int a = fcntl (c->up.pipe[1], F_GETPIPE_SZ), b = fcntl (c->down.pipe[1], F_GETPIPE_SZ);
  c->up.cap = a > 0 ? (size_t)a : 65536;
  c->down.cap = b > 0 ? (size_t)b : 65536;
}

/* from → half's pipe → to, as far as each end allows now. */
static bool
pump (int from, int to, struct half *h, short rev_from, short rev_to)
{
  if ((rev_from & (POLLIN | POLLHUP | POLLERR)) && !h->eof && h->queued < h->cap)
    {
      ssize_t n = splice (from, NULL, h->pipe[1], NULL, h->cap - h->queued,
                          SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0)
        h->queued += n;
      else if (n == 0)
        h->eof = true;
      else if (errno != EAGAIN && errno != EINTR)
        return false;
    }
  if (h->queued && (rev_to & (POLLOUT | POLLERR | POLLHUP)))
    {
      ssize_t n = splice (h->pipe[0], NULL, to, NULL, h->queued, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0)
        h->queued -= n;
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        return false;
    }
  if (h->eof && h->queued == 0 && !h->shut)
    {
      shutdown (to, SHUT_WR);
      h->shut = true;
    }
  return true;
}

static void
run_conn (struct conn *c, const struct pollfd *pfd)
{
  short rh = c->ih >= 0 ? pfd[c->ih].revents : 0, rc = c->ic >= 0 ? pfd[c->ic].revents : 0;
  if (c->connecting)
    {
      if (!rc)
        return;
      int e = 0;
      socklen_t l = sizeof e;
      getsockopt (c->ctr, SOL_SOCKET, SO_ERROR, &e, &l);
      if (e)
        conn_close (c);
      else
        c->connecting = false;
      return;
    }
  /* Writable ends are not polled unless bytes wait: try both anyway. */
  if (!pump (c->host, c->ctr, &c->up, rh, rc | POLLOUT)
      || !pump (c->ctr, c->host, &c->down, rc, rh | POLLOUT)
      || (c->up.eof && c->down.eof && !c->up.queued && !c->down.queued))
    conn_close (c);
}

static void
udp_in (struct ports *p, struct listener *l)
{
  char buf[65536];
  struct sockaddr_storage peer;
  socklen_t pl = sizeof peer;
  ssize_t n = recvfrom (l->fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &pl);
  if (n < 0)
    return;
  struct flow *f = NULL, *free_one = NULL;
  for (int i = 0; i < MAX_FLOWS && f == NULL; i++)
    if (p->f[i].used && p->f[i].l == l && p->f[i].peer_len == pl
        && memcmp (&p->f[i].peer, &peer, pl) == 0)
      f = &p->f[i];
    else if (!p->f[i].used && free_one == NULL)
      free_one = &p->f[i];
  if (f == NULL && free_one)
    {
      int k = ctr_socket (p, true, l->ctr_port);
      if (k < 0)
        return;
      f = free_one;
      *f = (struct flow){ .used = true, .l = l, .peer = peer, .peer_len = pl, .ctr = k, .idx = -1 };
    }
  if (f == NULL)
    return;
  f->last = time (NULL);
  (void)!send (f->ctr, buf, n, 0);
}

static void
udp_out (struct flow *f)
{
  char buf[65536];
  ssize_t n;
  while ((n = recv (f->ctr, buf, sizeof buf, 0)) >= 0)
    {
      f->last = time (NULL);
      (void)!sendto (f->l->fd, buf, n, 0, (struct sockaddr *)&f->peer, f->peer_len);
    }
}

void
ports_run (struct ports *p, const struct pollfd *pfd, int n)
{
  for (int i = 0; i < p->nl; i++)
    if (p->l[i].idx >= 0 && p->l[i].idx < n && (pfd[p->l[i].idx].revents & POLLIN))
      (p->l[i].udp ? udp_in : accept_tcp) (p, &p->l[i]);
  for (int i = 0; i < MAX_CONN; i++)
    if (p->c[i].used)
      run_conn (&p->c[i], pfd);
  for (int i = 0; i < MAX_FLOWS; i++)
    if (p->f[i].used && p->f[i].idx >= 0 && (pfd[p->f[i].idx].revents & POLLIN))
      udp_out (&p->f[i]);
}

void
ports_close (struct ports *p)
{
  for (int i = 0; i < p->nl; i++)
    close (p->l[i].fd);
  p->nl = 0;
  for (int i = 0; i < MAX_CONN; i++)
    if (p->c[i].used)
      conn_close (&p->c[i]);
  for (int i = 0; i < MAX_FLOWS; i++)
    if (p->f[i].used)
      {
        close (p->f[i].ctr);
        p->f[i].used = false;
      }
}

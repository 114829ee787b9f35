/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The monitor's side of a container's network (see monitor-net.h). */
#include <config.h>
#include "monitor-net.h"
#include "lib/container.h"
#include "lib/linux-net.h"
#include "lib/util.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* slirp4netns: podtool-net beside us, with tap0 on fd 3, its lifeline on
   4, a pipe on 5 that says "ok" once its ports are bound, or why not, and
   the container's user and network namespaces on 6 and 7. */
int
pt_mon_net_start (struct pt_mon_net *h, const struct pt_net *n, const char *self, int tap,
                  pt_error_t *err)
{
  const char *env = getenv ("PODTOOL_NET");
  const char *slash = strrchr (self, '/');
  cleanup_free char *path = env && *env ? xstrdup (env)
                            : slash     ? xasprintf ("%.*s/podtool-net", (int)(slash - self), self)
                                        : xstrdup ("podtool-net");
  char **argv = NULL;
  pt_strv_append (&argv, path);
  cleanup_free char *mtu = xasprintf ("--mtu=%d", n->mtu), *cidr = xasprintf ("--cidr=%s", n->cidr);
  pt_strv_append (&argv, mtu);
  pt_strv_append (&argv, cidr);
  if (n->allow_host_loopback)
    pt_strv_append (&argv, "--allow-host-loopback");
  if (n->ipv6)
    pt_strv_append (&argv, "--ipv6");
  if (n->slirp_ports)
    pt_strv_append (&argv, "--slirp-ports");
  if (*n->outbound_addr)
    {
      cleanup_free char *o = xasprintf ("--outbound-addr=%s", n->outbound_addr);
      pt_strv_append (&argv, o);
    }
  if (*n->outbound_addr6)
    {
      cleanup_free char *o = xasprintf ("--outbound-addr6=%s", n->outbound_addr6);
      pt_strv_append (&argv, o);
    }
  for (size_t i = 0; i < n->n_ports; i++)
    {
      cleanup_free char *spec = pt_net_port_spec (&n->ports[i]);
      cleanup_free char *p = xasprintf ("--port=%s", spec);
      pt_strv_append (&argv, p);
    }
  int life[2], ready[2];
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, life) < 0 || pipe2 (ready, O_CLOEXEC) < 0)
    return pt_make_error (err, errno, "pipe");
  pid_t pid = fork ();
  if (pid == 0)
    {
      if (dup2 (tap, 3) < 0 || dup2 (life[0], 4) < 0 || dup2 (ready[1], 5) < 0
          || dup2 (h->ns_user, 6) < 0 || dup2 (h->ns_net, 7) < 0)
        _exit (127);
      syscall (SYS_close_range, 8, ~0U, 0);
      execv (path, argv);
      dprintf (5, "start the network helper `%s`: %s\n", path, strerror (errno));
      _exit (127);
    }
  pt_strv_free (argv);
  close (life[0]);
  close (ready[1]);
  if (pid < 0)
    {
      close (life[1]);
      close (ready[0]);
      return pt_make_error (err, errno, "fork the network helper");
    }
  h->pid = pid;
  h->lifeline = life[1];
  close (h->ns_user);
  close (h->ns_net);
  h->ns_user = h->ns_net = -1;
  /* "ok", or a line: never wait for more than 30 s on a helper that hangs. */
  char msg[512] = "";
  size_t got = 0;
  struct pollfd pfd = { .fd = ready[0], .events = POLLIN };
  while (got < sizeof msg - 1 && !(got == 2 && memcmp (msg, "ok", 2) == 0)
         && !memchr (msg, '\n', got) && poll (&pfd, 1, 30000) > 0)
    {
      ssize_t r = read (ready[0], msg + got, sizeof msg - 1 - got);
      if (r <= 0)
        break;
      got += r;
    }
  close (ready[0]);
  if (got == 2 && memcmp (msg, "ok", 2) == 0)
    return 0;
  msg[got] = '\0';
  msg[strcspn (msg, "\n")] = '\0';
  return pt_make_error (err, 0, "%s", *msg ? msg : "the network helper exited before it was ready");
}

/* Its ports go with it, before the exit is recorded: a start right after a
   wait can bind them again. */
void
pt_mon_net_stop (struct pt_mon_net *h)
{
  if (h->pid <= 0)
    return;
  /* It closes its ports and says so; the rest of its exit (the tap's
     teardown in the kernel takes tens of ms) is not ours to wait for. */
  shutdown (h->lifeline, SHUT_WR);
  struct pollfd p = { .fd = h->lifeline, .events = POLLIN };
  char ack;
  if (poll (&p, 1, 2000) <= 0 || read (h->lifeline, &ack, 1) != 1)
    {
      kill (h->pid, SIGKILL);
      while (waitpid (h->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    }
  close (h->lifeline);
  h->pid = 0;
}

/* container:X: the monitor itself joins X's user and network namespaces,
   so the namespaces it then makes for this container belong to X's user
   namespace (whose root is the user, as ours would be) and its network is
   X's; also: more of X's namespaces (a pod's IPC and UTS). X must be
   running. */
int
pt_mon_net_join (struct pt_store *s, const char *target, int also, pt_error_t *err)
{
  struct pt_ctr_state st;
  if (pt_ctr_state (s, target, &st, err) < 0)
    return -1;
  if (!pt_ctr_alive (&st))
    return pt_make_error (err, 0, "cannot join the network of container %.12s: it is not running",
                          target);
  int pidfd = syscall (SYS_pidfd_open, st.pid, 0);
  int r = pidfd < 0 || setns (pidfd, CLONE_NEWUSER | CLONE_NEWNET | also) < 0
              ? pt_make_error (err, errno, "join the network of container %.12s", target)
              : 0;
  if (pidfd >= 0)
    close (pidfd);
  return r;
}

/* ns:PATH: as container:X, with the user namespace that owns PATH's. */
int
pt_mon_net_join_ns (const char *path, pt_error_t *err)
{
  int userns;
  int fd = pt_linux_netns_open (path, &userns, err);
  if (fd < 0)
    return -1;
  int r = setns (userns, CLONE_NEWUSER) < 0 || setns (fd, CLONE_NEWNET) < 0
              ? pt_make_error (err, errno, "join network namespace %s", path)
              : 0;
  close (userns);
  close (fd);
  return r;
}

void
pt_mon_net_lost (struct pt_mon_net *h)
{
  if (h->pid <= 0)
    return;
  kill (h->pid, SIGKILL);
  while (waitpid (h->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  close (h->lifeline);
  h->lifeline = -1;
  h->pid = 0;
}

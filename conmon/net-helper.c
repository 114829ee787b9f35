/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool-net: the network helper of one slirp4netns container. The only
   program of podtool's that links libslirp (and so GLib). Started by the
   monitor with the container's tap0 on fd 3; it runs a user-mode TCP/IP
   stack for it in the host's network namespace: outbound connections,
   DNS at .3 forwarded to the host's resolvers, the host's loopback at .2
   when allowed, and the published ports (-p) forwarded into the stack.
     podtool-net --mtu N --cidr A.B.C.D/N [--allow-host-loopback] [--ipv6]
                 [--outbound-addr IP|IFACE] [--outbound-addr6 IP|IFACE] [--port
   tcp|udp:HOSTIP:HOSTPORT:CTRPORT]...
                 [--slirp-ports]
   The ports are spliced into the container's namespace (net-ports.c),
   or with --slirp-ports forwarded through the slirp stack (which shows
   the container each connection from the gateway, not from its source).
   fd 3: tap0; fd 4: the lifeline (EOF: the monitor is gone, so are we);
   fd 5: readiness: "ok", or one line of error (a port already in use);
   fds 6 and 7: the container's user and network namespaces. It joins the
   user namespace (its root is the user, as ours), so that it may make a
   mount namespace of its own (net-sandbox.h) and a thread of its may join
   the container's network to make the sockets of published ports; the
   stack's own sockets stay in the host's network namespace. */
#include <config.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <slirp/libslirp.h>
#include "lib/caps.h"
#include "lib/net.h"
#include "lib/sealed.h"
#include "lib/userns.h"
#include "net-ports.h"
#include "net-sandbox.h"
#include "net-tap.h"
#include <sched.h>

#define TAP_FD 3
#define LIFELINE_FD 4
#define READY_FD 5
#define MAX_POLL 4096
#define MAX_TIMERS 16
/* libslirp's TCP offers no window scaling, so its window is at most 64 KiB:
   with segments of a 65520-byte MTU one is in flight at a time (stop and
   wait, and bimodal: 1.7 to 3.7 Gbit/s container -> host here), with 16 KiB
   ones four are, and the stream is steady (4.1 to 4.4). bench/net.sh. */
#define STACK_MTU 16384

struct timer
{
  SlirpTimerCb cb;
  void *opaque;
  int64_t expire_ms; /* -1: off */
  bool used;
};

struct helper
{
  Slirp *slirp;
  struct ports *ports; /* the builtin handler's, or NULL */
  struct pollfd pfd[MAX_POLL];
  int npfd;
  struct timer timers[MAX_TIMERS];
};

static int64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static ssize_t
send_packet (const void *buf, size_t len, void *opaque)
{
  (void)opaque;
  tap_send (TAP_FD, buf, len);
  return (ssize_t)len;
}

static void
guest_error (const char *msg, void *opaque)
{
  (void)opaque;
  fprintf (stderr, "podtool-net: guest error: %s\n", msg);
}

static int64_t
clock_get_ns (void *opaque)
{
  (void)opaque;
  return now_ns ();
}

static void *
timer_new (SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
  struct helper *h = opaque;
  for (int i = 0; i < MAX_TIMERS; i++)
    if (!h->timers[i].used)
      {
        h->timers[i] = (struct timer){ cb, cb_opaque, -1, true };
        return &h->timers[i];
      }
  abort (); /* libslirp makes one or two */
}

static void
timer_free (void *t, void *opaque)
{
  (void)opaque;
  ((struct timer *)t)->used = false;
}

static void
timer_mod (void *t, int64_t expire_ms, void *opaque)
{
  (void)opaque;
  ((struct timer *)t)->expire_ms = expire_ms;
}

static void
register_poll_fd (int fd, void *opaque)
{
  (void)fd, (void)opaque;
}

static void
notify (void *opaque)
{
  (void)opaque;
}

static int
add_poll (int fd, int events, void *opaque)
{
  struct helper *h = opaque;
  if (h->npfd >= MAX_POLL)
    return -1;
  short ev = (events & SLIRP_POLL_IN ? POLLIN : 0) | (events & SLIRP_POLL_OUT ? POLLOUT : 0)
             | (events & SLIRP_POLL_PRI ? POLLPRI : 0);
  h->pfd[h->npfd] = (struct pollfd){ .fd = fd, .events = ev };
  return h->npfd++;
}

static int
get_revents (int idx, void *opaque)
{
  struct helper *h = opaque;
  if (idx < 0 || idx >= h->npfd)
    return 0;
  short r = h->pfd[idx].revents;
  return (r & POLLIN ? SLIRP_POLL_IN : 0) | (r & POLLOUT ? SLIRP_POLL_OUT : 0)
         | (r & POLLPRI ? SLIRP_POLL_PRI : 0) | (r & POLLERR ? SLIRP_POLL_ERR : 0)
         | (r & POLLHUP ? SLIRP_POLL_HUP : 0);
}

static char why[512];

static void __attribute__ ((noreturn)) not_ready (void)
{
  dprintf (READY_FD, "%s\n", why);
  _exit (1);
}

/* tcp|udp:HOSTIP:HOSTPORT:CTRPORT, forwarded in the slirp stack. */
static void
add_port (Slirp *slirp, const char *spec, struct in_addr guest)
{
  struct pt_port p;
  struct in_addr host = { INADDR_ANY };
  if (pt_net_port_parse_spec (spec, &p) < 0)
    {
      snprintf (why, sizeof why, "invalid --port `%s`", spec);
      not_ready ();
    }
  if (*p.host_ip && inet_pton (AF_INET, p.host_ip, &host) != 1)
    {
      snprintf (why, sizeof why, "rootlessport listen on `%s`: only IPv4 addresses are forwarded",
                p.host_ip);
      not_ready ();
    }
  if (slirp_add_hostfwd (slirp, p.udp, host, p.host_port, guest, p.ctr_port) < 0)
    {
      snprintf (why, sizeof why, "rootlessport listen %s %s:%d: bind: address already in use",
                p.udp ? "udp" : "tcp", *p.host_ip ? p.host_ip : "0.0.0.0", p.host_port);
      not_ready ();
    }
}

static void
run_timers (struct helper *h)
{
  int64_t ms = now_ns () / 1000000;
  for (int i = 0; i < MAX_TIMERS; i++)
    if (h->timers[i].used && h->timers[i].expire_ms >= 0 && h->timers[i].expire_ms <= ms)
      {
        h->timers[i].expire_ms = -1;
        h->timers[i].cb (h->timers[i].opaque);
      }
}

static int
next_timeout (struct helper *h, uint32_t slirp_timeout)
{
  int64_t ms = now_ns () / 1000000, t = slirp_timeout == UINT32_MAX ? -1 : (int64_t)slirp_timeout;
  for (int i = 0; i < MAX_TIMERS; i++)
    if (h->timers[i].used && h->timers[i].expire_ms >= 0)
      {
        int64_t d = h->timers[i].expire_ms - ms;
        if (d < 0)
          d = 0;
        if (t < 0 || d < t)
          t = d;
      }
  return t > 1000 || t < 0 ? 1000 : (int)t;
}

static void
loop (struct helper *h)
{
  static uint8_t frame[65536 + 64];
  for (;;)
    {
      h->npfd = 0;
      add_poll (TAP_FD, SLIRP_POLL_IN, h);
      add_poll (LIFELINE_FD, SLIRP_POLL_IN, h);
      uint32_t timeout = UINT32_MAX;
      slirp_pollfds_fill (h->slirp, &timeout, add_poll, h);
      if (h->ports)
        ports_fill (h->ports, h->pfd, &h->npfd, MAX_POLL);
      tap_flush (TAP_FD);
      int r = poll (h->pfd, h->npfd, next_timeout (h, timeout));
      if (r < 0 && errno != EINTR)
        _exit (1);
      if (r > 0 && (h->pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          /* The container ended (or the monitor is gone): the ports go
             first and the monitor hears so; the tap's teardown follows. */
          if (h->ports)
            ports_close (h->ports);
          slirp_cleanup (h->slirp);
          (void)!write (LIFELINE_FD, "x", 1);
          _exit (0);
        }
      if (r > 0 && (h->pfd[0].revents & POLLIN))
        for (int i = 0; i < 64; i++)
          {
            ssize_t n = read (TAP_FD, frame, sizeof frame);
            if (n <= 0)
              break;
            slirp_input (h->slirp, frame, n);
          }
      slirp_pollfds_poll (h->slirp, r < 0, get_revents, h);
      if (h->ports && r > 0)
        ports_run (h->ports, h->pfd, h->npfd);
      run_timers (h);
    }
}

int
main (int argc, char **argv)
{
  static const struct option longopts[] = {
    { "mtu", required_argument, NULL, 'm' },
    { "cidr", required_argument, NULL, 'c' },
    { "allow-host-loopback", no_argument, NULL, 'l' },
    { "ipv6", no_argument, NULL, '6' },
    { "outbound-addr", required_argument, NULL, 'o' },
    { "outbound-addr6", required_argument, NULL, 'O' },
    { "port", required_argument, NULL, 'p' },
    { "slirp-ports", no_argument, NULL, 's' },
    { NULL, 0, NULL, 0 },
  };
  /* Not dumpable before it joins: the container's root is no one to us. */
  pt_undumpable ();
  uid_t host_uid = getuid ();
  if (setns (6, CLONE_NEWUSER) < 0
      /* nomap, auto: no id of ours in there, and the sandbox's tmpfs
         needs one; its root is no more than the container's. */
      || (!pt_userns_self_maps (host_uid) && (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)))
    {
      snprintf (why, sizeof why, "podtool-net: join the container's user namespace: %s",
                strerror (errno));
      not_ready ();
    }
  close (6);
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () == 1)
    return 1;
  signal (SIGPIPE, SIG_IGN);
  int mtu = 65520, c;
  bool loopback = false, ipv6 = false, slirp_ports = false;
  const char *cidr = "10.0.2.0/24", *outbound = NULL, *outbound6 = NULL;
  char **ports = calloc (argc + 1, sizeof *ports);
  int nports = 0;
  while ((c = getopt_long (argc, argv, "", longopts, NULL)) != -1)
    switch (c)
      {
      case 'm': mtu = atoi (optarg); break;
      case 'c': cidr = optarg; break;
      case 'l': loopback = true; break;
      case '6': ipv6 = true; break;
      case 'o': outbound = optarg; break;
      case 'O': outbound6 = optarg; break;
      case 'p': ports[nports++] = optarg; break;
      case 's': slirp_ports = true; break;
      default: snprintf (why, sizeof why, "podtool-net: bad arguments"); not_ready ();
      }
  char ctr[16], gw[16], dns[16];
  int prefix;
  pt_error_t err = NULL;
  if (pt_net_slirp_addrs (cidr, ctr, gw, dns, &prefix, &err) < 0)
    {
      snprintf (why, sizeof why, "%s", err->msg);
      not_ready ();
    }
  struct helper *h = calloc (1, sizeof *h);
  /* tap0 has the MTU asked for, and the stack takes frames that large;
     what it sends, and the MSS it offers, are at most STACK_MTU. */
  SlirpConfig cfg = { .version = 4,
                      .in_enabled = true,
                      .if_mtu = mtu < STACK_MTU ? mtu : STACK_MTU,
                      .if_mru = mtu,
                      .disable_host_loopback = !loopback,
                      .in6_enabled = ipv6,
                      .vprefix_len = 64,
                      .vhostname = "podtool" };
  struct in_addr net, mask = { htonl (~0u << (32 - prefix)) };
  inet_pton (AF_INET, ctr, &net);
  net.s_addr &= mask.s_addr;
  cfg.vnetwork = net;
  cfg.vnetmask = mask;
  inet_pton (AF_INET, gw, &cfg.vhost);
  inet_pton (AF_INET, dns, &cfg.vnameserver);
  inet_pton (AF_INET, ctr, &cfg.vdhcp_start);
  inet_pton (AF_INET6, "fd00::", &cfg.vprefix_addr6);
  inet_pton (AF_INET6, "fd00::2", &cfg.vhost6);
  inet_pton (AF_INET6, "fd00::3", &cfg.vnameserver6);
  /* An interface's address is looked up at each start: it may change. */
  struct sockaddr_storage out4, out6;
  if (outbound && pt_net_outbound (outbound, AF_INET, &out4) < 0)
    {
      snprintf (why, sizeof why, "outbound_addr `%s`: no such IPv4 address or interface", outbound);
      not_ready ();
    }
  if (outbound6 && pt_net_outbound (outbound6, AF_INET6, &out6) < 0)
    {
      snprintf (why, sizeof why, "outbound_addr6 `%s`: no such IPv6 address or interface",
                outbound6);
      not_ready ();
    }
  cfg.outbound_addr = outbound ? (struct sockaddr_in *)&out4 : NULL;
  cfg.outbound_addr6 = outbound6 ? (struct sockaddr_in6 *)&out6 : NULL;
  static const SlirpCb cb = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_get_ns,
    .timer_new = timer_new,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = register_poll_fd,
    .unregister_poll_fd = register_poll_fd,
    .notify = notify,
  };
  h->slirp = slirp_new (&cfg, &cb, h);
  if (h->slirp == NULL)
    {
      snprintf (why, sizeof why, "slirp_new failed");
      not_ready ();
    }
  struct in_addr guest;
  inet_pton (AF_INET, ctr, &guest);
  if (slirp_ports || nports == 0)
    {
      close (7);
      for (int i = 0; i < nports; i++)
        add_port (h->slirp, ports[i], guest);
    }
  else if ((h->ports = ports_new (7, ports, nports, why, sizeof why)) == NULL)
    not_ready ();
  fcntl (TAP_FD, F_SETFL, fcntl (TAP_FD, F_GETFL) | O_NONBLOCK);
  /* It parses what the container sends: from here on it sees only /etc,
     holds no capability, can gain nothing (no new privileges) and has the
     container's own seccomp filter (no mount, ptrace, setns, unshare, ...). */
  if (net_sandbox (why, sizeof why) < 0)
    not_ready ();
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || pt_seccomp_load_default (&err) < 0)
    {
      snprintf (why, sizeof why, "sandbox the network helper: %s",
                err ? err->msg : strerror (errno));
      not_ready ();
    }
  if (write (READY_FD, "ok", 2) != 2)
    return 1;
  close (READY_FD);
  loop (h);
}

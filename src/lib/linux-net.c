/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container's side of slirp networking: tap0, its addresses and route,
   with the classic ioctls (no netlink library, no `ip` command). */
#include <config.h>
#include "linux-net.h"
#include "util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/stat.h>
#include <linux/ipv6.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define TAP_NAME "tap0"

static int
write_sysctl (const char *path, const char *value)
{
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  size_t n = strlen (value);
  return fd >= 0 && write (fd, value, n) == (ssize_t)n ? 0 : -1;
}

static int
set_ipv4 (int s, unsigned long req, const char *addr, const char *what, pt_error_t *err)
{
  struct ifreq ifr = { 0 };
  struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
  strcpy (ifr.ifr_name, TAP_NAME);
  sin->sin_family = AF_INET;
  inet_pton (AF_INET, addr, &sin->sin_addr);
  if (ioctl (s, req, &ifr) < 0)
    return pt_make_error (err, errno, "set the %s of %s to %s", what, TAP_NAME, addr);
  return 0;
}

static int
default_route (int s, const char *gw, pt_error_t *err)
{
  struct rtentry rt = { 0 };
  struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
  struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
  struct sockaddr_in *gate = (struct sockaddr_in *)&rt.rt_gateway;
  dst->sin_family = mask->sin_family = gate->sin_family = AF_INET;
  inet_pton (AF_INET, gw, &gate->sin_addr);
  rt.rt_flags = RTF_UP | RTF_GATEWAY;
  rt.rt_dev = (char *)TAP_NAME;
  if (ioctl (s, SIOCADDRT, &rt) < 0)
    return pt_make_error (err, errno, "add the default route through %s", gw);
  return 0;
}

static int
set_ipv6 (pt_error_t *err)
{
  cleanup_close int s6 = socket (AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr = { 0 };
  strcpy (ifr.ifr_name, TAP_NAME);
  if (s6 < 0 || ioctl (s6, SIOCGIFINDEX, &ifr) < 0)
    return pt_make_error (err, errno, "find %s for IPv6", TAP_NAME);
  struct in6_ifreq r = { .ifr6_prefixlen = 64, .ifr6_ifindex = ifr.ifr_ifindex };
  inet_pton (AF_INET6, "fd00::100", &r.ifr6_addr);
  /* No duplicate detection on a link of two: the address works at once. */
  (void)!write_sysctl ("/proc/sys/net/ipv6/conf/" TAP_NAME "/accept_dad", "0");
  if (ioctl (s6, SIOCSIFADDR, &r) < 0)
    return pt_make_error (err, errno, "set fd00::100/64 on %s", TAP_NAME);
  return 0;
}

/* Through fd00::2, once tap0 is up: slirp's router advertisements would
   bring it only after a solicitation the helper was not there to hear. */
static int
default_route6 (pt_error_t *err)
{
  cleanup_close int s6 = socket (AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr = { 0 };
  strcpy (ifr.ifr_name, TAP_NAME);
  if (s6 < 0 || ioctl (s6, SIOCGIFINDEX, &ifr) < 0)
    return pt_make_error (err, errno, "find %s for IPv6", TAP_NAME);
  struct in6_rtmsg rt = { .rtmsg_flags = RTF_UP | RTF_GATEWAY,
                          .rtmsg_metric = 1,
                          .rtmsg_ifindex = ifr.ifr_ifindex };
  inet_pton (AF_INET6, "fd00::2", &rt.rtmsg_gateway);
  if (ioctl (s6, SIOCADDRT, &rt) < 0)
    return pt_make_error (err, errno, "add the IPv6 default route through fd00::2");
  return 0;
}

int
pt_linux_net_sysctls (pt_error_t *err)
{
  /* Podman's default_sysctls: ping(8) works without CAP_NET_RAW, which
     the default capabilities leave out. */
  if (write_sysctl ("/proc/sys/net/ipv4/ping_group_range", "0 0") < 0)
    return pt_make_error (err, errno, "set net.ipv4.ping_group_range");
  return 0;
}

int
pt_linux_net_tap (const struct pt_net *n, int *tap_fd, pt_error_t *err)
{
  char ctr[16], gw[16], dns[16];
  int prefix;
  if (pt_net_slirp_addrs (n->cidr, ctr, gw, dns, &prefix, err) < 0)
    return -1;
  int fd = open ("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return pt_make_error (err, errno, "open /dev/net/tun (slirp4netns networking needs it)");
  struct ifreq ifr = { 0 };
  strcpy (ifr.ifr_name, TAP_NAME);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (ioctl (fd, TUNSETIFF, &ifr) < 0)
    {
      int e = errno;
      close (fd);
      return pt_make_error (err, e, "create %s", TAP_NAME);
    }
  cleanup_close int s = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct in_addr m = { htonl (prefix ? ~0u << (32 - prefix) : 0) };
  char mask[16];
  inet_ntop (AF_INET, &m, mask, sizeof mask);
  struct ifreq up = { 0 };
  strcpy (up.ifr_name, TAP_NAME);
  up.ifr_mtu = n->mtu;
  int r = s < 0 ? pt_make_error (err, errno, "socket") : 0;
  if (r == 0 && ioctl (s, SIOCSIFMTU, &up) < 0)
    r = pt_make_error (err, errno, "set the MTU of %s to %d", TAP_NAME, n->mtu);
  if (r == 0)
    r = set_ipv4 (s, SIOCSIFADDR, ctr, "address", err);
  if (r == 0)
    r = set_ipv4 (s, SIOCSIFNETMASK, mask, "netmask", err);
  if (r == 0 && n->ipv6)
    r = set_ipv6 (err);
  if (r == 0 && ioctl (s, SIOCGIFFLAGS, &up) < 0)
    r = pt_make_error (err, errno, "read the flags of %s", TAP_NAME);
  up.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (r == 0 && ioctl (s, SIOCSIFFLAGS, &up) < 0)
    r = pt_make_error (err, errno, "bring %s up", TAP_NAME);
  if (r == 0)
    r = default_route (s, gw, err);
  if (r == 0 && n->ipv6)
    r = default_route6 (err);
  if (r < 0)
    {
      close (fd);
      return -1;
    }
  *tap_fd = fd;
  return 0;
}

int
pt_linux_netns_open (const char *path, int *userns_fd, pt_error_t *err)
{
  *userns_fd = -1;
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return pt_make_error (err, errno, "network namespace %s", path);
  if (ioctl (fd, NS_GET_NSTYPE) != CLONE_NEWNET)
    {
      close (fd);
      return pt_make_error (err, 0, "%s is not a network namespace", path);
    }
  int u = ioctl (fd, NS_GET_USERNS);
  uid_t owner = (uid_t)-1;
  struct stat ours, theirs;
  if (u < 0 || ioctl (u, NS_GET_OWNER_UID, &owner) < 0 || fstat (u, &theirs) < 0
      || stat ("/proc/self/ns/user", &ours) < 0)
    pt_make_error (err, errno, "the user namespace of network namespace %s", path);
  else if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
    pt_make_error (err, 0,
                   "network namespace %s belongs to the host's user namespace, where a rootless "
                   "container has no privilege: join one made in a user namespace of yours "
                   "(another container's, or one made in `podtool unshare`)",
                   path);
  else if (owner != geteuid ())
    pt_make_error (err, 0, "network namespace %s belongs to a user namespace of uid %u, not yours",
                   path, (unsigned)owner);
  else
    {
      *userns_fd = u;
      return fd;
    }
  if (u >= 0)
    close (u);
  close (fd);
  return -1;
}

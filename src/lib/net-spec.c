/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What podtool, the monitor and podtool-net say to each other about a
   network: the slirp addresses of a cidr and the one spelling of a
   published port (no JSON here: podtool-net links only what it uses). */
#include <config.h>
#include "net.h"
#include "util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <string.h>
#include <sys/socket.h>

int
pt_net_slirp_addrs (const char *cidr, char ctr[16], char gw[16], char dns[16], int *prefix,
                    pt_error_t *err)
{
  const char *slash = strchr (cidr, '/');
  cleanup_free char *ip = slash ? xstrndup (cidr, slash - cidr) : xstrdup (cidr);
  struct in_addr a;
  long len;
  if (slash == NULL || inet_pton (AF_INET, ip, &a) != 1
      || pt_parse_long (slash + 1, 1, 25, &len) < 0)
    return pt_make_error (err, 0, "invalid slirp4netns cidr `%s`: A.B.C.D/N with N at most 25",
                          cidr);
  uint32_t mask = len == 0 ? 0 : ~0u << (32 - len);
  uint32_t net = ntohl (a.s_addr) & mask;
  struct in_addr c = { htonl (net + 100) }, g = { htonl (net + 2) }, d = { htonl (net + 3) };
  inet_ntop (AF_INET, &c, ctr, 16);
  inet_ntop (AF_INET, &g, gw, 16);
  inet_ntop (AF_INET, &d, dns, 16);
  *prefix = len;
  return 0;
}

socklen_t
pt_net_port_sockaddr (const struct pt_port *p, struct sockaddr_storage *ss)
{
  memset (ss, 0, sizeof *ss);
  if (strchr (p->host_ip, ':'))
    {
      struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
      a->sin6_family = AF_INET6;
      a->sin6_port = htons (p->host_port);
      inet_pton (AF_INET6, p->host_ip, &a->sin6_addr);
      return sizeof *a;
    }
  struct sockaddr_in *a = (struct sockaddr_in *)ss;
  a->sin_family = AF_INET;
  a->sin_port = htons (p->host_port);
  if (*p->host_ip)
    inet_pton (AF_INET, p->host_ip, &a->sin_addr);
  return sizeof *a;
}

char *
pt_net_port_spec (const struct pt_port *p)
{
  return xasprintf ("%s:%s:%d:%d", p->udp ? "udp" : "tcp", p->host_ip, p->host_port, p->ctr_port);
}

int
pt_net_port_parse_spec (const char *spec, struct pt_port *p)
{
  memset (p, 0, sizeof *p);
  /* The ports from the end: the address between may be IPv6, colons and all. */
  const char *first = strchr (spec, ':'), *last = strrchr (spec, ':');
  const char *mid = last && last > spec ? memrchr (spec, ':', last - spec) : NULL;
  long hp, cp;
  if (first == NULL || mid == NULL || mid < first || (size_t)(mid - first - 1) >= sizeof p->host_ip)
    return -1;
  cleanup_free char *h = xstrndup (mid + 1, last - mid - 1);
  if (pt_parse_long (h, 1, 65535, &hp) < 0 || pt_parse_long (last + 1, 1, 65535, &cp) < 0)
    return -1;
  if (first - spec == 3 && strncmp (spec, "udp", 3) == 0)
    p->udp = true;
  else if (!(first - spec == 3 && strncmp (spec, "tcp", 3) == 0))
    return -1;
  memcpy (p->host_ip, first + 1, mid - first - 1);
  p->host_port = hp;
  p->ctr_port = cp;
  return 0;
}

int
pt_net_outbound (const char *v, int family, struct sockaddr_storage *ss)
{
  memset (ss, 0, sizeof *ss);
  ss->ss_family = family;
  void *addr = family == AF_INET ? (void *)&((struct sockaddr_in *)ss)->sin_addr
                                 : (void *)&((struct sockaddr_in6 *)ss)->sin6_addr;
  if (inet_pton (family, v, addr) == 1)
    return 0;
  struct ifaddrs *all;
  if (getifaddrs (&all) < 0)
    return -1;
  int r = -1;
  errno = ENODEV;
  for (struct ifaddrs *i = all; i && r < 0; i = i->ifa_next)
    if (i->ifa_addr && i->ifa_addr->sa_family == family && strcmp (i->ifa_name, v) == 0)
      {
        memcpy (ss, i->ifa_addr,
                family == AF_INET ? sizeof (struct sockaddr_in) : sizeof (struct sockaddr_in6));
        ((struct sockaddr_in *)ss)->sin_port = 0;
        r = 0;
      }
  freeifaddrs (all);
  return r;
}

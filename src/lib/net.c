/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Network modes, published ports and DNS options: parsing and what
   config.json keeps. What the monitor and the net helper do with them is
   in linux-net.c and conmon/net-helper.c. */
#include <config.h>
#include "net.h"
#include "container.h"
#include "jsonutil.h"
#include "linux-net.h"
#include "log.h"
#include "util.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
pt_net_init (struct pt_net *n)
{
  memset (n, 0, sizeof *n);
  n->mode = PT_NET_SLIRP;
  n->mtu = 65520;
  n->cidr = xstrdup ("10.0.2.0/24");
  n->target = xstrdup ("");
  n->outbound_addr = xstrdup ("");
  n->outbound_addr6 = xstrdup ("");
  n->dns = xzalloc (sizeof (char *));
  n->dns_search = xzalloc (sizeof (char *));
  n->dns_options = xzalloc (sizeof (char *));
  n->add_hosts = xzalloc (sizeof (char *));
}

void
pt_net_free (struct pt_net *n)
{
  free (n->target);
  free (n->cidr);
  free (n->outbound_addr);
  free (n->outbound_addr6);
  free (n->ports);
  pt_strv_free (n->dns);
  pt_strv_free (n->dns_search);
  pt_strv_free (n->dns_options);
  pt_strv_free (n->add_hosts);
  memset (n, 0, sizeof *n);
}

static int
parse_bool (const char *v, bool *out)
{
  if (strcmp (v, "true") == 0)
    *out = true;
  else if (strcmp (v, "false") == 0)
    *out = false;
  else
    return -1;
  return 0;
}

/* slirp4netns's options, comma-separated. */
static int
parse_slirp_options (const char *opts, struct pt_net *n, pt_error_t *err)
{
  cleanup_free char *copy = xstrdup (opts);
  for (char *save = NULL, *o = strtok_r (copy, ",", &save); o; o = strtok_r (NULL, ",", &save))
    {
      char *eq = strchr (o, '=');
      const char *v = eq ? eq + 1 : "";
      if (eq)
        *eq = '\0';
      long mtu;
      char a[16], b[16], c[16];
      int prefix;
      if (strcmp (o, "allow_host_loopback") == 0 && parse_bool (v, &n->allow_host_loopback) == 0)
        continue;
      if (strcmp (o, "enable_ipv6") == 0 && parse_bool (v, &n->ipv6) == 0)
        continue;
      if (strcmp (o, "mtu") == 0 && pt_parse_long (v, 68, 65521, &mtu) == 0)
        {
          n->mtu = mtu;
          continue;
        }
      if (strcmp (o, "cidr") == 0)
        {
          if (pt_net_slirp_addrs (v, a, b, c, &prefix, err) < 0)
            return -1;
          free (n->cidr);
          n->cidr = xstrdup (v);
          continue;
        }
      if ((strcmp (o, "outbound_addr") == 0 || strcmp (o, "outbound_addr6") == 0) && *v)
        {
          bool six = o[13] == '6';
          struct sockaddr_storage ss;
          if (pt_net_outbound (v, six ? AF_INET6 : AF_INET, &ss) < 0)
            return pt_make_error (err, 0,
                                  "slirp4netns option %s=%s: neither an IPv%c address nor "
                                  "an interface of this host with one",
                                  o, v, six ? '6' : '4');
          char **field = six ? &n->outbound_addr6 : &n->outbound_addr;
          free (*field);
          *field = xstrdup (v);
          continue;
        }
      if (strcmp (o, "port_handler") == 0
          && (strcmp (v, "rootlesskit") == 0 || strcmp (v, "slirp4netns") == 0))
        {
          n->slirp_ports = strcmp (v, "slirp4netns") == 0;
          continue;
        }
      return pt_make_error (err, 0,
                            "invalid slirp4netns option `%s%s%s`: allow_host_loopback=true|false, "
                            "mtu=N, cidr=A.B.C.D/N, enable_ipv6=true|false, "
                            "outbound_addr=IP|IFACE, outbound_addr6=IP|IFACE, "
                            "port_handler=rootlesskit|slirp4netns",
                            o, eq ? "=" : "", v);
    }
  return 0;
}

int
pt_net_parse_mode (const char *arg, struct pt_net *n, pt_error_t *err)
{
  const char *colon = strchr (arg, ':');
  size_t k = colon ? (size_t)(colon - arg) : strlen (arg);
  const char *rest = colon ? colon + 1 : NULL;
  free (n->target);
  n->target = xstrdup ("");
  if ((k == 11 && strncmp (arg, "slirp4netns", 11) == 0)
      || (k == 5 && strncmp (arg, "slirp", 5) == 0) || (!colon && strcmp (arg, "private") == 0)
      || (!colon && strcmp (arg, "default") == 0))
    {
      n->mode = PT_NET_SLIRP;
      return rest ? parse_slirp_options (rest, n, err) : 0;
    }
  if (!colon && strcmp (arg, "none") == 0)
    n->mode = PT_NET_NONE;
  else if (!colon && strcmp (arg, "host") == 0)
    n->mode = PT_NET_HOST;
  else if (k == 9 && strncmp (arg, "container", 9) == 0 && rest && *rest)
    {
      n->mode = PT_NET_CONTAINER;
      free (n->target);
      n->target = xstrdup (rest);
    }
  else if (k == 2 && strncmp (arg, "ns", 2) == 0 && rest && *rest == '/')
    {
      n->mode = PT_NET_NS;
      free (n->target);
      n->target = xstrdup (rest);
    }
  else if (k == 2 && strncmp (arg, "ns", 2) == 0)
    return pt_make_error (err, 0,
                          "network `%s`: ns: takes the absolute path of a network namespace", arg);
  else
    return pt_make_error (
        err, 0,
        "network `%s` is not available to rootless podtool: use slirp4netns[:OPTIONS] "
        "(the default), none, host, container:NAME or ns:PATH",
        arg);
  return 0;
}

char *
pt_net_mode_name (const struct pt_net *n)
{
  switch (n->mode)
    {
    case PT_NET_NONE: return xstrdup ("none");
    case PT_NET_HOST: return xstrdup ("host");
    case PT_NET_CONTAINER: return xasprintf ("container:%s", n->target);
    case PT_NET_NS: return xasprintf ("ns:%s", n->target);
    default: return xstrdup ("slirp4netns");
    }
}

/* "N" or "N-M" into [lo, hi]. */
static int
parse_range (const char *s, long *lo, long *hi, bool zero_ok)
{
  const char *dash = strchr (s, '-');
  cleanup_free char *a = dash ? xstrndup (s, dash - s) : xstrdup (s);
  if (pt_parse_long (a, zero_ok ? 0 : 1, 65535, lo) < 0)
    return -1;
  *hi = *lo;
  if (dash && (pt_parse_long (dash + 1, 1, 65535, hi) < 0 || *hi < *lo))
    return -1;
  return 0;
}

int
pt_net_parse_port (const char *arg, struct pt_net *n, pt_error_t *err)
{
  cleanup_free char *s = xstrdup (arg);
  bool udp = false;
  char *slash = strrchr (s, '/');
  if (slash)
    {
      *slash = '\0';
      if (strcmp (slash + 1, "udp") == 0)
        udp = true;
      else if (strcmp (slash + 1, "tcp") != 0)
        return pt_make_error (err, 0, "invalid port protocol `%s` in `%s`: tcp or udp", slash + 1,
                              arg);
    }
  char ip[64] = "";
  char *p = s;
  if (*p == '[')
    {
      char *close = strchr (p, ']');
      if (close == NULL || close[1] != ':' || (size_t)(close - p - 1) >= sizeof ip)
        return pt_make_error (err, 0, "invalid port `%s`: [IPv6]:HOSTPORT:CTRPORT", arg);
      memcpy (ip, p + 1, close - p - 1);
      p = close + 2;
    }
  char *parts[3];
  int np = 0;
  /* Split on ':' keeping empty fields ("127.0.0.1::80"). */
  parts[np++] = p;
  for (char *c = p; *c; c++)
    if (*c == ':')
      {
        if (np == 3)
          return pt_make_error (err, 0, "invalid port `%s`: [IP:][HOSTPORT:]CTRPORT[/PROTO]", arg);
        *c = '\0';
        parts[np++] = c + 1;
      }
  const char *ctr = parts[np - 1], *host = np >= 2 ? parts[np - 2] : "";
  if (np == 3)
    {
      if (*ip)
        return pt_make_error (err, 0, "invalid port `%s`: [IP:][HOSTPORT:]CTRPORT[/PROTO]", arg);
      if (strlen (parts[0]) >= sizeof ip)
        return pt_make_error (err, 0, "invalid host IP in `%s`", arg);
      strcpy (ip, parts[0]);
    }
  else if (np == 2 && *ip == '\0' && strchr (parts[0], '.'))
    return pt_make_error (err, 0,
                          "invalid port `%s`: an IP needs HOSTPORT too (IP::CTRPORT for a "
                          "free one)",
                          arg);
  struct in6_addr any;
  if (*ip && inet_pton (AF_INET, ip, &any) != 1 && inet_pton (AF_INET6, ip, &any) != 1)
    return pt_make_error (err, 0, "invalid IP address `%s` in port `%s`", ip, arg);
  long clo, chi, hlo = 0, hhi = 0;
  if (parse_range (ctr, &clo, &chi, false) < 0)
    return pt_make_error (err, 0, "invalid containerPort: %s", ctr);
  if (*host && parse_range (host, &hlo, &hhi, false) < 0)
    return pt_make_error (err, 0, "invalid hostPort: %s", host);
  if (*host && hhi - hlo != chi - clo)
    return pt_make_error (err, 0,
                          "invalid ranges in `%s`: the host range must be as long as the "
                          "container's",
                          arg);
  for (long i = 0; i <= chi - clo; i++)
    {
      n->ports = xrealloc (n->ports, (n->n_ports + 1) * sizeof *n->ports);
      struct pt_port *pp = &n->ports[n->n_ports++];
      memset (pp, 0, sizeof *pp);
      strcpy (pp->host_ip, ip);
      pp->ctr_port = clo + i;
      pp->host_port = *host ? hlo + i : 0;
      pp->udp = udp;
    }
  return 0;
}

int
pt_net_check_add_host (const char *arg, pt_error_t *err)
{
  const char *colon = strchr (arg, ':');
  struct in6_addr a;
  if (colon == NULL || colon == arg
      || (inet_pton (AF_INET, colon + 1, &a) != 1 && inet_pton (AF_INET6, colon + 1, &a) != 1
          && strcmp (colon + 1, "host-gateway") != 0))
    return pt_make_error (err, 0, "invalid --add-host `%s`: NAME:IP", arg);
  for (const char *p = arg; p < colon; p++)
    if (!(isalnum ((unsigned char)*p) || *p == '-' || *p == '.' || *p == '_'))
      return pt_make_error (err, 0, "invalid host name in --add-host `%s`", arg);
  return 0;
}

json_t *
pt_net_to_json (const struct pt_net *n)
{
  json_t *ports = json_array ();
  for (size_t i = 0; i < n->n_ports; i++)
    json_array_append_new (ports, json_pack ("{s:s, s:i, s:i, s:s}", "host_ip", n->ports[i].host_ip,
                                             "host_port", n->ports[i].host_port, "container_port",
                                             n->ports[i].ctr_port, "protocol",
                                             n->ports[i].udp ? "udp" : "tcp"));
  return json_pack ("{s:i, s:o, s:i, s:s, s:b, s:b, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:b}",
                    "mode", (int)n->mode, "target", pt_json_str (n->target), "mtu", n->mtu, "cidr",
                    n->cidr, "allow_host_loopback", n->allow_host_loopback, "ipv6", n->ipv6,
                    "outbound_addr", pt_json_str (n->outbound_addr), "outbound_addr6",
                    pt_json_str (n->outbound_addr6), "slirp_ports", n->slirp_ports, "ports", ports,
                    "dns", pt_strv_json (n->dns), "dns_search", pt_strv_json (n->dns_search),
                    "dns_options", pt_strv_json (n->dns_options), "add_hosts",
                    pt_strv_json (n->add_hosts), "no_hosts", n->no_hosts);
}

static char *
str_or (json_t *j, const char *key, const char *dflt)
{
  char *v = pt_json_get_str (json_object_get (j, key));
  return v ? v : xstrdup (dflt);
}

void
pt_net_from_json (json_t *j, struct pt_net *n)
{
  pt_net_init (n);
  if (!json_is_object (j))
    {
      /* Made before there was a network: only lo. */
      n->mode = PT_NET_NONE;
      return;
    }
  json_t *mode = json_object_get (j, "mode");
  if (json_is_integer (mode) && json_integer_value (mode) >= 0
      && json_integer_value (mode) <= PT_NET_NS)
    n->mode = json_integer_value (mode);
  free (n->target), n->target = str_or (j, "target", "");
  free (n->cidr), n->cidr = str_or (j, "cidr", "10.0.2.0/24");
  free (n->outbound_addr), n->outbound_addr = str_or (j, "outbound_addr", "");
  free (n->outbound_addr6), n->outbound_addr6 = str_or (j, "outbound_addr6", "");
  json_t *mtu = json_object_get (j, "mtu");
  if (json_is_integer (mtu))
    n->mtu = json_integer_value (mtu);
  n->allow_host_loopback = json_is_true (json_object_get (j, "allow_host_loopback"));
  n->ipv6 = json_is_true (json_object_get (j, "ipv6"));
  n->slirp_ports = json_is_true (json_object_get (j, "slirp_ports"));
  n->no_hosts = json_is_true (json_object_get (j, "no_hosts"));
  pt_strv_free (n->dns), n->dns = pt_json_strv (json_object_get (j, "dns"));
  pt_strv_free (n->dns_search), n->dns_search = pt_json_strv (json_object_get (j, "dns_search"));
  pt_strv_free (n->dns_options), n->dns_options = pt_json_strv (json_object_get (j, "dns_options"));
  pt_strv_free (n->add_hosts), n->add_hosts = pt_json_strv (json_object_get (j, "add_hosts"));
  json_t *ports = json_object_get (j, "ports"), *p;
  size_t i;
  json_array_foreach (ports, i, p)
  {
    const char *ip = json_string_value (json_object_get (p, "host_ip"));
    json_t *hp = json_object_get (p, "host_port"), *cp = json_object_get (p, "container_port");
    const char *proto = json_string_value (json_object_get (p, "protocol"));
    if (!json_is_integer (cp) || !json_is_integer (hp) || json_integer_value (cp) < 1
        || json_integer_value (cp) > 65535 || json_integer_value (hp) < 0
        || json_integer_value (hp) > 65535)
      continue;
    n->ports = xrealloc (n->ports, (n->n_ports + 1) * sizeof *n->ports);
    struct pt_port *pp = &n->ports[n->n_ports++];
    memset (pp, 0, sizeof *pp);
    snprintf (pp->host_ip, sizeof pp->host_ip, "%s", ip ? ip : "");
    pp->host_port = json_integer_value (hp);
    pp->ctr_port = json_integer_value (cp);
    pp->udp = proto && strcmp (proto, "udp") == 0;
  }
}

/* The lowest port a user may bind. */
static long
unprivileged_port_start (void)
{
  cleanup_free char *v = NULL;
  long n;
  if (pt_read_file (AT_FDCWD, "/proc/sys/net/ipv4/ip_unprivileged_port_start", &v, NULL, NULL) < 0)
    return 1024;
  v[strcspn (v, "\n")] = '\0';
  return pt_parse_long (v, 0, 65536, &n) == 0 ? n : 1024;
}

/* A socket bound where the port would be: the port (a free one for 0), or
   -1 with errno. */
static int
try_bind (const struct pt_port *p, int *fd_out)
{
  struct sockaddr_storage ss;
  socklen_t len = pt_net_port_sockaddr (p, &ss);
  bool v6 = ss.ss_family == AF_INET6;
  int fd = socket (v6 ? AF_INET6 : AF_INET, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0)
    return -1;
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (fd, (struct sockaddr *)&ss, len) < 0 || (!p->udp && listen (fd, 1) < 0)
      || getsockname (fd, (struct sockaddr *)&ss, &len) < 0)
    {
      int e = errno;
      close (fd);
      errno = e;
      return -1;
    }
  *fd_out = fd;
  return ntohs (v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                   : ((struct sockaddr_in *)&ss)->sin_port);
}

static void
add_exposed (struct pt_net *n, const char *spec)
{
  struct pt_net tmp;
  pt_net_init (&tmp);
  pt_error_t e = NULL;
  if (pt_net_parse_port (spec, &tmp, &e) == 0)
    for (size_t i = 0; i < tmp.n_ports; i++)
      {
        bool have = false;
        for (size_t k = 0; k < n->n_ports; k++)
          have |= n->ports[k].ctr_port == tmp.ports[i].ctr_port
                  && n->ports[k].udp == tmp.ports[i].udp;
        if (have)
          continue;
        n->ports = xrealloc (n->ports, (n->n_ports + 1) * sizeof *n->ports);
        n->ports[n->n_ports++] = tmp.ports[i];
      }
  pt_error_release (&e);
  pt_net_free (&tmp);
}

int
pt_net_prepare (struct pt_store *s, struct pt_net *n, json_t *exposed, char **expose,
                bool publish_all, pt_error_t *err)
{
  if (n->mode == PT_NET_CONTAINER)
    {
      char *id = NULL;
      if (pt_ctr_resolve (s, n->target, &id, err) < 0)
        return -1;
      free (n->target);
      n->target = id;
    }
  if (n->mode == PT_NET_NS)
    {
      int userns;
      int fd = pt_linux_netns_open (n->target, &userns, err);
      if (fd < 0)
        return -1;
      close (fd);
      close (userns);
    }
  if (publish_all)
    {
      const char *k;
      json_t *v;
      json_object_foreach (exposed, k, v) add_exposed (n, k);
      for (size_t i = 0; expose && expose[i]; i++)
        add_exposed (n, expose[i]);
    }
  if (n->n_ports && n->mode == PT_NET_CONTAINER)
    return pt_make_error (err, 0,
                          "cannot set port bindings on an existing container network namespace: "
                          "publish them on container %.12s",
                          n->target);
  if (n->n_ports && n->mode != PT_NET_SLIRP)
    {
      pt_warn ("port mappings have been discarded: the %s network mode has no ports of its own",
               n->mode == PT_NET_HOST   ? "host"
               : n->mode == PT_NET_NONE ? "none"
                                        : "shared");
      n->n_ports = 0;
    }
  long low = unprivileged_port_start ();
  for (size_t i = 0; i < n->n_ports; i++)
    {
      struct pt_port *p = &n->ports[i];
      if (p->host_port && p->host_port < low)
        return pt_make_error (err, 0,
                              "rootlessport cannot expose privileged port %d: it is below "
                              "net.ipv4.ip_unprivileged_port_start (%ld); lower that sysctl or "
                              "publish a port at or above it",
                              p->host_port, low);
      for (size_t k = 0; k < i; k++)
        if (n->ports[k].host_port && n->ports[k].host_port == p->host_port
            && n->ports[k].udp == p->udp && strcmp (n->ports[k].host_ip, p->host_ip) == 0)
          return pt_make_error (err, 0, "host port %d/%s is published twice", p->host_port,
                                p->udp ? "udp" : "tcp");
      int fd, port = try_bind (p, &fd);
      if (port < 0)
        return pt_make_error (err, errno, "rootlessport listen %s %s:%d: bind",
                              p->udp ? "udp" : "tcp", *p->host_ip ? p->host_ip : "0.0.0.0",
                              p->host_port);
      close (fd);
      p->host_port = port; /* a free one for -p CTRPORT and -P */
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's /etc/resolv.conf and /etc/hosts, as its network has them. */
#include <config.h>
#include "net.h"
#include "util.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void append (char **buf, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
append (char **buf, const char *fmt, ...)
{
  va_list ap;
  char *line;
  va_start (ap, fmt);
  if (vasprintf (&line, fmt, ap) < 0)
    pt_oom ();
  va_end (ap);
  char *joined = xasprintf ("%s%s", *buf, line);
  free (line);
  free (*buf);
  *buf = joined;
}

/* The host's lines that start with key ("search", "options", "nameserver"). */
static char **
host_resolv (const char *key)
{
  cleanup_free char *data = NULL;
  char **out = xzalloc (sizeof (char *));
  if (pt_read_file (AT_FDCWD, "/etc/resolv.conf", &data, NULL, NULL) < 0)
    return out;
  size_t k = strlen (key);
  for (char *save = NULL, *l = strtok_r (data, "\n", &save); l; l = strtok_r (NULL, "\n", &save))
    if (strncmp (l, key, k) == 0 && (l[k] == ' ' || l[k] == '\t'))
      {
        l += k;
        l += strspn (l, " \t");
        for (char *s2 = NULL, *w = strtok_r (l, " \t", &s2); w; w = strtok_r (NULL, " \t", &s2))
          pt_strv_append (&out, w);
      }
  return out;
}

char *
pt_net_resolv_conf (const struct pt_net *n)
{
  char ctr[16], gw[16], dns[16];
  int prefix;
  pt_error_t e = NULL;
  cleanup_strv char **servers = NULL, **search = NULL, **options = NULL;
  if (n->dns[0])
    servers = pt_strv_dup (n->dns);
  else if (n->mode == PT_NET_SLIRP && pt_net_slirp_addrs (n->cidr, ctr, gw, dns, &prefix, &e) == 0)
    {
      servers = xzalloc (sizeof (char *));
      pt_strv_append (&servers, dns);
      if (n->ipv6)
        pt_strv_append (&servers, "fd00::3");
    }
  else if (n->mode == PT_NET_NONE)
    servers = xzalloc (sizeof (char *));
  else
    servers = host_resolv ("nameserver");
  pt_error_release (&e);
  search = n->dns_search[0] ? pt_strv_dup (n->dns_search) : host_resolv ("search");
  options = n->dns_options[0] ? pt_strv_dup (n->dns_options) : host_resolv ("options");
  char *out = xstrdup (n->mode == PT_NET_NONE && !n->dns[0]
                           ? "# podtool: this container has no network (--network none)\n"
                           : "");
  /* --dns-search . : no search domains at all, as in Podman. */
  if (search[0] && strcmp (search[0], ".") != 0)
    {
      cleanup_free char *s = pt_strv_join (search, " ");
      append (&out, "search %s\n", s);
    }
  for (size_t i = 0; servers[i]; i++)
    append (&out, "nameserver %s\n", servers[i]);
  if (options[0])
    {
      cleanup_free char *o = pt_strv_join (options, " ");
      append (&out, "options %s\n", o);
    }
  return out;
}

char *
pt_net_hosts (const struct pt_net *n, const char *hostname, const char *name)
{
  char ctr[16] = "", gw[16] = "", dns[16];
  int prefix;
  pt_error_t e = NULL;
  bool slirp = n->mode == PT_NET_SLIRP
               && pt_net_slirp_addrs (n->cidr, ctr, gw, dns, &prefix, &e) == 0;
  pt_error_release (&e);
  char *out = xstrdup ("127.0.0.1\tlocalhost localhost.localdomain localhost4 "
                       "localhost4.localdomain4\n"
                       "::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n");
  /* --add-host first, as Podman writes them; host-gateway is the host. */
  for (size_t i = 0; n->add_hosts[i]; i++)
    {
      const char *colon = strchr (n->add_hosts[i], ':');
      cleanup_free char *host = xstrndup (n->add_hosts[i], colon - n->add_hosts[i]);
      const char *ip = strcmp (colon + 1, "host-gateway") == 0 ? (slirp ? gw : "127.0.0.1") : colon + 1;
      append (&out, "%s\t%s\n", ip, host);
    }
  append (&out, "%s\t%s", slirp ? ctr : "127.0.1.1", hostname);
  if (name && *name && strcmp (name, hostname) != 0)
    append (&out, " %s", name);
  append (&out, "\n");
  if (slirp && n->allow_host_loopback)
    append (&out, "%s\thost.containers.internal host.docker.internal\n", gw);
  return out;
}

/* "0.0.0.0:8080->80/tcp, ...", as ps shows them. */
char *
pt_net_ports_text (const struct pt_net *n)
{
  char *out = xstrdup ("");
  for (size_t i = 0; i < n->n_ports; i++)
    {
      const struct pt_port *p = &n->ports[i];
      append (&out, "%s%s:%d->%d/%s", i ? ", " : "", *p->host_ip ? p->host_ip : "0.0.0.0",
              p->host_port, p->ctr_port, p->udp ? "udp" : "tcp");
    }
  return out;
}

/* {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}: NetworkSettings.Ports
   and HostConfig.PortBindings. */
json_t *
pt_net_ports_json (const struct pt_net *n)
{
  json_t *o = json_object ();
  for (size_t i = 0; i < n->n_ports; i++)
    {
      const struct pt_port *p = &n->ports[i];
      char key[16], port[8];
      snprintf (key, sizeof key, "%d/%s", p->ctr_port, p->udp ? "udp" : "tcp");
      snprintf (port, sizeof port, "%d", p->host_port);
      json_t *list = json_object_get (o, key);
      if (list == NULL)
        json_object_set_new (o, key, list = json_array ());
      json_array_append_new (list, json_pack ("{s:s, s:s}", "HostIp", p->host_ip, "HostPort", port));
    }
  return o;
}

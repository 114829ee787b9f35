/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_NET_H
#define PT_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include <sys/socket.h>
#include "error.h"

/* --network as Podman spells it, rootless: */
enum pt_net_mode
{
  PT_NET_SLIRP,     /* slirp4netns[:OPTIONS] (slirp, private, default) */
  PT_NET_NONE,      /* only lo */
  PT_NET_HOST,      /* the host's network namespace */
  PT_NET_CONTAINER, /* container:NAME|ID: another container's */
  PT_NET_NS,        /* ns:PATH */
};

/* -p [IP:][HOSTPORT:]CTRPORT[/tcp|/udp], one port of a range each. */
struct pt_port
{
  char host_ip[64];   /* "" for every address */
  uint16_t host_port; /* 0: a free one, picked when the container starts */
  uint16_t ctr_port;
  bool udp;
};

struct pt_net
{
  enum pt_net_mode mode;
  char *target;             /* container: its name or id; ns: the path */
  int mtu;                  /* slirp: 65520 */
  char *cidr;               /* slirp: "10.0.2.0/24" */
  bool allow_host_loopback; /* slirp: 10.0.2.2 reaches the host's 127.0.0.1 */
  bool ipv6;                /* slirp: fd00::100/64 */
  char *outbound_addr;      /* slirp: "", an IPv4 address or an interface */
  char *outbound_addr6;     /* slirp: "", an IPv6 address or an interface */
  bool slirp_ports;         /* port_handler=slirp4netns: forwarded in the slirp stack */
  struct pt_port *ports;
  size_t n_ports;
  char **dns, **dns_search, **dns_options, **add_hosts; /* NULL-terminated, never NULL */
  bool no_hosts;
};

/* outbound_addr[6]=V: V itself if an address of family, else the first
   address of that family of the interface named V; -1 and errno if none. */
int pt_net_outbound (const char *v, int family, struct sockaddr_storage *ss);

void pt_net_init (struct pt_net *n); /* the default: slirp4netns, no ports */
void pt_net_free (struct pt_net *n);
/* --network ARG over n (its ports and DNS options stay). */
int pt_net_parse_mode (const char *arg, struct pt_net *n, pt_error_t *err);
/* -p ARG: appends one port per port of its range. */
int pt_net_parse_port (const char *arg, struct pt_net *n, pt_error_t *err);
/* --add-host NAME:IP */
int pt_net_check_add_host (const char *arg, pt_error_t *err);
/* Podman's NetworkMode word: "slirp4netns", "none", "host", "container:ID", "ns:PATH". */
char *pt_net_mode_name (const struct pt_net *n);

/* What config.json keeps, and back. */
json_t *pt_net_to_json (const struct pt_net *n);
void pt_net_from_json (json_t *j, struct pt_net *n);

/* At create: a container: target resolved to its id; -P's ports (the
   image's ExposedPorts and --expose) added; ports below
   net.ipv4.ip_unprivileged_port_start, published twice or in use refused;
   a free host port picked for each without one. */
struct pt_store;
int pt_net_prepare (struct pt_store *s, struct pt_net *n, json_t *exposed, char **expose,
                    bool publish_all, pt_error_t *err);
/* How the monitor tells podtool-net a port: "tcp|udp:HOSTIP:HOSTPORT:CTRPORT"
   (HOSTIP may be empty, or IPv6), and back (0, or -1 for a malformed one). */
char *pt_net_port_spec (const struct pt_port *p);
int pt_net_port_parse_spec (const char *spec, struct pt_port *p);
/* p's host address and port as a socket address; its length. */
socklen_t pt_net_port_sockaddr (const struct pt_port *p, struct sockaddr_storage *ss);

/* The container's /etc/resolv.conf and /etc/hosts (net-files.c). */
char *pt_net_resolv_conf (const struct pt_net *n);
char *pt_net_hosts (const struct pt_net *n, const char *hostname, const char *name);
/* The ports as ps shows them ("0.0.0.0:8080->80/tcp, ..."), and as
   inspect's NetworkSettings.Ports and HostConfig.PortBindings. */
char *pt_net_ports_text (const struct pt_net *n);
json_t *pt_net_ports_json (const struct pt_net *n);

/* slirp's addresses for cidr: network, the container (.100), the gateway
   (.2) and DNS (.3), dotted. */
int pt_net_slirp_addrs (const char *cidr, char ctr[16], char gw[16], char dns[16], int *prefix,
                        pt_error_t *err);

#endif

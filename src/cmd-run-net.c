/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create's network options: --network, -p, -P, --expose, --dns,
   --dns-search, --dns-option, --add-host, --no-hosts. */
#include <config.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <string.h>
#include "cmd.h"
#include "lib/net.h"
#include "lib/util.h"

int
pt_cli_net_option (int c, const char *arg, struct pt_cli_net *o, pt_error_t *err)
{
  switch (c)
    {
    case PT_OPT_NETWORK: return pt_net_parse_mode (arg, &o->net, err);
    case 'p': return pt_net_parse_port (arg, &o->net, err);
    case 'P': o->publish_all = true; return 0;
    case PT_OPT_EXPOSE:
      {
        /* PORT[-PORT][/PROTO]: published by -P, else only recorded. */
        struct pt_net tmp;
        pt_net_init (&tmp);
        int r = pt_net_parse_port (arg, &tmp, err);
        pt_net_free (&tmp);
        if (r < 0 || strchr (arg, ':'))
          return r < 0 ? -1 : pt_make_error (err, 0, "invalid --expose `%s`: PORT[-PORT][/PROTO]", arg);
        pt_strv_append (&o->expose, arg);
        return 0;
      }
    case PT_OPT_DNS:
      {
        struct in6_addr a;
        if (inet_pton (AF_INET, arg, &a) != 1 && inet_pton (AF_INET6, arg, &a) != 1)
          return pt_make_error (err, 0, "invalid --dns `%s`: not an IP address", arg);
        pt_strv_append (&o->net.dns, arg);
        return 0;
      }
    case PT_OPT_DNS_SEARCH:
    case PT_OPT_DNS_OPTION:
      /* One word of resolv.conf each: no space, no line break. */
      if (*arg == '\0' || arg[strcspn (arg, " \t\r\n")] != '\0')
        return pt_make_error (err, 0, "invalid --%s `%s`: one word, without spaces",
                              c == PT_OPT_DNS_SEARCH ? "dns-search" : "dns-option", arg);
      pt_strv_append (c == PT_OPT_DNS_SEARCH ? &o->net.dns_search : &o->net.dns_options, arg);
      return 0;
    case PT_OPT_ADD_HOST:
      if (pt_net_check_add_host (arg, err) < 0)
        return -1;
      pt_strv_append (&o->net.add_hosts, arg);
      return 0;
    case PT_OPT_NO_HOSTS: o->net.no_hosts = true; return 0;
    default: return 1;
    }
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "lib/net.h"

/* -p ARG, then each port through the monitor's spec and back. */
static void
roundtrip (const char *arg, const char *want)
{
  struct pt_net n;
  pt_net_init (&n);
  pt_error_t err = NULL;
  char got[512] = "";
  if (pt_net_parse_port (arg, &n, &err) < 0)
    snprintf (got, sizeof got, "error: %s", err->msg);
  for (size_t i = 0; i < n.n_ports; i++)
    {
      char *spec = pt_net_port_spec (&n.ports[i]);
      struct pt_port back;
      if (pt_net_port_parse_spec (spec, &back) < 0 || memcmp (&back, &n.ports[i], sizeof back) != 0)
        strcat (got, "MISMATCH ");
      strncat (got, spec, sizeof got - strlen (got) - 2);
      strcat (got, " ");
      free (spec);
    }
  ok (strcmp (got, want) == 0, "%s -> %s", arg, got);
  pt_error_release (&err);
  pt_net_free (&n);
}

int
main (void)
{
  plan (9);
  roundtrip ("8080:80", "tcp::8080:80 ");
  roundtrip ("127.0.0.1:8080:80/udp", "udp:127.0.0.1:8080:80 ");
  roundtrip ("[::1]:8080:80", "tcp:::1:8080:80 ");
  roundtrip ("8000-8001:80-81", "tcp::8000:80 tcp::8001:81 ");
  roundtrip ("0", "error: invalid containerPort: 0");
  struct pt_port p;
  ok (pt_net_port_parse_spec ("tcp:fe80::1:9:10", &p) == 0 && strcmp (p.host_ip, "fe80::1") == 0
          && p.host_port == 9 && p.ctr_port == 10,
      "an IPv6 host address keeps its colons");
  ok (pt_net_port_parse_spec ("sctp::1:2", &p) < 0, "only tcp and udp");
  ok (pt_net_port_parse_spec ("tcp::0:2", &p) < 0, "no port 0 in a spec");
  ok (pt_net_port_parse_spec ("tcp:80", &p) < 0, "a spec has both ports");
  return done_testing ();
}

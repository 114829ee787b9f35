/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool port: a container's published ports. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

/* "80/tcp -> 0.0.0.0:8080" for each, or the host side of one. */
static int
port_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc < 2 || argc > 3)
    return pt_make_error (err, 0, "usage: podtool port %s", pt_cmd_port.usage);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_spec spec;
  if (s == NULL || pt_ctr_resolve (s, argv[1], &id, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  long want = 0;
  bool udp = false;
  if (argc == 3)
    {
      cleanup_free char *p = xstrdup (argv[2]);
      char *slash = strchr (p, '/');
      if (slash)
        {
          udp = strcmp (slash + 1, "udp") == 0;
          if (!udp && strcmp (slash + 1, "tcp") != 0)
            slash = p; /* an error below */
          *slash = '\0';
        }
      if (pt_parse_long (p, 1, 65535, &want) < 0)
        {
          pt_ctr_spec_free (&spec);
          return pt_make_error (err, 0, "invalid port `%s`: PORT[/PROTO]", argv[2]);
        }
    }
  bool found = false;
  for (size_t i = 0; i < spec.net.n_ports; i++)
    {
      const struct pt_port *p = &spec.net.ports[i];
      const char *ip = *p->host_ip ? p->host_ip : "0.0.0.0";
      if (want == 0)
        printf ("%d/%s -> %s:%d\n", p->ctr_port, p->udp ? "udp" : "tcp", ip, p->host_port);
      else if (p->ctr_port == want && p->udp == udp)
        {
          printf ("%s:%d\n", ip, p->host_port);
          found = true;
        }
    }
  pt_ctr_spec_free (&spec);
  if (want && !found)
    return pt_make_error (err, 0, "failed to find published port \"%s\"", argv[2]);
  return 0;
}

const struct pt_cmd pt_cmd_port = {
  .name = "port",
  .usage = "CONTAINER [PRIVATE_PORT[/PROTO]]",
  .summary = "List a container's published ports",
  .exec = port_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool port: a container's published ports. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static const struct pt_flag port_flags[] = {
  { 'a', "all", 'a', NULL, "The published ports of every container" },
  PT_FLAG_LATEST,
  { 0, NULL, 0, NULL, NULL },
};

static int port_one (struct pt_store *s, const char *id, const char *port, bool all,
                     pt_error_t *err);

/* "80/tcp -> 0.0.0.0:8080" for each, or the host side of one. */
static int
port_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool all = false, latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_port, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'l': latest = pt_cli_optbool; break;
      default: return -1;
      }
  int n = argc - optind, need = all || latest ? 0 : 1;
  if (n < need || n > need + 1)
    return pt_cli_need_args (&pt_cmd_port, n, need, need + 1, err);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  const char *port = n > need ? argv[optind + need] : NULL;
  if (s == NULL)
    return -1;
  if (all)
    {
      cleanup_strv char **ids = NULL;
      if (pt_ctr_list (s, &ids, err) < 0)
        return -1;
      for (size_t i = 0; ids[i]; i++)
        {
          pt_error_t e = NULL;
          if (port_one (s, ids[i], port, true, &e) < 0)
            pt_error_release (&e); /* -a: a container without that port is no error */
        }
      return 0;
    }
  if ((latest ? pt_cli_latest (s, &id, err) : pt_ctr_resolve (s, argv[optind], &id, err)) < 0)
    return -1;
  return port_one (s, id, port, false, err);
}

static int
port_one (struct pt_store *s, const char *id, const char *port, bool all, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  long want = 0;
  bool udp = false;
  if (port)
    {
      cleanup_free char *p = xstrdup (port);
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
          return pt_make_error (err, 0, "invalid port `%s`: PORT[/PROTO]", port);
        }
    }
  bool found = false;
  for (size_t i = 0; i < spec.net.n_ports; i++)
    {
      const struct pt_port *p = &spec.net.ports[i];
      const char *ip = *p->host_ip ? p->host_ip : "0.0.0.0";
      if (want == 0)
        printf ("%s%s%d/%s -> %s:%d\n", all ? id : "", all ? "\t" : "", p->ctr_port,
                p->udp ? "udp" : "tcp", ip, p->host_port);
      else if (p->ctr_port == want && p->udp == udp)
        {
          printf ("%s%s%s:%d\n", all ? id : "", all ? "\t" : "", ip, p->host_port);
          found = true;
        }
    }
  pt_ctr_spec_free (&spec);
  if (want && !found)
    return pt_make_error (err, 0, "failed to find published port \"%s\"", port);
  return 0;
}

const struct pt_cmd pt_cmd_port = {
  .name = "port",
  .usage = "[options] CONTAINER [PRIVATE_PORT[/PROTO]]",
  .summary = "List a container's published ports",
  .flags = port_flags,
  .exec = port_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool port: a container's published ports. */
#include <config.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

/* Containers run with --network none for now: nothing is published, and
   that is what port says (nothing, as Podman does for such a container). */
static int
port_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc < 2 || argc > 3)
    return pt_make_error (err, 0, "usage: podtool port %s", pt_cmd_port.usage);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  if (s == NULL || pt_ctr_resolve (s, argv[1], &id, err) < 0)
    return -1;
  if (argc == 3)
    return pt_make_error (err, 0, "no public port '%s' published for %s", argv[2], argv[1]);
  return 0;
}

const struct pt_cmd pt_cmd_port = {
  .name = "port",
  .usage = "CONTAINER [PRIVATE_PORT[/PROTO]]",
  .summary = "List a container's published ports (none with --network none)",
  .exec = port_exec,
};

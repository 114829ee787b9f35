/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool create: a container from an image, not started (podtool start). */
#include <config.h>
#include <stdio.h>
#include "cmd-run.h"
#include "lib/container.h"

static int
create_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  struct pt_cli_run_how how;
  int r = pt_cli_create_container (g, &pt_cmd_create, argc, argv, &how, &spec, err);
  if (r == 0)
    printf ("%s\n", spec.id);
  pt_ctr_spec_free (&spec);
  return r;
}

const struct pt_cmd pt_cmd_create = {
  .name = "create",
  .usage = "[options] IMAGE [COMMAND [ARG...]]",
  .summary = "Create a container without starting it",
  .flags = pt_cli_create_flags,
  .stop_at_operand = true,
  .exec = create_exec,
};

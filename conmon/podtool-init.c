/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool-init: the one binary that is ever the first thing a container
   runs of podtool's. Static (a container has no loader of ours) and small,
   run only from a sealed memfd copy (lib/sealed.h):
     podtool-init --init SYNC-FD -- COMMAND [ARG...]       PID 1 of run --init
     podtool-init --exec-stub SYNC-FD -- COMMAND [ARG...]  exec's last step
     podtool-init --pause SYNC-FD                           a pod's infra */
#include <config.h>
#include "init.h"
#include "lib/sealed.h"
#include <string.h>

int
main (int argc, char **argv)
{
  if (argc > 1 && strcmp (argv[1], "--init") == 0)
    return pt_init_main (argc, argv);
  if (argc > 1 && strcmp (argv[1], "--pause") == 0)
    return pt_pause_main (argc, argv);
  if (argc > 1 && strcmp (argv[1], PT_EXEC_STUB_ARG) == 0)
    pt_exec_stub_main (argc, argv);
  return 125;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_EXEC_H
#define PT_EXEC_H

#include <stdbool.h>
#include "error.h"
#include "store.h"

struct pt_exec_options
{
  char **argv;
  char **env; /* KEY=VALUE, over the container's */
  const char *workdir, *user;
  bool tty; /* -t: a terminal from the container's devpts */
  /* With tty: called with the terminal's master while the command runs;
     it relays until the terminal closes. */
  void (*on_tty) (int master, void *data);
  void *on_tty_data;
};

/* podman exec: run argv in the running container id, joining its
   namespaces with one setns(pidfd) and a fork into its PID namespace; no
   monitor is involved. stdio are ours. *exit_code is the command's. */
int pt_exec (struct pt_store *s, const char *id, const struct pt_exec_options *o, int *exit_code,
             pt_error_t *err);

#endif

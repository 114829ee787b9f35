/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_EXEC_H
#define PT_EXEC_H

#include <stdbool.h>
#include <sys/types.h>
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
  /* The command's stdin, stdout and stderr: fds of ours it gets (a pipe
     end, /dev/null), or -1 for ours as they are. Without tty, on_running
     is then called once it runs, with the pid pt_exec waits for, to relay
     until that ends. pt_exec closes these fds once the command has them. */
  int stdio[3];
  void (*on_running) (pid_t pid, void *data);
  int preserve_fds; /* --preserve-fds N: our fds 3..N+2 are the command's too */
};

/* podman exec: run argv in the running container id, joining its
   namespaces with one setns(pidfd) and a fork into its PID namespace; no
   monitor is involved. stdio are ours. *exit_code is the command's. */
int pt_exec (struct pt_store *s, const char *id, const struct pt_exec_options *o, int *exit_code,
             pt_error_t *err);

#endif

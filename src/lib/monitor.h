/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_MONITOR_H
#define PT_MONITOR_H

#include <sys/types.h>
#include "error.h"
#include "store.h"

/* The monitor binary: $PODTOOL_CONMON, the build tree's conmon/conmon next
   to the running podtool, or $(libexecdir)/podtool/conmon. */
char *pt_monitor_path (void);
/* podtool-init, beside the monitor at path monitor ($PODTOOL_INIT first):
   --init's PID 1 and exec's stub, both run from a sealed copy. */
char *pt_init_path_near (const char *monitor);

/* Starts the monitor for container id (fork, setsid, fork, exec) and waits
   for its report: the container's pid, or the error that stopped it, with
   its exit code. *attach_fd is connected to the monitor from the start, so
   no output is lost. n_fds: our fds 3..n_fds+2 go to the container's
   command as its 3.. (--preserve-fds), 0 for none. */
int pt_monitor_start (struct pt_store *s, const char *id, int n_fds, int *attach_fd, pid_t *pid,
                      pt_error_t *err);

/* Before spec's container starts: the containers it needs (--requires, the
   one whose network it joins), each after what that one needs in turn, are
   started where they do not run. A loop or a container that is gone is an
   error naming it. */
struct pt_ctr_spec;
int pt_monitor_start_needed (struct pt_store *s, const struct pt_ctr_spec *spec, pt_error_t *err);

#endif

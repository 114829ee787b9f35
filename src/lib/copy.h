/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_COPY_H
#define PT_COPY_H

#include <stdbool.h>
#include <sys/types.h>
#include "container.h"
#include "error.h"
#include "userns.h"

/* One `podtool cp`: src and dest are host paths or container paths, as
   into_container says (true: host src, container dest). */
struct pt_copy
{
  const char *src, *dest;
  bool into_container;
};

/* Copies with docker cp's rules (into DEST when it is a directory; "SRC/."
   for SRC's contents), through the container whose process is pid. Files,
   directories and symlinks are copied with their modes and times (not
   setuid/setgid); device nodes, fifos and sockets are skipped. What lands
   in the container belongs to its root; what lands on the host to the user. */
int pt_copy_run (pid_t pid, const struct pt_copy *c, pt_error_t *err);
/* The same for a container that is not running: its root is mounted (or
   its plain copy used) in a user namespace with the user's maps. */
int pt_copy_stopped (const struct pt_idmap *m, const struct pt_ctr_spec *spec,
                     const struct pt_copy *c, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PROC_ATTRS_H
#define PT_PROC_ATTRS_H

#include "container.h"
#include "error.h"
#include <sys/types.h>

/* --sysctl KEY=VALUE...: written under /proc/sys in the container's own
   namespaces (before its root is pivoted: the host's /proc shows them). */
int pt_proc_sysctls (char *const *sysctls, pt_error_t *err);
/* --oom-score-adj: written by the monitor for its child while the child
   is still its own to write to (not yet undumpable). */
int pt_proc_oom_score_adj (pid_t pid, const char *value, pt_error_t *err);
/* --ulimit, --umask: set on the calling process, the container's, just
   before its exec. Rootless, a hard limit cannot be
   raised nor the OOM score lowered past the user's: one line says so. */
int pt_proc_attrs (const struct pt_ctr_spec *spec, pt_error_t *err);

#endif

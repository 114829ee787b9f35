/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SEALED_H
#define PT_SEALED_H

#include "error.h"

/* What enters a container never runs from a file of the host. A process in
   the container can open /proc/PID/exe of anything in its PID namespace
   that it may ptrace, and re-execute /proc/self/exe through a script's #!
   line; if that names a host binary the user owns (./podtool in a build
   tree), container root (the user) can write it (CVE-2019-5736). So the
   first exec into a container (the container's own, exec's, --init's PID
   1) goes through a sealed memfd copy of podtool-init, a static binary
   (the container has no loader of ours): /proc/PID/exe then names a file
   no one can change, and the processes of podtool and the monitor that
   are in the container's namespaces before it are not dumpable. The copy
   lives as long as that process image: the exec stub's is gone once the
   command runs. pt_sealed_copy returns its fd (close-on-exec) or -1. */
int pt_sealed_copy (const char *path, pt_error_t *err);

/* execveat(fd, "", argv, envp, AT_EMPTY_PATH); returns only on failure. */
int pt_sealed_exec (int fd, char *const *argv, char *const *envp);


/* PR_SET_DUMPABLE 0, before anything joins a container's namespaces: its
   /proc/PID/{exe,fd,cwd,root,map_files,mem} are then closed to the
   container (their owner becomes root of the host's user namespace). */
void pt_undumpable (void);

/* The argument that makes podtool-init the exec stub:
     podtool-init --exec-stub SYNC-FD -- COMMAND [ARG...]
   It execvp()s the command, reporting a failure over SYNC-FD as
   pt_exec_or_report does. */
#define PT_EXEC_STUB_ARG "--exec-stub"

#endif

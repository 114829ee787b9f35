/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SEALED_H
#define PT_SEALED_H

#include "error.h"

/* What enters a container never runs from a file of the host. A process in
   the container can open /proc/PID/exe of anything in its PID namespace
   that it may ptrace, and re-execute /proc/self/exe through a script's #!
   line; if that names a host binary the user owns (./podtool in a build
   tree), container root (the user) can write it (CVE-2019-5736). So the
   monitor runs from a sealed memfd copy of its binary, and exec's last
   step goes through one too: /proc/PID/exe then names a file no one can
   change. pt_sealed_copy returns that copy's fd (close-on-exec) or -1. */
int pt_sealed_copy (const char *path, pt_error_t *err);

/* execveat(fd, "", argv, envp, AT_EMPTY_PATH); returns only on failure. */
int pt_sealed_exec (int fd, char *const *argv, char *const *envp);

/* A sealed fd of our own binary: itself when we already run from one. */
int pt_sealed_self_fd (pt_error_t *err);

/* PR_SET_DUMPABLE 0, before anything joins a container's namespaces: its
   /proc/PID/{exe,fd,cwd,root,map_files,mem} are then closed to the
   container (their owner becomes root of the host's user namespace). */
void pt_undumpable (void);

/* The argument that makes the monitor's binary the exec stub:
     conmon --exec-stub SYNC-FD -- COMMAND [ARG...]
   It execvp()s the command, reporting a failure over SYNC-FD as
   pt_linux_exec_or_report does. */
#define PT_EXEC_STUB_ARG "--exec-stub"

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LINUX_H
#define PT_LINUX_H

#include "container.h"
#include <linux/sched.h>
#include <stdint.h>

/* --pid, --ipc, --uts host: the host's namespace, not one of its own. */
static inline bool
pt_ns_mode_host (const char *mode)
{
  return mode && __builtin_strcmp (mode, "host") == 0;
}
/* --ipc, --uts container:ID: another's (a pod's infra's), joined. */
static inline bool
pt_ns_mode_joined (const char *mode)
{
  return mode && __builtin_strncmp (mode, "container:", 10) == 0;
}
/* The namespace flags a container is not cloned with: those it shares
   with the host, or has joined (the monitor did) with its network. */
static inline uint64_t
pt_ctr_host_ns (const struct pt_ctr_spec *spec)
{
  return (pt_ns_mode_host (spec->pid_mode) || pt_ns_mode_joined (spec->pid_mode) ? CLONE_NEWPID
                                                                                   : 0)
         | (pt_ns_mode_host (spec->ipc_mode) || pt_ns_mode_joined (spec->ipc_mode) ? CLONE_NEWIPC
                                                                                   : 0)
         | (pt_ns_mode_host (spec->uts_mode) || pt_ns_mode_joined (spec->uts_mode) ? CLONE_NEWUTS
                                                                                   : 0);
}
/* The namespace flags a container is cloned with. */
#define PT_CONTAINER_NS_FLAGS                                                                      \
  (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET         \
   | CLONE_NEWCGROUP)

/* The container side, run in the cloned child: wait for the maps, build the
   root, drop privileges, exec. Never returns: failures go over sync_fd as
   an error with the right exit code (125, 126, 127) and the child exits. */
void pt_linux_container_child (const struct pt_ctr_spec *spec, int sync_fd, int init_fd)
    __attribute__ ((noreturn));

/* The name --init's PID 1 has in the container: podtool-init, a static
   binary of its own, run from a sealed copy (see sealed.h), never from a
   host file. init_fd above is that copy: with --init PID 1, else the exec
   stub that execs the command (-1: exec it directly). */
#define PT_INIT_PATH "/run/podtool-init"


/* Mounts a container's root on its merged/ as its start would (overlay, or
   the plain copy), in the caller's mount namespace, which must be private
   to it. */
int pt_linux_mount_root (const struct pt_ctr_spec *spec, char **merged, pt_error_t *err);

/* The exec side, in a process that has joined the container's namespaces
   (and its PID namespace by a fork): user, HOME, workdir, privileges, then
   the exec through stub_fd, the monitor's sealed binary as exec stub.
   Never returns. */
void pt_linux_exec_child (const struct pt_ctr_spec *spec, int sync_fd, int stub_fd)
    __attribute__ ((noreturn));

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CAPS_H
#define PT_CAPS_H

#include "error.h"

/* Podman's default capability set (CHOWN DAC_OVERRIDE FOWNER FSETID KILL
   NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT). */
int pt_caps_drop_bounding (pt_error_t *err);
int pt_caps_set_default (pt_error_t *err);
/* A filter that refuses, with EPERM, what Podman's default profile refuses
   to a container without CAP_SYS_ADMIN. */
int pt_seccomp_load_default (pt_error_t *err);

#endif

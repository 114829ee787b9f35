/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CAPS_H
#define PT_CAPS_H

#include "error.h"

#include <stdint.h>

/* Podman's default capability set (CHOWN DAC_OVERRIDE FOWNER FSETID KILL
   NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT), with --cap-add
   and then --cap-drop applied ("ALL", or names with or without CAP_, any
   case), as a mask of capability numbers. */
int pt_caps_mask (char *const *add, char *const *drop, uint64_t *mask, pt_error_t *err);
/* "CAP_NET_RAW" for "net_raw" or "CAP_net_raw"; NULL if it names none. */
char *pt_caps_normalize (const char *name);
/* "CAP_CHOWN", ... for each capability in mask, lowest first ("CAP_?" for
   one libcap has no name for). */
char **pt_caps_names (uint64_t mask);
int pt_caps_drop_bounding (uint64_t mask, pt_error_t *err);
int pt_caps_set (uint64_t mask, pt_error_t *err);
/* A filter that refuses, with EPERM, what Podman's default profile refuses
   to a container without CAP_SYS_ADMIN. */
int pt_seccomp_load_default (pt_error_t *err);
/* An OCI seccomp profile (JSON text): checked (create), loaded (start);
   seccomp-profile.c. */
int pt_seccomp_check_profile (const char *text, pt_error_t *err);
int pt_seccomp_load_profile (const char *text, pt_error_t *err);

#endif

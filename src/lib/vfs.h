/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_VFS_H
#define PT_VFS_H

#include "error.h"

/* The plain-copy root (Podman's "vfs" driver): copy the layers, bottom
   first, into dest, applying overlay whiteouts (0/0 char devices) and opaque
   directories (user.overlay.opaque=y) as overlayfs would have. Owners, modes
   (setuid included), times, symlinks and hard links within a layer are kept.
   Runs as root of the container's user namespace. */
int pt_vfs_copy_layers (char *const *layers, const char *dest, pt_error_t *err);

#endif

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
/* --userns: owners translated on the way, from the store's map to the
   container's (NULLs: as they are). */
struct pt_map;
void pt_vfs_set_shift (const struct pt_map *store_uids, const struct pt_map *store_gids,
                       const struct pt_map *own_uids, const struct pt_map *own_gids);

#endif

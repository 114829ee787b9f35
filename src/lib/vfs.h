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
/* Copying in the store's user namespace: owners translated on the way from
   the image's ids to the host ids a --userns mode gives them (NULLs: as
   they are). An id the mode does not map is an error. */
struct pt_map;
struct pt_idmap;
void pt_vfs_set_shift (const struct pt_map *store_uids, const struct pt_map *store_gids,
                       const struct pt_map *mode_uids, const struct pt_map *mode_gids);
/* An image's uid (gid when gid) as the copy owns it under that shift; -1
   when the mode does not map it. */
long pt_vfs_shifted (unsigned long id, int gid);
/* A container with a --userns mode of its own (keep-id, nomap, auto,
   --uidmap) gets its root as a copy of the layers in dir/upper, owned as the
   mode maps the image's ids, made once (dir/vfs.done) by the monitor before
   the container's namespaces exist: the mode may not map the user, whose
   store it could not read then. */
int pt_vfs_prepare_mapped_root (const struct pt_idmap *m, const char *mode, char *const *layers,
                                const char *dir, pt_error_t *err);

#endif

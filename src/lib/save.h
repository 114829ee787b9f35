/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SAVE_H
#define PT_SAVE_H

#include "error.h"
#include "store.h"
#include "userns.h"

enum pt_save_format
{
  PT_SAVE_DOCKER_ARCHIVE,
  PT_SAVE_OCI_ARCHIVE,
};

/* podman save: write image `ref` as an archive that `podman load` takes, to
   path (via a temporary name) or, if path is NULL, to out_fd. Each layer's
   tar is made anew from its directory (whiteouts and opaque markers back in
   their .wh. form, owners as the container sees them), so its diff_id and
   the image id change when the original tar had other bytes for the same
   files. */
int pt_image_save (struct pt_store *s, const struct pt_idmap *m, const char *ref,
                   enum pt_save_format format, const char *path, int out_fd, pt_error_t *err);

/* The tree under dfd as one tar stream on out_fd, in name order (whiteouts
   and opaque markers in their .wh. form, hard links as links), but the
   paths of skip (relative: "etc/hosts"; NULL for none). In a user namespace
   of the store's mapping, to see every file. */
int pt_tar_tree (int dfd, int out_fd, char *const *skip, pt_error_t *err);

#endif

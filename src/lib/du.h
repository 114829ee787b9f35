/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_DU_H
#define PT_DU_H

#include <stdint.h>
#include "error.h"
#include "userns.h"

/* The bytes of the regular files and symlinks under each of dirs (NULL
   ended), in sizes[i]: measured in a user namespace of mapping m, where
   every file of a container's writable layer can be seen. A directory
   that is not there measures 0. */
int pt_du (const struct pt_idmap *m, char *const *dirs, uint64_t *sizes, pt_error_t *err);
/* The highest uid or gid owning a file under dirs, as the store's
   namespace sees it (an image's own ids, for layers); 0 for none. */
int pt_du_max_id (const struct pt_idmap *m, char *const *dirs, uint64_t *max, pt_error_t *err);

#endif

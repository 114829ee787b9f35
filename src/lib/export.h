/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_EXPORT_H
#define PT_EXPORT_H

#include "error.h"
#include "store.h"
#include "userns.h"

/* podman export: the container's root filesystem, its image's layers and
   its writable layer merged, as one tar on out_fd (owners as the container
   sees them). It need not run. */
/* The files podtool writes into a container at create (etc/hosts,
   etc/hostname, etc/resolv.conf): export and commit leave them out. */
extern char *const pt_ctr_own_files[];
int pt_ctr_export (struct pt_store *s, const struct pt_idmap *m, const char *id, int out_fd,
                   pt_error_t *err);

/* podman container diff (diff.c): what the container changed against its
   image, as (kind, path) pairs: 'A' added, 'C' changed (a directory that
   holds a change too), 'D' deleted, paths absolute, in name order. */
struct pt_change
{
  char kind;
  char *path;
};
int pt_ctr_diff (struct pt_store *s, const struct pt_idmap *m, const char *id,
                 struct pt_change **changes, size_t *n, pt_error_t *err);

#endif

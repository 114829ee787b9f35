/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_BLOB_CACHE_H
#define PT_BLOB_CACHE_H

#include "error.h"
#include <stddef.h>
#include <stdint.h>

/* What the user's pulls learned of layers: for a layer (its diff_id, 64
   hex), the compressed blobs of it that registries hold, and where. A push
   of an image whose layers are all known on its registry sends none of
   them: each is there already or mounted from the repository that has it,
   as Podman's blob-info cache lets it do. One JSON file per user
   (pt_user_cache_path), changed under a lock by temporary name and
   rename; a file that is lost or unreadable only costs a push its speed. */
struct pt_known_blob
{
  char *digest, *media_type, *registry, *repo;
  uint64_t size;
};
int pt_blob_cache_add (const char *diff_id, const struct pt_known_blob *b, pt_error_t *err);
/* The blobs known of diff_id on registry, newest first (*n of them). */
struct pt_known_blob *pt_blob_cache_find (const char *diff_id, const char *registry, size_t *n);
void pt_known_blobs_free (struct pt_known_blob *v, size_t n);

#endif

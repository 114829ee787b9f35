/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_IMAGE_SOURCE_H
#define PT_IMAGE_SOURCE_H

#include "error.h"
#include "store.h"
#include <stddef.h>

/* The image's REPO@sha256:HEX entries (an empty list when none). */
char **pt_image_repo_digests (struct pt_store *s, const char *id);
/* Adds REPO@DIGEST once. */
int pt_image_repo_digest_add (struct pt_store *s, const char *id, const char *repo,
                              const char *digest, pt_error_t *err);

/* Where the image's blobs were pulled from, and the manifest's bytes. */
struct pt_image_source
{
  char *registry, *repo, *media_type, *manifest;
};
int pt_image_source_save (struct pt_store *s, const char *id, const char *domain, const char *repo,
                          const char *media_type, const char *manifest, size_t len,
                          pt_error_t *err);
/* -1 (and nothing to free) when the image has no source. */
int pt_image_source_load (struct pt_store *s, const char *id, struct pt_image_source *src);
void pt_image_source_free (struct pt_image_source *src);

#endif

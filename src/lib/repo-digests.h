/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_REPO_DIGESTS_H
#define PT_REPO_DIGESTS_H

#include "error.h"
#include "store.h"

/* The image's REPO@sha256:HEX entries (an empty list when none). */
char **pt_image_repo_digests (struct pt_store *s, const char *id);
/* Adds REPO@DIGEST once. */
int pt_image_repo_digest_add (struct pt_store *s, const char *id, const char *repo,
                              const char *digest, pt_error_t *err);

#endif

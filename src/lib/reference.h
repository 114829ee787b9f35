/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_REFERENCE_H
#define PT_REFERENCE_H

#include <stdbool.h>
#include "error.h"

/* "busybox" -> "localhost/busybox:latest"? No: a short name stays short
   ("busybox:latest") and matches any domain when looked up, as Podman's
   local short-name resolution does. Full names gain ":latest". Returns NULL
   for a malformed reference. */
char *pt_ref_normalize (const char *ref);
/* NULL when ref follows the reference grammar (see reference.c), else
   Podman's reason ("invalid reference format: repository name must be
   lowercase", ...). */
const char *pt_ref_check (const char *ref);
/* Does the stored full name satisfy the (normalized) query? */
bool pt_ref_matches (const char *stored, const char *query);
/* Split "repo:tag" (a ':' after the last '/'). Caller frees both. */
void pt_ref_split (const char *name, char **repo, char **tag);
/* Does ref name a domain ("localhost/x", "quay.io/x")? */
bool pt_ref_has_domain (const char *ref);

/* The name an image is stored under: normalized, "localhost/" before a
   name without a domain ("box" -> "localhost/box:latest"); NULL and an
   error naming the fault for a malformed one. */
char *pt_ref_full (const char *name, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PUSH_FOLLOW_H
#define PT_PUSH_FOLLOW_H

#include "error.h"
#include "registry-http.h"
#include <stdint.h>

/* A blob sent while it is written: an upload session opened in repo, and a
   thread that follows the file fd reads (as another fd writes it) and
   PATCHes each chunk of it as soon as it is there. The registry's handle
   is the thread's until _finish or _abandon returns. */
struct pt_blob_follow;
struct pt_blob_follow *pt_blob_follow_start (struct pt_registry *r, const char *repo, int fd,
                                             uint64_t chunk, pt_error_t *err);
/* The file is whole, size bytes: the rest goes (unless nothing went yet
   and it is one chunk or less: then *sent is 0 and the whole of it is for
   the PUT), then the thread ends. *loc: the session's Location, for the
   PUT that gives the digest. Frees f. */
int pt_blob_follow_finish (struct pt_blob_follow *f, uint64_t size, char **loc, uint64_t *sent,
                           pt_error_t *err);
/* The file will not be whole: the thread stops where it is. Frees f. */
void pt_blob_follow_abandon (struct pt_blob_follow *f);

#endif

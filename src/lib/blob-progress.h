/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_BLOB_PROGRESS_H
#define PT_BLOB_PROGRESS_H

#include <stddef.h>

/* What pull, load and save report as they go: a blob (layer or config)
   begun, grown, done or found in the store already; then the manifest. */
enum pt_pull_event
{
  PT_PULL_BLOB_START,
  PT_PULL_BLOB_PROGRESS,
  PT_PULL_BLOB_DONE,
  PT_PULL_BLOB_SKIPPED,
  PT_PULL_WRITING,
  PT_PULL_TRYING, /* what: the name a pull tries next (a short name's each) */
};
typedef void (*pt_blob_progress_fn) (void *data, enum pt_pull_event ev, const char *what,
                                     const char *digest, size_t done, size_t total);
struct pt_progress
{
  pt_blob_progress_fn fn; /* NULL: nothing reported */
  void *data;
};

#endif

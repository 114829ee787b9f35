/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_STORE_H
#define PT_STORE_H

#include <stdbool.h>
#include "error.h"

/* Where podtool keeps things: root (images, layers, containers) and
   runroot (live state of running containers). */
struct pt_store
{
  char *root;
  char *runroot;
  int lock_fd;
  int lock_depth;
};

/* root/runroot may be NULL: the XDG defaults apply. */
int pt_store_open (struct pt_store *s, const char *root, const char *runroot, pt_error_t *err);
void pt_store_close (struct pt_store *s);
/* The store lock (flock on root/lock) is held briefly around every index change. Nests. */
int pt_store_lock (struct pt_store *s, pt_error_t *err);
void pt_store_unlock (struct pt_store *s);
char *pt_store_path (struct pt_store *s, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
/* One container's lock ($runroot/locks/ID), held by a start until the
   monitor has reported the pid and by rm for the whole removal, so a
   container is never removed while it starts (no monitor left running for
   a container that is gone). Taken before the store's lock. Returns the
   fd to pass to pt_store_unlock_container. */
int pt_store_lock_container (struct pt_store *s, const char *id, pt_error_t *err);
void pt_store_unlock_container (int fd);
char *pt_store_runpath (struct pt_store *s, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
/* A fresh directory root/tmp/WHAT-PID-XXXXXX for staging, removed by the caller. */
char *pt_store_mkdtemp (struct pt_store *s, const char *what, pt_error_t *err);
/* Is name "PREFIXPID-..." made by a process that no longer exists? */
bool pt_store_is_stale_tmp (const char *name, const char *prefix);
/* NAME.tmp-PID, a pt_write_file_atomic() whose writer died before the rename. */
bool pt_store_is_stale_write (const char *name);
/* Removes the entries of dir that stale() picks; true if there were any. */
bool pt_store_sweep (const char *dir, bool (*stale) (const char *name));
/* Removes what killed loads left in root/tmp and root/images. */
void pt_store_clean_stale_tmp (struct pt_store *s);

/* NAME in the user's cache, beside the default store whichever store is
   in use (as Podman's blob-info cache is): $XDG_DATA_HOME/podtool/cache. */
char *pt_user_cache_path (const char *name);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_READ_AHEAD_H
#define PT_READ_AHEAD_H

#include <sys/types.h>

/* The data of a libarchive reader (a compressed layer through its raw
   format), read on a thread of its own into a few 1 MiB slots ahead of the
   one who takes them: decompression on one core, unpacking on another.
   The reader belongs to that thread until _stop returns. */
struct archive;
struct pt_read_ahead;
/* NULL when no thread can be had (then read the reader as before). */
struct pt_read_ahead *pt_read_ahead_start (struct archive *a);
/* The next block (valid until the next call): its length, 0 at the end,
   -1 on a read error (*msg says it, valid until _stop). */
ssize_t pt_read_ahead_next (struct pt_read_ahead *ra, const void **buf, const char **msg);
/* Stops the thread (wherever it is), waits for it, frees ra. */
void pt_read_ahead_stop (struct pt_read_ahead *ra);

#endif

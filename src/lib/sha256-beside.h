/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SHA256_BESIDE_H
#define PT_SHA256_BESIDE_H

#include <stddef.h>

/* SHA-256 of a stream, computed on a thread of its own beside the code
   that reads the bytes (a layer's unpacking), so hashing costs no time on
   a machine with a core to spare. feed hands a buffer over: it must stay
   unchanged until the next feed (or final) returns, so a reader that
   alternates two buffers never waits for the hash but when it is the
   slower. Without a thread to be had, the hash is made in feed. */
struct pt_sha256_beside;
struct pt_sha256_beside *pt_sha256_beside_new (void);
void pt_sha256_beside_feed (struct pt_sha256_beside *h, const void *buf, size_t len);
/* Waits for the last buffer, writes 64 hex digits and a NUL, frees h. */
void pt_sha256_beside_final_hex (struct pt_sha256_beside *h, char hex[65]);

#endif

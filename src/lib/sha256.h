/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SHA256_H
#define PT_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pt_sha256
{
  uint32_t h[8];
  uint64_t len;
  unsigned char buf[64];
  size_t used;
};

void pt_sha256_init (struct pt_sha256 *s);
void pt_sha256_update (struct pt_sha256 *s, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL into hex. */
void pt_sha256_final_hex (struct pt_sha256 *s, char hex[65]);
void pt_sha256_hex (const void *data, size_t len, char hex[65]);
/* Use the CPU's SHA instructions when it has them (the default), or not:
   the unit tests check both. Returns whether they are in use. */
bool pt_sha256_accelerated (bool use);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parallel gzip: what it writes is one gzip member that zlib reads back
   whole, its digest and size are of those bytes, and they are the same
   bytes every time. */
#include <config.h>
#include "tap.h"
#include "lib/pgzip.h"
#include "lib/sha256.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <zlib.h>

static int
memfile (const void *data, size_t len)
{
  int fd = memfd_create ("pgzip", 0);
  if (fd >= 0 && len && write (fd, data, len) != (ssize_t)len)
    return -1;
  return fd;
}

static unsigned char *
slurp (int fd, size_t *len)
{
  *len = (size_t)lseek (fd, 0, SEEK_END);
  unsigned char *buf = malloc (*len + 1);
  if (pread (fd, buf, *len, 0) != (ssize_t)*len)
    *len = 0;
  return buf;
}

/* Inflates a whole gzip member; true when it gives back want exactly. */
static bool
round_trips (const unsigned char *gz, size_t gz_len, const unsigned char *want, size_t len)
{
  unsigned char *out = malloc (len + 1);
  z_stream z = { 0 };
  if (inflateInit2 (&z, 16 + 15) != Z_OK)
    return false;
  z.next_in = (unsigned char *)gz;
  z.avail_in = (uInt)gz_len;
  z.next_out = out;
  z.avail_out = (uInt)len + 1;
  int r = inflate (&z, Z_FINISH);
  bool same = r == Z_STREAM_END && z.total_out == len && z.avail_in == 0
              && memcmp (out, want, len) == 0;
  inflateEnd (&z);
  free (out);
  return same;
}

static void
check (const char *what, const unsigned char *data, size_t len, int level)
{
  char hex[65], hex2[65], want[65];
  uint64_t size = 0, size2 = 0;
  pt_error_t err = NULL;
  int in = memfile (data, len), out = memfile (NULL, 0), out2 = memfile (NULL, 0);
  ok (pt_pgzip (in, out, level, hex, &size, &err) == 0, "%s: compressed", what);
  size_t gz_len;
  unsigned char *gz = slurp (out, &gz_len);
  ok (gz_len == size, "%s: the size is of what was written", what);
  pt_sha256_hex (gz, gz_len, want);
  is_str (hex, want, "%s: the digest is of what was written", what);
  ok (round_trips (gz, gz_len, data, len), "%s: zlib reads it back whole", what);
  ok (pt_pgzip (in, out2, level, hex2, &size2, &err) == 0 && strcmp (hex, hex2) == 0,
      "%s: the same bytes again", what);
  free (gz);
  close (in), close (out), close (out2);
}

int
main (void)
{
  plan (5 * 5);
  size_t big = 5 * (1 << 20) + 12345;
  unsigned char *data = malloc (big);
  /* Text-like and random parts: matches across the 1 MiB cuts, and not. */
  for (size_t i = 0; i < big; i++)
    data[i] = i % 3000 < 2000 ? "podtool layer "[i % 14] : (unsigned char)(rand () & 0xff);
  check ("empty", data, 0, 5);
  check ("one byte", data, 1, 5);
  check ("one block exactly", data, 1 << 20, 5);
  check ("five blocks and a bit, level 1", data, big, 1);
  check ("five blocks and a bit, level 9", data, big, 9);
  free (data);
  return 0;
}

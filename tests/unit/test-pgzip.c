/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parallel gzip: what it writes is gzip that zlib reads back whole (one
   member per MiB, one after the other), from a file or a pipe; its digest
   and size are of those bytes, and they are the same bytes every time. */
#include <config.h>
#include "tap.h"
#include "lib/pgzip.h"
#include "lib/sha256.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <zlib.h>

static int
memfile (const void *data, size_t len)
{
  int fd = memfd_create ("pgzip", 0);
  if (fd >= 0 && len && write (fd, data, len) != (ssize_t)len)
    return -1;
  lseek (fd, 0, SEEK_SET); /* pgzip reads from where the file stands */
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

/* Inflates gzip members one after the other, as gunzip does; true when
   they give back want exactly, and every input byte is part of one. */
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
  int r;
  while ((r = inflate (&z, Z_FINISH)) == Z_STREAM_END && z.avail_in > 0)
    inflateReset (&z);
  bool same = r == Z_STREAM_END && z.total_out <= len && z.avail_in == 0
              && (size_t)(z.next_out - out) == len && memcmp (out, want, len) == 0;
  inflateEnd (&z);
  free (out);
  return same;
}

/* The same bytes through a pipe (a layer's tar as it is made). */
static bool
same_from_pipe (const unsigned char *data, size_t len, int level, const char *hex)
{
  int p[2];
  if (pipe (p) < 0)
    return false;
  pid_t pid = fork ();
  if (pid == 0)
    {
      close (p[0]);
      /* In odd pieces, so reads come short. */
      for (size_t at = 0; at < len; at += 77777)
        if (write (p[1], data + at, len - at < 77777 ? len - at : 77777) < 0)
          _exit (1);
      _exit (0);
    }
  close (p[1]);
  char hex2[65];
  uint64_t size;
  pt_error_t err = NULL;
  int out = memfile (NULL, 0);
  bool same = pt_pgzip (p[0], out, level, hex2, &size, &err) == 0 && strcmp (hex, hex2) == 0;
  close (p[0]);
  close (out);
  waitpid (pid, NULL, 0);
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
  lseek (in, 0, SEEK_SET);
  ok (pt_pgzip (in, out2, level, hex2, &size2, &err) == 0 && strcmp (hex, hex2) == 0,
      "%s: the same bytes again", what);
  ok (same_from_pipe (data, len, level, hex), "%s: the same bytes from a pipe", what);
  free (gz);
  close (in), close (out), close (out2);
}

int
main (void)
{
  plan (6 * 5 + 1);
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
  pt_error_t err = NULL;
  char hex[65];
  uint64_t size;
  int in = memfile (data, 10), out = memfile (NULL, 0);
  ok (pt_pgzip (in, out, 13, hex, &size, &err) < 0 && strstr (err->msg, "level 13"),
      "a level libdeflate has not is an error naming it");
  free (data);
  return 0;
}

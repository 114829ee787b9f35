/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read ahead on a thread: a compressed stream read through it gives the
   bytes libarchive gives read directly, in order, whole; a stream cut
   short is an error after what it had; stopping early does not hang. */
#include <config.h>
#include "tap.h"
#include "lib/pgzip.h"
#include "lib/read-ahead.h"
#include <archive.h>
#include <archive_entry.h>
#include "lib/dl.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

/* A raw reader of the first len bytes of gz (through a file of them). */
static struct archive *
open_raw (const void *gz, size_t len)
{
  int fd = memfd_create ("gz", 0);
  if (fd < 0 || write (fd, gz, len) != (ssize_t)len || lseek (fd, 0, SEEK_SET) != 0)
    return NULL;
  struct archive *a = archive_read_new ();
  archive_read_support_filter_all (a);
  archive_read_support_format_raw (a);
  struct archive_entry *e;
  if (archive_read_open_fd (a, fd, 1 << 16) != ARCHIVE_OK
      || archive_read_next_header (a, &e) != ARCHIVE_OK)
    return NULL;
  return a; /* (the fd lives as long as the test) */
}

/* Everything read through the thread, and whether it ended cleanly. */
static unsigned char *
read_all (const void *gz, size_t len, size_t *got, ssize_t *last)
{
  struct archive *a = open_raw (gz, len);
  struct pt_read_ahead *ra = a ? pt_read_ahead_start (a) : NULL;
  unsigned char *out = NULL;
  *got = 0;
  *last = -1;
  if (ra == NULL)
    return NULL;
  const void *buf;
  const char *msg;
  ssize_t n;
  while ((n = pt_read_ahead_next (ra, &buf, &msg)) > 0)
    {
      out = realloc (out, *got + (size_t)n);
      memcpy (out + *got, buf, (size_t)n);
      *got += (size_t)n;
    }
  *last = n;
  pt_read_ahead_stop (ra);
  archive_read_free (a);
  return out;
}

int
main (void)
{
  plan (5);
  pt_error_t err = NULL;
  if (pt_dl_archive (&err) < 0)
    {
      printf ("Bail out! %s\n", err->msg);
      return 1;
    }
  size_t len = 9 * (1 << 20) + 4321;
  unsigned char *data = malloc (len);
  for (size_t i = 0; i < len; i++)
    data[i] = i % 5000 < 3000 ? "read ahead "[i % 11] : (unsigned char)(rand () & 0xff);
  int in = memfd_create ("in", 0), out = memfd_create ("out", 0);
  char hex[65];
  uint64_t gz_len;
  ok (write (in, data, len) == (ssize_t)len && lseek (in, 0, SEEK_SET) == 0
          && pt_pgzip (in, out, 5, hex, &gz_len, &err) == 0,
      "a gzip stream of 9 MiB and a bit");
  unsigned char *gz = mmap (NULL, gz_len, PROT_READ, MAP_PRIVATE, out, 0);
  size_t got;
  ssize_t last;
  unsigned char *back = read_all (gz, gz_len, &got, &last);
  ok (back && got == len && memcmp (back, data, len) == 0, "read through the thread: the same bytes, in order");
  ok (last == 0, "and then its end");
  free (back);
  back = read_all (gz, gz_len / 2, &got, &last);
  ok (last < 0 && got < len && memcmp (back, data, got) == 0,
      "cut short: what it had, then an error (%zu bytes)", got);
  free (back);
  /* Stopped after one block, four slots full ahead: no hang, no leak. */
  struct archive *a = open_raw (gz, gz_len);
  struct pt_read_ahead *ra = pt_read_ahead_start (a);
  const void *buf;
  const char *msg;
  ok (pt_read_ahead_next (ra, &buf, &msg) > 0, "one block, then stopped");
  pt_read_ahead_stop (ra);
  archive_read_free (a);
  return tap_failed != 0;
}

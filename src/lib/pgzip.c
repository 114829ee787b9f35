/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parallel gzip: see pgzip.h. */
#include <config.h>
#include "pgzip.h"
#include "sha256.h"
#include "util.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <zlib.h>

enum { BLOCK = 1 << 20, DICT = 32 << 10, MAX_THREADS = 16 };

struct piece
{
  const unsigned char *in;
  size_t len, dict_len; /* the dictionary: the DICT bytes before in */
  bool last;
  int level;
  unsigned char *out;
  size_t out_len;
  uLong crc;
  int zerr;
};

static void
deflate_piece (struct piece *p)
{
  z_stream z = { 0 };
  p->zerr = deflateInit2 (&z, p->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  if (p->zerr != Z_OK)
    return;
  if (p->dict_len)
    deflateSetDictionary (&z, p->in - p->dict_len, (uInt)p->dict_len);
  size_t cap = deflateBound (&z, (uLong)p->len) + 16;
  p->out = xrealloc (p->out, cap);
  z.next_in = (unsigned char *)p->in;
  z.avail_in = (uInt)p->len;
  z.next_out = p->out;
  z.avail_out = (uInt)cap;
  /* A sync flush ends every piece but the last on a byte boundary, so the
     pieces join into one stream. */
  int r = deflate (&z, p->last ? Z_FINISH : Z_SYNC_FLUSH);
  p->zerr = (p->last ? r == Z_STREAM_END : r == Z_OK) ? Z_OK : r;
  p->out_len = cap - z.avail_out;
  p->crc = crc32 (0, p->in, (uInt)p->len);
  deflateEnd (&z);
}

struct batch
{
  struct piece *v;
  size_t n, next;
  pthread_mutex_t lock;
};

static void *
worker (void *data)
{
  struct batch *b = data;
  for (;;)
    {
      pthread_mutex_lock (&b->lock);
      size_t i = b->next++;
      pthread_mutex_unlock (&b->lock);
      if (i >= b->n)
        return NULL;
      deflate_piece (&b->v[i]);
    }
}

static int
emit (int fd, const void *buf, size_t len, struct pt_sha256 *sha, uint64_t *size)
{
  if (pt_write_all (fd, buf, len) < 0)
    return -1;
  pt_sha256_update (sha, buf, len);
  *size += len;
  return 0;
}

int
pt_pgzip (int in_fd, int out_fd, int level, char sha256[65], uint64_t *size, pt_error_t *err)
{
  struct stat st;
  if (fstat (in_fd, &st) < 0)
    return pt_make_error (err, errno, "compress: stat");
  size_t total = (size_t)st.st_size;
  const unsigned char *map = NULL;
  if (total && (map = mmap (NULL, total, PROT_READ, MAP_PRIVATE, in_fd, 0)) == MAP_FAILED)
    return pt_make_error (err, errno, "compress: mmap");
  long cores = sysconf (_SC_NPROCESSORS_ONLN);
  size_t threads = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (size_t)cores;
  size_t blocks = total ? (total + BLOCK - 1) / BLOCK : 1, per_batch = threads * 4;
  struct pt_sha256 sha;
  pt_sha256_init (&sha);
  *size = 0;
  static const unsigned char header[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
  int ret = emit (out_fd, header, sizeof header, &sha, size) < 0
                ? pt_make_error (err, errno, "compress: write")
                : 0;
  struct piece *v = xzalloc (per_batch * sizeof *v);
  uLong crc = crc32 (0, NULL, 0);
  for (size_t first = 0; ret == 0 && first < blocks; first += per_batch)
    {
      struct batch b = { .v = v, .n = blocks - first < per_batch ? blocks - first : per_batch };
      pthread_mutex_init (&b.lock, NULL);
      for (size_t k = 0; k < b.n; k++)
        {
          size_t at = (first + k) * BLOCK;
          v[k].in = map ? map + at : (const unsigned char *)"";
          v[k].len = total - at < BLOCK ? total - at : BLOCK;
          v[k].dict_len = at < DICT ? at : DICT;
          v[k].last = first + k == blocks - 1;
          v[k].level = level;
        }
      pthread_t tid[MAX_THREADS];
      size_t started = 0;
      for (; started + 1 < threads && started + 1 < b.n; started++)
        if (pthread_create (&tid[started], NULL, worker, &b) != 0)
          break;
      worker (&b);
      for (size_t t = 0; t < started; t++)
        pthread_join (tid[t], NULL);
      pthread_mutex_destroy (&b.lock);
      for (size_t k = 0; ret == 0 && k < b.n; k++)
        {
          if (v[k].zerr != Z_OK)
            ret = pt_make_error (err, 0, "compress: zlib error %d", v[k].zerr);
          else if (emit (out_fd, v[k].out, v[k].out_len, &sha, size) < 0)
            ret = pt_make_error (err, errno, "compress: write");
          crc = crc32_combine (crc, v[k].crc, (z_off_t)v[k].len);
        }
    }
  unsigned char trailer[8];
  uint32_t isize = (uint32_t)total;
  for (int i = 0; i < 4; i++)
    trailer[i] = (unsigned char)(crc >> (8 * i)), trailer[4 + i] = (unsigned char)(isize >> (8 * i));
  if (ret == 0 && emit (out_fd, trailer, sizeof trailer, &sha, size) < 0)
    ret = pt_make_error (err, errno, "compress: write");
  for (size_t k = 0; k < per_batch; k++)
    free (v[k].out);
  free (v);
  if (map)
    munmap ((void *)map, total);
  pt_sha256_final_hex (&sha, sha256);
  return ret;
}

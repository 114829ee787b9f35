/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parallel gzip: see pgzip.h. */
#include <config.h>
#include "pgzip.h"
#include "sha256.h"
#include "util.h"
#include <dlfcn.h>
#include <errno.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BLOCK = 1 << 20, MAX_THREADS = 16 };

/* libdeflate is opened on first use, as libarchive is (dl.h): a push
   needs it, a `podtool run` should not pay for loading it. */
static struct
{
  __typeof__ (libdeflate_alloc_compressor) *alloc;
  __typeof__ (libdeflate_gzip_compress) *gzip;
  __typeof__ (libdeflate_gzip_compress_bound) *bound;
  __typeof__ (libdeflate_free_compressor) *free;
} dz;

static int
load_libdeflate (pt_error_t *err)
{
  static void *handle;
  if (handle)
    return 0;
  void *h = dlopen (PT_LIBDEFLATE_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL)
    return pt_make_error (err, 0, "load `%s`: %s", PT_LIBDEFLATE_SONAME, dlerror ());
  dz.alloc = dlsym (h, "libdeflate_alloc_compressor");
  dz.gzip = dlsym (h, "libdeflate_gzip_compress");
  dz.bound = dlsym (h, "libdeflate_gzip_compress_bound");
  dz.free = dlsym (h, "libdeflate_free_compressor");
  if (!dz.alloc || !dz.gzip || !dz.bound || !dz.free)
    return pt_make_error (err, 0, "`%s` lacks the gzip functions", PT_LIBDEFLATE_SONAME);
  handle = h;
  return 0;
}

/* One block of input and the gzip member it becomes. */
struct piece
{
  unsigned char *in, *out;
  size_t len, out_len, out_cap;
};

/* A batch of pieces the threads share out. */
struct batch
{
  struct piece *v;
  size_t n, next;
  int level;
  bool failed;
  pthread_mutex_t lock;
};

static void *
deflate_pieces (void *data)
{
  struct batch *b = data;
  struct libdeflate_compressor *c = dz.alloc (b->level);
  for (;;)
    {
      pthread_mutex_lock (&b->lock);
      size_t i = b->next++;
      if (c == NULL)
        b->failed = true;
      pthread_mutex_unlock (&b->lock);
      if (i >= b->n || c == NULL)
        break;
      struct piece *p = &b->v[i];
      size_t cap = dz.bound (c, p->len);
      if (cap > p->out_cap)
        p->out = xrealloc (p->out, p->out_cap = cap);
      p->out_len = dz.gzip (c, p->in, p->len, p->out, p->out_cap);
      if (p->out_len == 0)
        b->failed = true; /* cannot be: the buffer has the bound's room */
    }
  if (c)
    dz.free (c);
  return NULL;
}

/* Up to n pieces of BLOCK bytes from fd (a short one only at its end). */
static ssize_t
read_batch (int fd, struct piece *v, size_t n, bool *eof)
{
  size_t got = 0;
  while (got < n && !*eof)
    {
      struct piece *p = &v[got];
      if (p->in == NULL)
        p->in = xmalloc (BLOCK);
      p->len = 0;
      while (p->len < BLOCK)
        {
          ssize_t r = read (fd, p->in + p->len, BLOCK - p->len);
          if (r < 0 && errno == EINTR)
            continue;
          if (r < 0)
            return -1;
          if (r == 0)
            {
              *eof = true;
              break;
            }
          p->len += (size_t)r;
        }
      if (p->len > 0)
        got++;
    }
  return (ssize_t)got;
}

struct runner
{
  struct batch b;
  pthread_t tid[MAX_THREADS];
  size_t started;
};

static void
start_batch (struct runner *r, struct piece *v, size_t n, size_t threads, int level)
{
  r->b = (struct batch){ .v = v, .n = n, .level = level };
  pthread_mutex_init (&r->b.lock, NULL);
  for (r->started = 0; r->started < threads && r->started < n; r->started++)
    if (pthread_create (&r->tid[r->started], NULL, deflate_pieces, &r->b) != 0)
      break;
  if (r->started == 0)
    deflate_pieces (&r->b); /* no thread to be had: here, then */
}

static bool
finish_batch (struct runner *r)
{
  for (size_t t = 0; t < r->started; t++)
    pthread_join (r->tid[t], NULL);
  pthread_mutex_destroy (&r->b.lock);
  return !r->b.failed;
}

static int
emit (int fd, const struct piece *v, size_t n, struct pt_sha256 *sha, uint64_t *size)
{
  for (size_t k = 0; k < n; k++)
    {
      if (pt_write_all (fd, v[k].out, v[k].out_len) < 0)
        return -1;
      pt_sha256_update (sha, v[k].out, v[k].out_len);
      *size += v[k].out_len;
    }
  return 0;
}

static void
free_pieces (struct piece *v, size_t n)
{
  for (size_t k = 0; k < n; k++)
    {
      free (v[k].in);
      free (v[k].out);
    }
  free (v);
}

int
pt_pgzip (int in_fd, int out_fd, int level, char sha256[65], uint64_t *size, pt_error_t *err)
{
  if (load_libdeflate (err) < 0)
    return -1;
  long cores = sysconf (_SC_NPROCESSORS_ONLN);
  size_t threads = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (size_t)cores;
  size_t per_batch = threads * 2;
  /* Two batches: one read while the other is compressed. */
  struct piece *v[2] = { xzalloc (per_batch * sizeof **v), xzalloc (per_batch * sizeof **v) };
  struct pt_sha256 sha;
  pt_sha256_init (&sha);
  *size = 0;
  bool eof = false;
  int ret = 0;
  ssize_t n = read_batch (in_fd, v[0], per_batch, &eof);
  if (n == 0)
    {
      /* Nothing in: still one (empty) member, a valid gzip stream. */
      v[0][0].len = 0; /* (read_batch gave it its buffer) */
      n = 1;
    }
  for (int cur = 0; ret == 0 && n > 0; cur ^= 1)
    {
      struct runner r;
      start_batch (&r, v[cur], (size_t)n, threads, level);
      ssize_t next = eof ? 0 : read_batch (in_fd, v[cur ^ 1], per_batch, &eof);
      int read_errno = errno;
      if (!finish_batch (&r))
        ret = pt_make_error (err, 0, "compress: libdeflate cannot compress at level %d", level);
      else if (next < 0)
        ret = pt_make_error (err, read_errno, "compress: read");
      else if (emit (out_fd, v[cur], (size_t)n, &sha, size) < 0)
        ret = pt_make_error (err, errno, "compress: write");
      n = next;
    }
  free_pieces (v[0], per_batch);
  free_pieces (v[1], per_batch);
  pt_sha256_final_hex (&sha, sha256);
  return ret;
}

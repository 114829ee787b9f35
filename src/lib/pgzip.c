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
enum piece_state { FREE, READ, BUSY, DONE };
struct piece
{
  unsigned char *in, *out;
  size_t len, out_len, out_cap;
  uint64_t seq; /* its place in the stream */
  enum piece_state state;
};

/* The pieces, shared by the reader (this thread), which fills them in
   order and writes their members out in order, and the workers, which
   compress whichever is read: no batch waits for its slowest piece. */
struct pool
{
  struct piece *v;
  size_t n;
  int level;
  bool quit, failed;
  pthread_mutex_t lock;
  pthread_cond_t cond;
};

static struct piece *
next_read (struct pool *p)
{
  struct piece *best = NULL;
  for (size_t i = 0; i < p->n; i++)
    if (p->v[i].state == READ && (best == NULL || p->v[i].seq < best->seq))
      best = &p->v[i];
  return best;
}

static void *
worker (void *data)
{
  struct pool *p = data;
  struct libdeflate_compressor *c = dz.alloc (p->level);
  pthread_mutex_lock (&p->lock);
  if (c == NULL)
    p->failed = true;
  for (;;)
    {
      struct piece *pc;
      while ((pc = next_read (p)) == NULL && !p->quit && !p->failed)
        pthread_cond_wait (&p->cond, &p->lock);
      if (pc == NULL || p->failed)
        break;
      pc->state = BUSY;
      pthread_mutex_unlock (&p->lock);
      size_t cap = dz.bound (c, pc->len);
      if (cap > pc->out_cap)
        pc->out = xrealloc (pc->out, pc->out_cap = cap);
      pc->out_len = dz.gzip (c, pc->in, pc->len, pc->out, pc->out_cap);
      pthread_mutex_lock (&p->lock);
      pc->state = DONE;
      if (pc->out_len == 0)
        p->failed = true; /* cannot be: the buffer has the bound's room */
      pthread_cond_broadcast (&p->cond);
    }
  pthread_cond_broadcast (&p->cond);
  pthread_mutex_unlock (&p->lock);
  if (c)
    dz.free (c);
  return NULL;
}

/* A block of BLOCK bytes from fd into pc (short only at the end). */
static int
read_block (int fd, struct piece *pc, bool *eof)
{
  if (pc->in == NULL)
    pc->in = xmalloc (BLOCK);
  ssize_t n = pt_read_all (fd, pc->in, BLOCK);
  if (n < 0)
    return -1;
  pc->len = (size_t)n;
  *eof = pc->len < BLOCK;
  return 0;
}

static struct piece *
find (struct pool *p, enum piece_state state, uint64_t seq)
{
  for (size_t i = 0; i < p->n; i++)
    if (p->v[i].state == state && (state == FREE || p->v[i].seq == seq))
      return &p->v[i];
  return NULL;
}

struct output
{
  int fd;
  struct pt_sha256 sha;
  uint64_t size;
};

static int
emit (struct output *o, const struct piece *pc)
{
  if (pt_write_all (o->fd, pc->out, pc->out_len) < 0)
    return -1;
  pt_sha256_update (&o->sha, pc->out, pc->out_len);
  o->size += pc->out_len;
  return 0;
}

/* This thread's part: read blocks while a piece is free, write out the
   next member in order when it is done, wait when neither can be. */
static int
run_reader (struct pool *p, int in_fd, struct output *o, pt_error_t *err)
{
  uint64_t read_seq = 0, out_seq = 0;
  bool eof = false;
  int ret = 0;
  pthread_mutex_lock (&p->lock);
  while (ret == 0 && !p->failed && (!eof || out_seq < read_seq))
    {
      struct piece *done = find (p, DONE, out_seq);
      struct piece *free_pc = eof ? NULL : find (p, FREE, 0);
      if (done)
        {
          pthread_mutex_unlock (&p->lock);
          if (emit (o, done) < 0)
            ret = pt_make_error (err, errno, "compress: write");
          pthread_mutex_lock (&p->lock);
          done->state = FREE;
          out_seq++;
        }
      else if (free_pc)
        {
          pthread_mutex_unlock (&p->lock);
          if (read_block (in_fd, free_pc, &eof) < 0)
            ret = pt_make_error (err, errno, "compress: read");
          pthread_mutex_lock (&p->lock);
          /* An empty input still makes one (empty) member: a valid gzip. */
          if (ret == 0 && (free_pc->len > 0 || read_seq == 0))
            {
              free_pc->seq = read_seq++;
              free_pc->state = READ;
              pthread_cond_broadcast (&p->cond);
            }
        }
      else
        pthread_cond_wait (&p->cond, &p->lock);
    }
  if (ret == 0 && p->failed)
    ret = pt_make_error (err, 0, "compress: libdeflate cannot compress at level %d", p->level);
  p->quit = true;
  pthread_cond_broadcast (&p->cond);
  pthread_mutex_unlock (&p->lock);
  return ret;
}

int
pt_pgzip (int in_fd, int out_fd, int level, char sha256[65], uint64_t *size, pt_error_t *err)
{
  if (load_libdeflate (err) < 0)
    return -1;
  long cores = sysconf (_SC_NPROCESSORS_ONLN);
  size_t threads = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (size_t)cores;
  /* Enough pieces that every worker has one while the reader fills more
     and the next to write out waits for its turn. */
  struct pool p = { .n = threads * 2 + 2, .level = level };
  p.v = xzalloc (p.n * sizeof *p.v);
  pthread_mutex_init (&p.lock, NULL);
  pthread_cond_init (&p.cond, NULL);
  pthread_t tid[MAX_THREADS];
  size_t started = 0;
  for (; started < threads; started++)
    if (pthread_create (&tid[started], NULL, worker, &p) != 0)
      break;
  struct output o = { .fd = out_fd };
  pt_sha256_init (&o.sha);
  int ret = started == 0 ? pt_make_error (err, errno, "compress: start a thread")
                         : run_reader (&p, in_fd, &o, err);
  for (size_t t = 0; t < started; t++)
    pthread_join (tid[t], NULL);
  pthread_mutex_destroy (&p.lock);
  pthread_cond_destroy (&p.cond);
  for (size_t i = 0; i < p.n; i++)
    {
      free (p.v[i].in);
      free (p.v[i].out);
    }
  free (p.v);
  *size = o.size;
  pt_sha256_final_hex (&o.sha, sha256);
  return ret;
}

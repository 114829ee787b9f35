/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A blob uploaded as it is compressed: see push-follow.h. */
#include <config.h>
#include "push-follow.h"
#include "util.h"
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

struct pt_blob_follow
{
  struct pt_registry *r;
  char *loc; /* the session's latest Location */
  int fd;
  uint64_t chunk, sent;
  pthread_t tid;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  bool whole, stop; /* from the writer: size is final; give up */
  uint64_t size;
  int ret;
  pt_error_t err;
};

/* len bytes from where the last chunk ended. */
static int
patch (struct pt_blob_follow *f, uint64_t len)
{
  char range[48];
  snprintf (range, sizeof range, "%llu-%llu", (unsigned long long)f->sent,
            (unsigned long long)(f->sent + len - 1));
  struct pt_http_req q = { .method = "PATCH",
                           .url = f->loc,
                           .content_type = "application/octet-stream",
                           .content_range = range,
                           .fd = f->fd,
                           .fd_offset = f->sent,
                           .len = len };
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  int r = pt_registry_request (f->r, &q, &body, &status, &f->err);
  if (r == 0 && (status != 202 || body.location == NULL))
    r = pt_registry_status_error (f->r, "upload a chunk", status, &body, &f->err);
  if (r == 0)
    {
      free (f->loc);
      f->loc = pt_registry_url (f->r, body.location);
      f->sent += len;
    }
  pt_http_body_free (&body);
  return r;
}

/* What to send next: a whole chunk while the file grows, the rest once it
   is whole; 0 to wait, -1 to end. */
static int64_t
next_len (struct pt_blob_follow *f)
{
  struct stat st;
  pthread_mutex_lock (&f->lock);
  bool whole = f->whole, stop = f->stop;
  uint64_t size = f->size;
  pthread_mutex_unlock (&f->lock);
  if (stop)
    return -1;
  /* A blob of one chunk or less that has not begun goes up whole, in
     the PUT that closes the session. */
  if (whole && f->sent == 0 && size <= f->chunk)
    return -1;
  if (whole)
    return f->sent < size ? (int64_t)(size - f->sent < f->chunk ? size - f->sent : f->chunk) : -1;
  if (fstat (f->fd, &st) == 0 && (uint64_t)st.st_size >= f->sent + f->chunk)
    return (int64_t)f->chunk;
  return 0;
}

static void *
follow (void *data)
{
  struct pt_blob_follow *f = data;
  for (;;)
    {
      int64_t len = next_len (f);
      if (len < 0)
        break;
      if (len > 0)
        {
          if ((f->ret = patch (f, (uint64_t)len)) < 0)
            break;
          continue;
        }
      /* Until the writer says it is done, or 20 ms (the file grows). */
      struct timespec t;
      clock_gettime (CLOCK_REALTIME, &t);
      t.tv_nsec += 20 * 1000 * 1000;
      if (t.tv_nsec >= 1000000000)
        t.tv_sec++, t.tv_nsec -= 1000000000;
      pthread_mutex_lock (&f->lock);
      if (!f->whole && !f->stop)
        pthread_cond_timedwait (&f->cond, &f->lock, &t);
      pthread_mutex_unlock (&f->lock);
    }
  return NULL;
}

struct pt_blob_follow *
pt_blob_follow_start (struct pt_registry *r, const char *repo, int fd, uint64_t chunk,
                      pt_error_t *err)
{
  cleanup_free char *start = xasprintf ("%s/blobs/uploads/", repo);
  struct pt_http_req post = { .method = "POST", .path = start, .fd = -1 };
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  if (pt_registry_request (r, &post, &body, &status, err) < 0)
    return pt_http_body_free (&body), NULL;
  if (status != 202 || body.location == NULL)
    {
      pt_registry_status_error (r, "start an upload", status, &body, err);
      pt_http_body_free (&body);
      return NULL;
    }
  struct pt_blob_follow *f = xzalloc (sizeof *f);
  f->r = r;
  f->loc = pt_registry_url (r, body.location);
  pt_http_body_free (&body);
  f->fd = fd;
  f->chunk = chunk;
  pthread_mutex_init (&f->lock, NULL);
  pthread_cond_init (&f->cond, NULL);
  if (pthread_create (&f->tid, NULL, follow, f) != 0)
    {
      pt_make_error (err, errno, "start the upload's thread");
      pthread_mutex_destroy (&f->lock);
      pthread_cond_destroy (&f->cond);
      free (f->loc);
      free (f);
      return NULL;
    }
  return f;
}

static void
end (struct pt_blob_follow *f, bool whole, uint64_t size)
{
  pthread_mutex_lock (&f->lock);
  f->whole = whole;
  f->stop = !whole;
  f->size = size;
  pthread_cond_broadcast (&f->cond);
  pthread_mutex_unlock (&f->lock);
  pthread_join (f->tid, NULL);
  pthread_mutex_destroy (&f->lock);
  pthread_cond_destroy (&f->cond);
}

int
pt_blob_follow_finish (struct pt_blob_follow *f, uint64_t size, char **loc, uint64_t *sent,
                       pt_error_t *err)
{
  end (f, true, size);
  int r = f->ret;
  *sent = f->sent;
  if (r < 0)
    *err = steal_pointer (&f->err);
  else
    *loc = steal_pointer (&f->loc);
  free (f->loc);
  free (f);
  return r;
}

void
pt_blob_follow_abandon (struct pt_blob_follow *f)
{
  end (f, false, 0);
  pt_error_release (&f->err);
  free (f->loc);
  free (f);
}

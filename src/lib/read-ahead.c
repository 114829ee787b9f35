/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Read ahead on a thread: see read-ahead.h. */
#include <config.h>
#include "read-ahead.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOTS = 4, SLOT = 1 << 20 };

struct pt_read_ahead
{
  struct archive *a;
  pthread_t tid;
  bool running;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  char *buf[SLOTS];
  size_t len[SLOTS];
  unsigned filled, taken; /* slots made and slots given back, counting up */
  bool held;              /* the taker has slot taken % SLOTS */
  bool eof, failed, stop;
  char msg[512];
};

/* One slot's worth from the reader: 1 full, 0 the end came, -1 an error. */
static int
fill (struct pt_read_ahead *ra, char *dst, size_t *len, const void **rest, size_t *rest_len)
{
  *len = 0;
  while (*len < SLOT)
    {
      if (*rest_len == 0)
        {
          la_int64_t off;
          int r = archive_read_data_block (ra->a, rest, rest_len, &off);
          if (r == ARCHIVE_EOF)
            return 0;
          if (r != ARCHIVE_OK)
            {
              const char *e = archive_error_string (ra->a);
              snprintf (ra->msg, sizeof ra->msg, "%s", e ? e : "read error");
              return -1;
            }
        }
      size_t n = SLOT - *len < *rest_len ? SLOT - *len : *rest_len;
      memcpy (dst + *len, *rest, n);
      *len += n;
      *rest = (const char *)*rest + n;
      *rest_len -= n;
    }
  return 1;
}

static void *
producer (void *data)
{
  struct pt_read_ahead *ra = data;
  const void *rest = NULL;
  size_t rest_len = 0;
  for (;;)
    {
      pthread_mutex_lock (&ra->lock);
      while (ra->filled - ra->taken == SLOTS && !ra->stop)
        pthread_cond_wait (&ra->cond, &ra->lock);
      bool stop = ra->stop;
      unsigned k = ra->filled % SLOTS;
      pthread_mutex_unlock (&ra->lock);
      if (stop)
        return NULL;
      size_t len;
      int r = fill (ra, ra->buf[k], &len, &rest, &rest_len);
      pthread_mutex_lock (&ra->lock);
      ra->len[k] = len;
      if (len > 0)
        ra->filled++;
      ra->eof = r == 0;
      ra->failed = r < 0;
      pthread_cond_broadcast (&ra->cond);
      pthread_mutex_unlock (&ra->lock);
      if (r <= 0)
        return NULL;
    }
}

struct pt_read_ahead *
pt_read_ahead_start (struct archive *a)
{
  struct pt_read_ahead *ra = xzalloc (sizeof *ra);
  ra->a = a;
  for (int k = 0; k < SLOTS; k++)
    ra->buf[k] = xmalloc (SLOT);
  pthread_mutex_init (&ra->lock, NULL);
  pthread_cond_init (&ra->cond, NULL);
  ra->running = pthread_create (&ra->tid, NULL, producer, ra) == 0;
  if (!ra->running)
    {
      pt_read_ahead_stop (ra);
      return NULL;
    }
  return ra;
}

ssize_t
pt_read_ahead_next (struct pt_read_ahead *ra, const void **buf, const char **msg)
{
  pthread_mutex_lock (&ra->lock);
  if (ra->held)
    {
      ra->taken++;
      ra->held = false;
      pthread_cond_broadcast (&ra->cond);
    }
  while (ra->filled == ra->taken && !ra->eof && !ra->failed)
    pthread_cond_wait (&ra->cond, &ra->lock);
  ssize_t n;
  if (ra->filled > ra->taken)
    {
      unsigned k = ra->taken % SLOTS;
      *buf = ra->buf[k];
      n = (ssize_t)ra->len[k];
      ra->held = true;
    }
  else if (ra->failed)
    {
      *msg = ra->msg;
      n = -1;
    }
  else
    n = 0;
  pthread_mutex_unlock (&ra->lock);
  return n;
}

void
pt_read_ahead_stop (struct pt_read_ahead *ra)
{
  if (ra->running)
    {
      pthread_mutex_lock (&ra->lock);
      ra->stop = true;
      pthread_cond_broadcast (&ra->cond);
      pthread_mutex_unlock (&ra->lock);
      pthread_join (ra->tid, NULL);
    }
  pthread_mutex_destroy (&ra->lock);
  pthread_cond_destroy (&ra->cond);
  for (int k = 0; k < SLOTS; k++)
    free (ra->buf[k]);
  free (ra);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SHA-256 on a thread beside the reader: see sha256-beside.h. */
#include <config.h>
#include "sha256-beside.h"
#include "sha256.h"
#include "util.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct pt_sha256_beside
{
  struct pt_sha256 sha;
  bool threaded;
  pthread_t tid;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  const void *buf; /* the buffer handed over, while pending */
  size_t len;
  bool pending, quit;
};

static void *
hasher (void *data)
{
  struct pt_sha256_beside *h = data;
  pthread_mutex_lock (&h->lock);
  for (;;)
    {
      while (!h->pending && !h->quit)
        pthread_cond_wait (&h->cond, &h->lock);
      if (!h->pending)
        break;
      const void *buf = h->buf;
      size_t len = h->len;
      pthread_mutex_unlock (&h->lock);
      pt_sha256_update (&h->sha, buf, len);
      pthread_mutex_lock (&h->lock);
      h->pending = false;
      pthread_cond_broadcast (&h->cond);
    }
  pthread_mutex_unlock (&h->lock);
  return NULL;
}

struct pt_sha256_beside *
pt_sha256_beside_new (void)
{
  struct pt_sha256_beside *h = xzalloc (sizeof *h);
  pt_sha256_init (&h->sha);
  pthread_mutex_init (&h->lock, NULL);
  pthread_cond_init (&h->cond, NULL);
  h->threaded = pthread_create (&h->tid, NULL, hasher, h) == 0;
  return h;
}

/* Until the thread has taken in what it was handed (call locked). */
static void
wait_idle (struct pt_sha256_beside *h)
{
  while (h->pending)
    pthread_cond_wait (&h->cond, &h->lock);
}

void
pt_sha256_beside_feed (struct pt_sha256_beside *h, const void *buf, size_t len)
{
  if (!h->threaded)
    {
      pt_sha256_update (&h->sha, buf, len);
      return;
    }
  pthread_mutex_lock (&h->lock);
  wait_idle (h);
  h->buf = buf;
  h->len = len;
  h->pending = true;
  pthread_cond_broadcast (&h->cond);
  pthread_mutex_unlock (&h->lock);
}

void
pt_sha256_beside_final_hex (struct pt_sha256_beside *h, char hex[65])
{
  if (h->threaded)
    {
      pthread_mutex_lock (&h->lock);
      wait_idle (h);
      h->quit = true;
      pthread_cond_broadcast (&h->cond);
      pthread_mutex_unlock (&h->lock);
      pthread_join (h->tid, NULL);
    }
  pt_sha256_final_hex (&h->sha, hex);
  pthread_mutex_destroy (&h->lock);
  pthread_cond_destroy (&h->cond);
  free (h);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Many blobs at once, into pipes: see pt_registry_get_blobs. */
#include <config.h>
#include "registry-internal.h"
#include "sha256.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct xfer
{
  struct pt_blob_get *g;
  CURL *h;
  struct curl_slist *hdrs;
  struct pt_sha256 sha;
  long status;
  char *pending; /* accepted bytes the full pipe has not taken yet */
  size_t pending_len;
  int write_errno;
  bool too_long, active;
};

/* Writes what the pipe takes now; the rest waits in pending. */
static int
push_bytes (struct xfer *x, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t w = write (*x->g->fd, buf, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0 && errno == EAGAIN)
        break;
      if (w < 0)
        return x->write_errno = errno, -1;
      buf += w, len -= (size_t)w;
    }
  if (len > 0)
    {
      x->pending = xrealloc (x->pending, x->pending_len + len);
      memcpy (x->pending + x->pending_len, buf, len);
      x->pending_len += len;
    }
  return 0;
}

static size_t
on_blob (char *buf, size_t size, size_t n, void *data)
{
  struct xfer *x = data;
  struct pt_blob_get *g = x->g;
  size_t len = size * n;
  if (x->status == 0)
    curl_easy_getinfo (x->h, CURLINFO_RESPONSE_CODE, &x->status);
  if (x->status != 200)
    return len; /* an error's body: said by its status */
  if (x->pending_len)
    return CURL_WRITEFUNC_PAUSE; /* given again once the pipe drains */
  if (g->size && g->len + len > g->size)
    return x->too_long = true, 0;
  pt_sha256_update (&x->sha, buf, len);
  g->len += len;
  if (push_bytes (x, buf, len) < 0)
    return 0;
  if (g->progress)
    g->progress (g->progress_data, g->len);
  return len;
}

static int
start (struct pt_registry *r, CURLM *mh, struct xfer *x, pt_error_t *err)
{
  const char *userpwd;
  cleanup_free char *path = xasprintf ("%s/blobs/%s", pt_registry_repo (r), x->g->digest);
  cleanup_free char *url = pt_registry_api_url (r, path);
  int fl = fcntl (*x->g->fd, F_GETFL);
  if (fl < 0 || fcntl (*x->g->fd, F_SETFL, fl | O_NONBLOCK) < 0)
    return pt_make_error (err, errno, "the pipe for blob %s", x->g->digest);
  x->h = curl_easy_init ();
  if (x->h == NULL)
    return pt_make_error (err, 0, "curl_easy_init failed");
  x->hdrs = pt_registry_auth_header (r, &userpwd);
  pt_sha256_init (&x->sha);
  pt_registry_setup_handle (r, x->h, url, x->hdrs, userpwd);
  curl_easy_setopt (x->h, CURLOPT_WRITEFUNCTION, on_blob);
  curl_easy_setopt (x->h, CURLOPT_WRITEDATA, x);
  curl_easy_setopt (x->h, CURLOPT_PRIVATE, x);
  curl_multi_add_handle (mh, x->h);
  x->active = true;
  return 0;
}

static void
stop (CURLM *mh, struct xfer *x)
{
  if (x->h)
    {
      curl_multi_remove_handle (mh, x->h);
      curl_easy_cleanup (x->h);
    }
  curl_slist_free_all (x->hdrs);
  free (x->pending);
  x->h = NULL, x->hdrs = NULL, x->pending = NULL, x->pending_len = 0;
  x->active = false;
}

/* A transfer ended: whole, or the reason it is not. */
static int
finish (struct pt_registry *r, struct xfer *x, CURLcode c, pt_error_t *err)
{
  struct pt_blob_get *g = x->g;
  const char *host = pt_registry_host (r), *repo = pt_registry_repo (r);
  if (x->write_errno)
    return pt_make_error (err, x->write_errno, "blob %s: pass it on", g->digest);
  if (x->too_long)
    return pt_make_error (err, 0, "%s/%s: the blob %s is longer than the %zu bytes its manifest says",
                          host, repo, g->digest, g->size);
  if (c != CURLE_OK)
    return pt_make_error (err, 0, "%s: blob %s: %s", host, g->digest, curl_easy_strerror (c));
  curl_easy_getinfo (x->h, CURLINFO_RESPONSE_CODE, &x->status);
  if (x->status != 200)
    return pt_make_error (err, 0, "%s/%s: reading blob %s: HTTP %ld", host, repo, g->digest,
                          x->status);
  pt_sha256_final_hex (&x->sha, g->sha256);
  /* The tail the pipe had no room for yet: waited for now. */
  int fl = fcntl (*g->fd, F_GETFL);
  if (x->pending_len
      && (fcntl (*g->fd, F_SETFL, fl & ~O_NONBLOCK) < 0
          || pt_write_all (*g->fd, x->pending, x->pending_len) < 0))
    return pt_make_error (err, errno, "blob %s: pass it on", g->digest);
  close (*g->fd);
  *g->fd = -1;
  return 0;
}

/* The pipes that were full: what they take now, and their transfers on. */
static int
drain (struct xfer *v, size_t n, struct curl_waitfd *pf, size_t npf)
{
  for (size_t k = 0; k < npf; k++)
    for (size_t i = 0; i < n; i++)
      if (v[i].active && v[i].pending_len && *v[i].g->fd == pf[k].fd && pf[k].revents)
        {
          struct xfer *x = &v[i];
          char *buf = x->pending;
          size_t len = x->pending_len;
          x->pending = NULL, x->pending_len = 0;
          int r = push_bytes (x, buf, len);
          free (buf);
          if (r < 0)
            return -1;
          if (x->pending_len == 0)
            curl_easy_pause (x->h, CURLPAUSE_CONT);
        }
  return 0;
}

static int
run (struct pt_registry *r, CURLM *mh, struct xfer *v, size_t n, int parallel, pt_error_t *err)
{
  size_t next = 0, active = 0;
  struct curl_waitfd *pf = xzalloc ((n + 1) * sizeof *pf);
  int ret = 0;
  for (; next < n && active < (size_t)parallel && ret == 0; next++, active++)
    ret = start (r, mh, &v[next], err);
  while (ret == 0 && active > 0)
    {
      int running;
      curl_multi_perform (mh, &running);
      CURLMsg *msg;
      int left;
      while (ret == 0 && (msg = curl_multi_info_read (mh, &left)))
        {
          struct xfer *x = NULL;
          if (msg->msg != CURLMSG_DONE)
            continue;
          curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
          ret = finish (r, x, msg->data.result, err);
          stop (mh, x);
          active--;
          if (ret == 0 && next < n)
            ret = start (r, mh, &v[next++], err), active++;
        }
      size_t npf = 0;
      for (size_t i = 0; i < n; i++)
        if (v[i].active && v[i].pending_len)
          pf[npf++] = (struct curl_waitfd){ .fd = *v[i].g->fd, .events = CURL_WAIT_POLLOUT };
      if (ret == 0 && active > 0)
        {
          curl_multi_poll (mh, pf, (unsigned)npf, 1000, NULL);
          if (npf && drain (v, n, pf, npf) < 0)
            for (size_t i = 0; i < n && ret == 0; i++)
              if (v[i].write_errno)
                ret = finish (r, &v[i], CURLE_OK, err);
        }
    }
  free (pf);
  return ret;
}

int
pt_registry_get_blobs (struct pt_registry *r, struct pt_blob_get *g, size_t n, int parallel,
                       pt_error_t *err)
{
  if (n == 0)
    return 0;
  CURLM *mh = curl_multi_init ();
  if (mh == NULL)
    return pt_make_error (err, 0, "curl_multi_init failed");
  curl_multi_setopt (mh, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
  struct xfer *v = xzalloc (n * sizeof *v);
  for (size_t i = 0; i < n; i++)
    v[i].g = &g[i];
  int ret = run (r, mh, v, n, parallel, err);
  for (size_t i = 0; i < n; i++)
    stop (mh, &v[i]);
  free (v);
  curl_multi_cleanup (mh);
  return ret;
}

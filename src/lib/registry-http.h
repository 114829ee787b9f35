/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_REGISTRY_HTTP_H
#define PT_REGISTRY_HTTP_H

#include "error.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One registry, spoken to over HTTP(S) with libcurl: its scheme (https;
   with tls_verify off, http when the registry speaks no TLS), its auth
   (basic credentials, or a Bearer token fetched from the realm its
   WWW-Authenticate names, per scope) and one reused connection. */
struct pt_registry_opts
{
  bool tls_verify;
  const char *creds;    /* USER:PASS, or NULL */
  const char *cert_dir; /* *.crt CAs trusted beside the system's; NULL: the
                           user's, /etc/containers' or /etc/docker's
                           certs.d/HOST when there is one */
  bool push;            /* tokens are asked for pull and push */
  const char *authfile; /* --authfile: credentials from it alone (auth.h) */
};
struct pt_registry;
struct pt_registry *pt_registry_open (const char *host, const char *repo,
                                      const struct pt_registry_opts *o, pt_error_t *err);
void pt_registry_close (struct pt_registry *r);

/* What a response's body goes to: memory (at most max bytes), or an fd,
   hashed with sha256 on the way. */
struct pt_http_body
{
  char *data; /* memory: NUL-terminated, the caller's to free */
  size_t len;
  size_t max;
  int fd;          /* >= 0: written here instead */
  char sha256[65]; /* of the bytes received */
  char *content_type;
  char *digest_header; /* Docker-Content-Digest */
  char *location;      /* Location (an upload's next URL) */
  char *link;          /* Link (a listing's next page) */
  /* Progress: called as bytes arrive. */
  void (*progress) (void *data, size_t done);
  void *progress_data;
};
void pt_http_body_free (struct pt_http_body *b);
/* GET base/v2/PATH (accept: the Accept header, or NULL), authenticating as
   the registry asks. *status gets the HTTP status; an error only when no
   answer came (or one in words for 401). */
int pt_registry_get (struct pt_registry *r, const char *path, const char *accept,
                     struct pt_http_body *body, long *status, pt_error_t *err);
/* Any request: method (NULL: GET; HEAD; POST, PUT, PATCH with a body,
   perhaps empty), to base/v2/PATH or to an absolute url (an upload's), the
   body from memory (data, len) or from the file fd (len bytes). */
struct pt_http_req
{
  const char *method;
  const char *path, *url;
  const char *accept, *content_type;
  const char *data;
  size_t len;
  int fd;             /* -1: data */
  uint64_t fd_offset; /* where in fd the body starts */
  const char *content_range; /* a chunk's Content-Range, or NULL */
  /* Called as the request's body goes out (bytes sent so far). */
  void (*progress) (void *data, size_t sent);
  void *progress_data;
};
int pt_registry_request (struct pt_registry *r, const struct pt_http_req *q,
                         struct pt_http_body *body, long *status, pt_error_t *err);
/* An answer that is not what was wanted: "HOST: WHAT: HTTP STATUS: the
   registry's message". Returns -1. */
int pt_registry_status_error (struct pt_registry *r, const char *what, long status,
                              const struct pt_http_body *b, pt_error_t *err);
/* A Location header as an absolute URL on this registry. */
char *pt_registry_url (const struct pt_registry *r, const char *location);
/* Blobs fetched at once, `parallel` at a time over one libcurl multi
   handle (its connections reused; HTTP/2 where the registry speaks it),
   each body written to its fd (made non-blocking: a pipe to the worker
   that unpacks it; a transfer waits while its pipe is full) and closed,
   set to -1, when its blob has all arrived. The first failure stops them
   all: a transport error, an answer other than 200 (naming the blob), a
   body longer than size, a sink that fails (EPIPE: its reader ended).
   Authentication is what the registry's last request settled. */
struct pt_blob_get
{
  const char *digest; /* base/v2/REPO/blobs/DIGEST */
  size_t size;        /* what the manifest says; 0: not known */
  int *fd;
  void (*progress) (void *data, size_t done);
  void *progress_data;
  /* out: what arrived, and its sha256 */
  size_t len;
  char sha256[65];
};
int pt_registry_get_blobs (struct pt_registry *r, struct pt_blob_get *g, size_t n, int parallel,
                           pt_error_t *err);
/* The registry's host, for messages. */
const char *pt_registry_host (const struct pt_registry *r);

#endif

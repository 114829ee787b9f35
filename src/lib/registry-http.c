/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The registry's HTTP side: see registry-http.h. */
#include <config.h>
#include "registry-http.h"
#include "registry-internal.h"
#include "dl-curl.h"
#include "sha256.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

struct pt_registry
{
  CURL *h;
  char *host, *repo;
  const char *scheme;
  bool tls_verify;
  char *creds;
  char *ca_pem; /* --cert-dir's *.crt, concatenated */
  char *auth;   /* the Authorization header that worked last */
  /* Tokens by the scope they were given for, newest first. */
  struct
  {
    char *scope, *auth;
  } tokens[8];
  bool basic;   /* the registry takes basic auth: send it at once */
  bool push;
};

struct exchange
{
  struct pt_http_body *body;
  const struct pt_http_req *req;
  size_t sent; /* of the request's body */
  struct pt_sha256 sha;
  char *www_auth;
  bool too_big, write_failed;
};

static size_t
on_header (char *buf, size_t size, size_t n, void *data)
{
  struct exchange *x = data;
  size_t len = size * n;
  static const struct
  {
    const char *name;
    size_t off;
  } want[]
      = { { "www-authenticate:", 0 },
          { "content-type:", 1 },
          { "docker-content-digest:", 2 },
          { "location:", 3 },
          { "link:", 4 } };
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    {
      size_t k = strlen (want[i].name);
      if (len <= k || strncasecmp (buf, want[i].name, k) != 0)
        continue;
      const char *v = buf + k;
      size_t vl = len - k;
      while (vl && (*v == ' ' || *v == '\t'))
        v++, vl--;
      while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
        vl--;
      char **dst = want[i].off == 0   ? &x->www_auth
                   : want[i].off == 1 ? &x->body->content_type
                   : want[i].off == 2 ? &x->body->digest_header
                   : want[i].off == 3 ? &x->body->location
                                      : &x->body->link;
      free (*dst);
      *dst = xstrndup (v, vl);
    }
  return len;
}

static size_t
on_body (char *buf, size_t size, size_t n, void *data)
{
  struct exchange *x = data;
  struct pt_http_body *b = x->body;
  size_t len = size * n;
  pt_sha256_update (&x->sha, buf, len);
  if (b->fd >= 0)
    {
      if (pt_write_all (b->fd, buf, len) < 0)
        return x->write_failed = true, 0;
    }
  else
    {
      if (b->len + len > b->max)
        return x->too_big = true, 0;
      b->data = xrealloc (b->data, b->len + len + 1);
      memcpy (b->data + b->len, buf, len);
      b->data[b->len + len] = '\0';
    }
  b->len += len;
  if (b->progress)
    b->progress (b->progress_data, b->len);
  return len;
}

/* The request's body, from memory or its file. */
static size_t
on_upload (char *buf, size_t size, size_t n, void *data)
{
  struct exchange *x = data;
  const struct pt_http_req *q = x->req;
  size_t want = size * n, left = q->len - x->sent;
  if (want > left)
    want = left;
  if (q->fd < 0)
    memcpy (buf, q->data + x->sent, want);
  else
    {
      ssize_t got = pread (q->fd, buf, want, (off_t)(q->fd_offset + x->sent));
      if (got < 0)
        return CURL_READFUNC_ABORT;
      want = (size_t)got;
    }
  x->sent += want;
  return want;
}

static int
on_xfer (void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  struct exchange *x = data;
  (void)dltotal, (void)dlnow, (void)ultotal;
  if (ulnow > 0)
    x->req->progress (x->req->progress_data, (size_t)ulnow);
  return 0;
}

static int
on_seek (void *data, curl_off_t offset, int origin)
{
  struct exchange *x = data;
  if (origin != SEEK_SET || offset < 0 || (size_t)offset > x->req->len)
    return CURL_SEEKFUNC_CANTSEEK;
  x->sent = (size_t)offset;
  return CURL_SEEKFUNC_OK;
}

void
pt_http_body_free (struct pt_http_body *b)
{
  free (b->data);
  free (b->content_type);
  free (b->digest_header);
  free (b->location);
  free (b->link);
  b->data = b->content_type = b->digest_header = b->location = b->link = NULL;
}

/* --cert-dir: its *.crt files, one PEM bundle libcurl trusts. */
static char *
read_cert_dir (const char *dir, pt_error_t *err)
{
  cleanup_dir DIR *d = opendir (dir);
  if (d == NULL)
    return pt_make_error (err, errno, "--cert-dir `%s`", dir), NULL;
  char *pem = xstrdup ("");
  struct dirent *de;
  while ((de = readdir (d)))
    {
      size_t n = strlen (de->d_name);
      if (n < 5 || strcmp (de->d_name + n - 4, ".crt") != 0)
        continue;
      cleanup_free char *data = NULL;
      size_t len;
      if (pt_read_file (dirfd (d), de->d_name, &data, &len, err) < 0)
        return free (pem), NULL;
      char *more = xasprintf ("%s%s\n", pem, data);
      free (pem);
      pem = more;
    }
  return pem;
}

/* Without --cert-dir, as Podman: certs.d/HOST[:PORT] in the user's
   containers config, then /etc/containers and /etc/docker, when there. */
static char *
default_cert_dir (const char *host)
{
  cleanup_free char *user = pt_user_containers_dir ();
  char *dirs[] = {
    xasprintf ("%s/certs.d/%s", user, host),
    xasprintf ("/etc/containers/certs.d/%s", host),
    xasprintf ("/etc/docker/certs.d/%s", host),
  };
  char *found = NULL;
  for (size_t i = 0; i < 3; i++)
    {
      struct stat st;
      if (found == NULL && stat (dirs[i], &st) == 0 && S_ISDIR (st.st_mode))
        found = dirs[i];
      else
        free (dirs[i]);
    }
  return found;
}

struct pt_registry *
pt_registry_open (const char *host, const char *repo, const struct pt_registry_opts *o,
                  pt_error_t *err)
{
  if (pt_dl_curl (err) < 0)
    return NULL;
  struct pt_registry *r = xzalloc (sizeof *r);
  r->host = xstrdup (host);
  r->repo = xstrdup (repo);
  r->scheme = "https";
  r->tls_verify = o->tls_verify;
  r->push = o->push;
  r->creds = o->creds ? xstrdup (o->creds) : NULL;
  cleanup_free char *certs = o->cert_dir ? xstrdup (o->cert_dir) : default_cert_dir (host);
  if (certs && (r->ca_pem = read_cert_dir (certs, err)) == NULL)
    return pt_registry_close (r), NULL;
  r->h = curl_easy_init ();
  if (r->h == NULL)
    return pt_registry_close (r), pt_make_error (err, 0, "curl_easy_init failed"), NULL;
  return r;
}

void
pt_registry_close (struct pt_registry *r)
{
  if (r == NULL)
    return;
  if (r->h)
    curl_easy_cleanup (r->h);
  free (r->host);
  free (r->repo);
  free (r->creds);
  free (r->ca_pem);
  free (r->auth);
  for (size_t i = 0; i < sizeof r->tokens / sizeof *r->tokens; i++)
    {
      free (r->tokens[i].scope);
      free (r->tokens[i].auth);
    }
  free (r);
}

const char *
pt_registry_host (const struct pt_registry *r)
{
  return r->host;
}

const char *
pt_registry_repo (const struct pt_registry *r)
{
  return r->repo;
}

char *
pt_registry_api_url (const struct pt_registry *r, const char *path)
{
  return xasprintf ("%s://%s/v2/%s", r->scheme, r->host, path);
}

struct curl_slist *
pt_registry_auth_header (const struct pt_registry *r, const char **userpwd)
{
  *userpwd = r->auth == NULL && r->basic ? r->creds : NULL;
  if (r->auth == NULL)
    return NULL;
  cleanup_free char *au = xasprintf ("Authorization: %s", r->auth);
  return curl_slist_append (NULL, au);
}

/* One request: url, its Authorization (or NULL), the basic credentials
   for a token realm (or NULL). */
static CURLcode
perform (struct pt_registry *r, const char *url, const char *accept, const char *auth,
         const char *userpwd, struct exchange *x, long *status)
{
  CURL *h = r->h;
  curl_easy_reset (h);
  struct curl_slist *hdrs = NULL;
  const struct pt_http_req *q = x->req;
  cleanup_free char *acc = accept ? xasprintf ("Accept: %s", accept) : NULL;
  cleanup_free char *au = auth ? xasprintf ("Authorization: %s", auth) : NULL;
  cleanup_free char *ct
      = q && q->content_type ? xasprintf ("Content-Type: %s", q->content_type) : NULL;
  cleanup_free char *cr
      = q && q->content_range ? xasprintf ("Content-Range: %s", q->content_range) : NULL;
  if (acc)
    hdrs = curl_slist_append (hdrs, acc);
  if (au)
    hdrs = curl_slist_append (hdrs, au);
  if (ct)
    hdrs = curl_slist_append (hdrs, ct);
  if (cr)
    hdrs = curl_slist_append (hdrs, cr);
  const char *method = q && q->method ? q->method : "GET";
  if (strcmp (method, "HEAD") == 0)
    curl_easy_setopt (h, CURLOPT_NOBODY, 1L);
  else if (strcmp (method, "GET") != 0)
    {
      /* A body (perhaps empty) for POST, PUT, PATCH. */
      x->sent = 0;
      curl_easy_setopt (h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt (h, CURLOPT_CUSTOMREQUEST, method);
      curl_easy_setopt (h, CURLOPT_READFUNCTION, on_upload);
      curl_easy_setopt (h, CURLOPT_READDATA, x);
      curl_easy_setopt (h, CURLOPT_SEEKFUNCTION, on_seek);
      curl_easy_setopt (h, CURLOPT_SEEKDATA, x);
      curl_easy_setopt (h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)q->len);
      if (q->progress)
        {
          curl_easy_setopt (h, CURLOPT_NOPROGRESS, 0L);
          curl_easy_setopt (h, CURLOPT_XFERINFOFUNCTION, on_xfer);
          curl_easy_setopt (h, CURLOPT_XFERINFODATA, x);
        }
    }
  pt_registry_setup_handle (r, h, url, hdrs, userpwd);
  curl_easy_setopt (h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (h, CURLOPT_HEADERDATA, x);
  curl_easy_setopt (h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (h, CURLOPT_WRITEDATA, x);
  CURLcode c = curl_easy_perform (h);
  *status = 0;
  curl_easy_getinfo (h, CURLINFO_RESPONSE_CODE, status);
  curl_slist_free_all (hdrs);
  return c;
}

void
pt_registry_setup_handle (struct pt_registry *r, CURL *h, const char *url,
                          struct curl_slist *hdrs, const char *userpwd)
{
  curl_easy_setopt (h, CURLOPT_URL, url);
  curl_easy_setopt (h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt (h, CURLOPT_FOLLOWLOCATION, 1L); /* blobs redirect to storage */
  curl_easy_setopt (h, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt (h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (h, CURLOPT_USERAGENT, "podtool/" PACKAGE_VERSION);
  curl_easy_setopt (h, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt (h, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (h, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt (h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (h, CURLOPT_SSL_VERIFYPEER, r->tls_verify ? 1L : 0L);
  curl_easy_setopt (h, CURLOPT_SSL_VERIFYHOST, r->tls_verify ? 2L : 0L);
  if (r->ca_pem)
    {
      struct curl_blob blob = { r->ca_pem, strlen (r->ca_pem), CURL_BLOB_COPY };
      curl_easy_setopt (h, CURLOPT_CAINFO_BLOB, &blob);
    }
  if (userpwd)
    {
      curl_easy_setopt (h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
      curl_easy_setopt (h, CURLOPT_USERPWD, userpwd);
    }
}

/* One parameter of a WWW-Authenticate challenge: key="value". */
static char *
challenge_param (const char *ch, const char *key)
{
  size_t k = strlen (key);
  for (const char *p = ch; (p = strstr (p, key)); p += k)
    {
      if ((p != ch && !strchr (" ,", p[-1])) || p[k] != '=')
        continue;
      const char *v = p + k + 1;
      if (*v == '"')
        {
          const char *end = strchr (v + 1, '"');
          return end ? xstrndup (v + 1, end - v - 1) : NULL;
        }
      return xstrndup (v, strcspn (v, ","));
    }
  return NULL;
}

static void
reset_body (struct pt_http_body *b, struct exchange *x)
{
  free (b->data);
  b->data = NULL;
  b->len = 0;
  if (b->fd >= 0 && (ftruncate (b->fd, 0) < 0 || lseek (b->fd, 0, SEEK_SET) < 0))
    x->write_failed = true;
  pt_sha256_init (&x->sha);
  free (x->www_auth);
  x->www_auth = NULL;
}

/* A Bearer challenge answered: the token from its realm, for its scope (or
   pull of our repository). */
static int
fetch_token (struct pt_registry *r, const char *challenge, pt_error_t *err)
{
  cleanup_free char *realm = challenge_param (challenge, "realm");
  cleanup_free char *service = challenge_param (challenge, "service");
  cleanup_free char *scope = challenge_param (challenge, "scope");
  if (realm == NULL)
    return pt_make_error (err, 0, "%s: a Bearer challenge without a realm", r->host);
  if (scope == NULL)
    scope = xasprintf ("repository:%s:%s", r->repo, r->push ? "pull,push" : "pull");
  /* A scope asked for before, whose token was not the one refused now. */
  const size_t nt = sizeof r->tokens / sizeof *r->tokens;
  for (size_t i = 0; i < nt && r->tokens[i].scope; i++)
    if (strcmp (r->tokens[i].scope, scope) == 0
        && (r->auth == NULL || strcmp (r->auth, r->tokens[i].auth) != 0))
      {
        free (r->auth);
        r->auth = xstrdup (r->tokens[i].auth);
        return 0;
      }
  char *es = curl_easy_escape (r->h, service ? service : "", 0);
  cleanup_free char *url
      = xasprintf ("%s%sservice=%s", realm, strchr (realm, '?') ? "&" : "?", es);
  curl_free (es);
  /* Scopes the challenge names apart (a mount's: both repositories) are
     asked for each in a scope= of its own. */
  cleanup_free char *scopes = xstrdup (scope);
  for (char *save = NULL, *one = strtok_r (scopes, " ", &save); one;
       one = strtok_r (NULL, " ", &save))
    {
      char *esc = curl_easy_escape (r->h, one, 0);
      char *more = xasprintf ("%s&scope=%s", url, esc);
      curl_free (esc);
      free (url);
      url = more;
    }
  struct pt_http_body tb = { .fd = -1, .max = 1 << 20 };
  struct exchange x = { .body = &tb };
  pt_sha256_init (&x.sha);
  long status;
  CURLcode c = perform (r, url, "application/json", NULL, r->creds, &x, &status);
  free (x.www_auth);
  int ret = 0;
  json_t *j = c == CURLE_OK && status == 200 ? json_loads (tb.data ? tb.data : "", 0, NULL) : NULL;
  const char *tok = json_string_value (json_object_get (j, "token"));
  if (tok == NULL)
    tok = json_string_value (json_object_get (j, "access_token"));
  if (c != CURLE_OK)
    ret = pt_make_error (err, 0, "token from %s: %s", realm, curl_easy_strerror (c));
  else if ((status == 401 || status == 403) && r->creds == NULL)
    ret = pt_make_error (err, 0,
                         "%s: authentication required: run `podtool login %s` (or give --creds)",
                         r->host, r->host);
  else if (status == 401 || status == 403)
    ret = pt_make_error (err, 0,
                         "%s: authentication required: the credentials were refused (run "
                         "`podtool login %s`)",
                         r->host, r->host);
  else if (tok == NULL)
    ret = pt_make_error (err, 0, "token from %s: HTTP %ld, no token in the answer", realm, status);
  /* It goes into a header: RFC 6750's characters only. */
  else if (!*tok
           || tok[strspn (tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=")])
    ret = pt_make_error (err, 0, "token from %s: not a token (characters a header cannot hold)",
                         realm);
  else
    {
      free (r->auth);
      r->auth = xasprintf ("Bearer %s", tok);
      free (r->tokens[nt - 1].scope);
      free (r->tokens[nt - 1].auth);
      memmove (&r->tokens[1], &r->tokens[0], (nt - 1) * sizeof *r->tokens);
      r->tokens[0].scope = steal_pointer (&scope);
      r->tokens[0].auth = xstrdup (r->auth);
    }
  json_decref (j);
  pt_http_body_free (&tb);
  return ret;
}

static int
transport_error (struct pt_registry *r, CURLcode c, pt_error_t *err)
{
  if (c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CACERT_BADFILE)
    return pt_make_error (err, 0,
                          "%s: the registry's TLS certificate is not trusted (%s): give its CA "
                          "with --cert-dir, or --tls-verify=false for a registry you trust",
                          r->host, curl_easy_strerror (c));
  if (c == CURLE_SSL_CONNECT_ERROR)
    return pt_make_error (err, 0,
                          "%s: no TLS connection (%s): a plain HTTP registry needs "
                          "--tls-verify=false",
                          r->host, curl_easy_strerror (c));
  return pt_make_error (err, 0, "%s: %s", r->host, curl_easy_strerror (c));
}

int
pt_registry_get (struct pt_registry *r, const char *path, const char *accept,
                 struct pt_http_body *body, long *status, pt_error_t *err)
{
  struct pt_http_req q = { .path = path, .accept = accept, .fd = -1 };
  return pt_registry_request (r, &q, body, status, err);
}

/* Whether url (scheme://HOST[:PORT]/...) is on the registry's host. */
static bool
same_host (const struct pt_registry *r, const char *url)
{
  const char *h = strstr (url, "://");
  if (h == NULL)
    return false;
  h += 3;
  size_t n = strlen (r->host);
  return strncmp (h, r->host, n) == 0 && (h[n] == '/' || h[n] == '\0' || h[n] == '?');
}

/* An upload's Location: absolute, or a path on the registry. */
char *
pt_registry_url (const struct pt_registry *r, const char *location)
{
  if (strncmp (location, "http://", 7) == 0 || strncmp (location, "https://", 8) == 0)
    return xstrdup (location);
  return xasprintf ("%s://%s%s%s", r->scheme, r->host, location[0] == '/' ? "" : "/", location);
}

int
pt_registry_request (struct pt_registry *r, const struct pt_http_req *q, struct pt_http_body *body,
                     long *status, pt_error_t *err)
{
  const char *accept = q->accept;
  struct exchange x = { .body = body, .req = q };
  int ret = 0;
  for (int attempt = 0; attempt < 3; attempt++)
    {
      reset_body (body, &x);
      cleanup_free char *url
          = q->url ? xstrdup (q->url) : xasprintf ("%s://%s/v2/%s", r->scheme, r->host, q->path);
      /* An upload URL on another host (the registry's Location) gets no
         credentials: they are the registry's. */
      bool ours = q->url == NULL || same_host (r, q->url);
      bool basic = ours && r->auth == NULL && r->creds && (attempt > 0 || r->basic);
      CURLcode c = perform (r, url, accept, ours ? r->auth : NULL, basic ? r->creds : NULL, &x,
                            status);
      if (c == CURLE_SSL_CONNECT_ERROR && !r->tls_verify && strcmp (r->scheme, "https") == 0)
        {
          r->scheme = "http"; /* --tls-verify=false: a registry without TLS */
          attempt--;
          continue;
        }
      if (x.too_big || x.write_failed)
        {
          ret = pt_make_error (err, x.write_failed ? errno : 0, "%s: %s", r->host,
                               x.write_failed ? "write what it sent" : "an answer too large");
          break;
        }
      if (c != CURLE_OK)
        {
          ret = transport_error (r, c, err);
          break;
        }
      if (*status != 401 || attempt == 2)
        {
          r->basic |= basic && *status != 401;
          break;
        }
      /* 401: answer the challenge once, then say so. */
      if (x.www_auth && strncasecmp (x.www_auth, "bearer", 6) == 0 && attempt == 0)
        {
          if ((ret = fetch_token (r, x.www_auth, err)) < 0)
            break;
          continue;
        }
      if (x.www_auth && strncasecmp (x.www_auth, "basic", 5) == 0 && r->creds && attempt == 0
          && r->auth == NULL)
        continue;
      break;
    }
  if (ret == 0 && *status == 401)
    ret = pt_make_error (err, 0,
                         "%s: authentication required: run `podtool login %s` (or give --creds)",
                         r->host, r->host);
  char hex[65];
  pt_sha256_final_hex (&x.sha, hex);
  memcpy (body->sha256, hex, sizeof hex);
  free (x.www_auth);
  return ret;
}

/* The registry's refusal in its own words, naming what was refused. */
int
pt_registry_status_error (struct pt_registry *r, const char *what, long status, const struct pt_http_body *b,
              pt_error_t *err)
{
  /* The registry's own words: {"errors":[{"code":..,"message":..}]}. */
  json_t *j = b->data ? json_loads (b->data, 0, NULL) : NULL;
  json_t *e0 = json_array_get (json_object_get (j, "errors"), 0);
  const char *msg = json_string_value (json_object_get (e0, "message"));
  int ret = pt_make_error (err, 0, "%s: %s: HTTP %ld%s%s", pt_registry_host (r), what, status,
                           msg ? ": " : "", msg ? msg : "");
  json_decref (j);
  return ret;
}

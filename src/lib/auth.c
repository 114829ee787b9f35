/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Registry credentials where Podman keeps them: auth.json ({"auths":
   {KEY: {"auth": base64(USER:PASS)}}}, KEY a registry or REGISTRY/REPO),
   docker's config.json in the same shape, and credential helpers
   (credHelpers, credsStore: `docker-credential-NAME get`, the registry on
   its stdin, {"Username", "Secret"} on its stdout). */
#include <config.h>
#include "auth.h"
#include "registry-http.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
base64_encode (const char *in)
{
  size_t n = strlen (in);
  char *out = xzalloc (4 * ((n + 2) / 3) + 1), *o = out;
  const unsigned char *p = (const unsigned char *)in;
  for (size_t i = 0; i < n; i += 3)
    {
      unsigned v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
      *o++ = b64[v >> 18 & 63];
      *o++ = b64[v >> 12 & 63];
      *o++ = i + 1 < n ? b64[v >> 6 & 63] : '=';
      *o++ = i + 2 < n ? b64[v & 63] : '=';
    }
  return out;
}

/* NULL when text is not base64. */
static char *
base64_decode (const char *text)
{
  size_t n = strlen (text);
  char *out = xzalloc (n / 4 * 3 + 4), *o = out;
  unsigned v = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (text[i] == '=')
        break;
      const char *c = text[i] ? strchr (b64, text[i]) : NULL;
      if (c == NULL)
        return free (out), NULL;
      v = v << 6 | (unsigned)(c - b64);
      if ((bits += 6) >= 8)
        *o++ = (char)(v >> (bits -= 8) & 0xff);
    }
  return out;
}

char *
pt_auth_default_file (void)
{
  const char *env = getenv ("REGISTRY_AUTH_FILE");
  if (env && *env)
    return xstrdup (env);
  const char *run = getenv ("XDG_RUNTIME_DIR");
  if (run && *run)
    return xasprintf ("%s/containers/auth.json", run);
  cleanup_free char *dir = pt_user_containers_dir ();
  return xasprintf ("%s/auth.json", dir);
}

/* The files read, in order, when no --authfile names one. */
static char **
search_files (void)
{
  char **v = xzalloc (sizeof (char *));
  const char *run = getenv ("XDG_RUNTIME_DIR"), *home = getenv ("HOME");
  const char *env = getenv ("REGISTRY_AUTH_FILE");
  if (env && *env)
    pt_strv_append (&v, env);
  cleanup_free char *a = run && *run ? xasprintf ("%s/containers/auth.json", run) : NULL;
  cleanup_free char *dir = pt_user_containers_dir ();
  cleanup_free char *b = xasprintf ("%s/auth.json", dir);
  cleanup_free char *c = xasprintf ("%s/.docker/config.json", home ? home : "");
  if (a)
    pt_strv_append (&v, a);
  pt_strv_append (&v, b);
  pt_strv_append (&v, c);
  return v;
}

/* A key as Podman and docker write them: "https://index.docker.io/v1/",
   "127.0.0.1:5000", "quay.io/ns/repo": the scheme and a /v1/ or /v2/ path
   dropped, docker's index named docker.io. */
static char *
normal_key (const char *key)
{
  const char *k = key;
  if (strncmp (k, "https://", 8) == 0)
    k += 8;
  else if (strncmp (k, "http://", 7) == 0)
    k += 7;
  char *n = xstrdup (k);
  size_t len = strlen (n);
  while (len && n[len - 1] == '/')
    n[--len] = '\0';
  char *v = strstr (n, "/v1");
  if (v == NULL)
    v = strstr (n, "/v2");
  if (v && (v[3] == '\0' || v[3] == '/'))
    *v = '\0';
  if (strncmp (n, "index.docker.io", 15) == 0 || strncmp (n, "registry-1.docker.io", 20) == 0)
    {
      char *d = xasprintf ("docker.io%s", strchr (n, '/') ? strchr (n, '/') : "");
      free (n);
      n = d;
    }
  return n;
}

/* The key of auths that names where (REGISTRY/REPO) most closely. */
static json_t *
best_entry (json_t *auths, const char *domain, const char *where)
{
  const char *key;
  json_t *val, *best = NULL;
  size_t best_len = 0;
  json_object_foreach (auths, key, val)
  {
    cleanup_free char *k = normal_key (key);
    size_t n = strlen (k);
    bool match = strcmp (k, domain) == 0
                 || (strncmp (where, k, n) == 0 && (where[n] == '\0' || where[n] == '/'));
    if (match && n > best_len && json_is_object (val))
      best = val, best_len = n;
  }
  return best;
}

/* docker-credential-NAME get: "USER:SECRET", NULL when it knows none. */
static int
from_helper (const char *name, const char *domain, char **creds, pt_error_t *err)
{
  cleanup_free char *prog = xasprintf ("docker-credential-%s", name);
  int in[2], out[2];
  if (pipe2 (in, O_CLOEXEC) < 0)
    return pt_make_error (err, errno, "pipe");
  if (pipe2 (out, O_CLOEXEC) < 0)
    return close (in[0]), close (in[1]), pt_make_error (err, errno, "pipe");
  pid_t pid = fork ();
  if (pid == 0)
    {
      dup2 (in[0], 0);
      dup2 (out[1], 1);
      execlp (prog, prog, "get", (char *)NULL);
      _exit (127);
    }
  close (in[0]);
  close (out[1]);
  /* A helper that exits without reading must not kill us with SIGPIPE. */
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  sigaction (SIGPIPE, &ign, &old);
  (void)!write (in[1], domain, strlen (domain));
  close (in[1]);
  sigaction (SIGPIPE, &old, NULL);
  char buf[8192];
  size_t len = 0;
  ssize_t n;
  while (len < sizeof buf - 1 && (n = read (out[0], buf + len, sizeof buf - 1 - len)) > 0)
    len += (size_t)n;
  buf[len] = '\0';
  close (out[0]);
  int st = 0;
  if (pid < 0 || waitpid (pid, &st, 0) < 0)
    return pt_make_error (err, errno, "run `%s`", prog);
  if (WIFEXITED (st) && WEXITSTATUS (st) == 127)
    return pt_make_error (err, 0, "the credential helper `%s` is not installed", prog);
  if (!WIFEXITED (st) || WEXITSTATUS (st) != 0)
    return 0; /* "credentials not found in native keychain" */
  json_t *j = json_loads (buf, 0, NULL);
  const char *u = json_string_value (json_object_get (j, "Username"));
  const char *p = json_string_value (json_object_get (j, "Secret"));
  int r = 0;
  if (u == NULL || p == NULL)
    r = pt_make_error (err, 0, "`%s get` answered no Username and Secret", prog);
  else
    *creds = xasprintf ("%s:%s", u, p);
  json_decref (j);
  return r;
}

/* One file: 1 and *creds when it has some for where, 0 when not. */
static int
from_file (const char *path, const char *domain, const char *where, char **creds, pt_error_t *err)
{
  cleanup_free char *text = NULL;
  if (access (path, F_OK) < 0 && errno == ENOENT)
    return 0;
  if (pt_read_file (AT_FDCWD, path, &text, NULL, err) < 0)
    return -1;
  json_error_t je;
  json_t *j = json_loads (text, 0, &je);
  if (!json_is_object (j))
    {
      json_decref (j);
      return pt_make_error (err, 0, "%s: not a JSON object (line %d: %s)", path, je.line,
                            je.text);
    }
  int r = 0;
  const char *helper = json_string_value (json_object_get (json_object_get (j, "credHelpers"), domain));
  json_t *e = helper ? NULL : best_entry (json_object_get (j, "auths"), domain, where);
  const char *auth = json_string_value (json_object_get (e, "auth"));
  if (helper == NULL && e == NULL)
    helper = json_string_value (json_object_get (j, "credsStore"));
  if (auth)
    {
      char *d = base64_decode (auth);
      if (d == NULL || strchr (d, ':') == NULL)
        r = pt_make_error (err, 0, "%s: the auth of `%s` is not base64 of USER:PASSWORD", path,
                           domain);
      else
        *creds = d, d = NULL, r = 1;
      free (d);
    }
  else if (helper && (r = from_helper (helper, domain, creds, err)) == 0)
    r = *creds ? 1 : 0;
  json_decref (j);
  return r;
}

int
pt_auth_lookup (const char *authfile, const char *domain, const char *repo, char **creds,
                pt_error_t *err)
{
  *creds = NULL;
  cleanup_free char *where = xasprintf ("%s/%s", domain, repo ? repo : "");
  cleanup_strv char **files = authfile ? NULL : search_files ();
  if (authfile)
    {
      if (access (authfile, F_OK) < 0)
        return pt_make_error (err, errno, "--authfile `%s`", authfile);
      return from_file (authfile, domain, where, creds, err) < 0 ? -1 : 0;
    }
  for (size_t i = 0; files[i]; i++)
    {
      int r = from_file (files[i], domain, where, creds, err);
      if (r != 0)
        return r < 0 ? -1 : 0;
    }
  return 0;
}

int
pt_auth_fill (struct pt_registry_opts *o, const char *domain, const char *repo, char **owned,
              pt_error_t *err)
{
  *owned = NULL;
  if (o->creds)
    return 0;
  if (pt_auth_lookup (o->authfile, domain, repo, owned, err) < 0)
    return -1;
  o->creds = *owned;
  return 0;
}

/* The file's JSON (an empty object when there is none yet), under its lock. */
static json_t *
open_locked (const char *path, int *lock, pt_error_t *err)
{
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  if (slash && slash != dir)
    {
      *slash = '\0';
      if (pt_mkdir_p (dir, 0700, err) < 0)
        return NULL;
    }
  cleanup_free char *lp = xasprintf ("%s.lock", path);
  *lock = open (lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (*lock < 0 || flock (*lock, LOCK_EX) < 0)
    return pt_make_error (err, errno, "lock `%s`", lp), NULL;
  cleanup_free char *text = NULL;
  if (access (path, F_OK) < 0 && errno == ENOENT)
    return json_object ();
  if (pt_read_file (AT_FDCWD, path, &text, NULL, err) < 0)
    return NULL;
  json_t *j = json_loads (text, 0, NULL);
  if (!json_is_object (j))
    {
      json_decref (j);
      return pt_make_error (err, 0, "%s: not a JSON object: mend or remove it", path), NULL;
    }
  return j;
}

static int
save_locked (const char *path, json_t *j, pt_error_t *err)
{
  char *text = json_dumps (j, JSON_INDENT (1));
  cleanup_free char *t = xasprintf ("%s\n", text);
  free (text);
  return pt_write_file_atomic (AT_FDCWD, path, t, strlen (t), 0600, PT_WRITE_DURABLE, err);
}

int
pt_auth_store (const char *path, const char *key, const char *user, const char *password,
               pt_error_t *err)
{
  cleanup_close int lock = -1;
  json_t *j = open_locked (path, &lock, err);
  if (j == NULL)
    return -1;
  json_t *auths = json_object_get (j, "auths");
  if (!json_is_object (auths))
    json_object_set_new (j, "auths", auths = json_object ());
  cleanup_free char *pair = xasprintf ("%s:%s", user, password);
  cleanup_free char *enc = base64_encode (pair);
  json_object_set_new (auths, key, json_pack ("{s:s}", "auth", enc));
  int r = save_locked (path, j, err);
  json_decref (j);
  return r;
}

int
pt_auth_remove (const char *path, const char *key, bool *found, pt_error_t *err)
{
  *found = false;
  cleanup_close int lock = -1;
  json_t *j = open_locked (path, &lock, err);
  if (j == NULL)
    return -1;
  json_t *auths = json_object_get (j, "auths");
  int r = 0;
  if (key == NULL)
    {
      *found = json_object_size (auths) > 0;
      json_object_set_new (j, "auths", json_object ());
    }
  else if (json_is_object (auths))
    {
      const char *k;
      json_t *v;
      void *tmp;
      json_object_foreach_safe (auths, tmp, k, v)
      {
        cleanup_free char *n = normal_key (k);
        cleanup_free char *want = normal_key (key);
        if (strcmp (n, want) == 0)
          {
            json_object_del (auths, k);
            *found = true;
          }
      }
    }
  if (*found)
    r = save_locked (path, j, err);
  json_decref (j);
  return r;
}

int
pt_auth_user (const char *path, const char *key, char **user, pt_error_t *err)
{
  *user = NULL;
  cleanup_free char *creds = NULL;
  cleanup_free char *domain = normal_key (key);
  char *slash = strchr (domain, '/');
  if (slash)
    *slash = '\0';
  if (from_file (path, domain, key, &creds, err) < 0)
    return -1;
  if (creds)
    *user = xstrndup (creds, strcspn (creds, ":"));
  return 0;
}

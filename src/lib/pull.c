/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pull: the OCI distribution protocol's read side (see pull.h). */
#include <config.h>
#include "pull.h"
#include "image-source.h"
#include "auth.h"
#include "blob-cache.h"
#include "image-ref.h"
#include "image.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_V2 "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_V1 "application/vnd.docker.distribution.manifest.v1"
#define ACCEPT_ALL MT_OCI_INDEX ", " MT_DOCKER_LIST ", " MT_OCI_MANIFEST ", " MT_DOCKER_V2

struct pull
{
  struct pt_store *s;
  struct pt_registry *reg;
  struct pt_image_ref ref;
  const struct pt_pull_opts *o;
  char *dir; /* staging */
};

static const char *
machine_arch (void)
{
  static struct utsname u;
  static const char *const names[][2]
      = { { "x86_64", "amd64" },    { "aarch64", "arm64" },   { "i686", "386" },
          { "i386", "386" },        { "ppc64le", "ppc64le" }, { "s390x", "s390x" },
          { "riscv64", "riscv64" }, { "armv7l", "arm" } };
  if (uname (&u) == 0)
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (strcmp (u.machine, names[i][0]) == 0)
        return names[i][1];
  return "amd64";
}

/* A digest the registry gave: sha256 only, and nothing but hex (it goes
   into a URL). */
static bool
valid_digest (const char *d)
{
  return d && pt_str_has_prefix (d, "sha256:") && pt_is_hex64 (d + 7);
}

/* A manifest's (or a list's) bytes by tag or digest; a digest is checked. */
static int
get_manifest (struct pull *p, const char *what, struct pt_http_body *b, pt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/manifests/%s", p->ref.repo, what);
  long status;
  *b = (struct pt_http_body){ .fd = -1, .max = 4 << 20 };
  if (pt_registry_get (p->reg, path, ACCEPT_ALL, b, &status, err) < 0)
    return -1;
  if (status == 404)
    {
      bool no_repo = b->data && strstr (b->data, "NAME_UNKNOWN");
      return no_repo ? pt_make_error (err, 0, "%s/%s: repository not found in the registry",
                                      p->ref.domain, p->ref.repo)
                     : pt_make_error (err, 0, "%s/%s: %s %s not found (manifest unknown)",
                                      p->ref.domain, p->ref.repo,
                                      strchr (what, ':') ? "digest" : "tag", what);
    }
  if (status != 200)
    return pt_make_error (err, 0, "%s: reading manifest %s of %s: HTTP %ld", p->ref.domain, what,
                          p->ref.repo, status);
  if (pt_str_has_prefix (what, "sha256:") && strcmp (what + 7, b->sha256) != 0)
    return pt_make_error (err, 0, "%s/%s: the manifest's digest is sha256:%s, not %s",
                          p->ref.domain, p->ref.repo, b->sha256, what);
  return 0;
}

static const char *
media_type (const struct pt_http_body *b, json_t *j)
{
  const char *mt = json_string_value (json_object_get (j, "mediaType"));
  if (mt)
    return mt;
  if (b->content_type)
    return b->content_type;
  return json_object_get (j, "manifests") ? MT_OCI_INDEX : MT_OCI_MANIFEST;
}

/* The entry of a list for os/arch[/variant], or an error listing what is. */
static const char *
pick_platform (struct pull *p, json_t *list, pt_error_t *err)
{
  const char *os = p->o->os ? p->o->os : "linux", *arch = p->o->arch ? p->o->arch : machine_arch ();
  const char *variant = p->o->variant;
  json_t *ms = json_object_get (list, "manifests"), *e;
  size_t i;
  cleanup_free char *have = xstrdup ("");
  json_array_foreach (ms, i, e)
  {
    json_t *pl = json_object_get (e, "platform");
    const char *eo = json_string_value (json_object_get (pl, "os"));
    const char *ea = json_string_value (json_object_get (pl, "architecture"));
    const char *ev = json_string_value (json_object_get (pl, "variant"));
    if (eo && ea && strcmp (eo, os) == 0 && strcmp (ea, arch) == 0
        && (variant == NULL || (ev && strcmp (ev, variant) == 0)))
      return json_string_value (json_object_get (e, "digest"));
    char *more = xasprintf ("%s%s%s/%s%s%s", have, *have ? ", " : "", eo ? eo : "?", ea ? ea : "?",
                            ev ? "/" : "", ev ? ev : "");
    free (have);
    have = more;
  }
  pt_make_error (err, 0, "%s/%s: no image for %s/%s%s%s in the manifest list (it has: %s)",
                 p->ref.domain, p->ref.repo, os, arch, variant ? "/" : "", variant ? variant : "",
                 *have ? have : "none");
  return NULL;
}

static void
blob_progress (void *data, size_t done)
{
  void **d = data;
  struct pull *p = d[0];
  const char *digest = d[1];
  p->o->progress (p->o->progress_data, PT_PULL_BLOB_PROGRESS, NULL, digest, done, *(size_t *)d[2]);
}

/* A blob into the staging dir as FILE, checked against its digest and size. */
static int
get_blob (struct pull *p, const char *digest, size_t size, const char *what, const char *file,
          pt_error_t *err)
{
  if (!valid_digest (digest))
    return pt_make_error (err, 0, "%s/%s: a %s with an invalid digest", p->ref.domain, p->ref.repo,
                          what);
  cleanup_free char *path = xasprintf ("%s/blobs/%s", p->ref.repo, digest);
  cleanup_free char *dest = xasprintf ("%s/%s", p->dir, file);
  cleanup_close int fd = open (dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return pt_make_error (err, errno, "create `%s`", dest);
  void *pd[3] = { p, (void *)digest, &size };
  struct pt_http_body b
      = { .fd = fd, .progress = p->o->progress ? blob_progress : NULL, .progress_data = pd };
  if (p->o->progress)
    p->o->progress (p->o->progress_data, PT_PULL_BLOB_START, what, digest, 0, size);
  long status;
  int r = pt_registry_get (p->reg, path, NULL, &b, &status, err);
  pt_http_body_free (&b);
  if (r < 0)
    return -1;
  if (status != 200)
    return pt_make_error (err, 0, "%s/%s: reading %s %s: HTTP %ld", p->ref.domain, p->ref.repo,
                          what, digest, status);
  if (strcmp (b.sha256, digest + 7) != 0)
    return pt_make_error (err, 0,
                          "%s/%s: the %s %s the registry sent has the digest sha256:%s: "
                          "nothing was stored",
                          p->ref.domain, p->ref.repo, what, digest, b.sha256);
  if (size && b.len != size)
    return pt_make_error (err, 0, "%s/%s: the %s %s is %zu bytes, not the %zu its manifest says",
                          p->ref.domain, p->ref.repo, what, digest, b.len, size);
  if (p->o->progress)
    p->o->progress (p->o->progress_data, PT_PULL_BLOB_DONE, what, digest, b.len, size);
  return 0;
}

/* The layers the store lacks, PARALLEL at a time, each into the pipe of
   the worker that unpacks it as it arrives. */
#define PARALLEL 6

struct layer_feed
{
  struct pull *p;
  json_t *layers;
};

struct blob_tick
{
  struct pull *p;
  const char *digest;
  size_t size;
};

static void
layer_progress (void *data, size_t done)
{
  struct blob_tick *t = data;
  t->p->o->progress (t->p->o->progress_data, PT_PULL_BLOB_PROGRESS, "blob", t->digest, done,
                     t->size);
}

static int
check_blob (struct pull *p, const struct pt_blob_get *g, pt_error_t *err)
{
  if (strcmp (g->sha256, g->digest + 7) != 0)
    return pt_make_error (err, 0,
                          "%s/%s: the blob %s the registry sent has the digest sha256:%s: "
                          "nothing was stored",
                          p->ref.domain, p->ref.repo, g->digest, g->sha256);
  if (g->size && g->len != g->size)
    return pt_make_error (err, 0, "%s/%s: the blob %s is %zu bytes, not the %zu its manifest says",
                          p->ref.domain, p->ref.repo, g->digest, g->len, g->size);
  return 0;
}

static int
send_layers (void *data, int *fds, size_t n, pt_error_t *err)
{
  struct layer_feed *f = data;
  struct pull *p = f->p;
  struct pt_blob_get *g = xzalloc ((n + 1) * sizeof *g);
  struct blob_tick *t = xzalloc ((n + 1) * sizeof *t);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    {
      if (fds[i] < 0)
        continue;
      json_t *l = json_array_get (f->layers, i);
      t[k] = (struct blob_tick){ p, json_string_value (json_object_get (l, "digest")),
                                 (size_t)json_integer_value (json_object_get (l, "size")) };
      g[k] = (struct pt_blob_get){ .digest = t[k].digest, .size = t[k].size, .fd = &fds[i] };
      if (p->o->progress)
        {
          g[k].progress = layer_progress;
          g[k].progress_data = &t[k];
          p->o->progress (p->o->progress_data, PT_PULL_BLOB_START, "blob", t[k].digest, 0,
                          t[k].size);
        }
      k++;
    }
  int r = pt_registry_get_blobs (p->reg, g, k, PARALLEL, err);
  for (size_t i = 0; r == 0 && i < k; i++)
    r = check_blob (p, &g[i], err);
  for (size_t i = 0; r == 0 && p->o->progress && i < k; i++)
    p->o->progress (p->o->progress_data, PT_PULL_BLOB_DONE, "blob", g[i].digest, g[i].len,
                    g[i].size);
  free (g);
  free (t);
  return r;
}

static int
pull_manifest (struct pull *p, const struct pt_idmap *m, json_t *man, char *name, char **id,
               pt_error_t *err)
{
  json_t *cfg = json_object_get (man, "config"), *layers = json_object_get (man, "layers");
  if (!json_is_object (cfg) || !json_is_array (layers))
    return pt_make_error (err, 0, "%s/%s: the manifest has no config or layers", p->ref.domain,
                          p->ref.repo);
  if (get_blob (p, json_string_value (json_object_get (cfg, "digest")),
                json_integer_value (json_object_get (cfg, "size")), "config", "config.json", err)
      < 0)
    return -1;
  cleanup_free char *cfg_path = xasprintf ("%s/config.json", p->dir);
  cleanup_strv char **diff_ids = NULL;
  if (pt_image_config_diff_ids (cfg_path, &diff_ids, err) < 0)
    return -1;
  if (pt_strv_len (diff_ids) != json_array_size (layers))
    return pt_make_error (err, 0, "%s/%s: the manifest has %zu layers, its config %zu",
                          p->ref.domain, p->ref.repo, json_array_size (layers),
                          pt_strv_len (diff_ids));
  size_t i;
  json_t *l;
  json_array_foreach (layers, i, l)
  {
    const char *digest = json_string_value (json_object_get (l, "digest"));
    if (!valid_digest (digest))
      return pt_make_error (err, 0, "%s/%s: a blob with an invalid digest", p->ref.domain,
                            p->ref.repo);
    if (pt_image_layer_present (p->s, diff_ids[i]) && p->o->progress)
      p->o->progress (p->o->progress_data, PT_PULL_BLOB_SKIPPED, "blob", digest, 0, 0);
  }
  struct layer_feed f = { p, layers };
  struct pt_layer_feed feed = { send_layers, &f };
  char *names[] = { name, NULL };
  if (pt_image_commit_streamed (p->s, m, cfg_path, &feed, names, id, err) < 0)
    return -1;
  /* What a later push of these layers can mount instead of sending. */
  json_array_foreach (layers, i, l)
  {
    struct pt_known_blob b
        = { (char *)json_string_value (json_object_get (l, "digest")),
            (char *)(json_string_value (json_object_get (l, "mediaType")) ?: ""), p->ref.domain,
            p->ref.repo, (uint64_t)json_integer_value (json_object_get (l, "size")) };
    pt_error_t tmp = NULL;
    if (pt_blob_cache_add (diff_ids[i], &b, &tmp) < 0)
      pt_error_release (&tmp);
  }
  if (p->o->progress)
    p->o->progress (p->o->progress_data, PT_PULL_WRITING, NULL, NULL, 0, 0);
  return 0;
}

int
pt_pull_from (struct pt_store *s, const struct pt_idmap *m, const char *endpoint, const char *named,
              const struct pt_pull_opts *o, bool insecure, char **name, char **id,
              pt_error_t *err)
{
  struct pull p = { .s = s, .o = o };
  struct pt_image_ref nref = { 0 };
  if (pt_image_ref_parse (endpoint, &p.ref, err) < 0)
    return -1;
  if (pt_image_ref_parse (named, &nref, err) < 0)
    return pt_image_ref_free (&p.ref), -1;
  int r = -1;
  json_t *j = NULL;
  char *full = NULL;
  char list_digest[72] = "";
  struct pt_http_body b = { .fd = -1 };
  struct pt_registry_opts ro = o->reg;
  if (insecure)
    ro.tls_verify = false;
  cleanup_free char *creds = NULL;
  if (pt_auth_fill (&ro, p.ref.domain, p.ref.repo, &creds, err) < 0)
    goto out;
  p.reg = pt_registry_open (pt_image_ref_api_host (&p.ref), p.ref.repo, &ro, err);
  if (p.reg == NULL)
    goto out;
  pt_store_clean_stale_tmp (s);
  if ((p.dir = pt_store_mkdtemp (s, "pull", err)) == NULL)
    goto out;
  if (get_manifest (&p, p.ref.digest ? p.ref.digest : p.ref.tag, &b, err) < 0)
    goto out;
  for (int depth = 0;; depth++)
    {
      json_decref (j);
      j = json_loadb (b.data ? b.data : "", b.len, 0, NULL);
      const char *mt = media_type (&b, j);
      if (!json_is_object (j))
        {
          pt_make_error (err, 0, "%s/%s: the manifest is not JSON", p.ref.domain, p.ref.repo);
          goto out;
        }
      if (pt_str_has_prefix (mt, MT_DOCKER_V1)
          || json_integer_value (json_object_get (j, "schemaVersion")) == 1)
        {
          pt_make_error (err, 0,
                         "%s/%s: the image is in Docker's v1 manifest format, which podtool does "
                         "not pull: push it again with a current tool",
                         p.ref.domain, p.ref.repo);
          goto out;
        }
      if (strcmp (mt, MT_OCI_INDEX) != 0 && strcmp (mt, MT_DOCKER_LIST) != 0)
        break;
      const char *digest = pick_platform (&p, j, err);
      if (digest == NULL)
        goto out;
      if (depth > 0 || !valid_digest (digest))
        {
          pt_make_error (err, 0, "%s/%s: %s", p.ref.domain, p.ref.repo,
                         depth > 0 ? "a manifest list inside a manifest list"
                                   : "the manifest list names an invalid digest");
          goto out;
        }
      cleanup_free char *d = xstrdup (digest);
      snprintf (list_digest, sizeof list_digest, "sha256:%s", b.sha256);
      pt_http_body_free (&b);
      if (get_manifest (&p, d, &b, err) < 0)
        goto out;
    }
  full = pt_image_ref_name (&nref);
  char man_digest[72];
  snprintf (man_digest, sizeof man_digest, "sha256:%s", b.sha256);
  r = pull_manifest (&p, m, j, full, id, err);
  if (r == 0)
    *name = steal_pointer (&full);
  /* RepoDigests: what the registry served it by (not a mirror's name). In
     a block: a goto out above must not reach a cleanup variable. */
  if (r == 0)
    {
      cleanup_free char *repo = xasprintf ("%s/%s", nref.domain, nref.repo);
      if (list_digest[0])
        r = pt_image_repo_digest_add (s, *id, repo, list_digest, err);
      if (r == 0)
        r = pt_image_repo_digest_add (s, *id, repo, man_digest, err);
      /* Where the blobs are (the endpoint's: a mirror's when one served). */
      if (r == 0)
        r = pt_image_source_save (s, *id, p.ref.domain, p.ref.repo, media_type (&b, j),
                                  b.data ? b.data : "", b.len, err);
    }
out:
  free (full);
  json_decref (j);
  pt_http_body_free (&b);
  if (p.dir)
    {
      pt_error_t tmp = NULL;
      if (pt_rmtree_at (AT_FDCWD, p.dir, &tmp) < 0)
        pt_error_release (&tmp);
      free (p.dir);
    }
  pt_registry_close (p.reg);
  pt_image_ref_free (&p.ref);
  pt_image_ref_free (&nref);
  return r;
}

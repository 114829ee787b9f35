/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman push: an image of the store to a registry. Each layer is made a
   tar again from its directory (as save does), compressed, and uploaded
   unless the registry has the blob already (HEAD); the config follows, and
   the manifest (OCI or Docker v2 schema 2) is put last, under the tag, so
   a push cut short leaves no tag pointing at missing blobs. */
#include <config.h>
#include "push.h"
#include "image.h"
#include "image-source.h"
#include "blob-cache.h"
#include "pgzip.h"
#include "push-follow.h"
#include "auth.h"
#include "image-ref.h"
#include "save.h"
#include "sha256.h"
#include "tree-tar.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

struct blob
{
  char *path; /* the bytes to upload */
  char hex[65];
  uint64_t size;
  char *loc;    /* an upload begun as it was made: the session, for the digest's PUT */
  uint64_t sent; /* how much of it went already (0: all of it goes in the PUT) */
};

struct sink
{
  int fd;
  struct pt_sha256 sha;
  uint64_t size;
};

static la_ssize_t
sink_write (struct archive *a, void *data, const void *buf, size_t len)
{
  struct sink *k = data;
  (void)a;
  if (pt_write_all (k->fd, buf, len) < 0)
    return -1;
  pt_sha256_update (&k->sha, buf, len);
  k->size += len;
  return (la_ssize_t)len;
}

/* The tar coming down ifd (a pipe from the tarring child), compressed
   into out, hashed on the way: gzip on every core (pgzip.c), zstd through
   libarchive. */
static int
compress_layer (int ifd, int ofd, const struct pt_push_opts *o, struct blob *b, pt_error_t *err)
{
  struct sink k = { .fd = ofd };
  if (o->compression == PT_PUSH_GZIP)
    return pt_pgzip (ifd, k.fd, o->level ? o->level : 5, b->hex, &b->size, err);
  pt_sha256_init (&k.sha);
  struct archive *a = archive_write_new ();
  struct archive_entry *e = archive_entry_new ();
  archive_entry_set_pathname (e, "layer");
  archive_entry_set_mode (e, S_IFREG | 0644); /* (the raw format needs no size) */
  char level[12];
  snprintf (level, sizeof level, "%d", o->level ? o->level : 3);
  int r = 0;
  if (archive_write_add_filter_zstd (a) != ARCHIVE_OK || archive_write_set_format_raw (a) != ARCHIVE_OK
      /* No padding to 10240-byte blocks after the compressed stream: the
         same layer compresses to the same blob, which a registry that has
         it already need not get again. */
      || archive_write_set_bytes_per_block (a, 0) != ARCHIVE_OK
      || archive_write_set_filter_option (a, "zstd", "compression-level", level) != ARCHIVE_OK
      || archive_write_open (a, &k, NULL, sink_write, NULL) != ARCHIVE_OK
      || archive_write_header (a, e) != ARCHIVE_OK)
    r = pt_make_error (err, 0, "compress a layer: %s", archive_error_string (a));
  char buf[1 << 16];
  ssize_t n = 0;
  while (r == 0 && (n = read (ifd, buf, sizeof buf)) > 0)
    if (archive_write_data (a, buf, (size_t)n) != n)
      r = pt_make_error (err, 0, "compress a layer: %s", archive_error_string (a));
  if (r == 0 && n < 0)
    r = pt_make_error (err, errno, "read a layer's tar");
  if (archive_write_close (a) != ARCHIVE_OK && r == 0)
    r = pt_make_error (err, 0, "compress a layer: %s", archive_error_string (a));
  archive_entry_free (e);
  archive_write_free (a);
  pt_sha256_final_hex (&k.sha, b->hex);
  b->size = k.size;
  return r;
}

struct upload_progress
{
  const struct pt_push_opts *o;
  const char *kind;
  const struct blob *b;
  uint64_t base; /* where the chunk being sent starts */
};

/* Above this a blob is sent in chunks of it. */
#define CHUNK ((uint64_t)16 << 20)

static void
on_sent (void *data, size_t sent)
{
  struct upload_progress *u = data;
  u->o->progress (u->o->progress_data, PT_PUSH_BLOB_PROGRESS, u->kind, u->b->hex,
                  (size_t)(u->base + sent), u->b->size);
}

/* Whether the repository has the blob sha256:HEX (HEAD): 1, 0, -1 an error. */
static int
blob_exists (struct pt_registry *r, const char *repo, const char *hex, pt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/blobs/sha256:%s", repo, hex);
  struct pt_http_req head = { .method = "HEAD", .path = path, .fd = -1 };
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  int ret = pt_registry_request (r, &head, &body, &status, err);
  pt_http_body_free (&body);
  return ret < 0 ? -1 : status == 200;
}

/* The repository has the blob already (HEAD): 1, said as skipped; 0 it
   has not; -1 an error. */
static int
skipped_if_there (struct pt_registry *r, const char *repo, const struct blob *b, const char *kind,
                  const struct pt_push_opts *o, pt_error_t *err)
{
  int have = blob_exists (r, repo, b->hex, err);
  if (have > 0 && o->progress)
    o->progress (o->progress_data, PT_PUSH_BLOB_SKIPPED, kind, b->hex, 0, b->size);
  return have;
}

/* A large blob goes in chunks (PATCH each to the session's latest
   Location, then PUT with the digest): no request carries more than CHUNK
   bytes, which proxies in front of registries often demand. */
static int
send_chunks (struct pt_registry *r, char **loc, int fd, struct upload_progress *up,
             pt_error_t *err)
{
  const struct blob *b = up->b;
  const struct pt_push_opts *o = up->o;
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  for (up->base = 0; up->base < b->size; up->base += CHUNK)
    {
      uint64_t len = b->size - up->base < CHUNK ? b->size - up->base : CHUNK;
      char range[48];
      snprintf (range, sizeof range, "%llu-%llu", (unsigned long long)up->base,
                (unsigned long long)(up->base + len - 1));
      struct pt_http_req patch = { .method = "PATCH",
                                   .url = *loc,
                                   .content_type = "application/octet-stream",
                                   .content_range = range,
                                   .fd = fd,
                                   .fd_offset = up->base,
                                   .len = len,
                                   .progress = o->progress ? on_sent : NULL,
                                   .progress_data = up };
      if (pt_registry_request (r, &patch, &body, &status, err) < 0)
        return pt_http_body_free (&body), -1;
      if (status != 202 || body.location == NULL)
        {
          int ret = pt_registry_status_error (r, "upload a chunk", status, &body, err);
          pt_http_body_free (&body);
          return ret;
        }
      free (*loc);
      *loc = pt_registry_url (r, body.location);
      pt_http_body_free (&body);
    }
  return 0;
}

/* One blob: skipped when the registry has it, else one monolithic upload
   (POST for a session, PUT of the bytes with the digest), or above CHUNK
   bytes a chunked one. */
static int
upload_blob (struct pt_registry *r, const char *repo, const struct blob *b, const char *kind,
             const struct pt_push_opts *o, pt_error_t *err)
{
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  int ret = skipped_if_there (r, repo, b, kind, o, err);
  if (ret != 0)
    return ret < 0 ? -1 : 0;
  cleanup_free char *start = xasprintf ("%s/blobs/uploads/", repo);
  struct pt_http_req post = { .method = "POST", .path = start, .fd = -1 };
  if (pt_registry_request (r, &post, &body, &status, err) < 0)
    return pt_http_body_free (&body), -1;
  if (status != 202 || body.location == NULL)
    {
      ret = pt_registry_status_error (r, "start an upload", status, &body, err);
      pt_http_body_free (&body);
      return ret;
    }
  cleanup_free char *loc = pt_registry_url (r, body.location);
  pt_http_body_free (&body);
  cleanup_close int fd = open (b->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return pt_make_error (err, errno, "open `%s`", b->path);
  struct upload_progress up = { o, kind, b, 0 };
  if (o->progress)
    o->progress (o->progress_data, PT_PUSH_BLOB_START, kind, b->hex, 0, b->size);
  if (b->size > CHUNK && send_chunks (r, &loc, fd, &up, err) < 0)
    return -1;
  bool chunked = b->size > CHUNK;
  cleanup_free char *url
      = xasprintf ("%s%sdigest=sha256%%3A%s", loc, strchr (loc, '?') ? "&" : "?", b->hex);
  struct pt_http_req put = { .method = "PUT",
                             .url = url,
                             .content_type = "application/octet-stream",
                             .fd = chunked ? -1 : fd,
                             .data = "",
                             .len = chunked ? 0 : b->size,
                             .progress = o->progress && !chunked ? on_sent : NULL,
                             .progress_data = &up };
  if (pt_registry_request (r, &put, &body, &status, err) < 0)
    return pt_http_body_free (&body), -1;
  ret = status == 201 ? 0 : pt_registry_status_error (r, "upload a blob", status, &body, err);
  pt_http_body_free (&body);
  if (ret == 0 && o->progress)
    o->progress (o->progress_data, PT_PUSH_BLOB_DONE, kind, b->hex, b->size, b->size);
  return ret;
}

static const char *
layer_media_type (const struct pt_push_opts *o)
{
  if (o->format == PT_PUSH_V2S2)
    return "application/vnd.docker.image.rootfs.diff.tar.gzip";
  return o->compression == PT_PUSH_ZSTD ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                        : "application/vnd.oci.image.layer.v1.tar+gzip";
}

static char *
manifest_json (const struct pt_image_blobs *img, const struct blob *layers, const struct blob *cfg,
               const struct pt_push_opts *o, const char **media_type)
{
  bool oci = o->format != PT_PUSH_V2S2;
  const char *layer_type = layer_media_type (o);
  *media_type = oci ? "application/vnd.oci.image.manifest.v1+json"
                    : "application/vnd.docker.distribution.manifest.v2+json";
  json_t *ls = json_array ();
  for (size_t i = 0; i < img->n; i++)
    json_array_append_new (ls, json_pack ("{s:s, s:s+, s:I}", "mediaType", layer_type, "digest",
                                          "sha256:", layers[i].hex, "size",
                                          (json_int_t)layers[i].size));
  json_t *m = json_pack (
      "{s:i, s:s, s:{s:s, s:s+, s:I}, s:o}", "schemaVersion", 2, "mediaType", *media_type,
      "config", "mediaType",
      oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json",
      "digest", "sha256:", cfg->hex, "size", (json_int_t)cfg->size, "layers", ls);
  char *text = json_dumps (m, JSON_COMPACT);
  json_decref (m);
  return text;
}

static int
put_manifest (struct pt_registry *r, const struct pt_image_ref *ref, const char *text,
              const char *type, char hex[65], pt_error_t *err)
{
  pt_sha256_hex (text, strlen (text), hex);
  cleanup_free char *path = xasprintf ("%s/manifests/%s", ref->repo, ref->tag);
  struct pt_http_req put
      = { .method = "PUT", .path = path, .content_type = type, .data = text, .len = strlen (text), .fd = -1 };
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  int ret = pt_registry_request (r, &put, &body, &status, err);
  if (ret == 0 && status != 201)
    ret = pt_registry_status_error (r, "put the manifest", status, &body, err);
  pt_http_body_free (&body);
  return ret;
}

/* Each layer's tar, as the tarring child makes it, compressed to a file
   that goes up as it grows. */
struct compressing
{
  const struct pt_push_opts *o;
  struct pt_registry *r;
  const char *repo;
  const struct pt_tar_job **jobs; /* the layers taken so far, and their blobs */
  struct blob *blobs;
  size_t n;
};

static int
compress_taken (void *data, const struct pt_tar_job *layer, int fd, const char *dir,
                pt_error_t *err)
{
  struct compressing *c = data;
  c->jobs = xrealloc (c->jobs, (c->n + 1) * sizeof *c->jobs);
  c->blobs = xrealloc (c->blobs, (c->n + 1) * sizeof *c->blobs);
  c->jobs[c->n] = layer;
  struct blob *b = &c->blobs[c->n++];
  memset (b, 0, sizeof *b);
  b->path = xasprintf ("%s/layer-%zu.compressed", dir, c->n - 1);
  cleanup_close int ofd = open (b->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  cleanup_close int rfd = ofd >= 0 ? open (b->path, O_RDONLY | O_CLOEXEC) : -1;
  if (rfd < 0)
    return pt_make_error (err, errno, "create `%s`", b->path);
  struct pt_blob_follow *up = pt_blob_follow_start (c->r, c->repo, rfd, CHUNK, err);
  if (up == NULL)
    return -1;
  if (compress_layer (fd, ofd, c->o, b, err) < 0)
    {
      pt_blob_follow_abandon (up);
      return -1;
    }
  return pt_blob_follow_finish (up, b->size, &b->loc, &b->sent, err);
}

/* A blob whose upload began as it was made: its digest, now known, closes
   the session, with the bytes that did not go yet; or the repository has
   it already (HEAD), and the session is dropped. */
static int
finish_sent (struct pt_registry *r, const char *repo, struct blob *b,
             const struct pt_push_opts *o, pt_error_t *err)
{
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  int ret = skipped_if_there (r, repo, b, "blob", o, err);
  if (ret > 0)
    {
      struct pt_http_req del = { .method = "DELETE", .url = b->loc, .fd = -1 };
      pt_error_t tmp = NULL;
      if (pt_registry_request (r, &del, &body, &status, &tmp) < 0)
        pt_error_release (&tmp);
      pt_http_body_free (&body);
      free (b->loc);
      b->loc = NULL;
    }
  if (ret != 0)
    return ret < 0 ? -1 : 0;
  cleanup_free char *url
      = xasprintf ("%s%sdigest=sha256%%3A%s", b->loc, strchr (b->loc, '?') ? "&" : "?", b->hex);
  cleanup_close int fd = b->sent ? -1 : open (b->path, O_RDONLY | O_CLOEXEC);
  if (b->sent == 0 && fd < 0)
    return pt_make_error (err, errno, "open `%s`", b->path);
  struct upload_progress up = { o, "blob", b, 0 };
  struct pt_http_req put = { .method = "PUT",
                             .url = url,
                             .content_type = "application/octet-stream",
                             .fd = fd,
                             .data = "",
                             .len = b->sent ? 0 : b->size,
                             .progress = o->progress && !b->sent ? on_sent : NULL,
                             .progress_data = &up };
  if (o->progress)
    o->progress (o->progress_data, PT_PUSH_BLOB_START, "blob", b->hex, 0, b->size);
  ret = pt_registry_request (r, &put, &body, &status, err);
  if (ret == 0 && status != 201)
    ret = pt_registry_status_error (r, "upload a blob", status, &body, err);
  pt_http_body_free (&body);
  free (b->loc);
  b->loc = NULL; /* (a layer the image has twice goes once) */
  if (ret == 0 && o->progress)
    o->progress (o->progress_data, PT_PUSH_BLOB_DONE, "blob", b->hex, b->size, b->size);
  return ret;
}

static struct blob *
blob_of (const struct compressing *c, const struct pt_tar_job *layer)
{
  for (size_t i = 0; i < c->n; i++)
    if (c->jobs[i] == layer)
      return &c->blobs[i];
  return NULL;
}

/* What a later push of the layer (to another repository of the registry)
   can mount instead of sending: only when the tar made again is the
   stored layer's, byte for byte (the config such a push sends names the
   stored diff_id). */
static void
remember_pushed (const struct pt_image_blobs *img, size_t i, const struct blob *b,
                 const struct pt_image_ref *ref, const struct pt_push_opts *o)
{
  if (strcmp (img->layers[i]->diff_id, img->diff_ids[i]) != 0)
    return;
  cleanup_free char *digest = xasprintf ("sha256:%s", b->hex);
  struct pt_known_blob k
      = { digest, (char *)layer_media_type (o), ref->domain, ref->repo, b->size };
  pt_error_t tmp = NULL;
  if (pt_blob_cache_add (img->diff_ids[i], &k, &tmp) < 0)
    pt_error_release (&tmp);
}

static int
push_blobs (struct pt_registry *r, const struct pt_image_ref *ref, const struct pt_image_blobs *img,
            const struct compressing *c, const struct pt_push_opts *o, char digest[72],
            pt_error_t *err)
{
  struct blob *layers = xzalloc ((img->n + 1) * sizeof *layers);
  struct blob cfg = { .size = strlen (img->config) };
  memcpy (cfg.hex, img->config_hex, sizeof cfg.hex);
  cfg.path = xasprintf ("%s/config.json", img->dir);
  int ret = pt_write_file_atomic (AT_FDCWD, cfg.path, img->config, cfg.size, 0600, 0, err);
  for (size_t i = 0; ret == 0 && i < img->n; i++)
    {
      struct blob *b = blob_of (c, img->layers[i]);
      if (b == NULL)
        ret = pt_make_error (err, 0, "layer %zu was not compressed", i);
      else
        {
          ret = b->loc ? finish_sent (r, ref->repo, b, o, err)
                       : upload_blob (r, ref->repo, b, "blob", o, err);
          layers[i] = *b; /* (the path stays c's) */
        }
    }
  if (ret == 0)
    ret = upload_blob (r, ref->repo, &cfg, "config", o, err);
  const char *type;
  cleanup_free char *text = ret == 0 ? manifest_json (img, layers, &cfg, o, &type) : NULL;
  char hex[65];
  if (ret == 0 && o->progress)
    o->progress (o->progress_data, PT_PUSH_WRITING, "manifest", NULL, 0, 0);
  if (ret == 0 && (ret = put_manifest (r, ref, text, type, hex, err)) == 0)
    snprintf (digest, 72, "sha256:%s", hex);
  for (size_t i = 0; ret == 0 && i < img->n; i++)
    remember_pushed (img, i, &layers[i], ref, o);
  free (layers);
  free (cfg.path);
  return ret;
}

/* One blob of the image as pulled: there already (HEAD), or mounted from
   the repository it was pulled from. 1 done, 0 the registry would not
   mount it, -1 an error. */
static int
mount_blob (struct pt_registry *r, const char *repo, const char *from, const char *digest,
            const char *kind, const struct pt_push_opts *o, pt_error_t *err)
{
  if (digest == NULL || !pt_str_has_prefix (digest, "sha256:") || !pt_is_hex64 (digest + 7))
    return 0;
  struct pt_http_body body = { .fd = -1, .max = 1 << 16 };
  long status;
  int have = blob_exists (r, repo, digest + 7, err), ret = have < 0 ? -1 : 0;
  if (have == 0)
    {
      /* A repository name is [a-z0-9._/-]: nothing to escape in a query. */
      cleanup_free char *mount
          = xasprintf ("%s/blobs/uploads/?mount=%s&from=%s", repo, digest, from);
      struct pt_http_req post = { .method = "POST", .path = mount, .fd = -1 };
      ret = pt_registry_request (r, &post, &body, &status, err);
      pt_http_body_free (&body);
      if (ret == 0 && status != 201)
        return 0; /* 202: an upload session instead; the usual push follows */
    }
  if (ret == 0 && o->progress)
    o->progress (o->progress_data, PT_PUSH_BLOB_SKIPPED, kind, digest + 7, 0, 0);
  return ret < 0 ? -1 : 1;
}

/* An image pushed to the registry it was pulled from: its blobs mounted
   there, its manifest put again byte for byte (so the digest is the one it
   was pulled by, as Podman keeps it). 1 done, 0 not possible here. */
static int
push_as_pulled (struct pt_registry *reg, const struct pt_image_ref *ref,
                const struct pt_image_source *src, const struct pt_push_opts *o, char digest[72],
                pt_error_t *err)
{
  json_t *m = json_loads (src->manifest, 0, NULL);
  json_t *layers = json_object_get (m, "layers"), *l;
  const char *cfg = json_string_value (json_object_get (json_object_get (m, "config"), "digest"));
  int r = json_is_array (layers) && cfg ? 1 : 0;
  size_t i;
  json_array_foreach (layers, i, l)
  if (r == 1)
    r = mount_blob (reg, ref->repo, src->repo,
                    json_string_value (json_object_get (l, "digest")), "blob", o, err);
  if (r == 1)
    r = mount_blob (reg, ref->repo, src->repo, cfg, "config", o, err);
  json_decref (m);
  char hex[65];
  if (r == 1 && o->progress)
    o->progress (o->progress_data, PT_PUSH_WRITING, "manifest", NULL, 0, 0);
  if (r == 1 && put_manifest (reg, ref, src->manifest, src->media_type, hex, err) < 0)
    r = -1;
  if (r == 1)
    snprintf (digest, 72, "sha256:%s", hex);
  return r;
}

/* A known blob fits the push when it is compressed as asked. */
static bool
fits (const struct pt_known_blob *k, const struct pt_push_opts *o)
{
  const char *want = o->compression == PT_PUSH_ZSTD ? "zstd" : "gzip";
  size_t n = strlen (k->media_type), w = strlen (want);
  return n > w && strcmp (k->media_type + n - w, want) == 0;
}

/* Layer diff_id as a blob the registry has for repo, or mounts there
   from a repository the user's pulls met it in (blob-cache.h). 1 found
   (*out), 0 none, -1 an error. */
static int
known_blob (struct pt_registry *r, const struct pt_image_ref *ref, const char *diff_id,
            const struct pt_push_opts *o, struct blob *out, pt_error_t *err)
{
  size_t n;
  struct pt_known_blob *v = pt_blob_cache_find (diff_id, ref->domain, &n);
  struct pt_push_opts quiet = *o;
  quiet.progress = NULL; /* said once every layer is known */
  int ret = 0;
  for (size_t i = 0; ret == 0 && i < n; i++)
    {
      if (!fits (&v[i], o))
        continue;
      ret = mount_blob (r, ref->repo, v[i].repo, v[i].digest, "blob", &quiet, err);
      if (ret == 1)
        {
          memcpy (out->hex, v[i].digest + 7, sizeof out->hex);
          out->size = v[i].size;
        }
    }
  pt_known_blobs_free (v, n);
  return ret;
}

/* An image every layer of which the registry has or mounts (known_blob):
   its own config and a new manifest, no layer tarred. 1 done, 0 not
   possible here. */
static int
push_known (struct pt_store *s, struct pt_registry *r, const struct pt_image_ref *ref,
            const struct pt_image *img, const struct pt_push_opts *o, char digest[72],
            pt_error_t *err)
{
  size_t n = pt_strv_len (img->layers);
  struct blob *layers = xzalloc ((n + 1) * sizeof *layers);
  int ret = n > 0 ? 1 : 0;
  for (size_t i = 0; ret == 1 && i < n; i++)
    ret = known_blob (r, ref, img->layers[i], o, &layers[i], err);
  struct blob cfg = { .path = pt_store_path (s, "images/%s/config.json", img->id) };
  memcpy (cfg.hex, img->id, sizeof cfg.hex);
  struct stat st;
  if (ret == 1 && stat (cfg.path, &st) < 0)
    ret = 0;
  cfg.size = (uint64_t)st.st_size;
  for (size_t i = 0; ret == 1 && o->progress && i < n; i++)
    o->progress (o->progress_data, PT_PUSH_BLOB_SKIPPED, "blob", layers[i].hex, 0, 0);
  if (ret == 1 && upload_blob (r, ref->repo, &cfg, "config", o, err) < 0)
    ret = -1;
  const char *type;
  struct pt_image_blobs shape = { .n = n };
  cleanup_free char *text = ret == 1 ? manifest_json (&shape, layers, &cfg, o, &type) : NULL;
  char hex[65];
  if (ret == 1 && o->progress)
    o->progress (o->progress_data, PT_PUSH_WRITING, "manifest", NULL, 0, 0);
  if (ret == 1 && put_manifest (r, ref, text, type, hex, err) < 0)
    ret = -1;
  if (ret == 1)
    snprintf (digest, 72, "sha256:%s", hex);
  free (cfg.path);
  free (layers);
  return ret;
}

/* The image made again and pushed: each layer's tar compressed as the
   child in the user namespace makes it (no tar file in between). */
static int
push_made (struct pt_store *s, const struct pt_idmap *m, const char *image,
           struct pt_registry *r, const struct pt_image_ref *ref, const struct pt_push_opts *o,
           char digest[72], pt_error_t *err)
{
  struct pt_image_blobs img;
  struct compressing c = { .o = o, .r = r, .repo = ref->repo };
  int ret = pt_image_blobs_make (s, m, image, compress_taken, &c, &img, err);
  if (ret == 0)
    ret = push_blobs (r, ref, &img, &c, o, digest, err);
  pt_image_blobs_free (&img);
  for (size_t i = 0; i < c.n; i++)
    {
      free (c.blobs[i].path);
      free (c.blobs[i].loc);
    }
  free (c.blobs);
  free (c.jobs);
  return ret;
}

int
pt_image_push (struct pt_store *s, const struct pt_idmap *m, const char *image, const char *dest,
               const struct pt_push_opts *o, char digest[72], pt_error_t *err)
{
  if (o->format == PT_PUSH_V2S2 && o->compression == PT_PUSH_ZSTD)
    return pt_make_error (err, 0, "--compression-format zstd needs --format oci (v2s2 layers "
                                  "are gzip)");
  struct pt_image img;
  if (pt_image_lookup (s, image, &img, err) < 0)
    return -1;
  const char *where = dest ? dest : img.names && img.names[0] ? img.names[0] : NULL;
  struct pt_image_ref ref = { 0 };
  int ret = 0;
  if (where == NULL)
    ret = pt_make_error (err, 0, "%s: the image has no name to push to: give a destination", image);
  else if (pt_image_ref_parse (where, &ref, err) < 0)
    ret = -1;
  else if (ref.digest)
    ret = pt_make_error (err, 0, "%s: push to a tag, not a digest", where);
  struct pt_registry_opts ro = o->reg;
  ro.push = true;
  cleanup_free char *creds = NULL;
  if (ret == 0 && pt_auth_fill (&ro, ref.domain, ref.repo, &creds, err) < 0)
    ret = -1;
  struct pt_registry *r
      = ret == 0 ? pt_registry_open (pt_image_ref_api_host (&ref), ref.repo, &ro, err) : NULL;
  if (ret == 0 && r == NULL)
    ret = -1;
  /* Back to the registry it was pulled from, as it was: no layer made again. */
  struct pt_image_source src;
  int fast = 0;
  if (ret == 0 && o->as_pulled && pt_image_source_load (s, img.id, &src) == 0)
    {
      if (strcmp (src.registry, ref.domain) == 0)
        fast = push_as_pulled (r, &ref, &src, o, digest, err);
      pt_image_source_free (&src);
    }
  if (ret == 0 && fast == 0)
    fast = push_known (s, r, &ref, &img, o, digest, err);
  if (fast < 0)
    ret = -1;
  if (ret == 0 && fast == 0)
    ret = push_made (s, m, image, r, &ref, o, digest, err);
  pt_registry_close (r);
  pt_image_ref_free (&ref);
  pt_image_free (&img);
  return ret;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman load: an archive staged (only regular files, only below the
   staging dir, each hashed on the way), its docker-archive manifest or OCI
   index parsed, and its images committed (image-commit.c). */
#include <config.h>
#include "jsonutil.h"
#include "image.h"
#include "image-source.h"
#include "image-change.h"
#include "container.h"
#include "layer.h"
#include "log.h"
#include "reference.h"
#include "sha256.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "image-internal.h"

/* ---- staging an archive: only regular files, only below dir ---- */

static bool
unsafe_member (const char *p)
{
  if (p[0] == '/' || strcmp (p, "..") == 0 || pt_str_has_prefix (p, "../") || strstr (p, "/../"))
    return true;
  size_t n = strlen (p);
  return n >= 3 && strcmp (p + n - 3, "/..") == 0;
}

/* The archive's regular members: small ones (JSON) copied to the staging
   dir and hashed on the way; a large one of an uncompressed archive (a
   layer) only indexed, its bytes read in place by the worker that unpacks
   it, which hashes them then. */
#define IN_PLACE_MIN (1 << 20)

struct member
{
  char *name;
  char hex[65]; /* sha256 of its bytes, once staged */
  bool staged;
  uint64_t offset, size; /* in the archive */
};

struct staging
{
  char *dir;
  const char *archive;
  bool seekable; /* a regular file: members may stay in it */
  struct member *v;
  size_t n;
};

static void
staging_free (struct staging *st)
{
  for (size_t i = 0; i < st->n; i++)
    free (st->v[i].name);
  free (st->v);
}

static struct member *
find_member (const struct staging *st, const char *name)
{
  while (name && name[0] == '.' && name[1] == '/')
    name += 2;
  for (size_t i = 0; name && i < st->n; i++)
    if (strcmp (st->v[i].name, name) == 0)
      return &st->v[i];
  return NULL;
}

/* A member's bytes, from read (libarchive's blocks or the archive in place), into the staging dir. */
typedef int (*chunk_fn) (void *src, const void **buf, size_t *len, uint64_t *off);

static int
archive_chunk (void *src, const void **buf, size_t *len, uint64_t *off)
{
  la_int64_t o;
  int r = archive_read_data_block (src, buf, len, &o);
  *off = (uint64_t)o;
  return r == ARCHIVE_OK ? 1 : r == ARCHIVE_EOF ? 0 : -1;
}

static int
stage_bytes (int dirfd, struct member *m, chunk_fn next, void *src, pt_error_t *err)
{
  const char *name = m->name;
  cleanup_free char *dup = xstrdup (name);
  for (char *s = strchr (dup, '/'); s; s = strchr (s + 1, '/'))
    {
      *s = '\0';
      if (mkdirat (dirfd, dup, 0700) < 0 && errno != EEXIST)
        return pt_make_error (err, errno, "mkdir `%s`", dup);
      *s = '/';
    }
  cleanup_close int fd
      = openat (dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return pt_make_error (err, errno, "stage `%s`", name);
  struct pt_sha256 sha;
  pt_sha256_init (&sha);
  const void *buf;
  size_t size;
  uint64_t off;
  int r;
  while ((r = next (src, &buf, &size, &off)) > 0)
    {
      if (pt_pwrite_all (fd, buf, size, (off_t)off) < 0)
        return pt_make_error (err, errno, "stage `%s`", name);
      pt_sha256_update (&sha, buf, size);
    }
  if (r < 0)
    return pt_make_error (err, 0, "`%s` in the archive cannot be read: %s", name,
                          next == archive_chunk ? archive_error_string (src) : strerror (errno));
  pt_sha256_final_hex (&sha, m->hex);
  m->staged = true;
  return 0;
}

struct window
{
  int fd;
  uint64_t at, end, base;
  char buf[1 << 16];
};

static int
window_chunk (void *src, const void **buf, size_t *len, uint64_t *off)
{
  struct window *w = src;
  size_t want = w->end - w->at < sizeof w->buf ? (size_t)(w->end - w->at) : sizeof w->buf;
  if (want == 0)
    return 0;
  ssize_t n = pread (w->fd, w->buf, want, (off_t)w->at);
  if (n <= 0)
    return n == 0 ? (errno = EIO, -1) : -1;
  *buf = w->buf;
  *len = (size_t)n;
  *off = w->at - w->base;
  w->at += (uint64_t)n;
  return 1;
}

/* A member left in place, copied out now: a JSON bigger than most. */
static int
stage_in_place (struct staging *st, struct member *m, pt_error_t *err)
{
  cleanup_close int dirfd = open (st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_free struct window *w = xzalloc (sizeof *w);
  w->fd = open (st->archive, O_RDONLY | O_CLOEXEC);
  w->at = w->base = m->offset;
  w->end = m->offset + m->size;
  int r = w->fd < 0 ? pt_make_error (err, errno, "open `%s`", st->archive)
                    : stage_bytes (dirfd, m, window_chunk, w, err);
  if (w->fd >= 0)
    close (w->fd);
  return r;
}

/* Whether the archive has NAME, staged now when it was left in place;
   -1 with err set when it could not be staged. */
static int
staged_member (struct staging *st, const char *name, struct member **out, pt_error_t *err)
{
  struct member *m = find_member (st, name);
  *out = m;
  if (m == NULL)
    return 0;
  if (!m->staged && stage_in_place (st, m, err) < 0)
    return -1;
  return 1;
}

static int
index_member (struct archive *a, struct staging *st, int dirfd, struct archive_entry *e,
              const char *name, pt_error_t *err)
{
  if (find_member (st, name))
    return pt_make_error (err, 0, "the archive holds `%s` twice", name);
  st->v = xrealloc (st->v, (st->n + 1) * sizeof *st->v);
  struct member *m = &st->v[st->n++];
  memset (m, 0, sizeof *m);
  m->name = xstrdup (name);
  m->offset = (uint64_t)archive_filter_bytes (a, 0);
  m->size = (uint64_t)archive_entry_size (e);
  bool in_place = st->seekable && archive_filter_code (a, 0) == ARCHIVE_FILTER_NONE
                  && archive_entry_sparse_count (e) == 0 && m->size >= IN_PLACE_MIN;
  return in_place ? 0 : stage_bytes (dirfd, m, archive_chunk, a, err);
}

static int
stage_archive (const char *path, struct staging *st, pt_error_t *err)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *e;
  int r, ret = 0;
  cleanup_close int dirfd = open (st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  st->archive = path;
  struct stat sb;
  st->seekable = stat (path, &sb) == 0 && S_ISREG (sb.st_mode);
  archive_read_support_filter_all (a);
  archive_read_support_format_tar (a);
  if (archive_read_open_filename (a, path, 1 << 16) != ARCHIVE_OK)
    {
      ret = pt_make_error (err, 0, "`%s` is not a valid image archive: %s", path,
                           archive_error_string (a));
      goto out;
    }
  while ((r = archive_read_next_header (a, &e)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (e);
      while (name[0] == '.' && name[1] == '/')
        name += 2;
      if (archive_entry_filetype (e) != AE_IFREG || *name == '\0')
        continue;
      if (unsafe_member (name))
        {
          ret = pt_make_error (err, 0, "`%s`: member `%s` points outside the archive", path, name);
          goto out;
        }
      if ((ret = index_member (a, st, dirfd, e, name, err)) < 0)
        {
          /* A full disk is not a bad archive: say which it is. */
          if ((*err)->status == 0)
            pt_error_wrap (err, "`%s` is not a valid image archive", path);
          goto out;
        }
    }
  if (r != ARCHIVE_EOF)
    ret = pt_make_error (err, 0, "`%s` is not a valid image archive: %s", path,
                         archive_error_string (a));
out:
  archive_read_free (a);
  return ret;
}

/* Where a layer member's bytes are: its staged copy, or in place (then
   digest, when given, is checked by the worker that reads it). */
static void
layer_source (const struct staging *st, const struct member *m, const char *digest,
              struct pt_layer_src *src)
{
  memset (src, 0, sizeof *src);
  if (m->staged)
    src->path = xasprintf ("%s/%s", st->dir, m->name);
  else
    {
      src->path = xstrdup (st->archive);
      src->offset = m->offset;
      src->length = m->size;
      src->blob_digest = digest ? xstrdup (digest) : NULL;
    }
}

static void
add_layer (struct staged_image *si, const struct pt_layer_src *src)
{
  si->layers = xrealloc (si->layers, (si->n_layers + 1) * sizeof *si->layers);
  si->layers[si->n_layers++] = *src;
}

/* ---- one image out of an archive: config + layer files ---- */


static void
staged_free (struct staged_image *si, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (si[i].config_path);
      pt_img_layer_srcs_free (si[i].layers, si[i].n_layers);
      pt_strv_free (si[i].names);
    }
  free (si);
}

static json_t *
load_json (struct staging *st, const char *name, pt_error_t *err)
{
  struct member *m;
  if (staged_member (st, name, &m, err) < 0)
    return NULL;
  cleanup_free char *path = xasprintf ("%s/%s", st->dir, name);
  json_error_t jerr;
  json_t *j = json_load_file (path, 0, &jerr);
  if (j == NULL)
    pt_make_error (err, 0, "`%s` in the archive: %s", name, jerr.text);
  return j;
}

static char *
safe_join (const char *dir, const char *rel, pt_error_t *err)
{
  if (rel == NULL || unsafe_member (rel))
    {
      pt_make_error (err, 0, "the archive names a path outside itself: `%.100s`", rel ? rel : "");
      return NULL;
    }
  return xasprintf ("%s/%s", dir, rel);
}

/* Docker names the config after its digest: hold it to that. */
static int
check_docker_config (struct staging *st, const char *name, pt_error_t *err)
{
  struct member *m;
  int r = staged_member (st, name, &m, err);
  if (r <= 0)
    return r < 0 ? -1
                 : pt_make_error (err, 0,
                                  "manifest.json names the config `%.100s`, which is not in the "
                                  "archive",
                                  name);
  size_t len = strlen (m->name);
  if (len == 69 && strcmp (m->name + 64, ".json") == 0 && strncmp (m->hex, m->name, 64) != 0)
    return pt_make_error (
        err, 0, "the image config `%s` does not match its digest: its content is sha256:%s", name,
        m->hex);
  return 0;
}

static int
parse_docker_archive (struct staging *st, struct staged_image **out, size_t *n, pt_error_t *err)
{
  const char *dir = st->dir;
  json_t *m = load_json (st, "manifest.json", err);
  if (m == NULL)
    return -1;
  size_t i, j;
  json_t *x, *y;
  struct staged_image *si = xzalloc ((json_array_size (m) + 1) * sizeof *si);
  *n = 0;
  if (!json_is_array (m))
    {
      pt_make_error (err, 0, "manifest.json in the archive is not an array of images");
      goto fail;
    }
  json_array_foreach (m, i, x)
  {
    struct staged_image *cur = &si[(*n)++];
    const char *config = json_string_value (json_object_get (x, "Config"));
    cur->names = xzalloc (sizeof (char *));
    json_t *layers = json_object_get (x, "Layers");
    if (!json_is_object (x) || config == NULL || !json_is_array (layers))
      {
        pt_make_error (err, 0, "manifest.json: image %zu has no Config path or Layers list", i);
        goto fail;
      }
    cur->config_path = safe_join (dir, config, err);
    if (cur->config_path == NULL || check_docker_config (st, config, err) < 0)
      goto fail;
    json_array_foreach (layers, j, y)
    {
      const char *l = json_string_value (y);
      cleanup_free char *p = l ? safe_join (dir, l, err) : NULL;
      if (l == NULL)
        pt_make_error (err, 0, "manifest.json: layer %zu of image %zu is not a path", j, i);
      if (p == NULL)
        goto fail;
      const struct member *lm = find_member (st, l);
      if (lm == NULL)
        {
          pt_make_error (err, 0,
                         "manifest.json names the layer `%.100s`, which is not in the archive", l);
          goto fail;
        }
      struct pt_layer_src src;
      layer_source (st, lm, NULL, &src);
      add_layer (cur, &src);
    }
    json_array_foreach (json_object_get (x, "RepoTags"), j, y)
    {
      cleanup_free char *norm = pt_ref_normalize (json_string_value (y) ?: "");
      if (norm)
        pt_strv_append (&cur->names, norm);
    }
  }
  json_decref (m);
  *out = si;
  return 0;
fail:
  json_decref (m);
  staged_free (si, *n);
  *n = 0;
  *out = NULL;
  return -1;
}

#define OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"

/* Blob `digest` of the archive, its digest well formed (NULL: not). */
static struct member *
blob_member (const struct staging *st, const char *digest, const char *what, pt_error_t *err)
{
  if (digest == NULL || !pt_str_has_prefix (digest, DIGEST_PREFIX)
      || !pt_is_hex64 (pt_img_strip_digest (digest)))
    {
      pt_make_error (err, 0, "invalid digest `%s` for the %s in the archive",
                     digest ? digest : "(null)", what);
      return NULL;
    }
  cleanup_free char *name = xasprintf ("blobs/sha256/%s", pt_img_strip_digest (digest));
  struct member *m = find_member (st, name);
  if (m == NULL)
    pt_make_error (err, 0, "the archive lacks the %s `%s`", what, digest);
  return m;
}

static int
check_staged_digest (const struct member *m, const char *digest, const char *what,
                     pt_error_t *err)
{
  if (strcmp (m->hex, pt_img_strip_digest (digest)) != 0)
    return pt_make_error (err, 0,
                          "the %s `%s` does not match its digest: its content is sha256:%s", what,
                          digest, m->hex);
  return 0;
}

/* The staged path of blob `digest`, once its bytes are known to match it. */
static char *
verified_blob (struct staging *st, const char *digest, const char *what, pt_error_t *err)
{
  struct member *m = blob_member (st, digest, what, err);
  if (m == NULL || (!m->staged && stage_in_place (st, m, err) < 0)
      || check_staged_digest (m, digest, what, err) < 0)
    return NULL;
  return xasprintf ("%s/%s", st->dir, m->name);
}

/* A layer blob: checked now when staged, by its worker when in place. */
static int
verified_layer (struct staging *st, const char *digest, const char *what,
                struct pt_layer_src *src, pt_error_t *err)
{
  struct member *m = blob_member (st, digest, what, err);
  if (m == NULL || (m->staged && check_staged_digest (m, digest, what, err) < 0))
    return -1;
  layer_source (st, m, pt_img_strip_digest (digest), src);
  return 0;
}

static bool
platform_fits (json_t *desc)
{
  json_t *p = json_object_get (desc, "platform");
  if (p == NULL)
    return true;
  const char *os = json_string_value (json_object_get (p, "os"));
  const char *arch = json_string_value (json_object_get (p, "architecture"));
  return (os == NULL || strcmp (os, "linux") == 0) && (arch == NULL || strcmp (arch, "amd64") == 0);
}

static int oci_walk (struct staging *st, json_t *desc, const char *ref, struct staged_image **si,
                     size_t *n, int depth, pt_error_t *err);

static int
oci_add_image (struct staging *st, json_t *man, const char *ref, struct staged_image *cur,
               pt_error_t *err)
{
  cur->names = xzalloc (sizeof (char *));
  cur->config_path = verified_blob (
      st, json_string_value (json_object_get (json_object_get (man, "config"), "digest")),
      "image config", err);
  if (cur->config_path == NULL)
    return -1;
  size_t i;
  json_t *l;
  json_array_foreach (json_object_get (man, "layers"), i, l)
  {
    cleanup_free char *what = xasprintf ("layer %zu", i + 1);
    struct pt_layer_src src;
    if (verified_layer (st, json_string_value (json_object_get (l, "digest")), what, &src, err)
        < 0)
      return -1;
    add_layer (cur, &src);
  }
  /* Podman writes the full name; other tools write only a tag, which names nothing. */
  cleanup_free char *norm = ref ? pt_ref_normalize (ref) : NULL;
  if (norm && strchr (ref, '/'))
    pt_strv_append (&cur->names, norm);
  return 0;
}

static int
oci_walk (struct staging *st, json_t *desc, const char *ref, struct staged_image **si,
          size_t *n, int depth, pt_error_t *err)
{
  const char *own = json_string_value (
      json_object_get (json_object_get (desc, "annotations"), "org.opencontainers.image.ref.name"));
  if (own)
    ref = own;
  if (depth > 4)
    return pt_make_error (err, 0, "the archive's indexes nest too deep");
  cleanup_free char *path
      = verified_blob (st, json_string_value (json_object_get (desc, "digest")), "manifest", err);
  if (path == NULL)
    return -1;
  json_error_t jerr;
  json_t *man = json_load_file (path, 0, &jerr);
  if (man == NULL)
    return pt_make_error (err, 0, "OCI manifest `%s`: %s", path, jerr.text);
  const char *mt = json_string_value (json_object_get (man, "mediaType"));
  int r = 0;
  if ((mt && (strcmp (mt, OCI_INDEX) == 0 || strcmp (mt, DOCKER_LIST) == 0))
      || json_object_get (man, "manifests"))
    {
      size_t i;
      json_t *d;
      json_array_foreach (json_object_get (man, "manifests"), i, d) if (r == 0 && platform_fits (d))
          r
          = oci_walk (st, d, ref, si, n, depth + 1, err);
    }
  else
    {
      *si = xrealloc (*si, (*n + 1) * sizeof **si);
      memset (&(*si)[*n], 0, sizeof **si);
      r = oci_add_image (st, man, ref, &(*si)[(*n)++], err);
    }
  json_decref (man);
  return r;
}

static int
parse_oci_archive (struct staging *st, struct staged_image **out, size_t *n, pt_error_t *err)
{
  json_t *idx = load_json (st, "index.json", err);
  if (idx == NULL)
    return -1;
  json_t *d;
  size_t i;
  int r = 0;
  *out = NULL;
  *n = 0;
  json_array_foreach (json_object_get (idx, "manifests"), i, d) if (r == 0 && platform_fits (d)) r
      = oci_walk (st, d, NULL, out, n, 0, err);
  json_decref (idx);
  if (r < 0)
    {
      staged_free (*out, *n);
      *out = NULL;
      *n = 0;
    }
  return r;
}

static void
remove_staging (char *dir)
{
  pt_error_t tmp = NULL;
  if (dir && pt_rmtree_at (AT_FDCWD, dir, &tmp) < 0)
    pt_error_release (&tmp);
  free (dir);
}

/* The archive unpacked into a staging directory of the store, and its
   images parsed out of manifest.json or index.json: the part of a load
   that trusts nothing. */
static int
stage_and_parse (struct pt_store *s, const char *path, struct staging *st, struct staged_image **si,
                 size_t *n, pt_error_t *err)
{
  *si = NULL;
  *n = 0;
  if (access (path, R_OK) < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  if (pt_dl_archive (err) < 0)
    return -1;
  pt_store_clean_stale_tmp (s);
  st->dir = pt_store_mkdtemp (s, "load", err);
  if (st->dir == NULL)
    return -1;
  int r = stage_archive (path, st, err);
  if (r == 0)
    {
      /* Newer Docker writes both: manifest.json is the one to trust then. */
      if (find_member (st, "manifest.json"))
        r = parse_docker_archive (st, si, n, err);
      else if (find_member (st, "index.json"))
        r = parse_oci_archive (st, si, n, err);
      else
        r = pt_make_error (err, 0,
                           "`%s` is neither a docker-archive (manifest.json) nor an OCI archive "
                           "(index.json); use `podtool import` for a rootfs tarball",
                           path);
    }
  if (r == 0 && *n == 0)
    r = pt_make_error (err, 0, "`%s` holds no image", path);
  return r;
}

int
pt_image_archive_check (struct pt_store *s, const char *path, pt_error_t *err)
{
  struct staging st = { 0 };
  struct staged_image *si = NULL;
  size_t n = 0;
  int r = stage_and_parse (s, path, &st, &si, &n, err);
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      cleanup_free char *config = NULL;
      size_t len;
      cleanup_strv char **expected = NULL;
      r = pt_img_read_staged_config (&si[i], &config, &len, &expected, err);
    }
  staged_free (si, n);
  staging_free (&st);
  remove_staging (st.dir);
  return r;
}

int
pt_image_load (struct pt_store *s, const struct pt_idmap *m, const char *path,
               const struct pt_progress *prog, char ***names, pt_error_t *err)
{
  struct staging st = { 0 };
  struct staged_image *si = NULL;
  size_t n = 0;
  int r = stage_and_parse (s, path, &st, &si, &n, err);
  char *dir = st.dir;
  if (dir == NULL)
    return r;
  *names = xzalloc (sizeof (char *));
  for (size_t i = 0; r == 0 && i < n; i++)
    r = pt_img_load_staged (s, m, &si[i], NULL, prog, names, NULL, err);
  staged_free (si, n);
  staging_free (&st);
  remove_staging (dir);
  return r;
}

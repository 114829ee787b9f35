/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image store: images/index.json (names -> id, layers), images/<id>/config.json,
   layers/<diff-id>/ (overlay lower dirs, shared between images). */
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

#define DIGEST_PREFIX "sha256:"

static void
image_clear (struct pt_image *img)
{
  free (img->id);
  pt_strv_free (img->names);
  pt_strv_free (img->layers);
  memset (img, 0, sizeof *img);
}

void
pt_image_free (struct pt_image *img)
{
  image_clear (img);
}

void
pt_image_list_free (struct pt_image_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    image_clear (&l->v[i]);
  free (l->v);
  l->v = NULL;
  l->n = 0;
}

static const char *
strip_digest (const char *d)
{
  return pt_str_has_prefix (d, DIGEST_PREFIX) ? d + strlen (DIGEST_PREFIX) : d;
}

int
pt_image_list_read (struct pt_store *s, struct pt_image_list *l, pt_error_t *err)
{
  cleanup_free char *path = pt_store_path (s, "images/index.json");
  cleanup_free char *data = NULL;
  memset (l, 0, sizeof *l);
  if (pt_read_file (AT_FDCWD, path, &data, NULL, err) < 0)
    {
      if ((*err)->status == ENOENT)
        {
          pt_error_release (err);
          return 0;
        }
      return -1;
    }
  json_error_t jerr;
  json_t *root = json_loads (data, 0, &jerr);
  if (root == NULL)
    return pt_make_error (err, 0, "`%s` is corrupt: %s", path, jerr.text);
  json_t *arr = json_object_get (root, "images"), *x;
  size_t i;
  l->v = xzalloc ((json_array_size (arr) + 1) * sizeof *l->v);
  json_array_foreach (arr, i, x)
  {
    struct pt_image *img = &l->v[l->n++];
    img->id = xstrdup (json_string_value (json_object_get (x, "id")) ?: "");
    img->names = pt_json_strv (json_object_get (x, "names"));
    img->layers = pt_json_strv (json_object_get (x, "layers"));
    img->created_ns = pt_parse_time (json_string_value (json_object_get (x, "created")));
    img->size = json_integer_value (json_object_get (x, "size"));
  }
  json_decref (root);
  return 0;
}

static int
index_write (struct pt_store *s, struct pt_image_list *l, pt_error_t *err)
{
  json_t *arr = json_array ();
  for (size_t i = 0; i < l->n; i++)
    {
      struct pt_image *img = &l->v[i];
      cleanup_free char *created = pt_format_time_ns (img->created_ns);
      json_array_append_new (arr, json_pack ("{s:s, s:o, s:o, s:s, s:I}", "id", img->id, "names",
                                             pt_strv_json (img->names), "layers",
                                             pt_strv_json (img->layers), "created", created, "size",
                                             (json_int_t)img->size));
    }
  json_t *root = json_pack ("{s:o}", "images", arr);
  cleanup_free char *text = json_dumps (root, JSON_INDENT (1));
  json_decref (root);
  cleanup_free char *path = pt_store_path (s, "images/index.json");
  return pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, PT_WRITE_DURABLE, err);
}

static void
image_copy (struct pt_image *dst, const struct pt_image *src)
{
  dst->id = xstrdup (src->id);
  dst->names = pt_strv_dup (src->names);
  dst->layers = pt_strv_dup (src->layers);
  dst->created_ns = src->created_ns;
  dst->size = src->size;
}

/* Index of the image `ref` names in l, -1 if none; *by_name says how it matched. */
static ssize_t
find_image (struct pt_image_list *l, const char *ref, bool *by_name, char **matched_name,
            pt_error_t *err)
{
  cleanup_free char *norm = pt_ref_normalize (ref);
  ssize_t found = -1;
  for (size_t i = 0; norm && i < l->n; i++)
    for (size_t j = 0; l->v[i].names[j]; j++)
      if (pt_ref_matches (l->v[i].names[j], norm))
        {
          if (found >= 0 && (size_t)found != i)
            return pt_make_error (err, 0, "short name `%s` is ambiguous: use the full name", ref),
                   -2;
          found = i;
          if (matched_name)
            {
              free (*matched_name);
              *matched_name = xstrdup (l->v[i].names[j]);
            }
        }
  if (found >= 0)
    {
      *by_name = true;
      return found;
    }
  *by_name = false;
  const char *hex = strip_digest (ref);
  size_t n = strlen (hex);
  if (n < 3 || n > 64 || strspn (hex, "0123456789abcdef") != n)
    return -1;
  for (size_t i = 0; i < l->n; i++)
    if (strncmp (l->v[i].id, hex, n) == 0)
      {
        if (found >= 0)
          return pt_make_error (err, 0, "image id prefix `%s` is ambiguous", ref), -2;
        found = i;
      }
  return found;
}

int
pt_image_lookup (struct pt_store *s, const char *ref, struct pt_image *out, pt_error_t *err)
{
  struct pt_image_list l;
  bool by_name;
  if (pt_image_list_read (s, &l, err) < 0)
    return -1;
  ssize_t i = find_image (&l, ref, &by_name, NULL, err);
  if (i >= 0)
    image_copy (out, &l.v[i]);
  pt_image_list_free (&l);
  if (i == -1)
    return pt_make_error (err, 0, "%s: image not known", ref);
  return i < 0 ? -1 : 0;
}

json_t *
pt_image_read_config (struct pt_store *s, const char *id, pt_error_t *err)
{
  cleanup_free char *path = pt_store_path (s, "images/%s/config.json", id);
  json_error_t jerr;
  json_t *root = json_load_file (path, 0, &jerr);
  if (root == NULL)
    {
      pt_make_error (err, 0, "read image config `%s`: %s", path, jerr.text);
      return NULL;
    }
  return root;
}

/* ---- staging an archive: only regular files, only below dir ---- */

static bool
unsafe_member (const char *p)
{
  if (p[0] == '/' || strcmp (p, "..") == 0 || pt_str_has_prefix (p, "../") || strstr (p, "/../"))
    return true;
  size_t n = strlen (p);
  return n >= 3 && strcmp (p + n - 3, "/..") == 0;
}

/* What was staged: each member's name and the sha256 of its bytes, so blob
   digests are checked without reading the blobs again. */
struct staging
{
  char *dir;
  char **names;
  char (*hex)[65];
  size_t n;
};

static void
staging_free (struct staging *st)
{
  pt_strv_free (st->names);
  free (st->hex);
}

static const char *
staged_digest (const struct staging *st, const char *name)
{
  for (size_t i = 0; i < st->n; i++)
    if (strcmp (st->names[i], name) == 0)
      return st->hex[i];
  return NULL;
}

static int
stage_member (struct archive *a, struct staging *st, int dirfd, const char *name, pt_error_t *err)
{
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
  la_int64_t off;
  int r;
  while ((r = archive_read_data_block (a, &buf, &size, &off)) == ARCHIVE_OK)
    {
      if (pt_pwrite_all (fd, buf, size, off) < 0)
        return pt_make_error (err, errno, "stage `%s`", name);
      pt_sha256_update (&sha, buf, size);
    }
  if (r != ARCHIVE_EOF)
    return pt_make_error (err, 0, "%s", archive_error_string (a));
  st->hex = xrealloc (st->hex, (st->n + 1) * sizeof *st->hex);
  pt_sha256_final_hex (&sha, st->hex[st->n]);
  pt_strv_append (&st->names, name);
  st->n++;
  return 0;
}

static int
stage_archive (const char *path, struct staging *st, pt_error_t *err)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *e;
  int r, ret = 0;
  cleanup_close int dirfd = open (st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  st->names = xzalloc (sizeof (char *));
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
      if ((ret = stage_member (a, st, dirfd, name, err)) < 0)
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

/* ---- one image out of an archive: config + layer files ---- */

struct staged_image
{
  char *config_path;
  char **layer_paths; /* in the staging dir */
  char **names;
};

static void
staged_free (struct staged_image *si, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (si[i].config_path);
      pt_strv_free (si[i].layer_paths);
      pt_strv_free (si[i].names);
    }
  free (si);
}

static json_t *
load_json (const char *dir, const char *name, pt_error_t *err)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, name);
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
check_docker_config (const struct staging *st, const char *name, pt_error_t *err)
{
  size_t len = name ? strlen (name) : 0;
  if (len != 69 || strcmp (name + 64, ".json") != 0)
    return 0;
  const char *have = staged_digest (st, name);
  if (have && strncmp (have, name, 64) != 0)
    return pt_make_error (
        err, 0, "the image config `%s` does not match its digest: its content is sha256:%s", name,
        have);
  return 0;
}

static int
parse_docker_archive (const struct staging *st, struct staged_image **out, size_t *n,
                      pt_error_t *err)
{
  const char *dir = st->dir;
  json_t *m = load_json (dir, "manifest.json", err);
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
    cur->layer_paths = xzalloc (sizeof (char *));
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
    if (staged_digest (st, config) == NULL)
      {
        pt_make_error (
            err, 0, "manifest.json names the config `%.100s`, which is not in the archive", config);
        goto fail;
      }
    json_array_foreach (layers, j, y)
    {
      const char *l = json_string_value (y);
      cleanup_free char *p = l ? safe_join (dir, l, err) : NULL;
      if (l == NULL)
        pt_make_error (err, 0, "manifest.json: layer %zu of image %zu is not a path", j, i);
      if (p == NULL)
        goto fail;
      pt_strv_append (&cur->layer_paths, p);
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

/* The staged path of blob `digest`, once its bytes are known to match it. */
static char *
verified_blob (const struct staging *st, const char *digest, const char *what, pt_error_t *err)
{
  if (digest == NULL || !pt_str_has_prefix (digest, DIGEST_PREFIX)
      || !pt_is_hex64 (strip_digest (digest)))
    {
      pt_make_error (err, 0, "invalid digest `%s` for the %s in the archive",
                     digest ? digest : "(null)", what);
      return NULL;
    }
  cleanup_free char *name = xasprintf ("blobs/sha256/%s", strip_digest (digest));
  const char *have = staged_digest (st, name);
  if (have == NULL)
    {
      pt_make_error (err, 0, "the archive lacks the %s `%s`", what, digest);
      return NULL;
    }
  if (strcmp (have, strip_digest (digest)) != 0)
    {
      pt_make_error (err, 0, "the %s `%s` does not match its digest: its content is sha256:%s",
                     what, digest, have);
      return NULL;
    }
  return xasprintf ("%s/%s", st->dir, name);
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

static int oci_walk (const struct staging *st, json_t *desc, const char *ref,
                     struct staged_image **si, size_t *n, int depth, pt_error_t *err);

static int
oci_add_image (const struct staging *st, json_t *man, const char *ref, struct staged_image *cur,
               pt_error_t *err)
{
  cur->layer_paths = xzalloc (sizeof (char *));
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
    cleanup_free char *p
        = verified_blob (st, json_string_value (json_object_get (l, "digest")), what, err);
    if (p == NULL)
      return -1;
    pt_strv_append (&cur->layer_paths, p);
  }
  /* Podman writes the full name; other tools write only a tag, which names nothing. */
  cleanup_free char *norm = ref ? pt_ref_normalize (ref) : NULL;
  if (norm && strchr (ref, '/'))
    pt_strv_append (&cur->names, norm);
  return 0;
}

static int
oci_walk (const struct staging *st, json_t *desc, const char *ref, struct staged_image **si,
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
parse_oci_archive (const struct staging *st, struct staged_image **out, size_t *n, pt_error_t *err)
{
  json_t *idx = load_json (st->dir, "index.json", err);
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

/* ---- layers ---- */

static bool
layer_present (struct pt_store *s, const char *diff_id)
{
  cleanup_free char *p = pt_store_path (s, "layers/%s", diff_id);
  return access (p, F_OK) == 0;
}

struct extract_ctx
{
  struct pt_layer_job *jobs;
  int n;
  char **final; /* where each job goes once verified */
  char *layers_dir;
  char **expected;
};

/* What killed loads leave in layers/: half-unpacked .tmp-PID-N dirs, and
   ID.json.tmp-PID files of a size record cut short. */
static bool
stale_layer_entry (const char *name)
{
  return pt_store_is_stale_tmp (name, ".tmp-") || pt_store_is_stale_write (name);
}

/* Half-unpacked layers of killed loads hold subordinate owners: only the
   namespace can remove them, so every unpacking child sweeps them first. */
static bool
has_stale_layers (const char *layers_dir)
{
  cleanup_dir DIR *d = opendir (layers_dir);
  struct dirent *de;
  while (d && (de = readdir (d)))
    if (stale_layer_entry (de->d_name))
      return true;
  return false;
}

static int
extract_in_userns (void *data, pt_error_t *err)
{
  struct extract_ctx *c = data;
  pt_store_sweep (c->layers_dir, stale_layer_entry);
  int r = pt_layer_extract_all (c->jobs, c->n, err);
  for (int i = 0; r == 0 && i < c->n; i++)
    {
      if (c->expected[i] && strcmp (c->jobs[i].diff_id, c->expected[i]) != 0)
        {
          r = pt_make_error (err, 0, "layer `%s`: digest mismatch: sha256:%s, expected sha256:%s",
                             c->jobs[i].tar_path, c->jobs[i].diff_id, c->expected[i]);
          break;
        }
      cleanup_free char *final
          = c->final[i]
                ? xstrdup (c->final[i])
                : xasprintf ("%.*s/%s", (int)(strrchr (c->jobs[i].dest, '/') - c->jobs[i].dest),
                             c->jobs[i].dest, c->jobs[i].diff_id);
      cleanup_free char *meta = xasprintf ("%s.json", final);
      cleanup_free char *text
          = xasprintf ("{\"size\": %llu}\n", (unsigned long long)c->jobs[i].size);
      if (pt_write_file_atomic (AT_FDCWD, meta, text, strlen (text), 0600, PT_WRITE_DURABLE, err)
          < 0)
        {
          r = -1;
          break;
        }
      if (rename (c->jobs[i].dest, final) < 0)
        {
          if (errno != EEXIST && errno != ENOTEMPTY)
            {
              r = pt_make_error (err, errno, "rename `%s`", c->jobs[i].dest);
              break;
            }
          pt_error_t tmp = NULL; /* a concurrent load got there first */
          if (pt_rmtree_at (AT_FDCWD, c->jobs[i].dest, &tmp) < 0)
            pt_error_release (&tmp);
        }
    }
  if (r < 0)
    for (int i = 0; i < c->n; i++)
      {
        pt_error_t tmp = NULL;
        if (pt_rmtree_at (AT_FDCWD, c->jobs[i].dest, &tmp) < 0)
          pt_error_release (&tmp);
      }
  return r;
}

/* Unpacks the given layer tars. expected[i] may be NULL (import): then the
   computed diff id names the layer and comes back in diff_ids[i]. */
static int
store_layers (struct pt_store *s, const struct pt_idmap *m, char **tars, char **expected,
              char **diff_ids, uint64_t *sizes, pt_error_t *err)
{
  size_t n = pt_strv_len (tars);
  struct extract_ctx c = { 0 };
  /* Shared with the user-namespace child, which fills diff_id and size. */
  struct pt_layer_job *jobs = mmap (NULL, (n + 1) * sizeof *jobs, PROT_READ | PROT_WRITE,
                                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (jobs == MAP_FAILED)
    return pt_make_error (err, errno, "mmap");
  memset (jobs, 0, (n + 1) * sizeof *jobs);
  c.jobs = jobs;
  c.layers_dir = pt_store_path (s, "layers");
  c.final = xzalloc ((n + 1) * sizeof (char *));
  c.expected = xzalloc ((n + 1) * sizeof (char *));
  int *job_of = xzalloc ((n + 1) * sizeof (int));
  for (size_t i = 0; i < n; i++)
    {
      job_of[i] = -1;
      if (expected && layer_present (s, expected[i]))
        continue;
      bool dup = false;
      for (int k = 0; expected && k < c.n; k++)
        dup |= strcmp (c.expected[k], expected[i]) == 0;
      if (dup)
        continue;
      jobs[c.n].tar_path = tars[i];
      jobs[c.n].dest = pt_store_path (s, "layers/.tmp-%d-%zu", (int)getpid (), i);
      c.expected[c.n] = expected ? expected[i] : NULL;
      c.final[c.n] = expected ? pt_store_path (s, "layers/%s", expected[i]) : NULL;
      job_of[i] = c.n++;
    }
  int r = 0;
  /* The child sweeps what killed loads left, so run one for that alone too. */
  if (c.n > 0 || has_stale_layers (c.layers_dir))
    r = pt_userns_run (m, extract_in_userns, &c, err);
  unsigned devices = 0;
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      if (diff_ids)
        diff_ids[i] = xstrdup (job_of[i] >= 0 ? jobs[job_of[i]].diff_id : expected[i]);
      sizes[i] = pt_layer_size (s, job_of[i] >= 0 ? jobs[job_of[i]].diff_id : expected[i]);
      if (job_of[i] >= 0)
        devices += jobs[job_of[i]].skipped_devices;
    }
  if (devices)
    pt_warn (
        "skipped %u device node(s) in the image: a rootless container gets its /dev from podtool",
        devices);
  for (int k = 0; k < c.n; k++)
    {
      free ((char *)jobs[k].dest);
      free (c.final[k]);
    }
  free (c.final);
  free (c.expected);
  free (c.layers_dir);
  free (job_of);
  munmap (jobs, (n + 1) * sizeof *jobs);
  return r;
}

/* ---- committing an image to the index ---- */

static int
commit_image (struct pt_store *s, const char *config_data, size_t config_len, char **names,
              char **layers, uint64_t size, char **id_out, pt_error_t *err)
{
  char id[65];
  pt_sha256_hex (config_data, config_len, id);
  json_t *cfg = json_loadb (config_data, config_len, 0, NULL);
  int64_t created = pt_parse_time (json_string_value (json_object_get (cfg, "created")));
  json_decref (cfg);
  cleanup_free char *dir = pt_store_path (s, "images/%s", id);
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  cleanup_free char *cpath = pt_store_path (s, "images/%s/config.json", id);
  if (pt_write_file_atomic (AT_FDCWD, cpath, config_data, config_len, 0600, PT_WRITE_DURABLE, err)
      < 0)
    return -1;

  if (pt_store_lock (s, err) < 0)
    return -1;
  struct pt_image_list l;
  int r = pt_image_list_read (s, &l, err);
  /* A layer found present before the lock may have gone with a concurrent
     rmi since: never record an image whose layers are not all there. */
  for (size_t i = 0; r == 0 && layers[i]; i++)
    if (!layer_present (s, layers[i]))
      r = pt_make_error (err, 0,
                         "layer sha256:%s was removed while this image was being stored: "
                         "load it again",
                         layers[i]);
  if (r == 0)
    {
      struct pt_image *img = NULL;
      for (size_t i = 0; i < l.n; i++)
        {
          if (strcmp (l.v[i].id, id) == 0)
            img = &l.v[i];
          /* A name moves to the new image, as a tag does. */
          for (size_t j = 0; names[j]; j++)
            for (size_t k = 0; l.v[i].names[k]; k++)
              if (strcmp (l.v[i].names[k], names[j]) == 0 && strcmp (l.v[i].id, id) != 0)
                {
                  free (l.v[i].names[k]);
                  memmove (&l.v[i].names[k], &l.v[i].names[k + 1],
                           (pt_strv_len (l.v[i].names) - k) * sizeof (char *));
                  break;
                }
        }
      if (img == NULL)
        {
          l.v = xrealloc (l.v, (l.n + 1) * sizeof *l.v);
          img = &l.v[l.n++];
          memset (img, 0, sizeof *img);
          img->id = xstrdup (id);
          img->names = xzalloc (sizeof (char *));
          img->layers = pt_strv_dup (layers);
          img->created_ns = created;
          img->size = size;
        }
      for (size_t j = 0; names[j]; j++)
        {
          bool have = false;
          for (size_t k = 0; img->names[k]; k++)
            have |= strcmp (img->names[k], names[j]) == 0;
          if (!have)
            pt_strv_append (&img->names, names[j]);
        }
      r = index_write (s, &l, err);
      pt_image_list_free (&l);
    }
  pt_store_unlock (s);
  if (r == 0 && id_out)
    *id_out = xstrdup (id);
  return r;
}

/* The diff_ids an image config lists, each 64 hex; -2 when it lists none
   (not an array: the caller says how that is wrong). */
static int
config_diff_ids (json_t *cfg, char ***out, pt_error_t *err)
{
  json_t *diff = json_object_get (json_object_get (cfg, "rootfs"), "diff_ids"), *d;
  *out = NULL;
  if (!json_is_object (cfg) || !json_is_array (diff))
    return -2;
  *out = xzalloc (sizeof (char *));
  size_t i;
  json_array_foreach (diff, i, d)
  {
    const char *v = json_string_value (d);
    if (v == NULL || !pt_is_hex64 (strip_digest (v)))
      return pt_make_error (err, 0, "image config has an invalid diff_id at %zu", i);
    pt_strv_append (out, strip_digest (v));
  }
  return 0;
}

/* The config of a staged image, and the diff_ids it lists (one per layer,
   64 hex each). */
static int
read_staged_config (struct staged_image *si, char **config, size_t *config_len, char ***expected,
                    pt_error_t *err)
{
  *expected = NULL;
  if (pt_read_file (AT_FDCWD, si->config_path, config, config_len, err) < 0)
    return -1;
  json_t *cfg = json_loadb (*config, *config_len, 0, NULL);
  int r = config_diff_ids (cfg, expected, err);
  json_decref (cfg);
  if (r == -1)
    return -1;
  if (r == -2 || pt_strv_len (*expected) != pt_strv_len (si->layer_paths))
    return pt_make_error (err, 0,
                          "image config `%s` is invalid or does not list a diff_id per layer",
                          strrchr (si->config_path, '/') + 1);
  return 0;
}

static int
load_staged (struct pt_store *s, const struct pt_idmap *m, struct staged_image *si,
             char ***names_out, char **id_out, pt_error_t *err)
{
  cleanup_free char *config = NULL;
  size_t config_len, n = pt_strv_len (si->layer_paths);
  cleanup_strv char **expected = NULL;
  if (read_staged_config (si, &config, &config_len, &expected, err) < 0)
    return -1;
  uint64_t *sizes = xzalloc ((n + 1) * sizeof *sizes), total = 0;
  int r = store_layers (s, m, si->layer_paths, expected, NULL, sizes, err);
  for (size_t i = 0; i < n; i++)
    total += sizes[i];
  free (sizes);
  if (r < 0)
    return r;
  cleanup_free char *id = NULL;
  if (commit_image (s, config, config_len, si->names, expected, total, &id, err) < 0)
    return -1;
  if (si->names[0] == NULL)
    pt_strv_append (names_out, id);
  for (size_t j = 0; si->names[j]; j++)
    pt_strv_append (names_out, si->names[j]);
  if (id_out)
    *id_out = steal_pointer (&id);
  return 0;
}

bool
pt_image_layer_present (struct pt_store *s, const char *diff_id)
{
  return layer_present (s, diff_id);
}

int
pt_image_config_diff_ids (const char *config_path, char ***diff_ids, pt_error_t *err)
{
  cleanup_free char *data = NULL;
  size_t len;
  if (pt_read_file (AT_FDCWD, config_path, &data, &len, err) < 0)
    return -1;
  json_t *cfg = json_loadb (data, len, 0, NULL);
  int r = config_diff_ids (cfg, diff_ids, err);
  json_decref (cfg);
  return r == -2 ? pt_make_error (err, 0, "the image config lists no diff_ids") : r;
}

int
pt_image_commit_staged (struct pt_store *s, const struct pt_idmap *m, const char *config_path,
                        char **layer_paths, char **names, char **id, pt_error_t *err)
{
  struct staged_image si = { (char *)config_path, layer_paths, names };
  cleanup_strv char **out = NULL;
  return pt_dl_archive (err) < 0 ? -1 : load_staged (s, m, &si, &out, id, err);
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
      if (staged_digest (st, "manifest.json"))
        r = parse_docker_archive (st, si, n, err);
      else if (staged_digest (st, "index.json"))
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
      r = read_staged_config (&si[i], &config, &len, &expected, err);
    }
  staged_free (si, n);
  staging_free (&st);
  remove_staging (st.dir);
  return r;
}

int
pt_image_load (struct pt_store *s, const struct pt_idmap *m, const char *path, char ***names,
               pt_error_t *err)
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
    r = load_staged (s, m, &si[i], names, NULL, err);
  staged_free (si, n);
  staging_free (&st);
  remove_staging (dir);
  return r;
}

int
pt_image_import (struct pt_store *s, const struct pt_idmap *m, const char *path, const char *name,
                 const struct pt_import_opts *o, char **id, pt_error_t *err)
{
  cleanup_free char *norm = NULL;
  if (name)
    {
      norm = pt_ref_full (name, err);
      if (norm == NULL)
        return -1;
    }
  if (access (path, R_OK) < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  if (pt_dl_archive (err) < 0)
    return -1;
  char *tars[] = { (char *)path, NULL };
  char *diff_id = NULL;
  uint64_t size = 0;
  if (store_layers (s, m, tars, NULL, &diff_id, &size, err) < 0)
    return pt_error_wrap (err, "import `%s`", path);
  cleanup_free char *created = pt_format_time_ns (pt_now_ns ());
  json_t *cfg = json_pack ("{s:s, s:s, s:s, s:{s:[s]}, s:{s:s, s:[s+]}}", "created", created,
                           "architecture", "amd64", "os", "linux", "config", "Env",
                           "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "rootfs", "type", "layers", "diff_ids", DIGEST_PREFIX, diff_id);
  if (o && o->os)
    json_object_set_new (cfg, "os", json_string (o->os));
  if (o && o->arch)
    json_object_set_new (cfg, "architecture", json_string (o->arch));
  if (o && o->variant)
    json_object_set_new (cfg, "variant", json_string (o->variant));
  json_object_set_new (cfg, "history",
                       json_pack ("[{s:s, s:s, s:s}]", "created", created, "created_by",
                                  "podtool import", "comment", o && o->message ? o->message : ""));
  for (size_t i = 0; o && o->changes && o->changes[i]; i++)
    if (pt_image_apply_change (cfg, o->changes[i], err) < 0)
      {
        json_decref (cfg);
        free (diff_id);
        return -1;
      }
  cleanup_free char *text = json_dumps (cfg, JSON_COMPACT);
  json_decref (cfg);
  char *names[] = { norm, NULL };
  char *layers[] = { diff_id, NULL };
  int r = commit_image (s, text, strlen (text), norm ? names : layers + 1, layers, size, id, err);
  free (diff_id);
  return r;
}

int
pt_image_commit (struct pt_store *s, const struct pt_idmap *m, char *const *base_layers,
                 uint64_t base_size, const char *tar, json_t *config, const char *name, char **id,
                 pt_error_t *err)
{
  cleanup_free char *norm = NULL;
  if (name && (norm = pt_ref_full (name, err)) == NULL)
    return -1;
  if (pt_dl_archive (err) < 0)
    return -1;
  char *tars[] = { (char *)tar, NULL };
  char *diff_id = NULL;
  uint64_t size = 0;
  if (store_layers (s, m, tars, NULL, &diff_id, &size, err) < 0)
    return pt_error_wrap (err, "commit");
  cleanup_strv char **layers = pt_strv_dup (base_layers);
  pt_strv_append (&layers, diff_id);
  json_t *rootfs = json_pack ("{s:s, s:[]}", "type", "layers", "diff_ids");
  for (size_t i = 0; layers[i]; i++)
    {
      cleanup_free char *d = xasprintf (DIGEST_PREFIX "%s", layers[i]);
      json_array_append_new (json_object_get (rootfs, "diff_ids"), json_string (d));
    }
  json_object_set_new (config, "rootfs", rootfs);
  cleanup_free char *text = json_dumps (config, JSON_COMPACT);
  free (diff_id);
  char *names[] = { norm, NULL };
  return commit_image (s, text, strlen (text), norm ? names : names + 1, layers, base_size + size,
                       id, err);
}

/* ---- removal ---- */

/* The containers made from image id. */
static char **
image_users (struct pt_store *s, const char *id)
{
  char **users = xzalloc (sizeof (char *));
  cleanup_free char *dir = pt_store_path (s, "containers");
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *de;
  while (d && (de = readdir (d)))
    {
      if (de->d_name[0] == '.')
        continue;
      cleanup_free char *p = pt_store_path (s, "containers/%s/config.json", de->d_name);
      json_t *j = json_load_file (p, JSON_ALLOW_NUL, NULL);
      const char *img = json_string_value (json_object_get (j, "image_id"));
      if (img && strcmp (img, id) == 0)
        pt_strv_append (&users, de->d_name);
      json_decref (j);
    }
  return users;
}

static int
rmtree_in_userns (void *data, pt_error_t *err)
{
  for (char **p = data; *p; p++)
    {
      if (pt_rmtree_at (AT_FDCWD, *p, err) < 0)
        return -1;
      cleanup_free char *meta = xasprintf ("%s.json", *p);
      unlink (meta);
    }
  return 0;
}

int
pt_image_remove (struct pt_store *s, const struct pt_idmap *m, const char *ref, bool force,
                 char ***untagged, char **deleted, pt_error_t *err)
{
  struct pt_image_list l;
  bool by_name;
  cleanup_free char *name = NULL;
  cleanup_strv char **dead_layers = xzalloc (sizeof (char *));
  *untagged = xzalloc (sizeof (char *));
  *deleted = NULL;
  if (pt_store_lock (s, err) < 0)
    return -1;
  int r = pt_image_list_read (s, &l, err);
  ssize_t i = r < 0 ? -2 : find_image (&l, ref, &by_name, &name, err);
  if (i == -1)
    r = pt_make_error_code (err, 1, 0, "%s: image not known", ref); /* Podman's rmi: 1 */
  else if (i < 0)
    r = -1;
  else if (by_name && pt_strv_len (l.v[i].names) > 1)
    {
      /* Only the name goes: other names keep the image. */
      char **names = l.v[i].names;
      for (size_t k = 0; names[k]; k++)
        if (strcmp (names[k], name) == 0)
          {
            pt_strv_append (untagged, names[k]);
            free (names[k]);
            memmove (&names[k], &names[k + 1], (pt_strv_len (names) - k) * sizeof (char *));
            break;
          }
      r = index_write (s, &l, err);
    }
  else
    {
      cleanup_strv char **users = image_users (s, l.v[i].id);
      if (users[0] && !force)
        r = pt_make_error_code (err, 2, 0,
                                "image used by %.12s: image is in use by a container: remove the "
                                "container first or use --force",
                                users[0]);
      /* --force takes the containers made from it along, as Podman's does. */
      for (size_t k = 0; r == 0 && users[k]; k++)
        r = pt_ctr_remove (s, m, users[k], true, err);
      if (r == 0)
        {
          struct pt_image victim = l.v[i];
          memmove (&l.v[i], &l.v[i + 1], (l.n - i - 1) * sizeof *l.v);
          l.n--;
          for (size_t k = 0; victim.layers[k]; k++)
            {
              bool shared = false;
              for (size_t o = 0; o < l.n; o++)
                for (size_t q = 0; l.v[o].layers[q]; q++)
                  shared |= strcmp (l.v[o].layers[q], victim.layers[k]) == 0;
              for (size_t q = 0; q < k; q++)
                shared |= strcmp (victim.layers[q], victim.layers[k]) == 0;
              if (!shared)
                {
                  cleanup_free char *p = pt_store_path (s, "layers/%s", victim.layers[k]);
                  pt_strv_append (&dead_layers, p);
                }
            }
          r = index_write (s, &l, err);
          if (r == 0)
            {
              for (size_t k = 0; victim.names[k]; k++)
                pt_strv_append (untagged, victim.names[k]);
              *deleted = xstrdup (victim.id);
              cleanup_free char *dir = pt_store_path (s, "images/%s", victim.id);
              pt_error_t tmp = NULL;
              if (pt_rmtree_at (AT_FDCWD, dir, &tmp) < 0)
                pt_error_release (&tmp);
              if (dead_layers[0])
                r = pt_userns_run (m, rmtree_in_userns, dead_layers, err);
            }
          image_clear (&victim);
        }
    }
  pt_image_list_free (&l);
  pt_store_unlock (s);
  return r < 0 ? -1 : 0;
}

/* ---- tag, prune, inspect ---- */

/* Under the store's lock: the index in *l and the place in it of the image
   ref names. -1 with err, nothing held, when the lock, the index or the
   image is not there; else the caller writes, frees l and unlocks. */
static ssize_t
locked_find (struct pt_store *s, const char *ref, struct pt_image_list *l, pt_error_t *err)
{
  bool by_name;
  memset (l, 0, sizeof *l);
  if (pt_store_lock (s, err) < 0)
    return -1;
  ssize_t i = pt_image_list_read (s, l, err) < 0 ? -2 : find_image (l, ref, &by_name, NULL, err);
  if (i == -1)
    pt_make_error (err, 0, "%s: image not known", ref);
  if (i < 0)
    {
      pt_image_list_free (l);
      pt_store_unlock (s);
    }
  return i < 0 ? -1 : i;
}

int
pt_image_tag (struct pt_store *s, const char *ref, const char *name, char **full, pt_error_t *err)
{
  cleanup_free char *want = pt_ref_full (name, err);
  struct pt_image_list l;
  ssize_t i = want ? locked_find (s, ref, &l, err) : -1;
  if (i < 0)
    return -1;
  for (size_t o = 0; o < l.n; o++)
    for (size_t k = 0; l.v[o].names[k]; k++)
      if (strcmp (l.v[o].names[k], want) == 0)
        {
          free (l.v[o].names[k]);
          memmove (&l.v[o].names[k], &l.v[o].names[k + 1],
                   (pt_strv_len (l.v[o].names) - k) * sizeof (char *));
          break;
        }
  pt_strv_append (&l.v[i].names, want);
  int r = index_write (s, &l, err);
  pt_image_list_free (&l);
  pt_store_unlock (s);
  if (r == 0 && full)
    *full = xstrdup (want);
  return r < 0 ? -1 : 0;
}

int
pt_image_untag (struct pt_store *s, const char *ref, const char *name, char ***removed,
                pt_error_t *err)
{
  cleanup_free char *want = name ? pt_ref_full (name, err) : NULL;
  *removed = xzalloc (sizeof (char *));
  struct pt_image_list l;
  ssize_t i = name && want == NULL ? -1 : locked_find (s, ref, &l, err);
  if (i < 0)
    return -1;
  size_t k = 0, n = 0;
  for (; l.v[i].names[k]; k++)
    if (want == NULL || strcmp (l.v[i].names[k], want) == 0)
      pt_strv_append (removed, l.v[i].names[k]), free (l.v[i].names[k]);
    else
      l.v[i].names[n++] = l.v[i].names[k];
  l.v[i].names[n] = NULL;
  int r = want && (*removed)[0] == NULL ? pt_make_error (err, 0, "%s: tag not known", name)
                                        : index_write (s, &l, err);
  pt_image_list_free (&l);
  pt_store_unlock (s);
  return r < 0 ? -1 : 0;
}

int
pt_image_prune (struct pt_store *s, const struct pt_idmap *m, bool all,
                bool (*spare) (struct pt_store *s, const struct pt_image *img, void *data),
                void *data, char ***deleted, pt_error_t *err)
{
  struct pt_image_list l;
  *deleted = xzalloc (sizeof (char *));
  if (pt_store_lock (s, err) < 0)
    return -1;
  int r = pt_image_list_read (s, &l, err);
  for (size_t i = 0; r == 0 && i < l.n; i++)
    {
      cleanup_strv char **users = image_users (s, l.v[i].id);
      if (users[0] || (!all && l.v[i].names[0]) || (spare && spare (s, &l.v[i], data)))
        continue;
      /* By id with every name gone first: rmi by id removes the whole image. */
      cleanup_strv char **untagged = NULL;
      cleanup_free char *gone = NULL;
      r = pt_image_remove (s, m, l.v[i].id, false, &untagged, &gone, err);
      if (r == 0 && gone)
        pt_strv_append (deleted, gone);
    }
  pt_image_list_free (&l);
  pt_store_unlock (s);
  return r;
}

static json_t *
json_strv_new (char **v, const char *prefix)
{
  json_t *a = json_array ();
  for (size_t i = 0; v && v[i]; i++)
    {
      cleanup_free char *x = xasprintf ("%s%s", prefix, v[i]);
      json_array_append_new (a, json_string (x));
    }
  return a;
}

static json_t *
object_or_empty (json_t *o)
{
  return json_is_object (o) ? json_deep_copy (o) : json_object ();
}

uint64_t
pt_layer_size (struct pt_store *s, const char *diff_id)
{
  cleanup_free char *meta = pt_store_path (s, "layers/%s.json", diff_id);
  json_t *j = json_load_file (meta, 0, NULL);
  uint64_t size = j ? json_integer_value (json_object_get (j, "size")) : 0;
  json_decref (j);
  return size;
}

/* The manifest podtool would write for the image, and its digest. */
static char *
manifest_digest (struct pt_store *s, const struct pt_image *img)
{
  json_t *layers = json_array ();
  for (size_t i = 0; img->layers[i]; i++)
    {
      cleanup_free char *d = xasprintf ("sha256:%s", img->layers[i]);
      json_array_append_new (layers,
                             json_pack ("{s:s, s:s, s:I}", "mediaType",
                                        "application/vnd.oci.image.layer.v1.tar", "digest", d,
                                        "size", (json_int_t)pt_layer_size (s, img->layers[i])));
    }
  cleanup_free char *cpath = pt_store_path (s, "images/%s/config.json", img->id);
  struct stat st;
  cleanup_free char *cd = xasprintf ("sha256:%s", img->id);
  json_t *m = json_pack ("{s:i, s:s, s:{s:s, s:s, s:I}, s:o}", "schemaVersion", 2, "mediaType",
                         "application/vnd.oci.image.manifest.v1+json", "config", "mediaType",
                         "application/vnd.oci.image.config.v1+json", "digest", cd, "size",
                         (json_int_t)(stat (cpath, &st) == 0 ? st.st_size : 0), "layers", layers);
  cleanup_free char *text = json_dumps (m, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref (m);
  char hex[65];
  pt_sha256_hex (text, strlen (text), hex);
  return xasprintf ("sha256:%s", hex);
}

/* The registry's digest when it served the image (the last RepoDigest's:
   the platform's manifest), else the manifest podtool would write's. */
static char *
image_digest (struct pt_store *s, const struct pt_image *img, char **repo_digests)
{
  size_t n = pt_strv_len (repo_digests);
  const char *at = n ? strrchr (repo_digests[n - 1], '@') : NULL;
  return at ? xstrdup (at + 1) : manifest_digest (s, img);
}

char *
pt_image_digest (struct pt_store *s, const struct pt_image *img)
{
  cleanup_strv char **repo_digests = pt_image_repo_digests (s, img->id);
  return image_digest (s, img, repo_digests);
}

json_t *
pt_image_inspect (struct pt_store *s, const struct pt_image *img, pt_error_t *err)
{
  json_t *root = pt_image_read_config (s, img->id, err);
  if (root == NULL)
    return NULL;
  json_t *cfg = json_object_get (root, "config");
  cleanup_strv char **repo_digests = pt_image_repo_digests (s, img->id);
  cleanup_free char *digest = image_digest (s, img, repo_digests);
  cleanup_free char *created = pt_format_time_ns (img->created_ns);
  cleanup_strv char **lower = xzalloc (sizeof (char *));
  for (size_t i = pt_strv_len (img->layers); i-- > 0;)
    {
      cleanup_free char *p = pt_store_path (s, "layers/%s", img->layers[i]);
      pt_strv_append (&lower, p);
    }
  cleanup_free char *lowers = pt_strv_join (lower, ":");
  const char *user = json_string_value (json_object_get (cfg, "User"));
  json_t *j = json_pack (
      "{s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:I, s:I,"
      " s:{s:s, s:{s:s}}, s:{s:s, s:o}, s:o, s:{}, s:s, s:s, s:o, s:[]}",
      "Id", img->id, "Digest", digest, "RepoTags", json_strv_new (img->names, ""), "RepoDigests",
      pt_strv_json (repo_digests), "Parent", "", "Comment", json_string_value (json_object_get (root, "comment")) ?: "",
      "Created", created, "Config", object_or_empty (cfg), "Version",
      json_string_value (json_object_get (root, "docker_version")) ?: "", "Author",
      json_string_value (json_object_get (root, "author")) ?: "", "Architecture",
      json_string_value (json_object_get (root, "architecture")) ?: "amd64", "Os",
      json_string_value (json_object_get (root, "os")) ?: "linux", "Size", (json_int_t)img->size,
      "VirtualSize", (json_int_t)img->size, "GraphDriver", "Name", "overlay", "Data", "LowerDir",
      lowers, "RootFS", "Type", "layers", "Layers", json_strv_new (img->layers, "sha256:"),
      "Labels", object_or_empty (json_object_get (cfg, "Labels")), "Annotations", "ManifestType",
      "application/vnd.oci.image.manifest.v1+json", "User", user ? user : "", "History",
      json_is_array (json_object_get (root, "history"))
          ? json_deep_copy (json_object_get (root, "history"))
          : json_array (),
      "NamesHistory");
  json_decref (root);
  if (j == NULL)
    pt_make_error (err, 0, "build the inspect data of `%s`", img->id);
  return j;
}

json_t *
pt_image_summary (struct pt_store *s, const struct pt_image *img, pt_error_t *err)
{
  json_t *root = pt_image_read_config (s, img->id, err);
  if (root == NULL)
    return NULL;
  cleanup_strv char **users = image_users (s, img->id);
  cleanup_strv char **repo_digests = pt_image_repo_digests (s, img->id);
  cleanup_free char *digest = image_digest (s, img, repo_digests);
  cleanup_free char *created = pt_format_time_ns (img->created_ns);
  json_t *j = json_pack (
      "{s:s, s:s, s:o, s:o, s:I, s:I, s:I, s:o, s:i, s:o, s:s, s:I, s:s}", "Id", img->id,
      "ParentId", "", "RepoTags", json_strv_new (img->names, ""), "RepoDigests",
      pt_strv_json (repo_digests), "Size",
      (json_int_t)img->size, "SharedSize", (json_int_t)0, "VirtualSize", (json_int_t)img->size,
      "Labels", object_or_empty (json_object_get (json_object_get (root, "config"), "Labels")),
      "Containers", (int)pt_strv_len (users), "Names", json_strv_new (img->names, ""), "Digest",
      digest, "Created", (json_int_t)(img->created_ns / 1000000000), "CreatedAt", created);
  json_decref (root);
  return j;
}

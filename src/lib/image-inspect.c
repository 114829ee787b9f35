/* SPDX-License-Identifier: GPL-2.0-or-later */
/* image inspect and the images list's JSON: what the store and the
   registry (image-source.c) know of an image. */
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
  cleanup_strv char **users = pt_img_users (s, img->id);
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

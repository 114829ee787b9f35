/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a registry served an image as, kept beside it in images/ID/:
   - repo-digests.json, its RepoDigests: REPO@sha256:HEX for each manifest
     it was pulled by (the platform's, and the list it came through),
     changed under the store lock by a temporary name and a rename;
   - source.json, where its blobs are (registry, repository) and the
     manifest's bytes, so a push to that registry can mount the blobs and
     put the same manifest instead of making the layers again.
   An image from an archive, or committed, has neither. */
#include <config.h>
#include "image-source.h"
#include "jsonutil.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <string.h>

char **
pt_image_repo_digests (struct pt_store *s, const char *id)
{
  cleanup_free char *path = pt_store_path (s, "images/%s/repo-digests.json", id);
  json_t *j = json_load_file (path, 0, NULL);
  char **v = json_is_array (j) ? pt_json_strv (j) : xzalloc (sizeof (char *));
  json_decref (j);
  return v;
}

int
pt_image_repo_digest_add (struct pt_store *s, const char *id, const char *repo, const char *digest,
                          pt_error_t *err)
{
  if (pt_store_lock (s, err) < 0)
    return -1;
  cleanup_strv char **v = pt_image_repo_digests (s, id);
  cleanup_free char *entry = xasprintf ("%s@%s", repo, digest);
  bool have = false;
  for (size_t i = 0; v[i]; i++)
    have |= strcmp (v[i], entry) == 0;
  int r = 0;
  if (!have)
    {
      pt_strv_append (&v, entry);
      json_t *j = pt_strv_json (v);
      char *text = json_dumps (j, JSON_COMPACT);
      json_decref (j);
      cleanup_free char *path = pt_store_path (s, "images/%s/repo-digests.json", id);
      r = pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0644, 0, err);
      free (text);
    }
  pt_store_unlock (s);
  return r;
}

int
pt_image_source_save (struct pt_store *s, const char *id, const char *domain, const char *repo,
                      const char *media_type, const char *manifest, size_t len, pt_error_t *err)
{
  json_t *j = json_pack ("{s:s, s:s, s:s, s:s%}", "registry", domain, "repository", repo,
                         "mediaType", media_type, "manifest", manifest, len);
  char *text = j ? json_dumps (j, JSON_COMPACT) : NULL;
  json_decref (j);
  if (text == NULL)
    return pt_make_error (err, 0, "record where the image came from: the manifest is not UTF-8");
  cleanup_free char *path = pt_store_path (s, "images/%s/source.json", id);
  int r = pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0644, 0, err);
  free (text);
  return r;
}

int
pt_image_source_load (struct pt_store *s, const char *id, struct pt_image_source *src)
{
  memset (src, 0, sizeof *src);
  cleanup_free char *path = pt_store_path (s, "images/%s/source.json", id);
  json_t *j = json_load_file (path, 0, NULL);
  const char *d = json_string_value (json_object_get (j, "registry"));
  const char *r = json_string_value (json_object_get (j, "repository"));
  const char *t = json_string_value (json_object_get (j, "mediaType"));
  const char *m = json_string_value (json_object_get (j, "manifest"));
  int ok = d && r && t && m;
  if (ok)
    {
      src->registry = xstrdup (d);
      src->repo = xstrdup (r);
      src->media_type = xstrdup (t);
      src->manifest = xstrdup (m);
    }
  json_decref (j);
  return ok ? 0 : -1;
}

void
pt_image_source_free (struct pt_image_source *src)
{
  free (src->registry);
  free (src->repo);
  free (src->media_type);
  free (src->manifest);
  memset (src, 0, sizeof *src);
}

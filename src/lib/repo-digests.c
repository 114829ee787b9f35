/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An image's RepoDigests: REPO@sha256:HEX for each manifest a registry
   served it by (a pull's manifest, and the manifest list it came through),
   in images/ID/repo-digests.json, changed under the store lock by a
   temporary name and a rename. An image from an archive has none. */
#include <config.h>
#include "repo-digests.h"
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

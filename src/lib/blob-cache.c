/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The user's blob-info cache: see blob-cache.h. */
#include <config.h>
#include "blob-cache.h"
#include "store.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

enum { MAX_LAYERS = 4096, MAX_PER_LAYER = 8 };

static json_t *
load (const char *path)
{
  json_t *j = json_load_file (path, 0, NULL);
  if (!json_is_object (json_object_get (j, "layers")))
    {
      json_decref (j);
      j = json_pack ("{s:{}}", "layers");
    }
  return j;
}

static bool
same_place (json_t *e, const struct pt_known_blob *b)
{
  const char *d = json_string_value (json_object_get (e, "digest"));
  const char *g = json_string_value (json_object_get (e, "registry"));
  const char *r = json_string_value (json_object_get (e, "repository"));
  return d && g && r && strcmp (d, b->digest) == 0 && strcmp (g, b->registry) == 0
         && strcmp (r, b->repo) == 0;
}

int
pt_blob_cache_add (const char *diff_id, const struct pt_known_blob *b, pt_error_t *err)
{
  cleanup_free char *path = pt_user_cache_path ("blob-info.json");
  cleanup_free char *dir = xstrndup (path, strrchr (path, '/') - path);
  cleanup_free char *lock = xasprintf ("%s.lock", path);
  if (pt_mkdir_p (dir, 0700, err) < 0)
    return -1;
  cleanup_close int lfd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lfd < 0 || flock (lfd, LOCK_EX) < 0)
    return pt_make_error (err, errno, "lock `%s`", lock);
  json_t *j = load (path), *layers = json_object_get (j, "layers");
  json_t *list = json_object_get (layers, diff_id);
  if (!json_is_array (list))
    {
      /* The oldest layer goes when there are too many. */
      if (json_object_size (layers) >= MAX_LAYERS)
        json_object_del (layers, json_object_iter_key (json_object_iter (layers)));
      json_object_set_new (layers, diff_id, list = json_array ());
    }
  for (size_t i = json_array_size (list); i-- > 0;)
    if (same_place (json_array_get (list, i), b))
      json_array_remove (list, i);
  json_array_insert_new (list, 0,
                         json_pack ("{s:s, s:s, s:I, s:s, s:s}", "digest", b->digest, "mediaType",
                                    b->media_type, "size", (json_int_t)b->size, "registry",
                                    b->registry, "repository", b->repo));
  while (json_array_size (list) > MAX_PER_LAYER)
    json_array_remove (list, MAX_PER_LAYER);
  cleanup_free char *text = json_dumps (j, JSON_COMPACT);
  json_decref (j);
  return pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, 0, err);
}

struct pt_known_blob *
pt_blob_cache_find (const char *diff_id, const char *registry, size_t *n)
{
  cleanup_free char *path = pt_user_cache_path ("blob-info.json");
  json_t *j = load (path);
  json_t *list = json_object_get (json_object_get (j, "layers"), diff_id), *e;
  struct pt_known_blob *v = xzalloc ((json_array_size (list) + 1) * sizeof *v);
  size_t i;
  *n = 0;
  json_array_foreach (list, i, e)
  {
    const char *d = json_string_value (json_object_get (e, "digest"));
    const char *mt = json_string_value (json_object_get (e, "mediaType"));
    const char *g = json_string_value (json_object_get (e, "registry"));
    const char *r = json_string_value (json_object_get (e, "repository"));
    json_int_t size = json_integer_value (json_object_get (e, "size"));
    /* The repository goes into a query (a mount's from=): names only. */
    if (!d || !mt || !g || !r || strcmp (g, registry) != 0 || !pt_str_has_prefix (d, "sha256:")
        || !pt_is_hex64 (d + 7) || size <= 0 || !*r
        || r[strspn (r, "abcdefghijklmnopqrstuvwxyz0123456789._-/")] != '\0')
      continue;
    v[(*n)++] = (struct pt_known_blob){ xstrdup (d), xstrdup (mt), xstrdup (g), xstrdup (r),
                                        (uint64_t)size };
  }
  json_decref (j);
  return v;
}

void
pt_known_blobs_free (struct pt_known_blob *v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    {
      free (v[i].digest);
      free (v[i].media_type);
      free (v[i].registry);
      free (v[i].repo);
    }
  free (v);
}

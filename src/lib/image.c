/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image store: images/index.json (names -> id, layers), images/<id>/config.json,
   layers/<diff-id>/ (overlay lower dirs, shared between images). This file:
   the index, lookup, removal, tags and prune; image-archive.c loads,
   image-commit.c stores, image-inspect.c describes. */
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
#include "registries-conf.h"


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

const char *
pt_img_strip_digest (const char *d)
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

int
pt_img_index_write (struct pt_store *s, struct pt_image_list *l, pt_error_t *err)
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
find_exact (struct pt_image_list *l, const char *ref, bool *by_name, char **matched_name,
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
  const char *hex = pt_img_strip_digest (ref);
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

/* As find_exact, and a short name the store lacks is looked for under each
   name registries.conf resolves it to (an alias, or a search registry's),
   as Podman looks a short name up. */
static ssize_t
find_image (struct pt_image_list *l, const char *ref, bool *by_name, char **matched_name,
            pt_error_t *err)
{
  ssize_t i = find_exact (l, ref, by_name, matched_name, err);
  if (i != -1)
    return i;
  cleanup_strv char **candidates = NULL;
  pt_error_t e = NULL;
  if (!pt_image_name_is_short (ref) || pt_image_short_candidates (ref, &candidates, &e) < 0)
    {
      pt_error_release (&e);
      return -1;
    }
  for (size_t k = 0; candidates[k]; k++)
    if ((i = find_exact (l, candidates[k], by_name, matched_name, err)) != -1)
      return i;
  return -1;
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

/* ---- removal ---- */

/* The containers made from image id. */
char **
pt_img_users (struct pt_store *s, const char *id)
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
      r = pt_img_index_write (s, &l, err);
    }
  else
    {
      cleanup_strv char **users = pt_img_users (s, l.v[i].id);
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
          r = pt_img_index_write (s, &l, err);
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
  int r = pt_img_index_write (s, &l, err);
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
                                        : pt_img_index_write (s, &l, err);
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
      cleanup_strv char **users = pt_img_users (s, l.v[i].id);
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

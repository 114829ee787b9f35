/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pods: see pod.h. */
#include <config.h>
#include "pod.h"
#include "container.h"
#include "image.h"
#include "jsonutil.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

void
pt_pod_free (struct pt_pod *p)
{
  free (p->id);
  free (p->name);
  free (p->infra_id);
  free (p->hostname);
  pt_strv_free (p->labels);
  pt_strv_free (p->share);
  memset (p, 0, sizeof *p);
}

static int
pod_write (struct pt_store *s, const struct pt_pod *p, pt_error_t *err)
{
  json_t *j = json_pack ("{s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "id", p->id, "name", p->name,
                         "infra_id", p->infra_id, "hostname", p->hostname, "labels",
                         pt_strv_json (p->labels), "share", pt_strv_json (p->share), "created",
                         (json_int_t)p->created_ns);
  cleanup_free char *text = json_dumps (j, JSON_INDENT (2));
  json_decref (j);
  cleanup_free char *dir = pt_store_path (s, "pods/%s", p->id);
  cleanup_free char *path = pt_store_path (s, "pods/%s/pod.json", p->id);
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  return pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, PT_WRITE_DURABLE, err);
}

static int
pod_read (struct pt_store *s, const char *id, struct pt_pod *p, pt_error_t *err)
{
  cleanup_free char *path = pt_store_path (s, "pods/%s/pod.json", id);
  json_error_t je;
  json_t *j = json_load_file (path, 0, &je);
  memset (p, 0, sizeof *p);
  if (j == NULL)
    return pt_make_error (err, errno == ENOENT ? ENOENT : 0, "pod %.12s: %s", id, je.text);
  p->id = pt_json_get_str (json_object_get (j, "id"));
  p->name = pt_json_get_str (json_object_get (j, "name"));
  p->infra_id = pt_json_get_str (json_object_get (j, "infra_id"));
  p->hostname = pt_json_get_str (json_object_get (j, "hostname"));
  p->labels = pt_json_strv (json_object_get (j, "labels"));
  p->share = pt_json_strv (json_object_get (j, "share"));
  p->created_ns = json_integer_value (json_object_get (j, "created"));
  json_decref (j);
  if (p->id == NULL || p->name == NULL || p->infra_id == NULL || p->hostname == NULL
      || strcmp (p->id, id) != 0)
    {
      pt_pod_free (p);
      return pt_make_error (err, 0, "pod %.12s: its pod.json is damaged", id);
    }
  return 0;
}

/* Ids with the time they were created: appended oldest first (ties by
   id, so the order is the same every time), and freed. */
struct timed_id
{
  char *id;
  int64_t at;
};

static int
by_time (const void *a, const void *b)
{
  const struct timed_id *x = a, *y = b;
  return x->at < y->at ? -1 : x->at > y->at ? 1 : strcmp (x->id, y->id);
}

static void
append_oldest_first (struct timed_id *v, size_t n, char ***out)
{
  if (n)
    qsort (v, n, sizeof *v, by_time);
  for (size_t i = 0; i < n; i++)
    {
      pt_strv_append (out, v[i].id);
      free (v[i].id);
    }
  free (v);
}

int
pt_pod_list (struct pt_store *s, char ***ids, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_path (s, "pods");
  *ids = xzalloc (sizeof (char *));
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  DIR *d = opendir (dir);
  if (d == NULL)
    return pt_make_error (err, errno, "open `%s`", dir);
  struct timed_id *v = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir (d)))
    {
      struct pt_pod p;
      pt_error_t tmp = NULL;
      if (!pt_is_hex64 (de->d_name) || pod_read (s, de->d_name, &p, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      v = xrealloc (v, (n + 1) * sizeof *v);
      v[n++] = (struct timed_id){ xstrdup (p.id), p.created_ns };
      pt_pod_free (&p);
    }
  closedir (d);
  append_oldest_first (v, n, ids);
  return 0;
}

int
pt_pod_lookup (struct pt_store *s, const char *ref, struct pt_pod *out, pt_error_t *err)
{
  /* A whole id (what a container's spec keeps): its own file, no need to
     read every pod. */
  pt_error_t miss = NULL;
  if (pt_is_hex64 (ref) && pod_read (s, ref, out, &miss) == 0)
    return 0;
  pt_error_release (&miss);
  cleanup_strv char **ids = NULL;
  if (pt_pod_list (s, &ids, err) < 0)
    return -1;
  const char *found = NULL;
  size_t n = strlen (ref);
  for (size_t i = 0; ids[i] && !found; i++)
    {
      struct pt_pod p;
      pt_error_t tmp = NULL;
      if (pod_read (s, ids[i], &p, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      if (strcmp (p.id, ref) == 0 || strcmp (p.name, ref) == 0)
        found = ids[i];
      pt_pod_free (&p);
    }
  for (size_t i = 0; !found && n > 0 && ids[i]; i++)
    if (strncmp (ids[i], ref, n) == 0)
      {
        for (size_t k = i + 1; ids[k]; k++)
          if (strncmp (ids[k], ref, n) == 0)
            return pt_make_error (err, 0, "more than one pod matches `%s`: use more of the id",
                                  ref);
        found = ids[i];
      }
  if (found == NULL)
    return pt_make_error (err, 0, "no pod with name or ID %s found: no such pod", ref);
  return pod_read (s, found, out, err);
}

bool
pt_pod_exists (struct pt_store *s, const char *ref)
{
  struct pt_pod p;
  pt_error_t tmp = NULL;
  if (pt_pod_lookup (s, ref, &p, &tmp) < 0)
    return pt_error_release (&tmp), false;
  pt_pod_free (&p);
  return true;
}

static char *
generated_name (struct pt_store *s)
{
  for (;;)
    {
      char *name = pt_ctr_generate_name ();
      if (!pt_pod_exists (s, name))
        return name;
      free (name);
    }
}

int
pt_pod_create (struct pt_store *s, const char *name, const char *hostname, char **labels,
               char **share, struct pt_pod *out, pt_error_t *err)
{
  memset (out, 0, sizeof *out);
  if (name && pt_ctr_check_name (name, err) < 0)
    return -1;
  if (pt_store_lock (s, err) < 0)
    return -1;
  int r = 0;
  if (name && pt_pod_exists (s, name))
    r = pt_make_error (err, EEXIST, "error adding pod to state: name \"%s\" is in use: pod "
                                    "already exists", name);
  if (r == 0)
    {
      out->id = pt_random_id ();
      out->name = name ? xstrdup (name) : generated_name (s);
      out->infra_id = xstrdup ("");
      out->hostname = xstrdup (hostname ? hostname : out->name);
      out->labels = pt_strv_dup (labels);
      out->share = pt_strv_dup (share);
      out->created_ns = pt_now_ns ();
      r = pod_write (s, out, err);
    }
  pt_store_unlock (s);
  if (r < 0)
    pt_pod_free (out);
  return r;
}

int
pt_pod_set_infra (struct pt_store *s, const char *id, const char *infra_id, pt_error_t *err)
{
  struct pt_pod p;
  if (pt_store_lock (s, err) < 0)
    return -1;
  int r = pod_read (s, id, &p, err);
  if (r == 0)
    {
      free (p.infra_id);
      p.infra_id = xstrdup (infra_id);
      r = pod_write (s, &p, err);
      pt_pod_free (&p);
    }
  pt_store_unlock (s);
  return r;
}

int
pt_pod_members (struct pt_store *s, const char *id, bool infra, char ***out, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  *out = xzalloc (sizeof (char *));
  if (pt_ctr_list (s, &ids, err) < 0)
    return -1;
  struct timed_id *v = NULL;
  size_t n = 0;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, ids[i], &spec, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      if (spec.pod && strcmp (spec.pod, id) == 0 && (infra || !spec.infra))
        {
          v = xrealloc (v, (n + 1) * sizeof *v);
          v[n++] = (struct timed_id){ xstrdup (ids[i]), spec.created_ns };
        }
      pt_ctr_spec_free (&spec);
    }
  append_oldest_first (v, n, out);
  return 0;
}

int
pt_pod_remove (struct pt_store *s, const char *id, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_path (s, "pods/%s", id);
  cleanup_free char *gone = pt_store_path (s, "pods/.gone-%s", id);
  if (pt_store_lock (s, err) < 0)
    return -1;
  /* Renamed first: a pod is there whole, or not at all. */
  int r = rename (dir, gone) < 0 ? pt_make_error (err, errno, "remove pod %.12s", id) : 0;
  pt_store_unlock (s);
  if (r == 0 && pt_rmtree_at (AT_FDCWD, gone, err) < 0)
    r = -1;
  return r;
}

/* ---- the infra's image ---- */

static int
write_pause_tar (const char *path, pt_error_t *err)
{
  struct archive *a = archive_write_new ();
  archive_write_set_format_pax_restricted (a);
  int r = archive_write_open_filename (a, path) == ARCHIVE_OK ? 0 : -1;
  static const char *const dirs[] = { "dev", "etc", "proc", "run", "sys", "tmp", NULL };
  for (size_t i = 0; r == 0 && dirs[i]; i++)
    {
      struct archive_entry *e = archive_entry_new ();
      archive_entry_set_pathname (e, dirs[i]);
      archive_entry_set_mode (e, S_IFDIR | (strcmp (dirs[i], "tmp") == 0 ? 01777 : 0755));
      r = archive_write_header (a, e) == ARCHIVE_OK ? 0 : -1;
      archive_entry_free (e);
    }
  if (r < 0 || archive_write_close (a) != ARCHIVE_OK)
    r = pt_make_error (err, 0, "the pause image: %s", archive_error_string (a));
  archive_write_free (a);
  return r;
}

int
pt_pod_pause_image (struct pt_store *s, const struct pt_idmap *m, pt_error_t *err)
{
  struct pt_image img;
  pt_error_t tmp = NULL;
  if (pt_image_lookup (s, PT_PAUSE_IMAGE, &img, &tmp) == 0)
    return pt_image_free (&img), 0;
  pt_error_release (&tmp);
  if (pt_dl_archive (err) < 0)
    return -1;
  cleanup_free char *dir = pt_store_mkdtemp (s, "pause", err);
  if (dir == NULL)
    return -1;
  cleanup_free char *tar = xasprintf ("%s/pause.tar", dir);
  cleanup_free char *id = NULL;
  char *changes[] = { (char *)"CMD [\"/pause\"]", NULL };
  struct pt_import_opts o = { .message = "podtool's pod infra", .changes = changes };
  int r = write_pause_tar (tar, err);
  if (r == 0)
    r = pt_image_import (s, m, tar, PT_PAUSE_IMAGE, &o, &id, err);
  pt_error_t t2 = NULL;
  if (pt_rmtree_at (AT_FDCWD, dir, &t2) < 0)
    pt_error_release (&t2);
  return r;
}

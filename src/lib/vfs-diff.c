/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container diff of a copied root (the vfs driver, and every --userns mode
   that is not the store's): there is no writable layer to read, so the copy
   is compared with the image's layers, file by file. A path is A when the
   image lacks it, D when the copy lacks it, C when its type, mode, owner,
   device, or (not for directories) size, mtime or link target differ, and a
   directory is C too when anything below it changed: what an overlay's
   upper directory would have held. */
#include <config.h>
#include "vfs.h"
#include "container.h"
#include "export.h"
#include "userns.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

struct diff_job
{
  const struct pt_ctr_spec *spec;
  struct pt_map maps[4]; /* store uids, gids; the mode's: as vfs.c copied */
  bool shifted;
  int out;
};

static bool
own_file (const char *path)
{
  for (size_t i = 0; pt_ctr_own_files[i]; i++)
    if (strcmp (path + 1, pt_ctr_own_files[i]) == 0)
      return true;
  return false;
}

static int
by_name (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The names in copy/rel and image/rel (either may be missing), sorted, once. */
static char **
union_names (const char *copy, const char *image)
{
  char **names = xzalloc (sizeof (char *));
  const char *dirs[] = { copy, image };
  for (size_t k = 0; k < 2; k++)
    {
      DIR *d = dirs[k] ? opendir (dirs[k]) : NULL;
      struct dirent *de;
      while (d && (de = readdir (d)))
        if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
          pt_strv_append (&names, de->d_name);
      if (d)
        closedir (d);
    }
  size_t n = pt_strv_len (names), w = 0;
  qsort (names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++)
    if (w > 0 && strcmp (names[w - 1], names[i]) == 0)
      free (names[i]);
    else
      names[w++] = names[i];
  names[w] = NULL;
  return names;
}

static bool
link_differs (const char *a, const char *b)
{
  char ta[4096], tb[4096];
  ssize_t na = readlink (a, ta, sizeof ta), nb = readlink (b, tb, sizeof tb);
  return na != nb || na < 0 || memcmp (ta, tb, (size_t)na) != 0;
}

static bool
differs (const char *copy, const struct stat *c, const char *image, const struct stat *i)
{
  long uid = pt_vfs_shifted (i->st_uid, 0), gid = pt_vfs_shifted (i->st_gid, 1);
  if (c->st_mode != i->st_mode || (long)c->st_uid != uid || (long)c->st_gid != gid
      || c->st_rdev != i->st_rdev)
    return true;
  if (S_ISDIR (c->st_mode))
    return false;
  if (c->st_size != i->st_size || c->st_mtim.tv_sec != i->st_mtim.tv_sec
      || c->st_mtim.tv_nsec != i->st_mtim.tv_nsec)
    return true;
  return S_ISLNK (c->st_mode) && link_differs (copy, image);
}

static void
emit (char ***lines, char kind, const char *path)
{
  cleanup_free char *l = xasprintf ("%c %s\n", kind, path);
  pt_strv_append (lines, l);
}

static void
append_all (char ***lines, char **more)
{
  for (size_t i = 0; more[i]; i++)
    pt_strv_append (lines, more[i]);
}

/* copy/image: the directories at rel (image NULL: the image has none). */
static void
walk (const char *copy, const char *image, const char *rel, char ***lines)
{
  cleanup_strv char **names = union_names (copy, image);
  for (size_t k = 0; names[k]; k++)
    {
      cleanup_free char *path = xasprintf ("%s/%s", rel, names[k]);
      if (own_file (path))
        continue;
      cleanup_free char *c = xasprintf ("%s/%s", copy, names[k]);
      cleanup_free char *i = image ? xasprintf ("%s/%s", image, names[k]) : NULL;
      struct stat cs, is;
      bool in_copy = lstat (c, &cs) == 0, in_image = i && lstat (i, &is) == 0;
      if (!in_copy)
        {
          if (in_image)
            emit (lines, 'D', path);
          continue;
        }
      bool dir = S_ISDIR (cs.st_mode);
      bool both_dirs = dir && in_image && S_ISDIR (is.st_mode);
      cleanup_strv char **below = xzalloc (sizeof (char *));
      if (dir)
        walk (c, both_dirs ? i : NULL, path, &below);
      if (!in_image)
        emit (lines, 'A', path);
      else if (differs (c, &cs, i, &is) || below[0])
        emit (lines, 'C', path);
      append_all (lines, below);
    }
}

/* The image's layers as one read-only tree: an overlay of them (at least
   two lower directories are needed without an upper), or the one layer. */
static int
image_view (const struct pt_ctr_spec *spec, char **where, pt_error_t *err)
{
  size_t n = pt_strv_len (spec->layers);
  *where = NULL;
  if (n == 0)
    return 0;
  if (n == 1)
    {
      *where = xstrdup (spec->layers[0]);
      return 0;
    }
  cleanup_free char *opts = xstrdup ("lowerdir=");
  for (size_t i = n; i-- > 0;)
    {
      char *more = xasprintf ("%s%s%s", opts, i == n - 1 ? "" : ":", spec->layers[i]);
      free (opts);
      opts = more;
    }
  char *more = xasprintf ("%s,userxattr", opts);
  free (opts);
  opts = more;
  *where = xasprintf ("%s/merged", spec->dir);
  if (mkdir (*where, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", *where);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount ("overlay", *where, "overlay", MS_RDONLY, opts) < 0)
    return pt_make_error (err, errno, "mount the image's layers for container diff");
  return 0;
}

static int
diff_in_store (void *data, pt_error_t *err)
{
  struct diff_job *j = data;
  cleanup_free char *image = NULL;
  if (image_view (j->spec, &image, err) < 0)
    return -1;
  if (j->shifted)
    pt_vfs_set_shift (&j->maps[0], &j->maps[1], &j->maps[2], &j->maps[3]);
  cleanup_free char *copy = xasprintf ("%s/upper", j->spec->dir);
  cleanup_strv char **lines = xzalloc (sizeof (char *));
  walk (copy, image, "", &lines);
  for (size_t i = 0; lines[i]; i++)
    if (pt_write_all (j->out, lines[i], strlen (lines[i])) < 0)
      return pt_make_error (err, errno, "container diff: write");
  return 0;
}

int
pt_vfs_diff (const struct pt_idmap *m, const struct pt_ctr_spec *spec, int out, pt_error_t *err)
{
  struct diff_job j = { .spec = spec, .out = out };
  j.shifted = !pt_userns_mode_default (spec->userns);
  if (j.shifted
      && (pt_map_for_mode (m, "", false, &j.maps[0], err) < 0
          || pt_map_for_mode (m, "", true, &j.maps[1], err) < 0
          || pt_map_for_mode (m, spec->userns, false, &j.maps[2], err) < 0
          || pt_map_for_mode (m, spec->userns, true, &j.maps[3], err) < 0))
    return -1;
  return pt_userns_run (m, diff_in_store, &j, err);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman container diff, for both roots a container can have, by one rule:
   a path is A when the image lacks it, D when the container lacks it, C
   when its type, mode, owner, device, or (not for directories) size, mtime
   or link target differ from the image's, and a directory is C too when
   anything below it changed (so a file copied up unchanged, or a directory
   that only holds podtool's own /etc files, is no change).
   - overlay: the writable layer (upper) is walked, each path against the
     image's layers merged (a read-only overlay of them); whiteouts are D,
     an opaque directory is C and what the image had in it is D.
   - a copied root (the vfs driver, every --userns mode that is not the
     store's): the copy against the image's layers, file by file, in the
     store's namespace, owners compared through the mode's shift. */
#include <config.h>
#include "export.h"
#include "container.h"
#include "vfs.h"
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
#include <sys/sysmacros.h>
#include <sys/xattr.h>

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

static void
add_names (char ***names, const char *dir)
{
  DIR *d = dir ? opendir (dir) : NULL;
  struct dirent *de;
  while (d && (de = readdir (d)))
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      pt_strv_append (names, de->d_name);
  if (d)
    closedir (d);
}

static void
sort_unique (char **names)
{
  size_t n = pt_strv_len (names), w = 0;
  qsort (names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++)
    if (w > 0 && strcmp (names[w - 1], names[i]) == 0)
      free (names[i]);
    else
      names[w++] = names[i];
  names[w] = NULL;
}

/* The names in a and b (either may be missing), sorted, once. */
static char **
union_names (const char *a, const char *b)
{
  char **names = xzalloc (sizeof (char *));
  add_names (&names, a);
  add_names (&names, b);
  sort_unique (names);
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

/* ---- a copied root ---- */

/* copy/image: the directories at rel (image NULL: the image has none). */
static void
walk_copy (const char *copy, const char *image, const char *rel, char ***lines)
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
        walk_copy (c, both_dirs ? i : NULL, path, &below);
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
write_lines (int out, char **lines, pt_error_t *err)
{
  for (size_t i = 0; lines[i]; i++)
    if (pt_write_all (out, lines[i], strlen (lines[i])) < 0)
      return pt_make_error (err, errno, "container diff: write");
  return 0;
}

static int
diff_copy (void *data, pt_error_t *err)
{
  struct diff_job *j = data;
  cleanup_free char *image = NULL;
  if (image_view (j->spec, &image, err) < 0)
    return -1;
  if (j->shifted)
    pt_vfs_set_shift (&j->maps[0], &j->maps[1], &j->maps[2], &j->maps[3]);
  cleanup_free char *copy = xasprintf ("%s/upper", j->spec->dir);
  cleanup_strv char **lines = xzalloc (sizeof (char *));
  walk_copy (copy, image, "", &lines);
  return write_lines (j->out, lines, err);
}

static int
copied_diff (const struct pt_idmap *m, const struct pt_ctr_spec *spec, int out, pt_error_t *err)
{
  struct diff_job j = { .spec = spec, .out = out };
  j.shifted = !pt_userns_mode_default (spec->userns);
  if (j.shifted
      && (pt_map_for_mode (m, "", false, &j.maps[0], err) < 0
          || pt_map_for_mode (m, "", true, &j.maps[1], err) < 0
          || pt_map_for_mode (m, spec->userns, false, &j.maps[2], err) < 0
          || pt_map_for_mode (m, spec->userns, true, &j.maps[3], err) < 0))
    return -1;
  return pt_userns_run (m, diff_copy, &j, err);
}

/* ---- overlay: the writable layer ---- */

static bool
whiteout (const struct stat *st)
{
  return S_ISCHR (st->st_mode) && st->st_rdev == makedev (0, 0);
}

static bool
opaque (const char *dir)
{
  char v[2];
  return lgetxattr (dir, "user.overlay.opaque", v, sizeof v) == 1 && v[0] == 'y';
}

/* dir: upper's at rel; image: the image's merged view (NULL: no layers). */
static void
walk_upper (const char *image, const char *dir, const char *rel, char ***lines)
{
  cleanup_strv char **names = xzalloc (sizeof (char *));
  add_names (&names, dir);
  cleanup_free char *image_dir = image ? xasprintf ("%s%s", image, rel) : NULL;
  if (image_dir && opaque (dir))
    add_names (&names, image_dir);
  sort_unique (names);
  for (size_t k = 0; names[k]; k++)
    {
      cleanup_free char *path = xasprintf ("%s/%s", rel, names[k]);
      if (own_file (path))
        continue;
      cleanup_free char *u = xasprintf ("%s/%s", dir, names[k]);
      struct stat us, ls;
      cleanup_free char *lower = image ? xasprintf ("%s%s", image, path) : NULL;
      if (lower && lstat (lower, &ls) < 0)
        free (steal_pointer (&lower));
      if (lstat (u, &us) < 0 || whiteout (&us))
        {
          if (lower)
            emit (lines, 'D', path);
          continue;
        }
      cleanup_strv char **below = xzalloc (sizeof (char *));
      if (S_ISDIR (us.st_mode))
        walk_upper (image, u, path, &below);
      if (lower == NULL)
        emit (lines, 'A', path);
      else if (differs (u, &us, lower, &ls) || below[0] || (S_ISDIR (us.st_mode) && opaque (u)))
        emit (lines, 'C', path);
      append_all (lines, below);
    }
}

struct upper_job
{
  const struct pt_ctr_spec *spec;
  int out;
};

static int
diff_upper (void *data, pt_error_t *err)
{
  struct upper_job *j = data;
  cleanup_free char *image = NULL;
  if (image_view (j->spec, &image, err) < 0)
    return -1;
  cleanup_free char *upper = xasprintf ("%s/upper", j->spec->dir);
  cleanup_strv char **lines = xzalloc (sizeof (char *));
  walk_upper (image, upper, "", &lines);
  return write_lines (j->out, lines, err);
}

int
pt_ctr_diff (struct pt_store *s, const struct pt_idmap *m, const char *id,
             struct pt_change **changes, size_t *n, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  *changes = NULL;
  *n = 0;
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  cleanup_free char *stamp = xasprintf ("%s/vfs.done", spec.dir);
  FILE *tmp = tmpfile ();
  if (tmp == NULL)
    {
      pt_ctr_spec_free (&spec);
      return pt_make_error (err, errno, "tmpfile");
    }
  struct upper_job j = { &spec, dup (fileno (tmp)) };
  int r = access (stamp, F_OK) == 0
              ? copied_diff (m, &spec, j.out, err)
              : pt_userns_run_mode (m, spec.userns, diff_upper, &j, err);
  close (j.out);
  pt_ctr_spec_free (&spec);
  rewind (tmp);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while (r == 0 && (len = getline (&line, &cap, tmp)) > 2)
    {
      line[len - 1] = '\0';
      *changes = xrealloc (*changes, (*n + 1) * sizeof **changes);
      (*changes)[(*n)++] = (struct pt_change){ line[0], xstrdup (line + 2) };
    }
  free (line);
  fclose (tmp);
  return r;
}

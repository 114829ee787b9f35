/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "vfs.h"
#include "userns.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

/* Hard links of one layer: first path copied for each (dev, ino). */
struct link_seen
{
  dev_t dev;
  ino_t ino;
  int dirfd;
  char *name;
};

struct copy
{
  struct link_seen *links;
  size_t n_links;
};

static bool
is_whiteout (const struct stat *st)
{
  return S_ISCHR (st->st_mode) && st->st_rdev == makedev (0, 0);
}

static bool
is_opaque (int fd)
{
  char v[4];
  ssize_t n = fgetxattr (fd, "user.overlay.opaque", v, sizeof v);
  return n == 1 && v[0] == 'y';
}

static const struct pt_map *shift[4]; /* store uids, gids; the mode's uids, gids */

void
pt_vfs_set_shift (const struct pt_map *store_uids, const struct pt_map *store_gids,
                  const struct pt_map *mode_uids, const struct pt_map *mode_gids)
{
  shift[0] = store_uids, shift[1] = store_gids, shift[2] = mode_uids, shift[3] = mode_gids;
}

/* Copying in the store's namespace: the image's `id` is the container's, the
   host's mode.outside(id), which the store calls store.inside(that); -1 when
   the mode does not map it. */
long
pt_vfs_shifted (unsigned long id, int gid)
{
  if (shift[0] == NULL)
    return (long)id;
  long host = pt_map_outside (shift[2 + gid], id);
  return host < 0 ? -1 : pt_map_inside (shift[gid], host);
}

static int
set_meta (int dirfd, const char *name, const struct stat *st, pt_error_t *err)
{
  long uid = pt_vfs_shifted (st->st_uid, 0), gid = pt_vfs_shifted (st->st_gid, 1);
  if (uid < 0 || gid < 0)
    return pt_make_error (err, 0,
                          "`%s` belongs to %s %lu, which the container's --userns does not map "
                          "(auto:size= can be larger)",
                          name, uid < 0 ? "uid" : "gid",
                          (unsigned long)(uid < 0 ? st->st_uid : st->st_gid));
  if (fchownat (dirfd, name, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EINVAL)
    return pt_make_error (err, errno, "chown `%s`", name);
  /* After chown, which clears setuid. */
  if (!S_ISLNK (st->st_mode) && fchmodat (dirfd, name, st->st_mode & 07777, 0) < 0)
    return pt_make_error (err, errno, "chmod `%s`", name);
  struct timespec ts[2] = { st->st_atim, st->st_mtim };
  utimensat (dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
  return 0;
}

static int
copy_file (int sdir, int ddir, const char *name, const struct stat *st, pt_error_t *err)
{
  cleanup_close int in = openat (sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_close int out
      = openat (ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (in < 0 || out < 0)
    return pt_make_error (err, errno, "copy `%s`", name);
  off_t left = st->st_size;
  while (left > 0)
    {
      ssize_t n = copy_file_range (in, NULL, out, NULL, left, 0);
      if (n <= 0)
        {
          /* No copy_file_range across these filesystems: plain read/write. */
          char buf[65536];
          n = read (in, buf, sizeof buf);
          if (n <= 0 || pt_write_all (out, buf, n) < 0)
            return pt_make_error (err, n < 0 ? errno : EIO, "copy `%s`", name);
        }
      left -= n;
    }
  return 0;
}

static int copy_dir (struct copy *c, int sdir, int ddir, pt_error_t *err);

static int
copy_entry (struct copy *c, int sdir, int ddir, const char *name, pt_error_t *err)
{
  struct stat st, dst;
  if (fstatat (sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return pt_make_error (err, errno, "stat `%s`", name);
  bool have = fstatat (ddir, name, &dst, AT_SYMLINK_NOFOLLOW) == 0;
  if (is_whiteout (&st) || (have && !(S_ISDIR (st.st_mode) && S_ISDIR (dst.st_mode))))
    {
      if (have && pt_rmtree_at (ddir, name, err) < 0)
        return -1;
      have = false;
      if (is_whiteout (&st))
        return 0;
    }
  if (S_ISDIR (st.st_mode))
    {
      cleanup_close int s = openat (sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (s < 0)
        return pt_make_error (err, errno, "open `%s`", name);
      if (have && is_opaque (s) && pt_rmtree_at (ddir, name, err) < 0)
        return -1;
      if (mkdirat (ddir, name, 0700) < 0 && errno != EEXIST)
        return pt_make_error (err, errno, "mkdir `%s`", name);
      cleanup_close int d = openat (ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (d < 0)
        return pt_make_error (err, errno, "open `%s`", name);
      if (copy_dir (c, s, d, err) < 0)
        return -1;
      return set_meta (ddir, name, &st, err);
    }
  if (st.st_nlink > 1 && S_ISREG (st.st_mode))
    for (size_t i = 0; i < c->n_links; i++)
      if (c->links[i].dev == st.st_dev && c->links[i].ino == st.st_ino)
        {
          if (linkat (c->links[i].dirfd, c->links[i].name, ddir, name, 0) < 0)
            return pt_make_error (err, errno, "link `%s`", name);
          return 0;
        }
  if (S_ISLNK (st.st_mode))
    {
      if (pt_copy_symlink (sdir, name, ddir, name, err) < 0)
        return -1;
    }
  else if (S_ISREG (st.st_mode))
    {
      if (copy_file (sdir, ddir, name, &st, err) < 0)
        return -1;
    }
  else if (mknodat (ddir, name, st.st_mode, st.st_rdev) < 0)
    return pt_make_error (err, errno, "mknod `%s`", name);
  if (st.st_nlink > 1 && S_ISREG (st.st_mode))
    {
      c->links = xrealloc (c->links, (c->n_links + 1) * sizeof *c->links);
      c->links[c->n_links++]
          = (struct link_seen){ st.st_dev, st.st_ino, dup (ddir), xstrdup (name) };
    }
  return set_meta (ddir, name, &st, err);
}

static int
copy_dir (struct copy *c, int sdir, int ddir, pt_error_t *err)
{
  cleanup_dir DIR *d = fdopendir (dup (sdir));
  if (d == NULL)
    return pt_make_error (err, errno, "opendir");
  struct dirent *de;
  while ((de = readdir (d)))
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (copy_entry (c, sdir, ddir, de->d_name, err) < 0)
        return -1;
    }
  return 0;
}

static void
forget_links (struct copy *c)
{
  for (size_t i = 0; i < c->n_links; i++)
    {
      close (c->links[i].dirfd);
      free (c->links[i].name);
    }
  free (c->links);
  c->links = NULL;
  c->n_links = 0;
}

int
pt_vfs_copy_layers (char *const *layers, const char *dest, pt_error_t *err)
{
  cleanup_close int d = open (dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d < 0)
    return pt_make_error (err, errno, "open `%s`", dest);
  /* The root's own owner and mode: the bottom layer's. */
  struct stat st;
  if (layers[0] && stat (layers[0], &st) == 0 && set_meta (d, ".", &st, err) < 0)
    return -1;
  for (size_t i = 0; layers[i]; i++)
    {
      struct copy c = { 0 };
      cleanup_close int s = open (layers[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (s < 0)
        return pt_make_error (err, errno, "open layer `%s`", layers[i]);
      int r = copy_dir (&c, s, d, err);
      forget_links (&c);
      if (r < 0)
        return pt_error_wrap (err, "copy layer `%s`", layers[i]);
    }
  return 0;
}

struct mapped_root
{
  char *const *layers;
  const char *upper;
  struct pt_map maps[4];
};

static int
copy_mapped (void *data, pt_error_t *err)
{
  struct mapped_root *j = data;
  /* What a killed copy left goes first. */
  if (pt_rmtree_at (AT_FDCWD, j->upper, err) < 0)
    return -1;
  if (mkdir (j->upper, 0755) < 0)
    return pt_make_error (err, errno, "mkdir `%s`", j->upper);
  pt_vfs_set_shift (&j->maps[0], &j->maps[1], &j->maps[2], &j->maps[3]);
  return pt_vfs_copy_layers (j->layers, j->upper, err);
}

int
pt_vfs_prepare_mapped_root (const struct pt_idmap *m, const char *mode, char *const *layers,
                            const char *dir, pt_error_t *err)
{
  if (pt_userns_mode_default (mode))
    return 0;
  cleanup_free char *stamp = xasprintf ("%s/vfs.done", dir);
  if (access (stamp, F_OK) == 0)
    return 0;
  cleanup_free char *upper = xasprintf ("%s/upper", dir);
  struct mapped_root j = { .layers = layers, .upper = upper };
  if (pt_map_for_mode (m, "", false, &j.maps[0], err) < 0
      || pt_map_for_mode (m, "", true, &j.maps[1], err) < 0
      || pt_map_for_mode (m, mode, false, &j.maps[2], err) < 0
      || pt_map_for_mode (m, mode, true, &j.maps[3], err) < 0
      || pt_userns_run (m, copy_mapped, &j, err) < 0)
    return -1;
  int fd = open (stamp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return pt_make_error (err, errno, "create `%s`", stamp);
  close (fd);
  return 0;
}

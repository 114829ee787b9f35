/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A layer directory (or a container's tree) back into a tar stream. */
#include <config.h>
#include "tree-tar.h"
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
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

struct hashing_writer
{
  int fd;
  struct pt_sha256 sha;
  uint64_t bytes;
  uint64_t *shown; /* NULL, or where progress is shown (shared memory) */
};

static la_ssize_t
hashing_write (struct archive *a, void *data, const void *buf, size_t len)
{
  struct hashing_writer *w = data;
  (void)a;
  if (pt_write_all (w->fd, buf, len) < 0)
    return -1;
  pt_sha256_update (&w->sha, buf, len);
  w->bytes += len;
  if (w->shown)
    __atomic_store_n (w->shown, w->bytes, __ATOMIC_RELAXED);
  return len;
}

struct seen_inode
{
  dev_t dev;
  ino_t ino;
  char *path;
};

struct layer_writer
{
  struct archive *a;
  struct seen_inode *seen;
  size_t n_seen;
  char *const *skip; /* paths (relative, "etc/hosts") left out, or NULL */
  pt_error_t *err;
};

static bool
skipped (const struct layer_writer *w, const char *path)
{
  for (size_t i = 0; w->skip && w->skip[i]; i++)
    if (strcmp (w->skip[i], path) == 0)
      return true;
  return false;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

static int
write_header (struct layer_writer *w, struct archive_entry *e, const char *path)
{
  if (archive_write_header (w->a, e) < ARCHIVE_WARN)
    return pt_make_error (w->err, 0, "write `%s`: %s", path, archive_error_string (w->a));
  return 0;
}

static struct archive_entry *
entry_for (const char *path, const struct stat *st)
{
  struct archive_entry *e = archive_entry_new ();
  archive_entry_set_pathname (e, path);
  archive_entry_set_mode (e, st->st_mode);
  archive_entry_set_uid (e, st->st_uid);
  archive_entry_set_gid (e, st->st_gid);
  archive_entry_set_mtime (e, st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
  return e;
}

static int
write_marker (struct layer_writer *w, const char *path)
{
  struct stat st = { .st_mode = S_IFREG | 0644 };
  struct archive_entry *e = entry_for (path, &st);
  archive_entry_set_size (e, 0);
  int r = write_header (w, e, path);
  archive_entry_free (e);
  return r;
}

static int write_dir (struct layer_writer *w, int dfd, const char *prefix);

static int
write_node (struct layer_writer *w, int dfd, const char *name, const char *path)
{
  struct stat st;
  if (fstatat (dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return pt_make_error (w->err, errno, "stat `%s`", path);
  if (S_ISCHR (st.st_mode) && st.st_rdev == makedev (0, 0))
    {
      /* An overlay whiteout is a .wh. file in a tar. */
      const char *slash = strrchr (path, '/');
      cleanup_free char *wh = slash
                                  ? xasprintf ("%.*s/.wh.%s", (int)(slash - path), path, slash + 1)
                                  : xasprintf (".wh.%s", path);
      return write_marker (w, wh);
    }
  int ret = 0;
  struct archive_entry *e = entry_for (path, &st);
  if (S_ISDIR (st.st_mode))
    {
      cleanup_close int sub = openat (dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      char v[2];
      if (sub < 0)
        ret = pt_make_error (w->err, errno, "open `%s`", path);
      cleanup_free char *dirpath = xasprintf ("%s/", path);
      archive_entry_set_pathname (e, dirpath);
      if (ret == 0)
        ret = write_header (w, e, path);
      if (ret == 0 && fgetxattr (sub, "user.overlay.opaque", v, sizeof v) == 1 && v[0] == 'y')
        {
          cleanup_free char *opq = xasprintf ("%s/.wh..wh..opq", path);
          ret = write_marker (w, opq);
        }
      if (ret == 0)
        ret = write_dir (w, sub, path);
      archive_entry_free (e);
      return ret;
    }
  if (S_ISREG (st.st_mode) && st.st_nlink > 1)
    for (size_t i = 0; i < w->n_seen; i++)
      if (w->seen[i].dev == st.st_dev && w->seen[i].ino == st.st_ino)
        {
          archive_entry_set_hardlink (e, w->seen[i].path);
          archive_entry_set_size (e, 0);
          ret = write_header (w, e, path);
          archive_entry_free (e);
          return ret;
        }
  if (S_ISLNK (st.st_mode))
    {
      char target[4096];
      ssize_t n = readlinkat (dfd, name, target, sizeof target - 1);
      if (n < 0)
        ret = pt_make_error (w->err, errno, "readlink `%s`", path);
      else
        {
          target[n] = '\0';
          archive_entry_set_symlink (e, target);
          ret = write_header (w, e, path);
        }
    }
  else if (S_ISREG (st.st_mode))
    {
      archive_entry_set_size (e, st.st_size);
      cleanup_close int fd = openat (dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        ret = pt_make_error (w->err, errno, "open `%s`", path);
      if (ret == 0)
        ret = write_header (w, e, path);
      char buf[65536];
      ssize_t n = 0;
      while (ret == 0 && (n = read (fd, buf, sizeof buf)) > 0)
        if (archive_write_data (w->a, buf, n) != n)
          ret = pt_make_error (w->err, 0, "write `%s`: %s", path, archive_error_string (w->a));
      if (ret == 0 && n < 0)
        ret = pt_make_error (w->err, errno, "read `%s`", path);
      if (ret == 0 && st.st_nlink > 1)
        {
          w->seen = xrealloc (w->seen, (w->n_seen + 1) * sizeof *w->seen);
          w->seen[w->n_seen++] = (struct seen_inode){ st.st_dev, st.st_ino, xstrdup (path) };
        }
    }
  else
    {
      archive_entry_set_rdev (e, st.st_rdev);
      ret = write_header (w, e, path);
    }
  archive_entry_free (e);
  return ret;
}

/* Children in name order, so the same directory always makes the same tar. */
static int
write_dir (struct layer_writer *w, int dfd, const char *prefix)
{
  cleanup_dir DIR *d = fdopendir (dup (dfd));
  if (d == NULL)
    return pt_make_error (w->err, errno, "opendir `%s`", prefix ? prefix : "/");
  cleanup_strv char **names = xzalloc (sizeof (char *));
  struct dirent *de;
  while ((de = readdir (d)))
    if (strcmp (de->d_name, ".") != 0 && strcmp (de->d_name, "..") != 0)
      pt_strv_append (&names, de->d_name);
  qsort (names, pt_strv_len (names), sizeof (char *), compare_names);
  for (size_t i = 0; names[i]; i++)
    {
      cleanup_free char *path = prefix ? xasprintf ("%s/%s", prefix, names[i]) : xstrdup (names[i]);
      if (!skipped (w, path) && write_node (w, dfd, names[i], path) < 0)
        return -1;
    }
  return 0;
}

int
pt_tar_dir_to_file (struct pt_tar_job *job, pt_error_t *err)
{
  cleanup_close int src = open (job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct hashing_writer hw
      = { .fd = job->to_fd ? job->fd : open (job->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600),
          .shown = &job->done_bytes };
  if (src < 0 || hw.fd < 0)
    {
      int e = errno;
      if (hw.fd >= 0)
        close (hw.fd);
      return pt_make_error (err, e, "open `%s`", src < 0 ? job->dir : job->out);
    }
  pt_sha256_init (&hw.sha);
  struct layer_writer w = { .a = archive_write_new (), .err = err };
  archive_write_set_format_pax_restricted (w.a);
  int r = 0;
  if (archive_write_open (w.a, &hw, NULL, hashing_write, NULL) != ARCHIVE_OK)
    r = pt_make_error (err, 0, "write `%s`: %s", job->out, archive_error_string (w.a));
  if (r == 0)
    r = write_dir (&w, src, NULL);
  if (r == 0 && archive_write_close (w.a) != ARCHIVE_OK)
    r = pt_make_error (err, 0, "write `%s`: %s", job->out, archive_error_string (w.a));
  archive_write_free (w.a);
  for (size_t i = 0; i < w.n_seen; i++)
    free (w.seen[i].path);
  free (w.seen);
  /* Known before the reader of a pipe sees its end. */
  pt_sha256_final_hex (&hw.sha, job->diff_id);
  job->size = hw.bytes;
  close (hw.fd);
  return r;
}

int
pt_tar_tree (int dfd, int out_fd, char *const *skip, pt_error_t *err)
{
  struct hashing_writer hw = { .fd = out_fd };
  pt_sha256_init (&hw.sha);
  struct layer_writer w = { .a = archive_write_new (), .skip = skip, .err = err };
  archive_write_set_format_pax_restricted (w.a);
  int r = 0;
  if (archive_write_open (w.a, &hw, NULL, hashing_write, NULL) != ARCHIVE_OK)
    r = pt_make_error (err, 0, "write the tar: %s", archive_error_string (w.a));
  if (r == 0)
    r = write_dir (&w, dfd, NULL);
  if (r == 0 && archive_write_close (w.a) != ARCHIVE_OK)
    r = pt_make_error (err, 0, "write the tar: %s", archive_error_string (w.a));
  archive_write_free (w.a);
  for (size_t i = 0; i < w.n_seen; i++)
    free (w.seen[i].path);
  free (w.seen);
  return r;
}

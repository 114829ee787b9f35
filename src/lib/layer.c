/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "layer.h"
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
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#define WHITEOUT_PREFIX ".wh."
#define OPAQUE_MARKER ".wh..wh..opq"

/* The decompressed stream is read through a "raw" reader so that the tar
   reader sees, and we hash, exactly the bytes the diff_id covers. */
struct hashed_stream
{
  struct archive *raw;
  struct pt_sha256 sha;
  uint64_t bytes;
};

static la_ssize_t
hashed_read (struct archive *a, void *data, const void **buf)
{
  struct hashed_stream *hs = data;
  size_t size;
  la_int64_t off;
  int r = archive_read_data_block (hs->raw, buf, &size, &off);
  if (r == ARCHIVE_EOF)
    return 0;
  if (r != ARCHIVE_OK)
    {
      archive_set_error (a, archive_errno (hs->raw), "%s", archive_error_string (hs->raw));
      return -1;
    }
  pt_sha256_update (&hs->sha, *buf, size);
  hs->bytes += size;
  return size;
}

static bool
bad_path (const char *p)
{
  if (p[0] == '/')
    return true;
  for (const char *s = p; s; s = strchr (s, '/'))
    {
      if (*s == '/')
        s++;
      if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == '\0'))
        return true;
    }
  return false;
}

/* Open the directory that holds `path` below root, never leaving root and
   never following a symlink on the way. */
static int
open_parent_beneath (int rootfd, const char *path, const char **base)
{
  const char *slash = strrchr (path, '/');
  *base = slash ? slash + 1 : path;
  cleanup_free char *dir = slash ? xstrndup (path, slash - path) : xstrdup (".");
  struct open_how how
      = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
          .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
  return syscall (SYS_openat2, rootfd, dir, &how, sizeof how);
}

static int
apply_whiteout (int rootfd, const char *path, pt_error_t *err)
{
  const char *base;
  cleanup_close int dfd = open_parent_beneath (rootfd, path, &base);
  if (dfd < 0)
    return pt_make_error (err, errno, "whiteout `%s`: open its directory", path);
  if (strcmp (base, OPAQUE_MARKER) == 0)
    {
      if (fsetxattr (dfd, "user.overlay.opaque", "y", 1, 0) < 0)
        return pt_make_error (err, errno, "mark `%s` opaque", path);
      return 0;
    }
  const char *name = base + strlen (WHITEOUT_PREFIX);
  if (*name == '\0' || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return pt_make_error (err, 0, "invalid whiteout entry `%s`", path);
  pt_error_t tmp = NULL;
  if (pt_rmtree_at (dfd, name, &tmp) < 0)
    pt_error_release (&tmp);
  /* Since Linux 5.8 anyone may create the 0/0 whiteout device. */
  if (mknodat (dfd, name, S_IFCHR | 0, makedev (0, 0)) < 0)
    return pt_make_error (err, errno, "create whiteout for `%s`", path);
  return 0;
}

static int
open_layer_stream (const char *tar_path, struct hashed_stream *hs, struct archive **out,
                   pt_error_t *err)
{
  hs->raw = archive_read_new ();
  archive_read_support_filter_all (hs->raw);
  archive_read_support_format_raw (hs->raw);
  pt_sha256_init (&hs->sha);
  hs->bytes = 0;
  struct archive_entry *e;
  if (archive_read_open_filename (hs->raw, tar_path, 1 << 16) != ARCHIVE_OK
      || archive_read_next_header (hs->raw, &e) != ARCHIVE_OK)
    return pt_make_error (err, archive_errno (hs->raw) > 0 ? archive_errno (hs->raw) : 0,
                          "open layer `%s`: %s", tar_path, archive_error_string (hs->raw));
  struct archive *a = archive_read_new ();
  archive_read_support_format_tar (a);
  if (archive_read_open (a, hs, NULL, hashed_read, NULL) != ARCHIVE_OK)
    {
      int r = pt_make_error (err, 0, "layer `%s`: %s", tar_path, archive_error_string (a));
      archive_read_free (a);
      return r;
    }
  *out = a;
  return 0;
}

static int
extract_one (struct pt_layer_job *job, pt_error_t *err)
{
  struct hashed_stream hs = { 0 };
  struct archive *in = NULL, *out = NULL;
  struct archive_entry *e;
  int r, ret = 0;
  cleanup_close int rootfd = -1;

  if (mkdir (job->dest, 0755) < 0)
    return pt_make_error (err, errno, "mkdir `%s`", job->dest);
  rootfd = open (job->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0 || fchdir (rootfd) < 0)
    return pt_make_error (err, errno, "open `%s`", job->dest);
  if ((ret = open_layer_stream (job->tar_path, &hs, &in, err)) < 0)
    goto out;
  out = archive_write_disk_new ();
  archive_write_disk_set_options (
      out, ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME
               | ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_SECURE_NODOTDOT
               | ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
  while ((r = archive_read_next_header (in, &e)) == ARCHIVE_OK)
    {
      const char *path = archive_entry_pathname (e);
      while (path[0] == '.' && path[1] == '/')
        path += 2;
      if (*path == '\0' || strcmp (path, ".") == 0)
        continue;
      const char *hl = archive_entry_hardlink (e);
      if (bad_path (path) || (hl && bad_path (hl)))
        {
          ret = pt_make_error (err, 0, "layer `%s`: entry `%s` points outside the layer",
                               job->tar_path, path);
          goto out;
        }
      archive_entry_set_pathname (e, path);
      const char *base = strrchr (path, '/');
      base = base ? base + 1 : path;
      if (pt_str_has_prefix (base, WHITEOUT_PREFIX))
        {
          if ((ret = apply_whiteout (rootfd, path, err)) < 0)
            goto out;
          continue;
        }
      mode_t type = archive_entry_filetype (e);
      if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO || type == AE_IFSOCK)
        {
          /* Device nodes cannot be made rootless; /dev comes from podtool. */
          if (type != AE_IFIFO)
            {
              job->skipped_devices++;
              continue;
            }
        }
      r = archive_write_header (out, e);
      if (r == ARCHIVE_OK && archive_entry_size (e) > 0)
        {
          const void *buf;
          size_t size;
          la_int64_t off;
          int rr;
          while ((rr = archive_read_data_block (in, &buf, &size, &off)) == ARCHIVE_OK)
            if (archive_write_data_block (out, buf, size, off) < ARCHIVE_WARN)
              break;
          if (rr < ARCHIVE_WARN)
            {
              ret = pt_make_error (err, 0, "layer `%s`: %s", job->tar_path,
                                   archive_error_string (in));
              goto out;
            }
        }
      if (r < ARCHIVE_WARN || archive_write_finish_entry (out) < ARCHIVE_WARN)
        {
          ret = pt_make_error (err, archive_errno (out) > 0 ? archive_errno (out) : 0,
                               "layer `%s`: write `%s`: %s", job->tar_path, path,
                               archive_error_string (out));
          goto out;
        }
    }
  if (r != ARCHIVE_EOF)
    {
      ret = pt_make_error (err, 0, "layer `%s`: %s", job->tar_path, archive_error_string (in));
      goto out;
    }
  /* Hash what follows the end-of-archive blocks too: the digest is of the whole stream. */
  {
    const void *buf;
    while (hashed_read (in, &hs, &buf) > 0)
      ;
  }
  pt_sha256_final_hex (&hs.sha, job->diff_id);
  job->size = hs.bytes;
out:
  if (out)
    archive_write_free (out);
  if (in)
    archive_read_free (in);
  if (hs.raw)
    archive_read_free (hs.raw);
  return ret;
}

int
pt_layer_extract_all (struct pt_layer_job *jobs, int n, pt_error_t *err)
{
  umask (0);
  for (int i = 0; i < n; i++)
    {
      int r = extract_one (&jobs[i], err);
      if (r < 0)
        return r;
    }
  return 0;
}

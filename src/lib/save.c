/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "save.h"
#include "image.h"
#include "sha256.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

/* ---- one layer directory back into a tar ---- */

struct hashing_writer
{
  int fd;
  struct pt_sha256 sha;
  uint64_t bytes;
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

struct layer_job
{
  const char *dir;
  const char *out;
  char diff_id[65];
  uint64_t size;
};

static int
tar_layer (struct layer_job *job, pt_error_t *err)
{
  cleanup_close int src = open (job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct hashing_writer hw
      = { .fd = open (job->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) };
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
  close (hw.fd);
  pt_sha256_final_hex (&hw.sha, job->diff_id);
  job->size = hw.bytes;
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

struct tar_ctx
{
  struct layer_job *jobs;
  size_t n;
};

/* In the user namespace: every file readable, owners as the container sees them. */
static int
tar_layers_in_userns (void *data, pt_error_t *err)
{
  struct tar_ctx *c = data;
  for (size_t i = 0; i < c->n; i++)
    if (tar_layer (&c->jobs[i], err) < 0)
      return -1;
  return 0;
}

/* ---- the outer archive ---- */

static int
add_bytes (struct archive *a, const char *name, const void *data, size_t len, pt_error_t *err)
{
  struct archive_entry *e = archive_entry_new ();
  archive_entry_set_pathname (e, name);
  archive_entry_set_mode (e, S_IFREG | 0644);
  archive_entry_set_size (e, len);
  archive_entry_set_mtime (e, 0, 0);
  int r = 0;
  if (archive_write_header (a, e) < ARCHIVE_WARN
      || (len && archive_write_data (a, data, len) != (la_ssize_t)len))
    r = pt_make_error (err, 0, "write `%s`: %s", name, archive_error_string (a));
  archive_entry_free (e);
  return r;
}

static int
add_file (struct archive *a, const char *name, const char *path, pt_error_t *err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  struct archive_entry *e = archive_entry_new ();
  archive_entry_set_pathname (e, name);
  archive_entry_set_mode (e, S_IFREG | 0644);
  archive_entry_set_size (e, st.st_size);
  archive_entry_set_mtime (e, 0, 0);
  int r = archive_write_header (a, e) < ARCHIVE_WARN
              ? pt_make_error (err, 0, "write `%s`: %s", name, archive_error_string (a))
              : 0;
  archive_entry_free (e);
  char buf[1 << 16];
  ssize_t n = 0;
  while (r == 0 && (n = read (fd, buf, sizeof buf)) > 0)
    if (archive_write_data (a, buf, n) != n)
      r = pt_make_error (err, 0, "write `%s`: %s", name, archive_error_string (a));
  if (r == 0 && n < 0)
    r = pt_make_error (err, errno, "read `%s`", path);
  return r;
}

static char *
dump (json_t *j)
{
  char *t = json_dumps (j, JSON_COMPACT);
  json_decref (j);
  return t;
}

static int
write_docker (struct archive *a, const struct pt_image *img, const char *cfg, const char *cfg_hex,
              struct layer_job *jobs, size_t n, pt_error_t *err)
{
  cleanup_free char *cfg_name = xasprintf ("%s.json", cfg_hex);
  json_t *layers = json_array ();
  for (size_t i = 0; i < n; i++)
    json_array_append_new (layers, json_sprintf ("%s.tar", jobs[i].diff_id));
  json_t *tags = json_array ();
  for (size_t i = 0; img->names[i]; i++)
    json_array_append_new (tags, json_string (img->names[i]));
  cleanup_free char *manifest = dump (
      json_pack ("[{s:s, s:o, s:o}]", "Config", cfg_name, "RepoTags", tags, "Layers", layers));
  int r = add_bytes (a, cfg_name, cfg, strlen (cfg), err);
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      cleanup_free char *name = xasprintf ("%s.tar", jobs[i].diff_id);
      r = add_file (a, name, jobs[i].out, err);
    }
  if (r == 0)
    r = add_bytes (a, "manifest.json", manifest, strlen (manifest), err);
  return r;
}

static int
write_oci (struct archive *a, const struct pt_image *img, const char *cfg, const char *cfg_hex,
           struct layer_job *jobs, size_t n, pt_error_t *err)
{
  json_t *layers = json_array ();
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *d = xasprintf ("sha256:%s", jobs[i].diff_id);
      json_array_append_new (layers, json_pack ("{s:s, s:s, s:I}", "mediaType",
                                                "application/vnd.oci.image.layer.v1.tar", "digest",
                                                d, "size", (json_int_t)jobs[i].size));
    }
  cleanup_free char *cd = xasprintf ("sha256:%s", cfg_hex);
  cleanup_free char *manifest
      = dump (json_pack ("{s:i, s:s, s:{s:s, s:s, s:I}, s:o}", "schemaVersion", 2, "mediaType",
                         "application/vnd.oci.image.manifest.v1+json", "config", "mediaType",
                         "application/vnd.oci.image.config.v1+json", "digest", cd, "size",
                         (json_int_t)strlen (cfg), "layers", layers));
  char mhex[65];
  pt_sha256_hex (manifest, strlen (manifest), mhex);
  cleanup_free char *md = xasprintf ("sha256:%s", mhex);
  json_t *desc
      = json_pack ("{s:s, s:s, s:I}", "mediaType", "application/vnd.oci.image.manifest.v1+json",
                   "digest", md, "size", (json_int_t)strlen (manifest));
  if (img->names[0])
    json_object_set_new (desc, "annotations",
                         json_pack ("{s:s}", "org.opencontainers.image.ref.name", img->names[0]));
  cleanup_free char *index
      = dump (json_pack ("{s:i, s:[o]}", "schemaVersion", 2, "manifests", desc));
  const char *layout = "{\"imageLayoutVersion\": \"1.0.0\"}";
  cleanup_free char *cfg_name = xasprintf ("blobs/sha256/%s", cfg_hex);
  cleanup_free char *man_name = xasprintf ("blobs/sha256/%s", mhex);
  int r = add_bytes (a, "oci-layout", layout, strlen (layout), err);
  if (r == 0)
    r = add_bytes (a, cfg_name, cfg, strlen (cfg), err);
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      cleanup_free char *name = xasprintf ("blobs/sha256/%s", jobs[i].diff_id);
      r = add_file (a, name, jobs[i].out, err);
    }
  if (r == 0)
    r = add_bytes (a, man_name, manifest, strlen (manifest), err);
  if (r == 0)
    r = add_bytes (a, "index.json", index, strlen (index), err);
  return r;
}

/* The config with the new layers' diff_ids. */
static char *
updated_config (struct pt_store *s, const struct pt_image *img, struct layer_job *jobs, size_t n,
                pt_error_t *err)
{
  cleanup_free char *path = pt_store_path (s, "images/%s/config.json", img->id);
  cleanup_free char *orig = NULL;
  if (pt_read_file (AT_FDCWD, path, &orig, NULL, err) < 0)
    return NULL;
  json_t *cfg = json_loads (orig, 0, NULL);
  json_t *diffs = json_array ();
  bool same = true;
  for (size_t i = 0; i < n; i++)
    {
      json_array_append_new (diffs, json_sprintf ("sha256:%s", jobs[i].diff_id));
      same &= img->layers[i] && strcmp (img->layers[i], jobs[i].diff_id) == 0;
    }
  if (same)
    {
      json_decref (diffs);
      json_decref (cfg);
      return steal_pointer (&orig);
    }
  json_t *rootfs = json_object_get (cfg, "rootfs");
  if (!json_is_object (rootfs))
    json_object_set_new (cfg, "rootfs", rootfs = json_pack ("{s:s}", "type", "layers"));
  json_object_set_new (rootfs, "diff_ids", diffs);
  return dump (cfg);
}

int
pt_image_save (struct pt_store *s, const struct pt_idmap *m, const char *ref,
               enum pt_save_format format, const char *path, int out_fd, pt_error_t *err)
{
  struct pt_image img = { 0 };
  if (pt_dl_archive (err) < 0 || pt_image_lookup (s, ref, &img, err) < 0)
    return -1;
  size_t n = pt_strv_len (img.layers);
  cleanup_free char *tmp = pt_store_mkdtemp (s, "save", err);
  cleanup_free char *out_tmp = path ? xasprintf ("%s.tmp-%d", path, (int)getpid ()) : NULL;
  struct layer_job *jobs = mmap (NULL, (n + 1) * sizeof *jobs, PROT_READ | PROT_WRITE,
                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  int r = tmp && jobs != MAP_FAILED ? 0 : -1;
  if (jobs == MAP_FAILED && tmp)
    r = pt_make_error (err, errno, "mmap");
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      memset (&jobs[i], 0, sizeof jobs[i]);
      jobs[i].dir = pt_store_path (s, "layers/%s", img.layers[i]);
      jobs[i].out = xasprintf ("%s/layer-%zu.tar", tmp, i);
    }
  struct tar_ctx ctx = { jobs, n };
  if (r == 0)
    r = pt_userns_run (m, tar_layers_in_userns, &ctx, err);
  cleanup_free char *cfg = r == 0 ? updated_config (s, &img, jobs, n, err) : NULL;
  if (r == 0 && cfg == NULL)
    r = -1;
  if (r == 0)
    {
      char cfg_hex[65];
      pt_sha256_hex (cfg, strlen (cfg), cfg_hex);
      struct archive *a = archive_write_new ();
      archive_write_set_format_pax_restricted (a);
      int opened
          = path ? archive_write_open_filename (a, out_tmp) : archive_write_open_fd (a, out_fd);
      if (opened != ARCHIVE_OK)
        r = pt_make_error (err, 0, "open `%s`: %s", path ? path : "stdout",
                           archive_error_string (a));
      if (r == 0)
        r = (format == PT_SAVE_OCI_ARCHIVE ? write_oci : write_docker) (a, &img, cfg, cfg_hex, jobs,
                                                                        n, err);
      if (archive_write_close (a) != ARCHIVE_OK && r == 0)
        r = pt_make_error (err, 0, "write `%s`: %s", path ? path : "stdout",
                           archive_error_string (a));
      archive_write_free (a);
      if (r == 0 && path && rename (out_tmp, path) < 0)
        r = pt_make_error (err, errno, "rename `%s`", out_tmp);
    }
  if (r < 0 && out_tmp)
    unlink (out_tmp);
  for (size_t i = 0; jobs != MAP_FAILED && i < n; i++)
    {
      free ((char *)jobs[i].dir);
      free ((char *)jobs[i].out);
    }
  if (jobs != MAP_FAILED)
    munmap (jobs, (n + 1) * sizeof *jobs);
  if (tmp)
    {
      pt_error_t t = NULL;
      if (pt_rmtree_at (AT_FDCWD, tmp, &t) < 0)
        pt_error_release (&t);
    }
  pt_image_free (&img);
  return r;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "layer.h"
#include "sha256.h"
#include "sha256-beside.h"
#include "read-ahead.h"
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
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
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
  bool plain; /* not compressed: these bytes are the raw ones, hashed there */
  struct pt_read_ahead *ahead; /* compressed: decompressed on a thread */
};

static la_ssize_t
hashed_read (struct archive *a, void *data, const void **buf)
{
  struct hashed_stream *hs = data;
  if (hs->ahead)
    {
      const char *msg = NULL;
      ssize_t n = pt_read_ahead_next (hs->ahead, buf, &msg);
      if (n < 0)
        archive_set_error (a, 0, "%s", msg);
      if (n > 0)
        {
          pt_sha256_update (&hs->sha, *buf, (size_t)n);
          hs->bytes += (uint64_t)n;
        }
      return n;
    }
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
  if (!hs->plain)
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
  /* EAGAIN: a rename or mount raced a ".." of the walk; try again. */
  for (int tries = 0;; tries++)
    {
      int fd = syscall (SYS_openat2, rootfd, dir, &how, sizeof how);
      if (fd >= 0 || errno != EAGAIN || tries == 1000)
        return fd;
    }
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

/* The layer's bytes as read: from its fd, at most the job's window,
   hashed on a thread beside (the blob's digest, and an uncompressed
   layer's diff_id) into two buffers in turn. */
struct raw_source
{
  struct pt_layer_job *job;
  int fd;
  uint64_t left; /* UINT64_MAX: to the end */
  struct pt_sha256_beside *sha;
  int cur;
  char buf[2][1 << 20];
};

static la_ssize_t
raw_read (struct archive *a, void *data, const void **buf)
{
  struct raw_source *rs = data;
  char *b = rs->buf[rs->cur];
  size_t want = rs->left < sizeof rs->buf[0] ? (size_t)rs->left : sizeof rs->buf[0];
  ssize_t n;
  if (want == 0)
    return 0;
  while ((n = read (rs->fd, b, want)) < 0 && errno == EINTR)
    ;
  if (n < 0)
    {
      archive_set_error (a, errno, "read: %s", strerror (errno));
      return -1;
    }
  if (rs->left != UINT64_MAX)
    rs->left -= (uint64_t)n;
  pt_sha256_beside_feed (rs->sha, b, (size_t)n);
  rs->cur ^= 1;
  __atomic_fetch_add (&rs->job->done_bytes, (uint64_t)n, __ATOMIC_RELAXED);
  *buf = b;
  return n;
}

/* The raw reader is this thread's again. */
static void
stop_ahead (struct hashed_stream *hs)
{
  if (hs->ahead)
    pt_read_ahead_stop (hs->ahead);
  hs->ahead = NULL;
}

static int
open_layer_stream (struct raw_source *rs, const char *tar_path, struct hashed_stream *hs,
                   struct archive **out, pt_error_t *err)
{
  hs->raw = archive_read_new ();
  archive_read_support_filter_all (hs->raw);
  archive_read_support_format_raw (hs->raw);
  pt_sha256_init (&hs->sha);
  hs->bytes = 0;
  struct archive_entry *e;
  if (archive_read_open (hs->raw, rs, NULL, raw_read, NULL) != ARCHIVE_OK
      || archive_read_next_header (hs->raw, &e) != ARCHIVE_OK)
    return pt_make_error (err, 0, "layer `%s`: %s", tar_path, archive_error_string (hs->raw));
  hs->plain = archive_filter_code (hs->raw, 0) == ARCHIVE_FILTER_NONE;
  /* Decompression is the slow half of a pull: on a core of its own. */
  if (!hs->plain)
    hs->ahead = pt_read_ahead_start (hs->raw);
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

struct deferred_link
{
  char *path, *target;
};

struct unpack
{
  struct pt_layer_job *job;
  char *checked_parent; /* the last parent known to hold no symlink */
  struct archive *in, *out;
  int rootfd;
  struct deferred_link *links;
  size_t n_links;
  unsigned long uids, gids; /* how many ids the user namespace maps: 0..N-1 */
};

/* How many ids from 0 up a /proc/self/{uid,gid}_map maps without a gap. */
static unsigned long
mapped_ids (const char *map)
{
  FILE *f = fopen (map, "re");
  unsigned long inside, outside, count, top = 0;
  while (f && fscanf (f, "%lu %lu %lu", &inside, &outside, &count) == 3)
    if (inside <= top && inside + count > top)
      top = inside + count;
  if (f)
    fclose (f);
  return top;
}

/* An owner the namespace cannot map would silently become root's (0:0) in
   libarchive's fallback: refused, naming the file and the id, as Podman
   refuses such an image. Without subordinate ids (one id mapped) every
   owner is the user's, as podtool warns at the start. */
static int
check_owner (struct unpack *u, struct archive_entry *e, const char *path, pt_error_t *err)
{
  la_int64_t uid = archive_entry_uid (e), gid = archive_entry_gid (e);
  if (u->uids <= 1 && u->gids <= 1)
    return 0;
  if (uid >= 0 && (unsigned long)uid < u->uids && gid >= 0 && (unsigned long)gid < u->gids)
    return 0;
  return pt_make_error (err, 0,
                        "layer `%s`: potentially insufficient UIDs or GIDs available in user "
                        "namespace (requested %lld:%lld for /%s, %lu:%lu are mapped): check "
                        "/etc/subuid and /etc/subgid",
                        u->job->tar_path, (long long)uid, (long long)gid, path, u->uids, u->gids);
}

/* Hard links are ours, not libarchive's: inside the chroot both ends
   resolve in the layer, and a link to a file that comes later in the tar
   waits for it. */
static int
make_hardlink (struct unpack *u, const char *path, const char *target, bool defer, pt_error_t *err)
{
  if (unlink (path) < 0 && errno != ENOENT && errno != EISDIR)
    return pt_make_error (err, errno, "layer `%s`: replace `%s`", u->job->tar_path, path);
  if (link (target, path) == 0)
    return 0;
  if (errno == ENOENT && defer)
    {
      u->links = xrealloc (u->links, (u->n_links + 1) * sizeof *u->links);
      u->links[u->n_links++] = (struct deferred_link){ xstrdup (path), xstrdup (target) };
      return 0;
    }
  return pt_make_error (err, errno, "layer `%s`: hard link `%s` to `%s`", u->job->tar_path, path,
                        target);
}

static int
write_entry (struct unpack *u, struct archive_entry *e, const char *path, pt_error_t *err)
{
  int r = archive_write_header (u->out, e);
  if (r == ARCHIVE_OK && archive_entry_size (e) > 0)
    {
      const void *buf;
      size_t size;
      la_int64_t off;
      int rr;
      while ((rr = archive_read_data_block (u->in, &buf, &size, &off)) == ARCHIVE_OK)
        if (archive_write_data_block (u->out, buf, size, off) < ARCHIVE_WARN)
          break;
      if (rr < ARCHIVE_WARN)
        return pt_make_error (err, 0, "layer `%s`: %s", u->job->tar_path,
                              archive_error_string (u->in));
    }
  if (r < ARCHIVE_WARN || archive_write_finish_entry (u->out) < ARCHIVE_WARN)
    return pt_make_error (err, archive_errno (u->out) > 0 ? archive_errno (u->out) : 0,
                          "layer `%s`: write `%s`: %s", u->job->tar_path, path,
                          archive_error_string (u->out));
  return 0;
}

/* Does the path to the entry go through a symlink? Refused: a layer may
   hold symlinks, but never write through one (the chroot keeps even that
   inside the layer, but the tar is not what it claims to be). */
static bool
through_symlink (struct unpack *u, const char *path)
{
  const char *slash = strrchr (path, '/');
  if (slash == NULL)
    return false;
  size_t n = slash - path;
  if (u->checked_parent && strlen (u->checked_parent) == n
      && strncmp (u->checked_parent, path, n) == 0)
    return false;
  const char *base;
  int fd = open_parent_beneath (u->rootfd, path, &base);
  if (fd < 0)
    return errno == ELOOP || errno == EXDEV;
  close (fd);
  free (u->checked_parent);
  u->checked_parent = xstrndup (path, n);
  return false;
}

static int
unpack_entry (struct unpack *u, struct archive_entry *e, pt_error_t *err)
{
  const char *name = archive_entry_pathname (e);
  while (name[0] == '.' && name[1] == '/')
    name += 2;
  if (*name == '\0' || strcmp (name, ".") == 0)
    return 0;
  /* A copy: setting the entry's name frees the string name points into. */
  cleanup_free char *path = xstrdup (name);
  /* "dir/" names dir itself, not something in it. */
  for (size_t n = strlen (path); n > 1 && path[n - 1] == '/'; n--)
    path[n - 1] = '\0';
  const char *hl = archive_entry_hardlink (e);
  while (hl && hl[0] == '.' && hl[1] == '/')
    hl += 2;
  if (bad_path (path) || (hl && bad_path (hl)))
    return pt_make_error (err, 0, "layer `%s`: entry `%s` points outside the layer",
                          u->job->tar_path, path);
  archive_entry_set_pathname (e, path);
  const char *base = strrchr (path, '/');
  base = base ? base + 1 : path;
  if (through_symlink (u, path))
    return pt_make_error (err, 0, "layer `%s`: entry `%s` goes through a symbolic link",
                          u->job->tar_path, path);
  if (pt_str_has_prefix (base, WHITEOUT_PREFIX))
    return apply_whiteout (u->rootfd, path, err);
  if (hl)
    return make_hardlink (u, path, hl, true, err);
  if (check_owner (u, e, path, err) < 0)
    return -1;
  mode_t type = archive_entry_filetype (e);
  if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFSOCK)
    {
      /* Device nodes cannot be made rootless; /dev comes from podtool. */
      u->job->skipped_devices++;
      return 0;
    }
  /* A directory where an earlier entry left a symlink replaces the link,
     as Podman's untar does (libarchive would follow it; non-directories
     are unlinked by libarchive itself). */
  struct stat st;
  if (type == AE_IFDIR && fstatat (u->rootfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0
      && S_ISLNK (st.st_mode) && unlinkat (u->rootfd, path, 0) < 0)
    return pt_make_error (err, errno, "layer `%s`: replace the symlink `%s`", u->job->tar_path,
                          path);
  return write_entry (u, e, path, err);
}

static int
unpack_layer (struct pt_layer_job *job, int tar_fd, unsigned long uids, unsigned long gids,
              pt_error_t *err)
{
  struct hashed_stream hs = { 0 };
  cleanup_free struct raw_source *rs = xzalloc (sizeof *rs);
  rs->job = job;
  rs->fd = tar_fd;
  rs->left = job->length ? job->length : UINT64_MAX;
  rs->sha = pt_sha256_beside_new ();
  char raw_hex[65];
  struct unpack u = { .job = job, .rootfd = -1, .uids = uids, .gids = gids };
  struct archive_entry *e;
  int r, ret;

  u.rootfd = open ("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  /* A parent a layer does not list is made 0755, as containers/storage
     makes it, whatever the user's umask (entries keep their own modes). */
  umask (022);
  if ((ret = open_layer_stream (rs, job->tar_path, &hs, &u.in, err)) < 0)
    goto out;
  u.out = archive_write_disk_new ();
  archive_write_disk_set_options (
      u.out, ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME
                 | ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_UNLINK | ARCHIVE_EXTRACT_SECURE_NODOTDOT
                 | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS);
  while ((r = archive_read_next_header (u.in, &e)) == ARCHIVE_OK)
    if ((ret = unpack_entry (&u, e, err)) < 0)
      goto out;
  if (r != ARCHIVE_EOF)
    {
      ret = pt_make_error (err, 0, "layer `%s`: %s", job->tar_path, archive_error_string (u.in));
      goto out;
    }
  for (size_t i = 0; i < u.n_links; i++)
    if ((ret = make_hardlink (&u, u.links[i].path, u.links[i].target, false, err)) < 0)
      goto out;
  /* Hash what follows the end-of-archive blocks too: the digest is of the whole stream. */
  {
    const void *buf;
    while (hashed_read (u.in, &hs, &buf) > 0)
      ;
    stop_ahead (&hs);
    /* and what follows the compressed stream, for the blob's digest */
    while (raw_read (u.in, rs, &buf) > 0)
      ;
  }
  if (job->length && rs->left)
    {
      ret = pt_make_error (err, 0, "layer `%s`: ends %llu bytes early", job->tar_path,
                           (unsigned long long)rs->left);
      goto out;
    }
  pt_sha256_beside_final_hex (rs->sha, raw_hex);
  rs->sha = NULL;
  if (job->hash_blob)
    memcpy (job->blob_sha, raw_hex, sizeof raw_hex);
  if (hs.plain)
    memcpy (job->diff_id, raw_hex, sizeof raw_hex);
  else
    pt_sha256_final_hex (&hs.sha, job->diff_id);
  job->size = hs.bytes;
out:
  stop_ahead (&hs);
  if (rs->sha)
    pt_sha256_beside_final_hex (rs->sha, raw_hex);
  for (size_t i = 0; i < u.n_links; i++)
    {
      free (u.links[i].path);
      free (u.links[i].target);
    }
  free (u.links);
  free (u.checked_parent);
  if (u.out)
    archive_write_free (u.out);
  if (u.in)
    archive_read_free (u.in);
  if (hs.raw)
    archive_read_free (hs.raw);
  if (u.rootfd >= 0)
    close (u.rootfd);
  return ret;
}

/* The worker: open the tar, shut itself in the destination, unpack. */
static void __attribute__ ((noreturn)) layer_worker (struct pt_layer_job *job)
{
  pt_error_t err = NULL;
  /* Killed with the load that asked for us, never left writing alone. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  int fd = job->from_fd ? job->fd : open (job->tar_path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0 && job->length && lseek (fd, (off_t)job->offset, SEEK_SET) < 0)
    fd = -1;
  /* Read before the chroot shuts /proc out. */
  unsigned long uids = mapped_ids ("/proc/self/uid_map"), gids = mapped_ids ("/proc/self/gid_map");
  if (fd < 0)
    pt_make_error (&err, errno, "open layer `%s`", job->tar_path);
  else if (mkdir (job->dest, 0755) < 0)
    pt_make_error (&err, errno, "mkdir `%s`", job->dest);
  else if (chroot (job->dest) < 0 || chdir ("/") < 0)
    pt_make_error (&err, errno, "chroot `%s`", job->dest);
  else
    unpack_layer (job, fd, uids, gids, &err);
  if (err)
    {
      /* A download goes on to its end, so its digest is checked: a
         blob that is not what it says is the error to report. */
      char buf[1 << 16];
      while (job->from_fd && fd >= 0 && (read (fd, buf, sizeof buf) > 0 || errno == EINTR))
        ;
      job->err_status = err->status;
      snprintf (job->err_msg, sizeof job->err_msg, "%s", err->msg);
      _exit (1);
    }
  _exit (0);
}

static int
reap_worker (struct pt_layer_job *jobs, pid_t *pids, int n, pt_error_t *err)
{
  int status;
  pid_t pid;
  while ((pid = wait (&status)) < 0 && errno == EINTR)
    ;
  if (pid < 0)
    return pt_make_error (err, errno, "wait for a layer worker");
  for (int i = 0; i < n; i++)
    if (pids[i] == pid)
      {
        pids[i] = 0;
        if (jobs[i].err_msg[0])
          return pt_make_error (err, jobs[i].err_status, "%s", jobs[i].err_msg);
        if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
          return WIFSIGNALED (status)
                     ? pt_make_error (err, 0, "layer `%s`: the worker died of signal %d",
                                      jobs[i].tar_path, WTERMSIG (status))
                     : pt_make_error (err, 0, "layer `%s`: the worker died (exit status %d)",
                                      jobs[i].tar_path, WEXITSTATUS (status));
        return 0;
      }
  return 0;
}

int
pt_layer_extract_all (struct pt_layer_job *jobs, int n, pt_error_t *err)
{
  long cores = sysconf (_SC_NPROCESSORS_ONLN);
  int max = cores > 1 ? (int)cores : 1, running = 0, ret = 0;
  for (int i = 0; i < n; i++)
    if (jobs[i].from_fd)
      max = n; /* a stream's writer does not wait for a free core */
  cleanup_free pid_t *pids = xzalloc ((n + 1) * sizeof *pids);
  umask (0);
  for (int i = 0; i < n && ret == 0; i++)
    {
      if (running == max)
        {
          ret = reap_worker (jobs, pids, n, err);
          running--;
          if (ret < 0)
            break;
        }
      pids[i] = fork ();
      if (pids[i] < 0)
        {
          pids[i] = 0;
          ret = pt_make_error (err, errno, "fork a layer worker");
          break;
        }
      if (pids[i] == 0)
        layer_worker (&jobs[i]);
      running++;
    }
  pt_error_t tmp = NULL;
  while (running-- > 0)
    if (reap_worker (jobs, pids, n, ret < 0 ? &tmp : err) < 0 && ret == 0)
      ret = -1;
  pt_error_release (&tmp);
  return ret;
}

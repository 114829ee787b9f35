/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container's root: paths resolved inside it, the user's mounts
   (volumes, copy-up, :O, tmpfs volumes) and the masked paths. */
#include <config.h>
#include "linux-child.h"
#include "linux.h"
#include "caps.h"
#include "util.h"
#include "vfs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

/* Podman's defaults. */
static const char *const masked_paths[]
    = { "proc/acpi",       "proc/kcore",       "proc/keys",        "proc/latency_stats",
        "proc/timer_list", "proc/timer_stats", "proc/sched_debug", "proc/scsi",
        "sys/firmware",    "sys/fs/selinux",   "sys/dev/block" };
static const char *const readonly_paths[]
    = { "proc/asound", "proc/bus", "proc/fs", "proc/irq", "proc/sys", "proc/sysrq-trigger" };

int
pt_openat2_in_root (int rootfd, const char *rel, int flags)
{
  struct open_how how
      = { .flags = flags | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  /* With ".." in the path the kernel answers EAGAIN when a rename or a
     mount anywhere raced the walk: that is a retry, not an error. */
  for (int tries = 0;; tries++)
    {
      int fd = syscall (SYS_openat2, rootfd, rel, &how, sizeof how);
      if (fd >= 0 || errno != EAGAIN || tries == 1000)
        return fd;
    }
}

/* An O_PATH fd for rel inside the rootfs, created (as a dir or an empty file)
   when missing. Symlinks resolve inside the rootfs, never outside. */
int
pt_target_in_root (int rootfd, const char *rel, bool dir, pt_error_t *err)
{
  int fd = pt_openat2_in_root (rootfd, rel, O_PATH);
  if (fd >= 0 || errno != ENOENT)
    return fd >= 0 ? fd : pt_make_error (err, errno, "open `/%s` in the container", rel);
  const char *slash = strrchr (rel, '/');
  cleanup_free char *parent = slash ? xstrndup (rel, slash - rel) : xstrdup (".");
  cleanup_close int pfd = slash ? pt_target_in_root (rootfd, parent, true, err) : dup (rootfd);
  if (pfd < 0)
    return -1;
  cleanup_close int real = openat (pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  /* O_PATH fds cannot create: reopen the parent for real. */
  cleanup_free char *proc = xasprintf ("/proc/self/fd/%d", pfd);
  if (real < 0)
    real = open (proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const char *base = slash ? slash + 1 : rel;
  if (dir)
    {
      if (mkdirat (real, base, 0755) < 0 && errno != EEXIST)
        return pt_make_error (err, errno, "mkdir `/%s` in the container", rel);
    }
  else
    {
      int f = openat (real, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (f < 0)
        return pt_make_error (err, errno, "create `/%s` in the container", rel);
      close (f);
    }
  fd = pt_openat2_in_root (rootfd, rel, O_PATH);
  if (fd < 0)
    return pt_make_error (err, errno, "open `/%s` in the container", rel);
  return fd;
}

int
pt_mount_at (int rootfd, const char *rel, bool dir, const char *source, const char *type,
             unsigned long flags, const char *data, pt_error_t *err)
{
  cleanup_close int fd = pt_target_in_root (rootfd, rel, dir, err);
  if (fd < 0)
    return -1;
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  if (mount (source, path, type, flags, data) < 0)
    return pt_make_error (err, errno, "mount %s on `/%s`", type ? type : source, rel);
  return 0;
}

int
pt_remount_ro (const char *path, pt_error_t *err)
{
  return pt_remount_flags (path, MS_RDONLY, err);
}

/* A bind remounted with more flags (ro, noexec, nosuid, nodev), keeping the
   ones the kernel locked on it. */
int
pt_remount_flags (const char *path, unsigned long more, pt_error_t *err)
{
  struct statvfs sv;
  if (statvfs (path, &sv) < 0)
    return pt_make_error (err, errno, "statvfs `%s`", path);
  unsigned long keep = 0;
  if (sv.f_flag & ST_NOSUID)
    keep |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV)
    keep |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC)
    keep |= MS_NOEXEC;
  if (sv.f_flag & ST_RDONLY)
    keep |= MS_RDONLY;
  if (mount (NULL, path, NULL, MS_BIND | MS_REMOUNT | more | keep, NULL) < 0)
    return pt_make_error (err, errno, "remount `%s`%s", path,
                          more == MS_RDONLY ? " read-only" : " with its options");
  return 0;
}

/* --security-opt unmask=ALL|PATHS (and --privileged, which is ALL). */
static bool
unmasked (const struct pt_ctr_spec *spec, const char *rel)
{
  if (spec->privileged)
    return true;
  for (size_t i = 0; spec->unmasks && spec->unmasks[i]; i++)
    if (strcmp (spec->unmasks[i], "ALL") == 0 || strcmp (spec->unmasks[i] + 1, rel) == 0)
      return true;
  return false;
}

static int
mask_one (struct child *c, const char *rel, pt_error_t *err)
{
  cleanup_close int fd = pt_openat2_in_root (c->rootfd, rel, O_PATH);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0)
    return 0;
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  int r = S_ISDIR (st.st_mode) ? mount ("tmpfs", path, "tmpfs", MS_RDONLY, "size=0")
                               : mount ("/dev/null", path, NULL, MS_BIND, NULL);
  return r < 0 ? pt_make_error (err, errno, "mask `/%s`", rel) : 0;
}

int
pt_mask_paths (struct child *c, const char *merged, pt_error_t *err)
{
  for (size_t i = 0; c->spec->masks && c->spec->masks[i]; i++)
    if (mask_one (c, c->spec->masks[i] + 1, err) < 0)
      return -1;
  for (size_t i = 0; i < sizeof masked_paths / sizeof *masked_paths; i++)
    {
      if (!unmasked (c->spec, masked_paths[i]) && mask_one (c, masked_paths[i], err) < 0)
        return -1;
    }
  for (size_t i = 0; i < sizeof readonly_paths / sizeof *readonly_paths; i++)
    {
      if (unmasked (c->spec, readonly_paths[i]))
        continue;
      cleanup_free char *path = xasprintf ("%s/%s", merged, readonly_paths[i]);
      struct stat st;
      if (lstat (path, &st) < 0)
        continue;
      if (mount (path, path, NULL, MS_BIND | MS_REC, NULL) < 0 || pt_remount_ro (path, err) < 0)
        return (*err) ? -1 : pt_make_error (err, errno, "bind `/%s`", readonly_paths[i]);
    }
  return 0;
}

/* A volume's first mount: an empty _data gets a copy of what the image has
   at the mount point (owners, modes, links kept; the directory's own owner
   and mode too), as Podman's copy-up. The mark beside _data is claimed by
   unlinking it, so only one container ever copies. */
static int
copy_up (struct child *c, const struct pt_mount *m, pt_error_t *err)
{
  cleanup_free char *vol = xstrndup (m->source, strrchr (m->source, '/') - m->source);
  cleanup_free char *mark = xasprintf ("%s/needs-copyup", vol);
  if (m->nocopy || unlink (mark) < 0)
    return 0;
  /* The image's side, resolved inside the root: a symlink there cannot
     point the copy at a host path. */
  cleanup_close int src
      = pt_openat2_in_root (c->rootfd, m->destination + 1, O_RDONLY | O_DIRECTORY);
  cleanup_close int dst = open (m->source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st;
  if (src < 0 || dst < 0 || fstat (src, &st) < 0)
    return 0; /* nothing there to copy */
  cleanup_dir DIR *d = fdopendir (dup (dst));
  struct dirent *de;
  while (d && (de = readdir (d)))
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      return 0; /* it has files already: they stay */
  if (fchown (dst, st.st_uid, st.st_gid) < 0 || fchmod (dst, st.st_mode & 07777) < 0)
    return pt_make_error (err, errno, "set the owner of the volume `%s`", m->volume);
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", src);
  char *from[] = { path, NULL };
  return pt_vfs_copy_layers (from, m->source, err) < 0
             ? pt_error_wrap (err, "copy %s into the volume %s", m->destination, m->volume)
             : 0;
}

/* -v SRC:DST:O: an overlay with SRC below and an upper of the container's,
   made anew at each start, so SRC is never written and the changes go. */
static int
mount_overlay_volume (struct child *c, const struct pt_mount *m, pt_error_t *err)
{
  static int n;
  cleanup_free char *dir = xasprintf ("%s/overlay-%d", c->spec->dir, n++);
  cleanup_free char *upper = xasprintf ("%s/upper", dir), *work = xasprintf ("%s/work", dir);
  pt_error_t e = NULL;
  if (pt_rmtree_at (AT_FDCWD, dir, &e) < 0)
    pt_error_release (&e);
  if (pt_mkdir_p (upper, 0755, err) < 0 || pt_mkdir_p (work, 0700, err) < 0)
    return -1;
  cleanup_free char *opts
      = xasprintf ("lowerdir=%s,upperdir=%s,workdir=%s,userxattr", m->source, upper, work);
  cleanup_close int fd = pt_target_in_root (c->rootfd, m->destination + 1, true, err);
  if (fd < 0)
    return -1;
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  if (mount ("overlay", path, "overlay", m->readonly ? MS_RDONLY : 0, opts) < 0)
    return pt_make_error (err, errno, "mount an overlay over `%s` (:O)", m->source);
  return 0;
}

/* -v, --mount, --tmpfs: on top of everything else but the masked paths. */
int
pt_mount_user (struct child *c, const struct pt_mount *m, pt_error_t *err)
{
  const char *rel = m->destination + 1;
  if (strcmp (m->type, "tmpfs") == 0)
    {
      /* "exec" is ours, not the kernel's: it only drops noexec. */
      unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (m->readonly ? MS_RDONLY : 0);
      cleanup_free char *data = xstrdup (m->data ? m->data : "");
      char *exec = strstr (data, "exec");
      if (exec && (exec == data || exec[-1] == ',') && (exec[4] == '\0' || exec[4] == ','))
        {
          flags &= ~(unsigned long)MS_NOEXEC;
          memmove (exec, exec + 4 + (exec[4] == ','), strlen (exec + 4 + (exec[4] == ',')) + 1);
        }
      return pt_mount_at (c->rootfd, rel, true, "tmpfs", "tmpfs", flags, *data ? data : NULL, err);
    }
  if (m->tmpfs_opts)
    {
      /* size=, mode=, uid=, gid= and nr_inodes= are the tmpfs options that
         make sense; others are the kernel's to refuse. */
      unsigned long flags = MS_NOSUID | MS_NODEV | (m->readonly ? MS_RDONLY : 0);
      return pt_mount_at (c->rootfd, rel, true, "tmpfs", "tmpfs", flags,
                          *m->tmpfs_opts ? m->tmpfs_opts : NULL, err);
    }
  if (strcmp (m->type, "volume") == 0 && copy_up (c, m, err) < 0)
    return -1;
  if (m->overlay)
    return mount_overlay_volume (c, m, err);
  struct stat st;
  if (stat (m->source, &st) < 0)
    return pt_make_error (err, errno, "statfs %s", m->source);
  if (pt_mount_at (c->rootfd, rel, S_ISDIR (st.st_mode), m->source, NULL, MS_BIND | MS_REC, NULL,
                   err)
      < 0)
    return -1;
  /* -v ...:noexec,nosuid,nodev (their opposites are the default). */
  unsigned long flags = m->readonly ? MS_RDONLY : 0;
  const char *o = m->data ? m->data : "";
  flags |= strstr (o, "noexec") ? MS_NOEXEC : 0;
  flags |= strstr (o, "nosuid") ? MS_NOSUID : 0;
  flags |= strstr (o, "nodev") ? MS_NODEV : 0;
  if (flags == 0)
    return 0;
  cleanup_close int fd = pt_openat2_in_root (c->rootfd, rel, O_PATH);
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  return fd < 0 ? pt_make_error (err, errno, "open `/%s` in the container", rel)
                : pt_remount_flags (path, flags, err);
}

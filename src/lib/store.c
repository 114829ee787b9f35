/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "store.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>

static char *
default_root (void)
{
  const char *xdg = getenv ("XDG_DATA_HOME");
  if (xdg && *xdg)
    return xasprintf ("%s/podtool", xdg);
  const char *home = getenv ("HOME");
  return xasprintf ("%s/.local/share/podtool", home && *home ? home : "/");
}

char *
pt_user_cache_path (const char *name)
{
  cleanup_free char *root = default_root ();
  return xasprintf ("%s/cache/%s", root, name);
}

/* /tmp/podtool-run-UID must be ours and private: anyone could have made it first. */
static int
private_tmp_dir (const char *dir, pt_error_t *err)
{
  struct stat st;
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  if (lstat (dir, &st) < 0)
    return pt_make_error (err, errno, "stat `%s`", dir);
  if (!S_ISDIR (st.st_mode) || st.st_uid != getuid () || (st.st_mode & 077))
    return pt_make_error (err, 0,
                          "runtime directory `%s` is not a private directory owned by uid %d", dir,
                          (int)getuid ());
  return 0;
}

static int
default_runroot (char **out, pt_error_t *err)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  if (xdg && *xdg && access (xdg, W_OK) == 0)
    {
      *out = xasprintf ("%s/podtool", xdg);
      return 0;
    }
  cleanup_free char *dir = xasprintf ("/tmp/podtool-run-%d", (int)getuid ());
  int r = private_tmp_dir (dir, err);
  if (r < 0)
    return r;
  *out = xasprintf ("%s/podtool", dir);
  return 0;
}

static char *
absolute (const char *p)
{
  if (p[0] == '/')
    return xstrdup (p);
  cleanup_free char *cwd = getcwd (NULL, 0);
  return xasprintf ("%s/%s", cwd ? cwd : "", p);
}

int
pt_store_open (struct pt_store *s, const char *root, const char *runroot, pt_error_t *err)
{
  static const char *root_dirs[] = { "layers", "images", "containers", "tmp" };
  int r;
  memset (s, 0, sizeof *s);
  s->lock_fd = -1;
  s->root = root ? absolute (root) : default_root ();
  if (runroot)
    s->runroot = absolute (runroot);
  else if ((r = default_runroot (&s->runroot, err)) < 0)
    return r;
  if ((r = pt_mkdir_p (s->root, 0700, err)) < 0)
    return r;
  for (size_t i = 0; i < sizeof root_dirs / sizeof *root_dirs; i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", s->root, root_dirs[i]);
      if (mkdir (p, 0700) < 0 && errno != EEXIST)
        return pt_make_error (err, errno, "mkdir `%s`", p);
    }
  cleanup_free char *rc = xasprintf ("%s/containers", s->runroot);
  if ((r = pt_mkdir_p (rc, 0700, err)) < 0)
    return r;
  cleanup_free char *lock = xasprintf ("%s/lock", s->root);
  s->lock_fd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (s->lock_fd < 0)
    return pt_make_error (err, errno, "open `%s`", lock);
  return 0;
}

void
pt_store_close (struct pt_store *s)
{
  if (s->lock_fd >= 0)
    close (s->lock_fd);
  s->lock_fd = -1;
  free (s->root);
  free (s->runroot);
  s->root = s->runroot = NULL;
}

int
pt_store_lock (struct pt_store *s, pt_error_t *err)
{
  if (s->lock_depth++ > 0)
    return 0;
  while (flock (s->lock_fd, LOCK_EX) < 0)
    if (errno != EINTR)
      {
        s->lock_depth--;
        return pt_make_error (err, errno, "lock `%s/lock`", s->root);
      }
  return 0;
}

void
pt_store_unlock (struct pt_store *s)
{
  if (s->lock_depth > 0 && --s->lock_depth == 0)
    flock (s->lock_fd, LOCK_UN);
}

int
pt_store_lock_container (struct pt_store *s, const char *id, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_runpath (s, "locks");
  cleanup_free char *path = pt_store_runpath (s, "locks/%s", id);
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  while (flock (fd, LOCK_EX) < 0)
    if (errno != EINTR)
      {
        int e = errno;
        close (fd);
        return pt_make_error (err, e, "lock `%s`", path);
      }
  return fd;
}

void
pt_store_unlock_container (int fd)
{
  if (fd >= 0)
    close (fd);
}

static char *
vpath (const char *base, const char *fmt, va_list ap)
{
  char *rel;
  if (vasprintf (&rel, fmt, ap) < 0)
    pt_oom ();
  char *r = xasprintf ("%s/%s", base, rel);
  free (rel);
  return r;
}

char *
pt_store_path (struct pt_store *s, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *r = vpath (s->root, fmt, ap);
  va_end (ap);
  return r;
}

char *
pt_store_runpath (struct pt_store *s, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *r = vpath (s->runroot, fmt, ap);
  va_end (ap);
  return r;
}

char *
pt_store_mkdtemp (struct pt_store *s, const char *what, pt_error_t *err)
{
  char *t = xasprintf ("%s/tmp/%s-%d-XXXXXX", s->root, what, (int)getpid ());
  if (mkdtemp (t) == NULL)
    {
      pt_make_error (err, errno, "mkdtemp `%s`", t);
      free (t);
      return NULL;
    }
  return t;
}

bool
pt_store_is_stale_tmp (const char *name, const char *prefix)
{
  size_t n = strlen (prefix);
  if (strncmp (name, prefix, n) != 0)
    return false;
  char *end;
  long pid = strtol (name + n, &end, 10);
  if (end == name + n || *end != '-' || pid <= 0)
    return false;
  /* Its maker is gone (killed mid-way); a reused pid only delays the cleanup. */
  return !pt_pid_alive ((pid_t)pid);
}

bool
pt_store_is_stale_write (const char *name)
{
  const char *t = strstr (name, ".tmp-");
  if (t == NULL || t == name)
    return false;
  char *end;
  long pid = strtol (t + 5, &end, 10);
  return end != t + 5 && *end == '\0' && pid > 0 && !pt_pid_alive ((pid_t)pid);
}

bool
pt_store_sweep (const char *dir, bool (*stale) (const char *name))
{
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *de;
  bool any = false;
  while (d && (de = readdir (d)))
    if (stale (de->d_name))
      {
        pt_error_t tmp = NULL;
        any = true;
        if (pt_rmtree_at (dirfd (d), de->d_name, &tmp) < 0)
          pt_error_release (&tmp);
      }
  return any;
}

static bool
stale_staging (const char *name)
{
  /* load, import, pull (its blobs), save and push (their layer tars). */
  static const char *const kinds[] = { "load-", "import-", "pull-", "save-" };
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
    if (pt_store_is_stale_tmp (name, kinds[i]))
      return true;
  return false;
}

void
pt_store_clean_stale_tmp (struct pt_store *s)
{
  /* images/: index.json and configs written by a load cut short. */
  cleanup_free char *images = pt_store_path (s, "images");
  cleanup_free char *dir = pt_store_path (s, "tmp");
  pt_store_sweep (images, pt_store_is_stale_write);
  pt_store_sweep (dir, stale_staging);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "util.h"
#include <ctype.h>
#include <errno.h>
#include <sys/syscall.h>
#include <poll.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

void
pt_oom (void)
{
  static const char msg[] = "podtool: out of memory\n";
  (void)!write (2, msg, sizeof msg - 1);
  abort ();
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    pt_oom ();
  return p;
}

void *
xzalloc (size_t size)
{
  void *p = calloc (1, size ? size : 1);
  if (p == NULL)
    pt_oom ();
  return p;
}

void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size ? size : 1);
  if (p == NULL)
    pt_oom ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r = strdup (s);
  if (r == NULL)
    pt_oom ();
  return r;
}

char *
xstrndup (const char *s, size_t n)
{
  char *r = strndup (s, n);
  if (r == NULL)
    pt_oom ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  char *r;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&r, fmt, ap) < 0)
    pt_oom ();
  va_end (ap);
  return r;
}

void
pt_freep (void *p)
{
  int e = errno;
  free (*(void **)p);
  errno = e;
}

void
pt_closep (int *fd)
{
  int e = errno;
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
  errno = e;
}

void
pt_fclosep (FILE **f)
{
  int e = errno;
  if (*f)
    fclose (*f);
  errno = e;
}

void
pt_closedirp (DIR **d)
{
  int e = errno;
  if (*d)
    closedir (*d);
  errno = e;
}

void
pt_strv_freep (char ***v)
{
  int e = errno;
  pt_strv_free (*v);
  errno = e;
}

size_t
pt_strv_len (char *const *v)
{
  size_t n = 0;
  while (v && v[n])
    n++;
  return n;
}

char **
pt_strv_dup (char *const *v)
{
  size_t n = pt_strv_len (v);
  char **r = xmalloc ((n + 1) * sizeof *r);
  for (size_t i = 0; i < n; i++)
    r[i] = xstrdup (v[i]);
  r[n] = NULL;
  return r;
}

void
pt_strv_append (char ***v, const char *s)
{
  size_t n = pt_strv_len (*v);
  *v = xrealloc (*v, (n + 2) * sizeof **v);
  (*v)[n] = xstrdup (s);
  (*v)[n + 1] = NULL;
}

void
pt_strv_free (char **v)
{
  for (size_t i = 0; v && v[i]; i++)
    free (v[i]);
  free (v);
}

char *
pt_strv_join (char *const *v, const char *sep)
{
  size_t len = 1, slen = strlen (sep);
  for (size_t i = 0; v && v[i]; i++)
    len += strlen (v[i]) + slen;
  char *r = xmalloc (len), *p = r;
  for (size_t i = 0; v && v[i]; i++)
    {
      if (i)
        p = stpcpy (p, sep);
      p = stpcpy (p, v[i]);
    }
  *p = '\0';
  return r;
}

void
pt_env_set (char ***env, const char *kv)
{
  size_t klen = strcspn (kv, "=");
  for (size_t i = 0; (*env)[i]; i++)
    if (strncmp ((*env)[i], kv, klen) == 0 && (*env)[i][klen] == '=')
      {
        free ((*env)[i]);
        (*env)[i] = xstrdup (kv);
        return;
      }
  pt_strv_append (env, kv);
}

void
pt_env_unset (char **env, const char *name)
{
  size_t n = strlen (name), k = 0;
  for (size_t i = 0; env[i]; i++)
    if (strncmp (env[i], name, n) == 0 && env[i][n] == '=')
      free (env[i]);
    else
      env[k++] = env[i];
  env[k] = NULL;
}

bool
pt_is_hex64 (const char *s)
{
  if (strlen (s) != 64)
    return false;
  for (; *s; s++)
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
      return false;
  return true;
}

bool
pt_str_has_prefix (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

int
pt_parse_long (const char *s, long min, long max, long *out)
{
  char *end = NULL;
  errno = 0;
  long v = strtol (s, &end, 10);
  if (errno || end == s || *end != '\0' || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

int64_t
pt_parse_size (const char *s)
{
  char *end;
  errno = 0;
  double v = strtod (s, &end);
  if (errno || end == s || v < 0)
    return -1;
  static const char *const units = "bkmgt";
  int64_t mult = 1;
  if (*end)
    {
      const char *u = strchr (units, tolower ((unsigned char)*end));
      if (u == NULL)
        return -1;
      for (int i = 0; i < u - units; i++)
        mult *= 1024;
      end++;
      if (*end == 'b' || *end == 'B')
        end++;
      if (*end)
        return -1;
    }
  /* Past int64 (or nan, inf) the conversion would be undefined: refused. */
  double bytes = v * (double)mult;
  if (!(bytes >= 0 && bytes < 9.2e18))
    return -1;
  return (int64_t)bytes;
}

int
pt_parse_signal (const char *s)
{
  long n;
  if (s == NULL || *s == '\0')
    return -1;
  if (pt_parse_long (s, 1, 64, &n) == 0)
    return n;
  if (strncasecmp (s, "SIG", 3) == 0)
    s += 3;
  for (int i = 1; i < 65; i++)
    {
      const char *abbrev = sigabbrev_np (i);
      if (abbrev && strcasecmp (abbrev, s) == 0)
        return i;
    }
  return -1;
}

int
pt_read_file (int dirfd, const char *path, char **out, size_t *len, pt_error_t *err)
{
  cleanup_close int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  size_t cap = 4096, n = 0;
  cleanup_free char *buf = xmalloc (cap);
  for (;;)
    {
      if (n + 1 >= cap)
        buf = xrealloc (buf, cap *= 2);
      ssize_t r = read (fd, buf + n, cap - n - 1);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return pt_make_error (err, errno, "read `%s`", path);
      if (r == 0)
        break;
      n += r;
    }
  buf[n] = '\0';
  if (len)
    *len = n;
  *out = steal_pointer (&buf);
  return 0;
}

int
pt_pwrite_all (int fd, const void *buf, size_t len, off_t off)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t n = pwrite (fd, p, len, off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = ENOSPC;
          return -1;
        }
      p += n, off += n, len -= n;
    }
  return 0;
}

int
pt_write_all (int fd, const void *buf, size_t len)
{
  const char *p = buf;
  while (len > 0)
    {
      ssize_t w = write (fd, p, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return -1;
      p += w;
      len -= w;
    }
  return 0;
}

ssize_t
pt_read_all (int fd, void *buf, size_t len)
{
  size_t n = 0;
  while (n < len)
    {
      ssize_t r = read (fd, (char *)buf + n, len - n);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -1;
      if (r == 0)
        break;
      n += r;
    }
  return n;
}

int
pt_write_file_atomic (int dirfd, const char *path, const void *data, size_t len, mode_t mode,
                      int flags, pt_error_t *err)
{
  cleanup_free char *tmp = xasprintf ("%s.tmp-%d", path, getpid ());
  cleanup_close int fd = openat (dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0)
    return pt_make_error (err, errno, "create `%s`", tmp);
  if (pt_write_all (fd, data, len) < 0 || ((flags & PT_WRITE_DURABLE) && fsync (fd) < 0))
    {
      int e = errno;
      unlinkat (dirfd, tmp, 0);
      return pt_make_error (err, e, "write `%s`", tmp);
    }
  if (renameat (dirfd, tmp, dirfd, path) < 0)
    {
      int e = errno;
      unlinkat (dirfd, tmp, 0);
      return pt_make_error (err, e, "rename `%s`", tmp);
    }
  return 0;
}

int
pt_mkdir_p (const char *path, mode_t mode, pt_error_t *err)
{
  cleanup_free char *p = xstrdup (path);
  for (char *s = p + 1; *s; s++)
    {
      if (*s != '/')
        continue;
      *s = '\0';
      if (mkdir (p, mode) < 0 && errno != EEXIST)
        return pt_make_error (err, errno, "mkdir `%s`", p);
      *s = '/';
    }
  if (mkdir (p, mode) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", p);
  return 0;
}

static int
rmtree_children (int dfd, const char *name, pt_error_t *err)
{
  cleanup_dir DIR *d = fdopendir (dfd);
  if (d == NULL)
    {
      close (dfd);
      return pt_make_error (err, errno, "opendir `%s`", name);
    }
  struct dirent *de;
  while ((de = readdir (d)))
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      int r = pt_rmtree_at (dirfd (d), de->d_name, err);
      if (r < 0)
        return r;
    }
  return 0;
}

int
pt_rmtree_at (int dirfd, const char *name, pt_error_t *err)
{
  if (unlinkat (dirfd, name, 0) == 0 || errno == ENOENT)
    return 0;
  if (errno != EISDIR && errno != EPERM)
    return pt_make_error (err, errno, "remove `%s`", name);
  int dfd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0 && errno == EACCES)
    {
      /* overlay's work/work is mode 000: we own it, so open it up. */
      fchmodat (dirfd, name, 0700, 0);
      dfd = openat (dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
  if (dfd < 0)
    return pt_make_error (err, errno, "open `%s`", name);
  struct stat st;
  if (fstat (dfd, &st) == 0 && (st.st_mode & 0700) != 0700)
    fchmod (dfd, st.st_mode | 0700);
  int r = rmtree_children (dfd, name, err);
  if (r < 0)
    return r;
  if (unlinkat (dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return pt_make_error (err, errno, "remove `%s`", name);
  return 0;
}

char *
pt_read_small (const char *path)
{
  char *text = NULL;
  pt_error_t tmp = NULL;
  if (pt_read_file (AT_FDCWD, path, &text, NULL, &tmp) < 0)
    pt_error_release (&tmp);
  return text;
}

/* /proc/PID/stat's state (field 3) and start time (field 22); -1 if gone.
   comm may hold spaces and parentheses: fields start after the last ')'. */
static int
proc_stat (pid_t pid, char *state, unsigned long long *start)
{
  char path[64], buf[1024];
  snprintf (path, sizeof path, "/proc/%d/stat", (int)pid);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? pt_read_all (fd, buf, sizeof buf - 1) : -1;
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  char *p = strrchr (buf, ')');
  if (p == NULL || p[1] != ' ')
    return -1;
  *state = p[2];
  p++;
  for (int field = 3; field < 22 && p; field++)
    p = strchr (p + 1, ' ');
  *start = p ? strtoull (p + 1, NULL, 10) : 0;
  return 0;
}

unsigned long long
pt_pid_start_time (pid_t pid)
{
  char state;
  unsigned long long start;
  return proc_stat (pid, &state, &start) == 0 ? start : 0;
}

bool
pt_pid_alive (pid_t pid)
{
  if (kill (pid, 0) < 0 && errno == ESRCH)
    return false;
  /* A zombie is dead too, whoever has yet to reap it. */
  char state;
  unsigned long long start;
  return proc_stat (pid, &state, &start) < 0 || state != 'Z';
}

char *
pt_boot_id (void)
{
  char buf[64] = "";
  cleanup_close int fd = open ("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd >= 0 ? pt_read_all (fd, buf, sizeof buf - 1) : -1;
  if (n <= 0)
    return xstrdup ("");
  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return xstrdup (buf);
}

char *
pt_random_id (void)
{
  unsigned char raw[32];
  size_t got = 0;
  while (got < sizeof raw)
    {
      ssize_t r = getrandom (raw + got, sizeof raw - got, 0);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        pt_oom ();
      got += r;
    }
  char *hex = xmalloc (65);
  for (size_t i = 0; i < sizeof raw; i++)
    sprintf (hex + 2 * i, "%02x", raw[i]);
  return hex;
}

int64_t
pt_now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

char *
pt_format_time_ns (int64_t ns)
{
  time_t sec = ns / 1000000000;
  struct tm tm;
  char buf[64];
  gmtime_r (&sec, &tm);
  strftime (buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return xasprintf ("%s.%09lldZ", buf, (long long)(ns % 1000000000));
}

int64_t
pt_parse_time (const char *s)
{
  struct tm tm = { 0 };
  if (s == NULL)
    return 0;
  const char *p = strptime (s, "%Y-%m-%dT%H:%M:%S", &tm);
  if (p == NULL)
    return 0;
  int64_t ns = (int64_t)timegm (&tm) * 1000000000;
  if (*p == '.')
    {
      int64_t frac = 0, scale = 100000000;
      for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
        frac += (*p - '0') * scale;
      ns += frac;
    }
  if (*p == '+' || *p == '-')
    {
      int hh = 0, mm = 0;
      if (sscanf (p + 1, "%d:%d", &hh, &mm) >= 1)
        ns -= (*p == '+' ? 1 : -1) * ((int64_t)hh * 3600 + mm * 60) * 1000000000;
    }
  return ns;
}

char *
pt_human_duration (int64_t s)
{
  /* Mirrors go-units HumanDuration, which Podman prints. */
  if (s < 1)
    return xstrdup ("Less than a second");
  if (s == 1)
    return xstrdup ("1 second");
  if (s < 60)
    return xasprintf ("%lld seconds", (long long)s);
  int64_t m = s / 60, h = s / 3600;
  if (m == 1)
    return xstrdup ("About a minute");
  if (m < 60)
    return xasprintf ("%lld minutes", (long long)m);
  if (h == 1)
    return xstrdup ("About an hour");
  if (h < 48)
    return xasprintf ("%lld hours", (long long)h);
  if (h < 24 * 7 * 2)
    return xasprintf ("%lld days", (long long)(h / 24));
  if (h < 24 * 30 * 2)
    return xasprintf ("%lld weeks", (long long)(h / 24 / 7));
  if (h < 24 * 365 * 2)
    return xasprintf ("%lld months", (long long)(h / 24 / 30));
  return xasprintf ("%lld years", (long long)(h / 24 / 365));
}

char *
pt_human_size_precision (uint64_t bytes, int digits, const char *sep)
{
  static const char *units[] = { "B", "kB", "MB", "GB", "TB", "PB" };
  double v = bytes;
  int u = 0;
  while (v >= 1000 && u < 5)
    {
      v /= 1000;
      u++;
    }
  return xasprintf ("%.*g%s%s", digits, v, sep, units[u]);
}

char *
pt_human_size (uint64_t bytes)
{
  /* What podman images prints: go-units HumanSize, 3 significant digits. */
  return pt_human_size_precision (bytes, 3, " ");
}

bool
pt_pid_wait (pid_t pid, int timeout_ms)
{
  int fd = syscall (SYS_pidfd_open, pid, 0);
  if (fd < 0)
    return true;
  struct pollfd p = { .fd = fd, .events = POLLIN };
  int r;
  do
    r = poll (&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  close (fd);
  return r != 0;
}

int
pt_copy_symlink (int sdir, const char *sname, int ddir, const char *dname, pt_error_t *err)
{
  char target[4096];
  ssize_t n = readlinkat (sdir, sname, target, sizeof target - 1);
  if (n < 0)
    return pt_make_error (err, errno, "readlink `%s`", sname);
  target[n] = '\0';
  if (symlinkat (target, ddir, dname) < 0)
    return pt_make_error (err, errno, "symlink `%s`", dname);
  return 0;
}

char *
pt_user_containers_dir (void)
{
  const char *cfg = getenv ("XDG_CONFIG_HOME"), *home = getenv ("HOME");
  return cfg && *cfg ? xasprintf ("%s/containers", cfg)
                     : xasprintf ("%s/.config/containers", home ? home : "");
}

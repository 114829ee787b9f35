/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_UTIL_H
#define PT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <sys/types.h>
#include "error.h"

void pt_oom (void) __attribute__ ((noreturn));
void *xmalloc (size_t size);
void *xzalloc (size_t size);
void *xrealloc (void *p, size_t size);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Cleanup helpers keep errno as it was. */
void pt_freep (void *p);
void pt_closep (int *fd);
void pt_fclosep (FILE **f);
void pt_closedirp (DIR **d);
void pt_strv_freep (char ***v);

#define cleanup_free __attribute__ ((cleanup (pt_freep)))
#define cleanup_close __attribute__ ((cleanup (pt_closep)))
#define cleanup_file __attribute__ ((cleanup (pt_fclosep)))
#define cleanup_dir __attribute__ ((cleanup (pt_closedirp)))
#define cleanup_strv __attribute__ ((cleanup (pt_strv_freep)))

static inline void *
pt_steal_pointer (void *pp)
{
  void **p = pp;
  void *r = *p;
  *p = NULL;
  return r;
}
#define steal_pointer(pp) (0 ? (*(pp)) : (pt_steal_pointer)(pp))
static inline int
steal_fd (int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

/* NULL-terminated string vectors. */
size_t pt_strv_len (char *const *v);
char **pt_strv_dup (char *const *v);
void pt_strv_append (char ***v, const char *s);
void pt_strv_free (char **v);
char *pt_strv_join (char *const *v, const char *sep);

/* Sets KEY=VALUE in an environment, replacing an earlier KEY. */
void pt_env_set (char ***env, const char *kv);
/* Removes NAME=... from env, in place. */
void pt_env_unset (char **env, const char *name);
bool pt_str_has_prefix (const char *s, const char *prefix);
/* 64 lowercase hex digits: a sha256 as digests and ids write it. */
bool pt_is_hex64 (const char *s);
int pt_parse_long (const char *s, long min, long max, long *out);
/* "100", "10k", "1m", "2gb" (powers of 1024); -1 if not a size. */
int64_t pt_parse_size (const char *s);
/* "SIGTERM", "TERM", "term" or "15"; -1 if none of these. */
int pt_parse_signal (const char *s);

/* Files. */
int pt_read_file (int dirfd, const char *path, char **out, size_t *len, pt_error_t *err);
/* Write via a temporary name in the same directory and rename: readers see
   the old file or the new one, never half of one. PT_WRITE_DURABLE adds an
   fsync first, for what must survive a power cut (the image index); per-run
   container state skips it, as it costs milliseconds on every run. */
#define PT_WRITE_DURABLE 1
int pt_write_file_atomic (int dirfd, const char *path, const void *data, size_t len, mode_t mode,
                          int flags, pt_error_t *err);
int pt_mkdir_p (const char *path, mode_t mode, pt_error_t *err);
/* Remove a tree, never following symlinks; ENOENT is not an error. */
int pt_rmtree_at (int dirfd, const char *name, pt_error_t *err);
int pt_write_all (int fd, const void *buf, size_t len);
/* pwrite() all of buf at off: 0, or -1 with errno (ENOSPC for a write that
   makes no progress). */
int pt_pwrite_all (int fd, const void *buf, size_t len, off_t off);
/* Recreates the symlink sdir/sname as ddir/dname, the same target, never followed. */
int pt_copy_symlink (int sdir, const char *sname, int ddir, const char *dname, pt_error_t *err);
ssize_t pt_read_all (int fd, void *buf, size_t len);

/* Processes: start time in clock ticks (field 22 of /proc/PID/stat), 0 if gone. */
unsigned long long pt_pid_start_time (pid_t pid);
char *pt_boot_id (void);
/* A small file's text (/proc, /sys), or NULL. */
char *pt_read_small (const char *path);
/* Waits until pid ends (timeout_ms < 0: for ever) through a pidfd; false on
   timeout. */
bool pt_pid_wait (pid_t pid, int timeout_ms);
/* Does pid exist as a live (not zombie) process? */
bool pt_pid_alive (pid_t pid);
/* 64 hex characters from getrandom. */
char *pt_random_id (void);
/* Nanoseconds since the epoch. */
int64_t pt_now_ns (void);
/* RFC 3339 with nanoseconds, UTC. */
char *pt_format_time_ns (int64_t ns);
int64_t pt_parse_time (const char *rfc3339);
/* "3 minutes ago", "2.13 MB" as Podman prints them. */
char *pt_human_duration (int64_t seconds);
char *pt_human_size (uint64_t bytes);
/* The user's containers configuration: $XDG_CONFIG_HOME/containers, or
   $HOME/.config/containers (auth.json, registries.conf, certs.d). */
char *pt_user_containers_dir (void);
/* go-units HumanSizeWithPrecision: decimal units, digits significant digits. */
char *pt_human_size_precision (uint64_t bytes, int digits, const char *sep);

#endif

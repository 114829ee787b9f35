/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool cp: copies between the host and a running container. A child
   opens the host side first, then joins the container's user and mount
   namespaces (its root becomes the container's), and copies between the two
   with *at() calls: host paths never resolve in the container, container
   paths never on the host, and no symlink is ever followed on either side
   below the top. */
#include <config.h>
#include "copy.h"
#include "linux.h"
#include "userns.h"
#include "sync.h"
#include "sealed.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int copy_node (int sfd, const char *sname, int dfd, const char *dname, pt_error_t *err);

static int
copy_file (int sfd, const char *sname, int dfd, const char *dname, const struct stat *st,
           pt_error_t *err)
{
  cleanup_close int in = openat (sfd, sname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0)
    return pt_make_error (err, errno, "open `%s`", sname);
  cleanup_close int out = openat (dfd, dname, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                                  st->st_mode & 0777);
  if (out < 0)
    return pt_make_error (err, errno, "create `%s`", dname);
  char buf[65536];
  ssize_t n;
  while ((n = read (in, buf, sizeof buf)) > 0)
    if (pt_write_all (out, buf, n) < 0)
      return pt_make_error (err, errno, "write `%s`", dname);
  if (n < 0)
    return pt_make_error (err, errno, "read `%s`", sname);
  struct timespec times[2] = { st->st_atim, st->st_mtim };
  fchmod (out, st->st_mode & 07777 & ~(S_ISUID | S_ISGID));
  futimens (out, times);
  return 0;
}

static int
copy_dir (int sfd, const char *sname, int dfd, const char *dname, const struct stat *st,
          pt_error_t *err)
{
  if (mkdirat (dfd, dname, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dname);
  cleanup_close int from = openat (sfd, sname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_close int to = openat (dfd, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (from < 0 || to < 0)
    return pt_make_error (err, errno, "open the directory `%s`", from < 0 ? sname : dname);
  cleanup_dir DIR *d = fdopendir (dup (from));
  struct dirent *de;
  while (d && (de = readdir (d)))
    if (strcmp (de->d_name, ".") && strcmp (de->d_name, "..")
        && copy_node (from, de->d_name, to, de->d_name, err) < 0)
      return -1;
  /* "SRC/." fills DEST as it is. */
  if (strcmp (dname, ".") != 0)
    fchmod (to, st->st_mode & 07777 & ~(S_ISUID | S_ISGID));
  return 0;
}

static int
copy_node (int sfd, const char *sname, int dfd, const char *dname, pt_error_t *err)
{
  struct stat st;
  if (fstatat (sfd, sname, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return pt_make_error (err, errno, "stat `%s`", sname);
  if (S_ISDIR (st.st_mode))
    return copy_dir (sfd, sname, dfd, dname, &st, err);
  if (S_ISREG (st.st_mode))
    return copy_file (sfd, sname, dfd, dname, &st, err);
  if (S_ISLNK (st.st_mode))
    {
      unlinkat (dfd, dname, 0); /* a copy replaces what is there */
      return pt_copy_symlink (sfd, sname, dfd, dname, err);
    }
  return 0; /* devices, fifos and sockets are not copied */
}

/* Where a copy goes, as docker cp decides: into DEST when it is a
   directory (under SRC's name, or SRC's contents for "SRC/."), else as DEST. */
struct target
{
  int dirfd;  /* the directory the copy is made in */
  char *name; /* its name there; "." for the contents of SRC */
  bool dest_is_dir;
};

/* Opens the destination side (before or after joining, depending on the
   direction). */
static int
open_target (const char *dest, const char *src, struct target *t, pt_error_t *err)
{
  struct stat st;
  size_t len = strlen (dest), slen = strlen (src);
  bool contents = slen >= 2 && strcmp (src + slen - 2, "/.") == 0;
  t->dirfd = -1;
  if (stat (dest, &st) == 0 && S_ISDIR (st.st_mode))
    {
      t->dirfd = open (dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      cleanup_free char *s = xstrdup (src);
      t->name = xstrdup (contents ? "." : basename (s));
      t->dest_is_dir = true;
    }
  else if (dest[len - 1] == '/')
    return pt_make_error (err, ENOENT, "`%s`: no such directory", dest);
  else
    {
      cleanup_free char *d = xstrdup (dest), *b = xstrdup (dest);
      t->dirfd = open (dirname (d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      t->name = xstrdup (basename (b));
    }
  if (t->dirfd < 0)
    return pt_make_error (err, errno, "open the destination `%s`", dest);
  return 0;
}

/* How the copy gets into the container's root: join a running one's user
   and mount namespaces, or (already root in a user namespace with its maps)
   mount a stopped one's root and chroot into it. */
struct enter
{
  int pidfd;                      /* running: its process */
  const struct pt_ctr_spec *spec; /* stopped */
  bool out;                       /* a copy out of it */
};

static int
enter_root (const struct enter *e, pt_error_t *err)
{
  if (e->pidfd >= 0)
    {
      pt_undumpable ();
      uid_t me = getuid ();
      if (setns (e->pidfd, CLONE_NEWUSER | CLONE_NEWNS) < 0)
        return pt_make_error (err, errno, "join the container's namespaces");
      /* Out of a container whose map leaves the user out (nomap, auto):
         the user still, to write in the user's directory; its capabilities
         in the namespace read the container's files. */
      if (e->out && !pt_userns_self_maps (me))
        return 0;
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return pt_make_error (err, errno, "become root in the container");
      return 0;
    }
  cleanup_free char *merged = NULL;
  if (pt_linux_mount_root (e->spec, &merged, err) < 0)
    return -1;
  if (chroot (merged) < 0 || chdir ("/") < 0)
    return pt_make_error (err, errno, "enter the container's root `%s`", merged);
  return 0;
}

/* The source side: its parent directory and its name there. */
static int
open_source (const char *src, int *dirfd, char **name, pt_error_t *err)
{
  cleanup_free char *d = xstrdup (src), *b = xstrdup (src);
  size_t len = strlen (b);
  if (len >= 2 && strcmp (b + len - 2, "/.") == 0)
    {
      /* "DIR/." : DIR itself, whose contents go into the destination. */
      b[len - 2] = '\0';
      free (d);
      d = xstrdup (b);
    }
  struct stat st;
  if (stat (b, &st) < 0)
    return pt_make_error (err, errno, "`%s`", src);
  *dirfd = open (dirname (d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  *name = xstrdup (basename (b));
  if (*dirfd < 0)
    return pt_make_error (err, errno, "open `%s`", src);
  return 0;
}

/* The host side is opened first: once joined, host paths no longer resolve. */
static int
do_copy (const struct enter *e, const struct pt_copy *c, pt_error_t *err)
{
  int sdir = -1;
  cleanup_free char *sname = NULL;
  struct target t = { -1, NULL, false };
  umask (0);
  int r = c->into_container
              ? (open_source (c->src, &sdir, &sname, err) < 0 || enter_root (e, err) < 0
                 || open_target (c->dest, c->src, &t, err) < 0)
              : (open_target (c->dest, c->src, &t, err) < 0 || enter_root (e, err) < 0
                 || open_source (c->src, &sdir, &sname, err) < 0);
  if (r == 0)
    r = copy_node (sdir, sname, t.dirfd, t.name, err);
  free (t.name);
  return r ? -1 : 0;
}

int
pt_copy_run (pid_t pid, const struct pt_copy *c, pt_error_t *err)
{
  int sv[2];
  cleanup_close int pidfd = syscall (SYS_pidfd_open, pid, 0);
  if (pidfd < 0)
    return pt_make_error (err, errno, "open the container's process %d", (int)pid);
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return pt_make_error (err, errno, "socketpair");
  pid_t child = fork ();
  if (child < 0)
    return pt_make_error (err, errno, "fork");
  if (child == 0)
    {
      pt_error_t e = NULL;
      close (sv[0]);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (do_copy (&(struct enter){ .pidfd = pidfd, .out = !c->into_container }, c, &e) < 0)
        pt_sync_die (sv[1], e);
      _exit (0);
    }
  close (sv[1]);
  int r = pt_sync_recv_packet_error (sv[0], err) != 0 ? -1 : 0;
  close (sv[0]);
  int status;
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  if (r == 0 && !(WIFEXITED (status) && WEXITSTATUS (status) == 0))
    r = pt_make_error (err, 0, "the copy failed");
  return r;
}

struct stopped
{
  const struct pt_ctr_spec *spec;
  const struct pt_copy *copy;
};

static int
copy_stopped_in_userns (void *data, pt_error_t *err)
{
  const struct stopped *st = data;
  return do_copy (&(struct enter){ .pidfd = -1, .spec = st->spec }, st->copy, err);
}

int
pt_copy_stopped (const struct pt_idmap *m, const struct pt_ctr_spec *spec, const struct pt_copy *c,
                 pt_error_t *err)
{
  struct stopped st = { spec, c };
  /* In: in the container's own map, what is copied gets the owners it
     sees. Out: in the store's, where the user is root and can write its
     own directories (a --userns nomap or auto map has no user). */
  return pt_userns_run_mode (m, c->into_container ? spec->userns : NULL, copy_stopped_in_userns,
                             &st, err);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The child side of a container: runs after clone3 in the new namespaces. */
#include <config.h>
#include "linux.h"
#include "linux-child.h"
#include "caps.h"
#include "sync.h"
#include "util.h"
#include "exec-report.h"
#include "linux-net.h"
#include "proc-attrs.h"
#include "sealed.h"
#include "vfs.h"
#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

extern char **environ;


static const char *const host_devices[] = { "null", "zero", "full", "random", "urandom", "tty" };


static void __attribute__ ((noreturn)) fail (struct child *c, pt_error_t err)
{
  pt_sync_die (c->sync_fd, err);
}

/* The user's passwd (group) line (keep-id, --hostuser, a numeric --user the
   image does not name), unless the file has one for that id already (the
   third field). */
static int
add_entry (struct child *c, const char *rel, const char *line, pt_error_t *err)
{
  if (line == NULL || *line == '\0')
    return 0;
  const char *id = strchr (strchr (line, ':') + 1, ':') + 1;
  size_t idlen = strcspn (id, ":");
  /* Read first: opening for writing would copy the file up into the
     container's layer (a change in `container diff`) with nothing to add. */
  cleanup_close int rfd = pt_openat2_in_root (c->rootfd, rel, O_RDONLY);
  if (rfd < 0)
    return 0; /* no such file in the image: nothing to add to */
  cleanup_file FILE *f = fdopen (dup (rfd), "r");
  char buf[1024];
  bool last_nl = true;
  while (f && fgets (buf, sizeof buf, f))
    {
      last_nl = buf[strlen (buf) - 1] == '\n';
      char *p = strchr (buf, ':');
      p = p ? strchr (p + 1, ':') : NULL;
      if (p && strncmp (p + 1, id, idlen) == 0 && p[1 + idlen] == ':')
        return 0;
    }
  cleanup_close int fd = pt_openat2_in_root (c->rootfd, rel, O_WRONLY | O_APPEND);
  if (fd < 0 && errno == EROFS)
    return 0; /* --read-only: the image's file as it is */
  if (fd < 0)
    return pt_make_error (err, errno, "add the user to `/%s`", rel);
  cleanup_free char *text = xasprintf ("%s%s\n", last_nl ? "" : "\n", line);
  if (pt_write_all (fd, text, strlen (text)) < 0)
    return pt_make_error (err, errno, "add the user to `/%s`", rel);
  return 0;
}

/* A sysfs of our own needs a network namespace of our own; with the host's
   (--network host) the host's /sys, read-only, as crun does. */
static int
mount_sys (struct child *c, pt_error_t *err)
{
  pt_error_t tmp = NULL;
  if (pt_mount_at (c->rootfd, "sys", true, "sysfs", "sysfs", NOEXEC_FLAGS | MS_RDONLY, NULL, &tmp)
      == 0)
    return 0;
  if (c->spec->net.mode == PT_NET_SLIRP || c->spec->net.mode == PT_NET_NONE)
    {
      *err = tmp;
      return -1;
    }
  pt_error_release (&tmp);
  if (pt_mount_at (c->rootfd, "sys", true, "/sys", NULL, MS_BIND | MS_REC, NULL, err) < 0)
    return -1;
  cleanup_close int fd = pt_openat2_in_root (c->rootfd, "sys", O_PATH);
  char path[64];
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  return fd < 0 ? pt_make_error (err, errno, "open `/sys` in the container")
                : pt_remount_ro (path, err);
}

/* slirp networking: tap0 made here, in our network namespace, while the
   host's /dev/net/tun is still in reach; its fd goes to the monitor, which
   starts the net helper and says when it is ready (its ports bound). */
static int
make_tap (struct child *c, pt_error_t *err)
{
  int tap;
  char ok;
  if (pt_linux_net_tap (&c->spec->net, &tap, err) < 0)
    return -1;
  int r = pt_sync_send_fd (c->sync_fd, PT_SYNC_TAP, tap);
  close (tap);
  if (r < 0)
    return pt_make_error (err, errno, "send tap0 to the monitor");
  if (read (c->sync_fd, &ok, 1) != 1)
    _exit (1); /* the monitor reports why */
  return 0;
}

static int
mount_overlay (struct child *c, const char *merged, pt_error_t *err)
{
  const struct pt_ctr_spec *spec = c->spec;
  size_t n = pt_strv_len (spec->layers);
  if (n == 0)
    return pt_make_error (err, 0, "image has no layers");
  /* Relative lower dirs keep the option string short: they share one parent. */
  cleanup_free char *parent = xstrdup (spec->layers[0]);
  *strrchr (parent, '/') = '\0';
  if (chdir (parent) < 0)
    return pt_make_error (err, errno, "chdir `%s`", parent);
  size_t len = 256 + strlen (spec->dir) * 2;
  for (size_t i = 0; i < n; i++)
    len += strlen (spec->layers[i]) + 1;
  cleanup_free char *opts = xmalloc (len);
  char *p = stpcpy (opts, "lowerdir=");
  for (size_t i = n; i-- > 0;)
    {
      p = stpcpy (p, strrchr (spec->layers[i], '/') + 1);
      if (i)
        *p++ = ':';
    }
  sprintf (p, ",upperdir=%s/upper,workdir=%s/work,userxattr", spec->dir, spec->dir);
  if (strlen (opts) >= 4000)
    return pt_make_error (err, 0, "image has too many layers (%zu) for one overlay mount", n);
  if (mount ("overlay", merged, "overlay", 0, opts) < 0)
    return pt_make_error (err, errno, "mount the overlay root");
  return 0;
}

/* The plain-copy root: the layers copied once into upper/, bound on merged/. */
static int
mount_vfs (struct child *c, const char *merged, pt_error_t *err)
{
  const struct pt_ctr_spec *spec = c->spec;
  cleanup_free char *upper = xasprintf ("%s/upper", spec->dir);
  cleanup_free char *stamp = xasprintf ("%s/vfs.done", spec->dir);
  if (access (stamp, F_OK) < 0)
    {
      if (pt_vfs_copy_layers (spec->layers, upper, err) < 0)
        return -1;
      int fd = open (stamp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
      if (fd < 0)
        return pt_make_error (err, errno, "create `%s`", stamp);
      close (fd);
    }
  if (mount (upper, merged, NULL, MS_BIND | MS_REC, NULL) < 0)
    return pt_make_error (err, errno, "bind the root `%s`", upper);
  return 0;
}

/* overlay where the kernel allows it in a user namespace (Linux 5.11+), else
   a plain copy, as the user asked with --storage-driver or as the kernel
   leaves no other way. */
static int
mount_root (struct child *c, const char *merged, pt_error_t *err)
{
  cleanup_free char *stamp = xasprintf ("%s/vfs.done", c->spec->dir);
  if (strcmp (c->spec->storage, "vfs") == 0 || access (stamp, F_OK) == 0)
    return mount_vfs (c, merged, err);
  if (mount_overlay (c, merged, err) == 0)
    return 0;
  int e = (*err)->status;
  if (e != EINVAL && e != EPERM && e != ENODEV && e != EOPNOTSUPP)
    return -1;
  pt_error_release (err);
  return mount_vfs (c, merged, err);
}

static int
mount_dev (struct child *c, pt_error_t *err)
{
  int rfd = c->rootfd;
  if (pt_mount_at (rfd, "dev", true, "tmpfs", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME,
                "mode=755,size=65536k", err)
      < 0)
    return -1;
  for (size_t i = 0; i < sizeof host_devices / sizeof *host_devices; i++)
    {
      cleanup_free char *rel = xasprintf ("dev/%s", host_devices[i]);
      cleanup_free char *src = xasprintf ("/dev/%s", host_devices[i]);
      if (pt_mount_at (rfd, rel, false, src, NULL, MS_BIND, NULL, err) < 0)
        return -1;
    }
  /* gid 5 (tty) exists only with subordinate gids. */
  const char *pts_opts = "newinstance,ptmxmode=0666,mode=0620,gid=5";
  if (pt_mount_at (rfd, "dev/pts", true, "devpts", "devpts", MS_NOSUID | MS_NOEXEC, pts_opts, err) < 0)
    {
      pt_error_release (err);
      if (pt_mount_at (rfd, "dev/pts", true, "devpts", "devpts", MS_NOSUID | MS_NOEXEC,
                    "newinstance,ptmxmode=0666,mode=0620", err)
          < 0)
        return -1;
    }
  cleanup_free char *shm
      = c->spec->shm_size > 0
            ? xasprintf ("mode=1777,size=%lldk", (long long)(c->spec->shm_size + 1023) / 1024)
            : xstrdup ("mode=1777,size=64000k");
  /* --ipc host: the host's IPC namespace, whose shm and mqueue a user
     namespace cannot mount anew: the host's are bound. */
  bool host_ipc = pt_ns_mode_host (c->spec->ipc_mode);
  if (host_ipc
          ? pt_mount_at (rfd, "dev/shm", true, "/dev/shm", NULL, MS_BIND | MS_REC, NULL, err) < 0
                || (access ("/dev/mqueue", F_OK) == 0
                    && pt_mount_at (rfd, "dev/mqueue", true, "/dev/mqueue", NULL, MS_BIND | MS_REC,
                                 NULL, err)
                           < 0)
          : pt_mount_at (rfd, "dev/shm", true, "shm", "tmpfs", NOEXEC_FLAGS, shm, err) < 0
                || pt_mount_at (rfd, "dev/mqueue", true, "mqueue", "mqueue", NOEXEC_FLAGS, NULL, err)
                       < 0)
    return -1;
  cleanup_close int dev = pt_openat2_in_root (rfd, "dev", O_RDONLY | O_DIRECTORY);
  static const char *const links[][2] = { { "ptmx", "pts/ptmx" },
                                          { "fd", "/proc/self/fd" },
                                          { "stdin", "/proc/self/fd/0" },
                                          { "stdout", "/proc/self/fd/1" },
                                          { "stderr", "/proc/self/fd/2" } };
  for (size_t i = 0; i < sizeof links / sizeof *links; i++)
    if (symlinkat (links[i][1], dev, links[i][0]) < 0)
      return pt_make_error (err, errno, "symlink `/dev/%s`", links[i][0]);
  return 0;
}

int
pt_linux_mount_root (const struct pt_ctr_spec *spec, char **merged, pt_error_t *err)
{
  struct child c = { .spec = spec, .sync_fd = -1, .rootfd = -1, .exe_fd = -1 };
  cleanup_free char *path = xasprintf ("%s/merged", spec->dir);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return pt_make_error (err, errno, "make `/` private");
  if (mount_root (&c, path, err) < 0)
    return -1;
  *merged = steal_pointer (&path);
  return 0;
}

static int
build_rootfs (struct child *c, pt_error_t *err)
{
  const struct pt_ctr_spec *spec = c->spec;
  cleanup_free char *merged = xasprintf ("%s/merged", spec->dir);
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
    return pt_make_error (err, errno, "make `/` private");
  if (mount_root (c, merged, err) < 0)
    return -1;
  c->rootfd = open (merged, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (c->rootfd < 0)
    return pt_make_error (err, errno, "open `%s`", merged);
  if (add_entry (c, "etc/passwd", spec->passwd_entry, err) < 0
      || add_entry (c, "etc/group", spec->group_entry, err) < 0)
    return -1;
  for (char **u = spec->host_users; u && *u; u++)
    if (add_entry (c, "etc/passwd", *u, err) < 0)
      return -1;
  /* --pid host: a user namespace cannot mount the host's PID namespace's
     proc: the host's /proc is bound, as rootless Podman does. */
  if (pt_ns_mode_host (spec->pid_mode)
          ? pt_mount_at (c->rootfd, "proc", true, "/proc", NULL, MS_BIND | MS_REC, NULL, err) < 0
          : pt_mount_at (c->rootfd, "proc", true, "proc", "proc", NOEXEC_FLAGS, NULL, err) < 0)
    return -1;
  if (mount_sys (c, err) < 0)
    return -1;
  /* Its own cgroup, read-only as Podman mounts it for rootless containers
     (writable in systemd mode: systemd manages its subtree). */
  if (spec->cgroup
      && pt_mount_at (c->rootfd, "sys/fs/cgroup", true, "cgroup2", "cgroup2",
                   NOEXEC_FLAGS | (spec->systemd ? 0 : MS_RDONLY), NULL, err)
             < 0)
    return -1;
  if (mount_dev (c, err) < 0)
    return -1;
  static const char *const etc_files[] = { "hostname", "hosts", "resolv.conf" };
  for (size_t i = 0; i < 3; i++)
    {
      if (i == 1 && spec->net.no_hosts)
        continue; /* --no-hosts: the image's own */
      cleanup_free char *src = xasprintf ("%s/%s", spec->dir, etc_files[i]);
      cleanup_free char *rel = xasprintf ("etc/%s", etc_files[i]);
      if (pt_mount_at (c->rootfd, rel, false, src, NULL, MS_BIND, NULL, err) < 0)
        return -1;
    }
  /* --read-only: what programs must write to stays writable, as Podman's
     --read-only-tmpfs does. */
  static const char *const writable[] = { "tmp", "var/tmp", "run" };
  for (size_t i = 0;
       spec->read_only && !spec->read_only_no_tmpfs && i < sizeof writable / sizeof *writable; i++)
    if (pt_mount_at (c->rootfd, writable[i], true, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777",
                  err)
        < 0)
      return -1;
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (pt_mount_user (c, &spec->mounts[i], err) < 0)
      return -1;
  if (pt_mask_paths (c, merged, err) < 0)
    return -1;
  if (chdir (merged) < 0)
    return pt_make_error (err, errno, "chdir `%s`", merged);
  /* pivot_root(".", ".") stacks the old root on the new one; detach it. */
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    return pt_make_error (err, errno, "pivot_root");
  if (umount2 (".", MNT_DETACH) < 0)
    return pt_make_error (err, errno, "detach the old root");
  if (spec->read_only && pt_remount_ro ("/", err) < 0)
    return -1;
  if (chdir ("/") < 0)
    return pt_make_error (err, errno, "chdir `/`");
  return 0;
}

static int
loopback_up (pt_error_t *err)
{
  cleanup_close int s = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr = { 0 };
  strcpy (ifr.ifr_name, "lo");
  if (s < 0 || ioctl (s, SIOCGIFFLAGS, &ifr) < 0)
    return pt_make_error (err, errno, "read the flags of `lo`");
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl (s, SIOCSIFFLAGS, &ifr) < 0)
    return pt_make_error (err, errno, "bring `lo` up");
  return 0;
}

/* The last exec. With --init, the init (podtool-init, sealed) gets the
   sync socket: its child reports an exec failure over it as we would, and
   closes it on success. For exec, podtool-init as the exec stub does the
   execvp, so no process of the container ever runs a host file. */
static void __attribute__ ((noreturn)) exec_command (struct child *c, char **env)
{
  environ = env;
  if (c->exe_fd < 0)
    pt_exec_or_report (c->spec->argv, c->sync_fd);
  char fd[16];
  snprintf (fd, sizeof fd, "%d", c->sync_fd);
  char **argv = NULL;
  if (c->spec->infra)
    {
      /* A pod's infra: the init, pausing, is all there is. */
      char *pause[] = { (char *)PT_INIT_PATH, (char *)"--pause", fd, NULL };
      fcntl (c->sync_fd, F_SETFD, 0);
      pt_sealed_exec (c->exe_fd, pause, env);
      pt_error_t err = NULL;
      pt_make_error_code (&err, PT_EXIT_CANNOT_INVOKE, errno, "exec the sealed copy of podtool-init");
      fail (c, err);
    }
  pt_strv_append (&argv, c->spec->init ? PT_INIT_PATH : "podtool-exec");
  pt_strv_append (&argv, c->spec->init ? "--init" : PT_EXEC_STUB_ARG);
  pt_strv_append (&argv, fd);
  pt_strv_append (&argv, "--");
  for (size_t i = 0; c->spec->argv[i]; i++)
    pt_strv_append (&argv, c->spec->argv[i]);
  fcntl (c->sync_fd, F_SETFD, 0);
  pt_sealed_exec (c->exe_fd, argv, env);
  pt_error_t err = NULL;
  pt_make_error_code (&err, PT_EXIT_CANNOT_INVOKE, errno, "exec the sealed copy of podtool-init");
  fail (c, err);
}

static void become_and_exec (struct child *c) __attribute__ ((noreturn));
static int open_console (struct child *c, pt_error_t *err);

void
pt_linux_container_child (const struct pt_ctr_spec *spec, int sync_fd, int init_fd)
{
  struct child c = { .spec = spec, .sync_fd = sync_fd, .rootfd = -1, .exe_fd = init_fd };
  pt_error_t err = NULL;
  char go;
  /* Wait until the monitor has written our uid/gid maps (newuidmap needs
     us dumpable until then: it checks who owns /proc/PID). */
  if (read (sync_fd, &go, 1) != 1)
    _exit (1);
  pt_undumpable ();
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
    {
      pt_make_error (&err, errno, "become root in the user namespace");
      fail (&c, err);
    }
  /* Born in its own cgroup: the namespace made now is rooted there. */
  if (spec->cgroup && unshare (CLONE_NEWCGROUP) < 0)
    {
      pt_make_error (&err, errno, "create the cgroup namespace");
      fail (&c, err);
    }
  /* --uts host: the host's name, which is not ours to set. */
  if (!pt_ns_mode_host (spec->uts_mode) && sethostname (spec->hostname, strlen (spec->hostname)) < 0)
    {
      pt_make_error (&err, errno, "sethostname");
      fail (&c, err);
    }
  /* A network namespace of its own (not the host's, not one joined). */
  bool own_net = spec->net.mode == PT_NET_SLIRP || spec->net.mode == PT_NET_NONE;
  if ((own_net && pt_linux_net_sysctls (&err) < 0) || pt_proc_sysctls (spec->sysctls, &err) < 0
      || (spec->net.mode == PT_NET_SLIRP && make_tap (&c, &err) < 0) || build_rootfs (&c, &err) < 0
      || (own_net && loopback_up (&err) < 0))
    fail (&c, err);
  if (spec->tty ? open_console (&c, &err) < 0 : setsid () < 0)
    {
      if (!err)
        pt_make_error (&err, errno, "setsid");
      fail (&c, err);
    }
  become_and_exec (&c);
}

/* -t: a terminal from the container's own devpts, so `tty` names it; the
   master goes to the monitor over the sync socket (crun's console socket). */
static int
open_console (struct child *c, pt_error_t *err)
{
  cleanup_close int master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || unlockpt (master) < 0)
    return pt_make_error (err, errno, "open the container's terminal");
  int slave = ioctl (master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0)
    return pt_make_error (err, errno, "open the container's terminal");
  if (setsid () < 0 || ioctl (slave, TIOCSCTTY, 0) < 0)
    return pt_make_error (err, errno, "make the terminal the container's");
  for (int i = 0; i < 3; i++)
    if (dup2 (slave, i) < 0)
      return pt_make_error (err, errno, "dup2");
  if (slave > 2)
    close (slave);
  if (pt_sync_send_fd (c->sync_fd, PT_SYNC_CONSOLE, master) < 0)
    return pt_make_error (err, errno, "send the terminal to the monitor");
  return 0;
}

/* --preserve-fds N: the fds from spec->preserve_fds_from on become 3..N+2
   (ascending: a destination below its source never overwrites a source not
   yet moved); our own fds there move above first. Returns N. */
static int
pass_fds (struct child *c)
{
  int n = c->spec->preserve_fds, from = c->spec->preserve_fds_from;
  if (n <= 0)
    return 0;
  if (c->sync_fd < 3 + n)
    c->sync_fd = fcntl (c->sync_fd, F_DUPFD_CLOEXEC, 3 + n);
  if (c->exe_fd >= 0 && c->exe_fd < 3 + n)
    c->exe_fd = fcntl (c->exe_fd, F_DUPFD_CLOEXEC, 3 + n);
  for (int i = 0; i < n; i++)
    if (from + i == 3 + i ? fcntl (3 + i, F_SETFD, 0) < 0 : dup2 (from + i, 3 + i) < 0)
      {
        pt_error_t err = NULL;
        pt_make_error (&err, errno, "pass file descriptor %d to the container", from + i);
        fail (c, err);
      }
  return n;
}

/* What container and exec processes share: the user from the image's
   files, HOME, the working directory, Podman's privileges, then exec. */
static void __attribute__ ((noreturn)) become_and_exec (struct child *c)
{
  const struct pt_ctr_spec *spec = c->spec;
  pt_error_t err = NULL;
  struct pt_child_user u;
  if (pt_resolve_user (spec->user, &u, &err) < 0 || pt_add_groups (spec, &u, &err) < 0)
    fail (c, err);
  char **env = pt_strv_dup (spec->env);
  if (!pt_env_has (env, "HOME"))
    {
      cleanup_free char *home = xasprintf ("HOME=%s", u.home);
      pt_strv_append (&env, home);
    }
  if (spec->argv == NULL || spec->argv[0] == NULL)
    {
      pt_make_error (&err, 0, "no command specified: the image has no Cmd or Entrypoint");
      fail (c, err);
    }
  if (pt_enter_workdir (spec, &err) < 0 || pt_proc_attrs (spec, &err) < 0
      || pt_chown_mounts (spec, &u, &err) < 0 || pt_drop_privileges (spec, &u, &err) < 0)
    fail (c, err);
  /* Nothing of the monitor's leaks into the container but stdio and the
     fds --preserve-fds passes. */
  int keep = pass_fds (c);
  syscall (SYS_close_range, 3 + keep, ~0U, CLOSE_RANGE_CLOEXEC);
  exec_command (c, env);
}

void
pt_linux_exec_child (const struct pt_ctr_spec *spec, int sync_fd, int stub_fd)
{
  struct child c = { .spec = spec, .sync_fd = sync_fd, .rootfd = -1, .exe_fd = stub_fd };
  pt_error_t err = NULL;
  /* setns() into the user namespace made us its owner's uid: root there. */
  if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
    {
      pt_make_error (&err, errno, "become root in the container's user namespace");
      fail (&c, err);
    }
  if (spec->tty ? open_console (&c, &err) < 0 : setsid () < 0)
    {
      if (!err)
        pt_make_error (&err, errno, "setsid");
      fail (&c, err);
    }
  become_and_exec (&c);
}

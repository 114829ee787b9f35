/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conmon: the per-container monitor. Started by podtool (double-forked,
   setsid), it clones the container into its namespaces, writes the maps,
   reports the pid or the child's error, then sits in one epoll loop: the
   container's output goes to the k8s-file log and to the attached client;
   when the container exits it records the exit code and leaves. */
#include <config.h>
#include "monitor-state.h"
#include "lib/attach.h"
#include "lib/cgroup.h"
#include "lib/container.h"
#include "lib/events.h"
#include "lib/proc-attrs.h"
#include "lib/linux.h"
#include "lib/log.h"
#include "lib/monitor.h"
#include "lib/sealed.h"
#include "lib/health.h"
#include "lib/store.h"
#include "lib/sync.h"
#include "lib/userns.h"
#include "lib/util.h"
#include "lib/userns-reach.h"
#include "lib/vfs.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/un.h>
#include <termios.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

struct options
{
  const char *root, *runroot, *cid;
  const char *self; /* argv[0]: where the monitor's binary is */
  int sync_fd, attach_fd;
  int preserve_fds;    /* fds 5..N+4 go to the container as 3.. */
  const char *podtool; /* the podtool that started us: it runs the healthchecks */
};

static int
parse_options (int argc, char **argv, struct options *o, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "root", required_argument, NULL, 'r' },      { "runroot", required_argument, NULL, 'R' },
    { "cid", required_argument, NULL, 'c' },       { "sync-fd", required_argument, NULL, 's' },
    { "attach-fd", required_argument, NULL, 'a' }, { "preserve-fds", required_argument, NULL, 'p' },
    { "podtool", required_argument, NULL, 'P' },   { NULL, 0, NULL, 0 },
  };
  int c;
  long v;
  *o = (struct options){ .sync_fd = -1, .attach_fd = -1, .self = argv[0] };
  while ((c = getopt_long (argc, argv, "", longopts, NULL)) != -1)
    switch (c)
      {
      case 'r': o->root = optarg; break;
      case 'R': o->runroot = optarg; break;
      case 'c': o->cid = optarg; break;
      case 'P': o->podtool = optarg; break;
      case 's':
      case 'a':
        if (pt_parse_long (optarg, 0, 1 << 20, &v) < 0)
          return pt_make_error (err, 0, "invalid fd `%s`", optarg);
        *(c == 's' ? &o->sync_fd : &o->attach_fd) = v;
        break;
      case 'p':
        if (pt_parse_long (optarg, 0, 1 << 16, &v) < 0)
          return pt_make_error (err, 0, "invalid --preserve-fds `%s`", optarg);
        o->preserve_fds = v;
        break;
      default:
        return pt_make_error (
            err, 0,
            "usage: conmon --root DIR --runroot DIR --cid ID --sync-fd N [--attach-fd N] "
            "[--preserve-fds N]");
      }
  if (!o->root || !o->runroot || !o->cid || o->sync_fd < 0)
    return pt_make_error (err, 0, "conmon: --root, --runroot, --cid and --sync-fd are required");
  return 0;
}

static void
report_error (struct monitor *m, pt_error_t e)
{
  char tag = PT_SYNC_ERROR;
  if (m->sync_fd < 0)
    return;
  (void)pt_write_all (m->sync_fd, &tag, 1);
  pt_sync_send_error (m->sync_fd, e);
  close (m->sync_fd);
  m->sync_fd = -1;
}

/* With a cgroup of its own the child is born in it (CLONE_INTO_CGROUP);
   it makes its cgroup namespace itself, as one made by clone3 would be
   rooted at our cgroup, not its own. */
static pid_t
clone_container (int *pidfd, int cgroup_fd, uint64_t drop)
{
  struct clone_args args = { .flags = (PT_CONTAINER_NS_FLAGS & ~drop) | CLONE_PIDFD,
                             .pidfd = (uint64_t)(uintptr_t)pidfd,
                             .exit_signal = SIGCHLD };
  if (cgroup_fd >= 0)
    {
      args.flags = (args.flags & ~(uint64_t)CLONE_NEWCGROUP) | CLONE_INTO_CGROUP;
      args.cgroup = cgroup_fd;
    }
  return syscall (SYS_clone3, &args, sizeof args);
}

/* The container's own cgroup, where there is one to have: its fd for the
   clone, or -1 without. */
static int
make_cgroup (struct monitor *m, pt_error_t *err)
{
  cleanup_free char *parent = NULL;
  if (pt_cgroup_choose_parent (m->spec.cgroups_disabled, m->spec.cgroup_parent, &m->spec.limits,
                               &parent, err)
      < 0)
    return -2;
  if (parent == NULL)
    return -1;
  if (pt_cgroup_create (parent, m->spec.id, &m->spec.limits, &m->spec.cgroup, err) < 0)
    return -2;
  int fd = open (m->spec.cgroup, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return pt_make_error (err, errno, "open the cgroup `%s`", m->spec.cgroup), -2;
  return fd;
}

/* Spawn the container and wait until it has exec'd or failed. */
/* The container's stdio, as its three fds, and our ends. */
struct stdio
{
  int child[3];
};

static int
open_stdio (struct monitor *m, struct stdio *io, pt_error_t *err)
{
  if (m->spec.tty)
    {
      /* The child opens its terminal in its own devpts and sends the master. */
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      io->child[0] = io->child[1] = io->child[2] = null;
      return null < 0 ? pt_make_error (err, errno, "open `/dev/null`") : 0;
    }
  int out[2], errp[2], in[2] = { -1, -1 };
  if (pipe2 (out, O_CLOEXEC) < 0 || pipe2 (errp, O_CLOEXEC) < 0
      || (m->spec.interactive && pipe2 (in, O_CLOEXEC) < 0))
    return pt_make_error (err, errno, "create the container's pipes");
  io->child[0] = m->spec.interactive ? in[0] : open ("/dev/null", O_RDONLY | O_CLOEXEC);
  io->child[1] = out[1];
  io->child[2] = errp[1];
  m->out_fd = out[0];
  m->err_fd = errp[0];
  m->in_fd = in[1];
  return 0;
}

static void __attribute__ ((noreturn))
container_child (struct monitor *m, struct stdio *io, int sync_fd)
{
  for (int i = 0; i < 3; i++)
    if (dup2 (io->child[i], i) < 0)
      _exit (1);
  /* A restart clones from a monitor whose signals are blocked. */
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  pt_linux_container_child (&m->spec, sync_fd, m->stub_fd);
}

static int
start_container (struct monitor *m, pt_error_t *err)
{
  struct stdio io = { { -1, -1, -1 } };
  int sv[2];
  if (open_stdio (m, &io, err) < 0)
    return -1;
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return pt_make_error (err, errno, "socketpair");
  cleanup_close int cgroup_fd = make_cgroup (m, err);
  if (cgroup_fd == -2)
    return -1;
  /* A restart is in the joined namespaces already. */
  int also = (pt_ns_mode_joined (m->spec.ipc_mode) ? CLONE_NEWIPC : 0)
             | (pt_ns_mode_joined (m->spec.uts_mode) ? CLONE_NEWUTS : 0)
             | (pt_ns_mode_joined (m->spec.pid_mode) ? CLONE_NEWPID : 0);
  if (!m->joined && m->spec.net.mode == PT_NET_CONTAINER
      && pt_mon_net_join (&m->store, m->spec.net.target, also, err) < 0)
    return -1;
  if (!m->joined && m->spec.net.mode == PT_NET_NS
      && pt_mon_net_join_ns (m->spec.net.target, err) < 0)
    return -1;
  /* --network host keeps the host's network; container:X (ns:PATH) has
     joined X's (PATH's) user and network namespaces already, and its maps. */
  bool joined = m->spec.net.mode == PT_NET_CONTAINER || m->spec.net.mode == PT_NET_NS;
  m->joined = joined;
  uint64_t drop = m->spec.net.mode == PT_NET_HOST ? CLONE_NEWNET
                  : joined                        ? (CLONE_NEWNET | CLONE_NEWUSER)
                                                  : 0;
  /* --userns: the root, copied and chowned to the mode's map, first, and
     the way to it open to a root that is not the user. */
  if (!joined
      && (pt_vfs_prepare_mapped_root (&m->idmap, m->spec.userns, m->spec.layers, m->spec.dir, err)
              < 0
          || pt_userns_reach (&m->idmap, &m->spec, err) < 0))
    return -1;
  m->pid = clone_container (&m->pidfd, cgroup_fd, drop | pt_ctr_host_ns (&m->spec));
  if (m->pid < 0)
    return pt_userns_error (err, errno, "clone the container's namespaces");
  if (m->pid == 0)
    {
      close (sv[0]);
      container_child (m, &io, sv[1]);
    }
  close (sv[1]);
  /* The child has its copy: ours would keep the memfd's pages alive. */
  close (m->stub_fd);
  m->stub_fd = -1;
  for (int i = 0; i < 3; i++)
    if (io.child[i] >= 0 && (i == 0 || io.child[i] != io.child[i - 1]))
      close (io.child[i]);
  cleanup_close int fd = sv[0];
  int r = joined ? 0 : pt_userns_map_pid_mode (&m->idmap, m->spec.userns, m->pid, err);
  if (r == 0)
    r = pt_proc_oom_score_adj (m->pid, m->spec.oom_score_adj, err);
  if (r < 0)
    {
      /* Perhaps a stale cache: podtool asks libsubid afresh next time. */
      unlink (m->idmap_cache);
      kill (m->pid, SIGKILL);
      return -1;
    }
  /* The net helper joins these: once told to go, the child is no longer
     dumpable and its /proc/PID/ns are closed to us. */
  if (m->spec.net.mode == PT_NET_SLIRP)
    {
      char p[64];
      snprintf (p, sizeof p, "/proc/%d/ns/user", (int)m->pid);
      m->net.ns_user = open (p, O_RDONLY | O_CLOEXEC);
      snprintf (p, sizeof p, "/proc/%d/ns/net", (int)m->pid);
      m->net.ns_net = open (p, O_RDONLY | O_CLOEXEC);
      if (m->net.ns_user < 0 || m->net.ns_net < 0)
        {
          kill (m->pid, SIGKILL);
          return pt_make_error (err, errno, "open the container's namespaces");
        }
    }
  if (write (fd, "g", 1) != 1)
    return pt_make_error (err, errno, "start the container");
  char buf[4200];
  ssize_t n;
  for (;;)
    {
      int passed = -1;
      n = pt_sync_recv_fd (fd, buf, sizeof buf, &passed);
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 1 && buf[0] == PT_SYNC_CONSOLE && passed >= 0)
        {
          m->tty_fd = m->out_fd = m->in_fd = passed;
          continue;
        }
      if (n == 1 && buf[0] == PT_SYNC_TAP && passed >= 0)
        {
          int up = pt_mon_net_start (&m->net, &m->spec.net, m->self, passed, err);
          close (passed);
          if (up < 0 || write (fd, "n", 1) != 1)
            {
              kill (m->pid, SIGKILL);
              return up < 0 ? -1 : pt_make_error (err, errno, "start the container");
            }
          continue;
        }
      if (passed >= 0)
        close (passed);
      break;
    }
  if (n > 0)
    return pt_sync_parse_error (buf, n, err), -1;
  if (n < 0)
    return pt_make_error (err, errno, "read the container's sync socket");
  return 0; /* EOF: the exec closed the socket */
}

static int
setup_signals (struct monitor *m, pt_error_t *err)
{
  sigset_t set;
  sigemptyset (&set);
  sigaddset (&set, SIGCHLD);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGHUP);
  if (sigprocmask (SIG_BLOCK, &set, NULL) < 0)
    return pt_make_error (err, errno, "sigprocmask");
  m->sigfd = signalfd (-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (m->sigfd < 0)
    return pt_make_error (err, errno, "signalfd");
  return 0;
}

static void
write_pidfile (const char *path, pid_t pid)
{
  if (path == NULL || *path == '\0')
    return;
  char text[32];
  int n = snprintf (text, sizeof text, "%d", (int)pid);
  pt_error_t e = NULL;
  if (pt_write_file_atomic (AT_FDCWD, path, text, n, 0644, 0, &e) < 0)
    {
      cleanup_free char *msg = pt_error_string (e);
      fprintf (stderr, "conmon: %s\n", msg);
      pt_error_release (&e);
    }
}

/* --restart: whether this exit starts the container again. A stop or rm
   of podtool's leaves its mark first (lib/container.h), so a container
   that was stopped stays stopped, as Podman's StoppedByUser. */
static bool
should_restart (struct monitor *m, int code, int restarts)
{
  const char *p = m->spec.restart_policy;
  if (p == NULL || *p == '\0' || strcmp (p, "no") == 0
      || pt_ctr_stop_requested (&m->store, m->spec.id))
    return false;
  if (strcmp (p, "on-failure") == 0)
    return code != 0 && (m->spec.restart_max <= 0 || restarts < m->spec.restart_max);
  return true; /* always, unless-stopped */
}

/* One run of the container: started, watched until it exits, its exit
   recorded. The first answers podtool over the sync socket. */
static int
run_once (struct monitor *m, struct options *o, int restarts, int *code, pt_error_t *err)
{
  /* The container's first exec goes through a sealed copy of podtool-init
     (its PID 1 with --init, else the exec stub, gone once the command
     runs): the monitor's own binary, on disk, is never what the container
     runs, even through a #!/proc/self/exe line (see sealed.h). */
  cleanup_free char *init = pt_init_path_near (o->self);
  if ((m->stub_fd = pt_sealed_copy (init, err)) < 0)
    return -1;
  /* Signals are blocked only after the first clone: the container must not
     inherit the mask (the child clears it itself on later runs). */
  if (start_container (m, err) < 0)
    return -1;
  if (restarts)
    {
      /* The last run's exit record goes: this one is running. */
      cleanup_free char *ex = pt_store_path (&m->store, "containers/%s/exit.json", o->cid);
      unlink (ex);
    }
  if (pt_ctr_write_running (&m->store, o->cid, m->pid, getpid (), m->spec.cgroup, restarts, err) < 0
      || (m->listen_fd < 0 && mon_listen_attach (m, err) < 0))
    {
      kill (m->pid, SIGKILL);
      return -1;
    }
  if (m->sync_fd >= 0)
    {
      char msg[32];
      int len = snprintf (msg, sizeof msg, "%c%d", PT_SYNC_PID, (int)m->pid);
      (void)pt_write_all (m->sync_fd, msg, len);
      close (m->sync_fd);
      m->sync_fd = -1;
    }
  /* --pidfile, --conmon-pidfile: at each start, as Podman writes them. */
  write_pidfile (m->spec.pidfile, m->pid);
  write_pidfile (m->spec.conmon_pidfile, getpid ());
  /* Once podtool has its answer: the event is not on the start's path. */
  pt_event (&m->store, "container", restarts ? "restart" : "start", o->cid, m->spec.name,
            m->spec.image, NULL);
  if (m->sigfd < 0 && setup_signals (m, err) < 0)
    return -1;
  *code = mon_run_loop (m);
  pt_mon_net_stop (&m->net);
  bool oom = pt_cgroup_oom_killed (m->spec.cgroup);
  pt_cgroup_destroy (m->spec.cgroup);
  free (m->spec.cgroup);
  m->spec.cgroup = NULL;
  close (m->epfd);
  m->epfd = -1;
  close (m->pidfd);
  m->pidfd = -1;
  pt_error_t tmp = NULL;
  if (pt_ctr_write_exit (&m->store, o->cid, *code, oom, &tmp) < 0)
    pt_error_release (&tmp);
  pt_event (&m->store, "container", "died", o->cid, m->spec.name, m->spec.image,
            json_pack ("{s:i}", "containerExitCode", *code));
  return 0;
}

static int
monitor_main (struct monitor *m, struct options *o, pt_error_t *err)
{
  if (pt_store_open (&m->store, o->root, o->runroot, err) < 0
      || pt_ctr_spec_read (&m->store, o->cid, &m->spec, err) < 0
      || pt_idmap_load_cached (&m->idmap,
                               m->idmap_cache = pt_store_runpath (&m->store, "idmap.json"), err)
             < 0)
    return -1;
  m->spec.preserve_fds = o->preserve_fds;
  m->spec.preserve_fds_from = 5;
  m->podtool = o->podtool && *o->podtool ? o->podtool : NULL;
  /* A start begins its healthchecks anew. */
  pt_health_reset (&m->store, &m->spec);
  prctl (PR_SET_CHILD_SUBREAPER, 1);
  cleanup_free char *log = pt_store_path (&m->store, "containers/%s/ctr.log", o->cid);
  m->log_fd = open (log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (m->log_fd < 0)
    return pt_make_error (err, errno, "open the log `%s`", log);
  m->log_size = lseek (m->log_fd, 0, SEEK_END);
  pt_ctr_clear_stop_request (&m->store, o->cid);
  int code = 0;
  for (int restarts = 0;; restarts++)
    {
      if (run_once (m, o, restarts, &code, err) < 0)
        return -1;
      if (!should_restart (m, code, restarts))
        break;
      /* A short pause, so a command that fails at once does not spin. */
      struct timespec pause = { 0, 100 * 1000 * 1000 };
      nanosleep (&pause, NULL);
    }
  pt_ctr_clear_stop_request (&m->store, o->cid);
  /* --rm: gone before anyone hears of the exit, detached or not. */
  pt_error_t tmp = NULL;
  if (m->spec.rm && pt_ctr_remove (&m->store, &m->idmap, o->cid, false, &tmp) < 0)
    pt_error_release (&tmp);
  int32_t c32 = code;
  mon_send_clients (m, PT_ATTACH_EXIT, (const char *)&c32, sizeof c32);
  return 0;
}

int
main (int argc, char **argv)
{
  struct options o;
  struct monitor m = { .sync_fd = -1,
                       .listen_fd = -1,
                       .out_fd = -1,
                       .err_fd = -1,
                       .in_fd = -1,
                       .tty_fd = -1,
                       .log_fd = -1,
                       .pidfd = -1,
                       .sigfd = -1,
                       .epfd = -1,
                       .stub_fd = -1,
                       .net = { .lifeline = -1, .ns_user = -1, .ns_net = -1 } };
  for (int i = 0; i < PT_MAX_CLIENTS; i++)
    m.clients[i] = -1;
  pt_error_t err = NULL;
  pt_log_set_prefix ("conmon");
  pt_log_set_level (PT_LOG_ERROR);
  if (parse_options (argc, argv, &o, &err) < 0)
    {
      cleanup_free char *s = pt_error_string (err);
      fprintf (stderr, "%s\n", s);
      return 1;
    }
  m.sync_fd = o.sync_fd;
  m.self = o.self;
  m.clients[0] = o.attach_fd;
  /* Inherited without close-on-exec: the container must not keep them, or
     podtool would wait for an EOF that comes only when the container ends. */
  fcntl (m.sync_fd, F_SETFD, FD_CLOEXEC);
  if (o.attach_fd >= 0)
    fcntl (o.attach_fd, F_SETFD, FD_CLOEXEC);
  /* The container's child dup2()s them; nothing the monitor execs gets them. */
  for (int i = 0; i < o.preserve_fds; i++)
    fcntl (5 + i, F_SETFD, FD_CLOEXEC);
  if (monitor_main (&m, &o, &err) < 0)
    {
      /* The container never ran: its exit code is the failure's (125/126/127). */
      pt_error_t tmp = NULL;
      pt_mon_net_stop (&m.net);
      pt_cgroup_destroy (m.spec.cgroup);
      if (m.spec.id && pt_ctr_write_exit (&m.store, o.cid, err->exit_code, false, &tmp) < 0)
        pt_error_release (&tmp);
      report_error (&m, err);
      pt_error_release (&err);
      return 1;
    }
  return 0;
}

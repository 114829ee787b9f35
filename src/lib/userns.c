/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "userns.h"
#include "dl.h"
#include "log.h"
#include "sync.h"
#include "util.h"
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include <shadow/subid.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

extern char **environ;

static int
load_ranges (const struct pt_subid_fns *fns, const char *user, bool gid, struct pt_id_range **out)
{
  struct subid_range *ranges = NULL;
  int n = gid ? fns->get_gid_ranges (user, &ranges) : fns->get_uid_ranges (user, &ranges);
  if (n <= 0)
    {
      free (ranges);
      *out = NULL;
      return 0;
    }
  *out = xmalloc (n * sizeof **out);
  for (int i = 0; i < n; i++)
    {
      (*out)[i].start = ranges[i].start;
      (*out)[i].count = ranges[i].count;
    }
  free (ranges);
  return n;
}

static char *
single_warning (const struct pt_idmap *m)
{
  return xasprintf ("no subordinate ids for `%s` in /etc/subuid and /etc/subgid: only uid 0 is "
                    "mapped, files of other owners belong to you (add a range with `usermod "
                    "--add-subuids 100000-165535 --add-subgids 100000-165535 %s`)",
                    m->user, m->user);
}

static void
warn_single (const struct pt_idmap *m)
{
  if (pt_idmap_has_ranges (m))
    return;
  cleanup_free char *w = single_warning (m);
  pt_warn ("%s", w);
}

/* What the cached answer depends on. */
static char *
cache_key (uid_t uid)
{
  static const char *const files[] = { "/etc/subuid", "/etc/subgid", "/etc/nsswitch.conf" };
  char *key = xasprintf ("uid=%d", (int)uid);
  for (size_t i = 0; i < 3; i++)
    {
      struct stat st;
      char *k;
      if (stat (files[i], &st) < 0)
        k = xasprintf ("%s;-", key);
      else
        k = xasprintf ("%s;%lu:%lld:%lld.%09ld", key, (unsigned long)st.st_ino,
                       (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
      free (key);
      key = k;
    }
  return key;
}

static json_t *
ranges_json (const struct pt_id_range *r, int n)
{
  json_t *a = json_array ();
  for (int i = 0; i < n; i++)
    json_array_append_new (a, json_pack ("[I,I]", (json_int_t)r[i].start, (json_int_t)r[i].count));
  return a;
}

static int
json_ranges (json_t *a, struct pt_id_range **out)
{
  size_t i;
  json_t *x;
  *out = xzalloc ((json_array_size (a) + 1) * sizeof **out);
  json_array_foreach (a, i, x)
  {
    (*out)[i].start = json_integer_value (json_array_get (x, 0));
    (*out)[i].count = json_integer_value (json_array_get (x, 1));
  }
  return json_array_size (a);
}

static bool
load_cached (struct pt_idmap *m, const char *cache, const char *key)
{
  json_t *j = json_load_file (cache, 0, NULL);
  const char *k = json_string_value (json_object_get (j, "key"));
  const char *user = json_string_value (json_object_get (j, "user"));
  bool hit = k && user && strcmp (k, key) == 0;
  if (hit)
    {
      m->user = xstrdup (user);
      m->n_uids = json_ranges (json_object_get (j, "uids"), &m->uids);
      m->n_gids = json_ranges (json_object_get (j, "gids"), &m->gids);
      m->from_cache = true;
    }
  json_decref (j);
  return hit;
}

static void
store_cache (const struct pt_idmap *m, const char *cache, const char *key)
{
  json_t *j
      = json_pack ("{s:s, s:s, s:o, s:o}", "key", key, "user", m->user, "uids",
                   ranges_json (m->uids, m->n_uids), "gids", ranges_json (m->gids, m->n_gids));
  char *text = json_dumps (j, JSON_COMPACT);
  pt_error_t tmp = NULL;
  if (pt_write_file_atomic (AT_FDCWD, cache, text, strlen (text), 0600, 0, &tmp) < 0)
    pt_error_release (&tmp); /* only a cache */
  free (text);
  json_decref (j);
}

static int
load_fresh (struct pt_idmap *m, pt_error_t *err)
{
  struct passwd *pw = getpwuid (m->uid);
  if (pw == NULL)
    return pt_make_error (err, errno, "look up the name of uid %d", (int)m->uid);
  m->user = xstrdup (pw->pw_name);
  struct pt_subid_fns fns;
  if (pt_dl_subid (&fns, err) < 0)
    return -1;
  m->n_uids = load_ranges (&fns, m->user, false, &m->uids);
  m->n_gids = load_ranges (&fns, m->user, true, &m->gids);
  return 0;
}

int
pt_idmap_load (struct pt_idmap *m, const char *cache, pt_error_t *err)
{
  memset (m, 0, sizeof *m);
  m->uid = getuid ();
  m->gid = getgid ();
  cleanup_free char *key = cache ? cache_key (m->uid) : NULL;
  if (cache && load_cached (m, cache, key))
    {
      warn_single (m);
      return 0;
    }
  if (load_fresh (m, err) < 0)
    return -1;
  warn_single (m);
  if (cache)
    store_cache (m, cache, key);
  return 0;
}

int
pt_idmap_load_cached (struct pt_idmap *m, const char *cache, pt_error_t *err)
{
  memset (m, 0, sizeof *m);
  m->uid = getuid ();
  m->gid = getgid ();
  cleanup_free char *key = cache_key (m->uid);
  if (!load_cached (m, cache, key))
    return pt_make_error (err, 0, "the id mapping cache `%s` is missing or stale", cache);
  return 0;
}

void
pt_idmap_free (struct pt_idmap *m)
{
  free (m->uids);
  free (m->gids);
  free (m->user);
  memset (m, 0, sizeof *m);
}

bool
pt_idmap_has_ranges (const struct pt_idmap *m)
{
  return m->n_uids > 0 && m->n_gids > 0;
}

static long
container_id (const struct pt_idmap *m, unsigned long self, const struct pt_id_range *r, int n,
              unsigned long host)
{
  if (host == self)
    return 0;
  unsigned long next = 1;
  for (int i = 0; pt_idmap_has_ranges (m) && i < n; i++)
    {
      if (host >= r[i].start && host < r[i].start + r[i].count)
        return next + (host - r[i].start);
      next += r[i].count;
    }
  return -1;
}

long
pt_idmap_container_uid (const struct pt_idmap *m, unsigned long host)
{
  return container_id (m, m->uid, m->uids, m->n_uids, host);
}

long
pt_idmap_container_gid (const struct pt_idmap *m, unsigned long host)
{
  return container_id (m, m->gid, m->gids, m->n_gids, host);
}

static char **
map_argv (const char *prog, pid_t pid, unsigned long self, const struct pt_id_range *r, int n)
{
  char **argv = NULL;
  char buf[64];
  pt_strv_append (&argv, prog);
  snprintf (buf, sizeof buf, "%d", (int)pid);
  pt_strv_append (&argv, buf);
  snprintf (buf, sizeof buf, "0 %lu 1", self);
  for (char *tok = strtok (buf, " "); tok; tok = strtok (NULL, " "))
    pt_strv_append (&argv, tok);
  unsigned long next = 1;
  for (int i = 0; i < n; i++)
    {
      snprintf (buf, sizeof buf, "%lu", next);
      pt_strv_append (&argv, buf);
      snprintf (buf, sizeof buf, "%lu", r[i].start);
      pt_strv_append (&argv, buf);
      snprintf (buf, sizeof buf, "%lu", r[i].count);
      pt_strv_append (&argv, buf);
      next += r[i].count;
    }
  return argv;
}

struct mapper
{
  pid_t pid;
  int err_fd;
  char **argv;
};

static int
start_mapper (struct mapper *mp, pt_error_t *err)
{
  int pfd[2];
  posix_spawn_file_actions_t fa;
  if (pipe2 (pfd, O_CLOEXEC) < 0)
    return pt_make_error (err, errno, "pipe");
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_addopen (&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&fa, pfd[1], 1);
  posix_spawn_file_actions_adddup2 (&fa, pfd[1], 2);
  int r = posix_spawnp (&mp->pid, mp->argv[0], &fa, NULL, mp->argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  close (pfd[1]);
  mp->err_fd = pfd[0];
  if (r != 0)
    {
      close (pfd[0]);
      mp->err_fd = -1;
      if (r == ENOENT)
        return pt_make_error (err, 0,
                              "`%s` not found: install the uidmap package (apt-get install uidmap)",
                              mp->argv[0]);
      return pt_make_error (err, r, "run `%s`", mp->argv[0]);
    }
  return 0;
}

static int
finish_mapper (struct mapper *mp, pt_error_t *err)
{
  char out[512] = "";
  ssize_t n = pt_read_all (mp->err_fd, out, sizeof out - 1);
  close (mp->err_fd);
  out[n > 0 ? n : 0] = '\0';
  out[strcspn (out, "\n")] = '\0';
  int status;
  while (waitpid (mp->pid, &status, 0) < 0)
    if (errno != EINTR)
      return pt_make_error (err, errno, "wait for `%s`", mp->argv[0]);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return 0;
  cleanup_free char *cmd = pt_strv_join (mp->argv, " ");
  return pt_make_error (err, 0,
                        "`%s` failed: %s (check /etc/subuid and /etc/subgid, and that %s is "
                        "setuid root: apt-get install --reinstall uidmap)",
                        cmd, *out ? out : "no message", mp->argv[0]);
}

static int
write_proc_file (pid_t pid, const char *name, const char *content, pt_error_t *err)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/%s", (int)pid, name);
  cleanup_close int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || pt_write_all (fd, content, strlen (content)) < 0)
    return pt_make_error (err, errno, "write `%s`", path);
  return 0;
}

/* Without subordinate ids a process may still map itself, no helper needed. */
static int
map_single (const struct pt_idmap *m, pid_t pid, pt_error_t *err)
{
  char buf[64];
  snprintf (buf, sizeof buf, "0 %d 1\n", (int)m->uid);
  int r = write_proc_file (pid, "uid_map", buf, err);
  if (r < 0)
    return r;
  if ((r = write_proc_file (pid, "setgroups", "deny", err)) < 0)
    return r;
  snprintf (buf, sizeof buf, "0 %d 1\n", (int)m->gid);
  return write_proc_file (pid, "gid_map", buf, err);
}

int
pt_userns_map_pid (const struct pt_idmap *m, pid_t pid, pt_error_t *err)
{
  if (!pt_idmap_has_ranges (m))
    return map_single (m, pid, err);
  return pt_userns_run_mappers (map_argv ("newuidmap", pid, m->uid, m->uids, m->n_uids),
                                map_argv ("newgidmap", pid, m->gid, m->gids, m->n_gids), err);
}

int
pt_userns_run_mappers (char **uid_argv, char **gid_argv, pt_error_t *err)
{
  struct mapper u = { .err_fd = -1, .argv = uid_argv };
  struct mapper g = { .err_fd = -1, .argv = gid_argv };
  int r = start_mapper (&u, err);
  if (r == 0)
    {
      /* Both run at once; the first failure is the one to report. */
      r = start_mapper (&g, err);
      pt_error_t gerr = NULL;
      int rg = r == 0 ? finish_mapper (&g, &gerr) : 0;
      int ru = finish_mapper (&u, r < 0 ? &gerr : err);
      if (r == 0 && ru == 0 && rg < 0)
        {
          *err = steal_pointer (&gerr);
          r = rg;
        }
      else if (r == 0)
        r = ru;
      pt_error_release (&gerr);
    }
  pt_strv_free (u.argv);
  pt_strv_free (g.argv);
  return r;
}

int
pt_userns_run (const struct pt_idmap *m, pt_userns_fn fn, void *data, pt_error_t *err)
{
  int status = 0;
  if (pt_userns_run_status (m, fn, data, &status, err) < 0)
    return -1;
  if (status != 0)
    return pt_make_error (err, 0, "user namespace child failed with status %d", status);
  return 0;
}

/* The --userns mode the next run maps (NULL: the user's mapping). */
static const char *run_mode;

int
pt_userns_run_mode (const struct pt_idmap *m, const char *mode, pt_userns_fn fn, void *data,
                    pt_error_t *err)
{
  run_mode = mode;
  int r = pt_userns_run (m, fn, data, err);
  run_mode = NULL;
  return r;
}

/* What the parent does while the child works: beside (then waits), or
   tick every 100 ms until the child's answer comes. */
struct meanwhile
{
  pt_userns_fn beside;
  void *beside_data;
  void (*tick) (void *);
  void *tick_data;
};
static int run_child (const struct pt_idmap *m, pt_userns_fn fn, void *data,
                      const struct meanwhile *mw, int *exit_status, pt_error_t *err);

int
pt_userns_run_status (const struct pt_idmap *m, pt_userns_fn fn, void *data, int *exit_status,
                      pt_error_t *err)
{
  struct meanwhile none = { 0 };
  return run_child (m, fn, data, &none, exit_status, err);
}

int
pt_userns_run_ticking (const struct pt_idmap *m, pt_userns_fn fn, void *data,
                       void (*tick) (void *), void *tick_data, pt_error_t *err)
{
  struct meanwhile mw = { .tick = tick, .tick_data = tick_data };
  int status = 0;
  if (run_child (m, fn, data, &mw, &status, err) < 0)
    return -1;
  if (status != 0)
    return pt_make_error (err, 0, "user namespace child failed with status %d", status);
  return 0;
}

int
pt_userns_run_beside (const struct pt_idmap *m, pt_userns_fn fn, void *data, pt_userns_fn beside,
                      void *beside_data, pt_error_t *err)
{
  int status = 0;
  struct meanwhile mw = { .beside = beside, .beside_data = beside_data };
  if (run_child (m, fn, data, &mw, &status, err) < 0)
    return -1;
  if (status != 0)
    return pt_make_error (err, 0, "user namespace child failed with status %d", status);
  return 0;
}

static int
run_child (const struct pt_idmap *m, pt_userns_fn fn, void *data, const struct meanwhile *mw,
           int *exit_status, pt_error_t *err)
{
  int sv[2];
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return pt_make_error (err, errno, "socketpair");
  pid_t pid = fork ();
  if (pid < 0)
    {
      close (sv[0]);
      close (sv[1]);
      return pt_make_error (err, errno, "fork");
    }
  if (pid == 0)
    {
      pt_error_t cerr = NULL;
      char c;
      close (sv[0]);
      /* Never outlive the podtool that asked for this work. */
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) < 0)
        {
          pt_userns_error (&cerr, errno, "create a user namespace");
          pt_sync_die (sv[1], cerr);
        }
      if (write (sv[1], "u", 1) != 1 || read (sv[1], &c, 1) != 1)
        _exit (1);
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        {
          pt_make_error (&cerr, errno, "become root in the user namespace");
          pt_sync_die (sv[1], cerr);
        }
      if (fn (data, &cerr) < 0)
        pt_sync_die (sv[1], cerr);
      _exit (0);
    }
  close (sv[1]);
  cleanup_close int fd = sv[0];
  char buf[4200];
  int r = 0;
  ssize_t n = recv (fd, buf, sizeof buf, 0);
  if (n == 1 && buf[0] == 'u')
    {
      r = pt_userns_map_pid_mode (m, run_mode, pid, err);
      if (r == 0 && write (fd, "g", 1) != 1)
        r = pt_make_error (err, errno, "wake the user namespace child");
    }
  else if (n > 1)
    {
      pt_sync_parse_error (buf, n, err);
      r = -1;
    }
  else
    r = pt_make_error (err, errno, "user namespace child ended early");
  if (r < 0)
    kill (pid, SIGKILL);
  else
    {
      pt_error_t berr = NULL, cerr = NULL;
      int rb = mw->beside ? mw->beside (mw->beside_data, &berr) : 0;
      for (struct pollfd p = { .fd = fd, .events = POLLIN }; mw->tick && poll (&p, 1, 100) <= 0;)
        mw->tick (mw->tick_data);
      int got = pt_sync_recv_packet_error (fd, &cerr);
      /* EPIPE: the child's own failure broke the pipe, and it says why. */
      if (rb < 0 && !(got != 0 && berr->status == EPIPE))
        r = -1, *err = steal_pointer (&berr);
      else if (got != 0)
        r = -1, *err = steal_pointer (&cerr);
      pt_error_release (&berr);
      pt_error_release (&cerr);
    }
  int status = 0;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  return r;
}

int
pt_userns_error (pt_error_t *err, int e, const char *what)
{
  /* The kernel says EPERM inside a chroot (which an unprivileged process
     cannot tell for sure) and where they are turned off. */
  if (e == EPERM || e == ENOSPC || e == EACCES)
    return pt_make_error (err, e,
                          "%s: no new user namespace here (the kernel refuses them inside a "
                          "chroot, and where user.max_user_namespaces, "
                          "kernel.unprivileged_userns_clone or AppArmor turn them off)",
                          what);
  return pt_make_error (err, e, "%s", what);
}

bool
pt_userns_self_maps (uid_t host_uid)
{
  FILE *f = fopen ("/proc/self/uid_map", "re");
  unsigned long inside, outside, count;
  bool found = false;
  while (f && !found && fscanf (f, "%lu %lu %lu", &inside, &outside, &count) == 3)
    found = host_uid >= outside && host_uid - outside < count;
  if (f)
    fclose (f);
  return found;
}

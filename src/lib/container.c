/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "jsonutil.h"
#include "container.h"
#include "du.h"
#include "userns.h"
#include "volume.h"
#include "events.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

static int
write_etc_files (struct pt_ctr_spec *spec, pt_error_t *err)
{
  cleanup_free char *hostname = xasprintf ("%s\n", spec->hostname);
  cleanup_free char *hosts = NULL, *resolv = NULL;
  if (spec->net.mode == PT_NET_CONTAINER)
    {
      /* container:X: X's network, so X's files, as Podman shares them. */
      cleanup_free char *dir = xasprintf ("%.*s/%s", (int)(strrchr (spec->dir, '/') - spec->dir),
                                          spec->dir, spec->net.target);
      cleanup_free char *h = xasprintf ("%s/hosts", dir), *r = xasprintf ("%s/resolv.conf", dir);
      if (pt_read_file (AT_FDCWD, h, &hosts, NULL, err) < 0
          || pt_read_file (AT_FDCWD, r, &resolv, NULL, err) < 0)
        return -1;
    }
  else
    {
      hosts = pt_net_hosts (&spec->net, spec->hostname, spec->name);
      resolv = pt_net_resolv_conf (&spec->net);
    }
  struct
  {
    const char *name, *text;
  } files[] = { { "hostname", hostname }, { "hosts", hosts }, { "resolv.conf", resolv } };
  for (size_t i = 0; i < 3; i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", spec->dir, files[i].name);
      if (pt_write_file_atomic (AT_FDCWD, p, files[i].text, strlen (files[i].text), 0644, 0, err)
          < 0)
        return -1;
    }
  return 0;
}

static bool
name_taken (struct pt_store *s, const char *name)
{
  cleanup_strv char **ids = NULL;
  pt_error_t tmp = NULL;
  if (pt_ctr_list (s, &ids, &tmp) < 0)
    {
      pt_error_release (&tmp);
      return false;
    }
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec other;
      if (pt_ctr_spec_read (s, ids[i], &other, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      bool same = strcmp (other.name, name) == 0;
      pt_ctr_spec_free (&other);
      if (same)
        return true;
    }
  return false;
}

int
pt_ctr_sweep_incomplete (struct pt_store *s, pt_error_t *err)
{
  if (pt_store_lock (s, err) < 0)
    return -1;
  cleanup_free char *dir = pt_store_path (s, "containers");
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *de;
  int r = 0;
  /* A create holds the store's lock until config.json is written: under
     it, a directory without one is what a killed create left. */
  while (d && (de = readdir (d)))
    {
      if (de->d_name[0] == '.')
        continue;
      cleanup_free char *cfg = pt_store_path (s, "containers/%s/config.json", de->d_name);
      cleanup_free char *path = pt_store_path (s, "containers/%s", de->d_name);
      if (access (cfg, F_OK) < 0 && errno == ENOENT && pt_rmtree_at (AT_FDCWD, path, err) < 0)
        {
          r = -1;
          break;
        }
    }
  pt_store_unlock (s);
  return r;
}

int
pt_ctr_check_name (const char *name, pt_error_t *err)
{
  static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  size_t n = strlen (name);
  if (n == 0 || !strchr (first, name[0])
      || strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
    return pt_make_error (err, EINVAL, "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
  /* A container id is 64 hex: a name like one would shadow ids. */
  if (n == 64 && strspn (name, "0123456789abcdef") == 64)
    return pt_make_error (err, EINVAL, "a container name may not be a 64-character hex id");
  return 0;
}

/* --userns auto: a slice of the user's range no other auto container has,
   written into the mode as at=I (under the store lock: two creates at once
   get two slices). Without size=, as Podman estimates it: enough for every
   id that owns a file in the image, and at least 1024. */
static int
auto_slice (struct pt_store *s, const struct pt_idmap *m, struct pt_ctr_spec *spec, pt_error_t *err)
{
  unsigned long size, at;
  if (spec->userns == NULL || !pt_str_has_prefix (spec->userns, "auto")
      || pt_userns_auto_parse (spec->userns, &size, &at, err) < 0)
    return spec->userns && pt_str_has_prefix (spec->userns, "auto") ? -1 : 0;
  if (m == NULL)
    return pt_make_error (err, 0, "--userns auto needs the user's subordinate ids");
  uint64_t top;
  if (strstr (spec->userns, "size=") == NULL)
    {
      if (pt_du_max_id (m, spec->layers, &top, err) < 0)
        return -1;
      if (top + 1 > size)
        size = (unsigned long)top + 1;
    }
  cleanup_strv char **ids = NULL;
  if (pt_ctr_list (s, &ids, err) < 0)
    return -1;
  size_t n = 0;
  cleanup_free unsigned long (*used)[2] = xzalloc ((pt_strv_len (ids) + 1) * sizeof *used);
  for (char **id = ids; *id; id++)
    {
      struct pt_ctr_spec other = { 0 };
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, *id, &other, &tmp) < 0)
        pt_error_release (&tmp); /* a broken container has no slice to keep */
      else if (other.userns && pt_str_has_prefix (other.userns, "auto")
               && pt_userns_auto_parse (other.userns, &used[n][1], &used[n][0], &tmp) == 0)
        n++;
      else
        pt_error_release (&tmp);
      pt_ctr_spec_free (&other);
    }
  if (pt_userns_auto_pick (m, size, (const unsigned long (*)[2])used, n, &at, err) < 0)
    return -1;
  free (spec->userns);
  spec->userns = xasprintf ("auto:size=%lu,at=%lu", size, at);
  return 0;
}

int
pt_ctr_create (struct pt_store *s, const struct pt_idmap *m, struct pt_ctr_spec *spec,
               pt_error_t *err)
{
  if (spec->name && *spec->name && pt_ctr_check_name (spec->name, err) < 0)
    return -1;
  static const char *subdirs[] = { "upper", "work", "merged" };
  /* Limits that could never be applied fail now, not at every start. */
  cleanup_free char *parent = NULL;
  if (pt_cgroup_choose_parent (spec->cgroups_disabled, spec->cgroup_parent, &spec->limits, &parent,
                               err)
      < 0)
    return -1;
  int r = pt_store_lock (s, err);
  if (r < 0)
    return r;
  if (spec->name == NULL || *spec->name == '\0')
    {
      free (spec->name);
      do
        spec->name = pt_ctr_generate_name ();
      while (name_taken (s, spec->name) && (free (spec->name), 1));
    }
  else if (name_taken (s, spec->name))
    {
      r = pt_make_error (err, 0,
                         "creating container storage: the container name \"%s\" is already in use "
                         "by another container: remove it or pick another name",
                         spec->name);
      goto out;
    }
  if ((r = auto_slice (s, m, spec, err)) < 0)
    goto out;
  spec->dir = pt_store_path (s, "containers/%s", spec->id);
  if (mkdir (spec->dir, 0700) < 0)
    {
      r = pt_make_error (err, errno, "mkdir `%s`", spec->dir);
      goto out;
    }
  for (size_t i = 0; i < 3; i++)
    {
      cleanup_free char *p = xasprintf ("%s/%s", spec->dir, subdirs[i]);
      if (mkdir (p, i == 0 ? 0755 : 0700) < 0)
        {
          r = pt_make_error (err, errno, "mkdir `%s`", p);
          goto out;
        }
    }
  if ((r = write_etc_files (spec, err)) < 0)
    goto out;
  /* config.json last: a container exists once its config does. */
  r = pt_ctr_spec_write (s, spec, err);
out:
  if (r < 0 && spec->dir)
    {
      pt_error_t tmp = NULL;
      if (pt_rmtree_at (AT_FDCWD, spec->dir, &tmp) < 0)
        pt_error_release (&tmp);
    }
  pt_store_unlock (s);
  if (r == 0)
    pt_event (s, "container", "create", spec->id, spec->name, spec->image, NULL);
  return r;
}

/* Keys start with the zero-padded creation time: string order is age order. */
static int
compare_keys (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

int
pt_ctr_list (struct pt_store *s, char ***ids, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_path (s, "containers");
  cleanup_dir DIR *d = opendir (dir);
  *ids = xzalloc (sizeof (char *));
  if (d == NULL)
    return pt_make_error (err, errno, "open `%s`", dir);
  struct dirent *de;
  char **keys = xzalloc (sizeof (char *));
  while ((de = readdir (d)))
    {
      if (strlen (de->d_name) != 64)
        continue;
      cleanup_free char *cfg = pt_store_path (s, "containers/%s/config.json", de->d_name);
      struct stat st;
      if (stat (cfg, &st) < 0)
        continue;
      /* Sort by creation: the config's mtime, then the id. */
      cleanup_free char *key = xasprintf ("%020lld.%09ld %s", (long long)st.st_mtim.tv_sec,
                                          st.st_mtim.tv_nsec, de->d_name);
      pt_strv_append (&keys, key);
    }
  qsort (keys, pt_strv_len (keys), sizeof (char *), compare_keys);
  for (size_t i = 0; keys[i]; i++)
    pt_strv_append (ids, strchr (keys[i], ' ') + 1);
  pt_strv_free (keys);
  return 0;
}

int
pt_ctr_resolve (struct pt_store *s, const char *ref, char **id, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_ctr_list (s, &ids, err) < 0)
    return -1;
  const char *found = NULL;
  size_t n = strlen (ref);
  for (size_t i = 0; ids[i]; i++)
    if (strcmp (ids[i], ref) == 0)
      {
        *id = xstrdup (ids[i]);
        return 0;
      }
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, ids[i], &spec, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      bool same = strcmp (spec.name, ref) == 0;
      pt_ctr_spec_free (&spec);
      if (same)
        {
          *id = xstrdup (ids[i]);
          return 0;
        }
    }
  for (size_t i = 0; n > 0 && ids[i]; i++)
    if (strncmp (ids[i], ref, n) == 0)
      {
        if (found)
          return pt_make_error (err, 0, "more than one container matches `%s`: use more of the id",
                                ref);
        found = ids[i];
      }
  if (found == NULL)
    return pt_make_error (err, 0, "no container with name or ID \"%s\" found: no such container",
                          ref);
  *id = xstrdup (found);
  return 0;
}

static json_t *
load_json_path (char *path)
{
  json_t *j = json_load_file (path, JSON_ALLOW_NUL, NULL);
  free (path);
  return j;
}

int
pt_ctr_write_running (struct pt_store *s, const char *id, pid_t pid, pid_t monitor,
                      const char *cgroup, int restarts, pt_error_t *err)
{
  cleanup_free char *boot = pt_boot_id ();
  cleanup_free char *started = pt_format_time_ns (pt_now_ns ());
  json_t *j = json_pack ("{s:i, s:I, s:i, s:I, s:s, s:s}", "pid", (int)pid, "pid_start",
                         (json_int_t)pt_pid_start_time (pid), "monitor_pid", (int)monitor,
                         "monitor_start", (json_int_t)pt_pid_start_time (monitor), "boot_id", boot,
                         "started", started);
  json_object_set_new (j, "cgroup", json_string (cgroup ? cgroup : ""));
  json_object_set_new (j, "restarts", json_integer (restarts));
  cleanup_free char *text = json_dumps (j, JSON_INDENT (1));
  json_decref (j);
  cleanup_free char *dir = pt_store_runpath (s, "containers/%s", id);
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  cleanup_free char *path = pt_store_runpath (s, "containers/%s/state.json", id);
  return pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, 0, err);
}

void
pt_ctr_request_stop (struct pt_store *s, const char *id)
{
  cleanup_free char *path = pt_store_runpath (s, "containers/%s/stop-requested", id);
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    close (fd);
}

bool
pt_ctr_stop_requested (struct pt_store *s, const char *id)
{
  cleanup_free char *path = pt_store_runpath (s, "containers/%s/stop-requested", id);
  return access (path, F_OK) == 0;
}

void
pt_ctr_clear_stop_request (struct pt_store *s, const char *id)
{
  cleanup_free char *path = pt_store_runpath (s, "containers/%s/stop-requested", id);
  unlink (path);
}

int
pt_ctr_write_exit (struct pt_store *s, const char *id, int exit_code, bool oom_killed,
                   pt_error_t *err)
{
  /* A monitor that outlived its run (someone gave up waiting and started
     the container anew) must not mark the new run exited. */
  json_t *run = load_json_path (pt_store_runpath (s, "containers/%s/state.json", id));
  pid_t owner = run ? json_integer_value (json_object_get (run, "monitor_pid")) : 0;
  json_decref (run);
  if (owner && owner != getpid ())
    return 0;
  cleanup_free char *finished = pt_format_time_ns (pt_now_ns ());
  json_t *j = json_pack ("{s:i, s:s, s:b}", "exit_code", exit_code, "finished", finished,
                         "oom_killed", oom_killed);
  cleanup_free char *text = json_dumps (j, JSON_INDENT (1));
  json_decref (j);
  cleanup_free char *path = pt_store_path (s, "containers/%s/exit.json", id);
  return pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, 0, err);
}

/* Alive means: the pid exists with the start time we recorded, on this
   boot, and is no zombie (one that exited, whoever has yet to reap it). */
static bool
process_is (pid_t pid, unsigned long long start, const char *boot)
{
  cleanup_free char *now = pt_boot_id ();
  return pid > 0 && start != 0 && strcmp (now, boot) == 0 && pt_pid_start_time (pid) == start
         && pt_pid_alive (pid);
}

int
pt_ctr_state (struct pt_store *s, const char *id, struct pt_ctr_state *st, pt_error_t *err)
{
  (void)err;
  memset (st, 0, sizeof *st);
  st->exit_code = -1;
  json_t *ex = load_json_path (pt_store_path (s, "containers/%s/exit.json", id));
  json_t *run = load_json_path (pt_store_runpath (s, "containers/%s/state.json", id));
  if (run)
    {
      st->started_ns = pt_parse_time (json_string_value (json_object_get (run, "started")));
      const char *boot = json_string_value (json_object_get (run, "boot_id")) ?: "";
      pid_t pid = json_integer_value (json_object_get (run, "pid"));
      pid_t mon = json_integer_value (json_object_get (run, "monitor_pid"));
      if (process_is (pid, json_integer_value (json_object_get (run, "pid_start")), boot))
        st->pid = pid;
      if (process_is (mon, json_integer_value (json_object_get (run, "monitor_start")), boot))
        st->monitor_pid = mon;
      st->restarts = json_integer_value (json_object_get (run, "restarts"));
      const char *cg = json_string_value (json_object_get (run, "cgroup"));
      if (cg && strlen (cg) < sizeof st->cgroup)
        strcpy (st->cgroup, cg);
    }
  if (ex)
    {
      st->status = PT_CTR_EXITED;
      st->exit_code = json_integer_value (json_object_get (ex, "exit_code"));
      st->finished_ns = pt_parse_time (json_string_value (json_object_get (ex, "finished")));
      st->oom_killed = json_is_true (json_object_get (ex, "oom_killed"));
      st->pid = 0;
    }
  else if (run && st->pid)
    /* Frozen is the kernel's word, not a record that could go stale. */
    st->status = pt_cgroup_frozen (st->cgroup) ? PT_CTR_PAUSED : PT_CTR_RUNNING;
  else if (run)
    st->status = PT_CTR_EXITED;
  else
    {
      cleanup_free char *init = pt_store_runpath (s, "containers/%s/initialized", id);
      st->status = access (init, F_OK) == 0 ? PT_CTR_INITIALIZED : PT_CTR_CREATED;
    }
  json_decref (ex);
  json_decref (run);
  return 0;
}

static int
rmtree_in_userns (void *data, pt_error_t *err)
{
  return pt_rmtree_at (AT_FDCWD, data, err);
}

static int remove_locked (struct pt_store *s, const struct pt_idmap *m, const char *id, bool force,
                          pt_error_t *err);

int
pt_ctr_remove (struct pt_store *s, const struct pt_idmap *m, const char *id, bool force,
               pt_error_t *err)
{
  return pt_ctr_remove_v (s, m, id, force, false, err);
}

int
pt_ctr_remove_v (struct pt_store *s, const struct pt_idmap *m, const char *id, bool force,
                 bool volumes, pt_error_t *err)
{
  int cfd = pt_store_lock_container (s, id, err);
  if (cfd < 0)
    return -1;
  if (pt_store_lock (s, err) < 0)
    {
      pt_store_unlock_container (cfd);
      return -1;
    }
  struct pt_ctr_spec spec = { 0 };
  pt_error_t e = NULL;
  if (pt_ctr_spec_read (s, id, &spec, &e) < 0)
    pt_error_release (&e);
  int r = remove_locked (s, m, id, force, err);
  if (r == 0)
    pt_event (s, "container", "remove", id, spec.name, spec.image, NULL);
  pt_store_unlock (s);
  if (r == 0)
    {
      cleanup_free char *lock = pt_store_runpath (s, "locks/%s", id);
      unlink (lock);
    }
  pt_store_unlock_container (cfd);
  /* Its anonymous volumes go with a --rm container, or when asked (rm -v). */
  if (r == 0 && (volumes || spec.rm))
    pt_ctr_volumes_remove_anonymous (s, m, &spec);
  pt_ctr_spec_free (&spec);
  return r;
}

static int
remove_locked (struct pt_store *s, const struct pt_idmap *m, const char *id, bool force,
               pt_error_t *err)
{
  struct pt_ctr_state st;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (pt_ctr_alive (&st))
    {
      if (!force)
        return pt_make_error_code (err, 2, 0,
                                   "cannot remove container %s as it is running - running or "
                                   "paused containers cannot be removed without force: container "
                                   "state improper",
                                   id);
      pt_ctr_request_stop (s, id); /* no --restart for what rm kills */
      kill (st.pid, SIGKILL);
    }
  if (st.monitor_pid && force)
    kill (st.monitor_pid, SIGKILL);
  /* Its monitor would have removed the cgroup; it may be dead or killed. */
  pt_cgroup_destroy (st.cgroup);
  cleanup_free char *dir = pt_store_path (s, "containers/%s", id);
  cleanup_free char *cfg = pt_store_path (s, "containers/%s/config.json", id);
  cleanup_free char *run = pt_store_runpath (s, "containers/%s", id);
  /* The config goes first, so a half-removed container is gone for everyone. */
  if (unlink (cfg) < 0 && errno != ENOENT)
    return pt_make_error (err, errno, "remove `%s`", cfg);
  pt_error_t tmp = NULL;
  if (pt_rmtree_at (AT_FDCWD, run, &tmp) < 0)
    pt_error_release (&tmp);
  /* The writable layer may hold files of subordinate owners: those need the namespace. */
  if (pt_rmtree_at (AT_FDCWD, dir, &tmp) < 0)
    {
      pt_error_release (&tmp);
      struct pt_idmap own;
      cleanup_free char *cache = pt_store_runpath (s, "idmap.json");
      if (m == NULL && pt_idmap_load (&own, cache, err) < 0)
        return -1;
      int r = pt_userns_run (m ? m : &own, rmtree_in_userns, dir, err);
      if (m == NULL)
        pt_idmap_free (&own);
      return r;
    }
  return 0;
}

int
pt_ctr_cleanup (struct pt_store *s, const char *id, bool rm, pt_error_t *err)
{
  struct pt_ctr_state st;
  struct pt_ctr_spec spec;
  if (pt_ctr_state (s, id, &st, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  rm = rm || spec.rm;
  pt_ctr_spec_free (&spec);
  if (pt_ctr_alive (&st))
    return pt_make_error (err, 0,
                          "container %s is running or paused, refusing to clean up: container "
                          "state improper",
                          id);
  pt_cgroup_destroy (st.cgroup);
  if (!rm)
    return 0;
  return pt_ctr_remove (s, NULL, id, false, err);
}

char *
pt_ctr_generate_name (void)
{
  static const char *adj[]
      = { "admiring", "bold",   "brave",   "busy",     "calm",   "clever", "eager",
          "elated",   "funny",  "gentle",  "happy",    "jolly",  "keen",   "kind",
          "lucid",    "modest", "nifty",   "quirky",   "serene", "sharp",  "sleepy",
          "stoic",    "tender", "vibrant", "wizardly", "zealous" };
  static const char *who[]
      = { "babbage", "bohr",    "curie",   "darwin",   "dijkstra", "euler",   "faraday", "galileo",
          "hopper",  "hypatia", "knuth",   "lamport",  "lovelace", "meitner", "newton",  "noether",
          "pascal",  "ritchie", "shannon", "thompson", "turing",   "wozniak" };
  unsigned int r[2];
  if (getrandom (r, sizeof r, 0) != sizeof r)
    r[0] = getpid (), r[1] = time (NULL);
  return xasprintf ("%s_%s", adj[r[0] % (sizeof adj / sizeof *adj)],
                    who[r[1] % (sizeof who / sizeof *who)]);
}

int
pt_ctr_prepare_start (struct pt_store *s, const char *id, bool *running, pt_error_t *err)
{
  struct pt_ctr_state st;
  /* The last run's monitor may still be cleaning up (its exit record comes
     last): a new run must not start under it. */
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (!pt_ctr_alive (&st) && st.monitor_pid && !pt_pid_wait (st.monitor_pid, 60000))
    return pt_make_error (err, 0, "the monitor of container %s is still cleaning up after it", id);
  if (pt_store_lock (s, err) < 0)
    return -1;
  int r = pt_ctr_state (s, id, &st, err);
  *running = r == 0 && pt_ctr_alive (&st);
  if (r == 0 && !*running)
    {
      /* A new run: the last one's exit record and state go. */
      cleanup_free char *ex = pt_store_path (s, "containers/%s/exit.json", id);
      cleanup_free char *run = pt_store_runpath (s, "containers/%s/state.json", id);
      cleanup_free char *init = pt_store_runpath (s, "containers/%s/initialized", id);
      unlink (ex);
      unlink (run);
      unlink (init);
    }
  pt_store_unlock (s);
  return r;
}

const char *
pt_ctr_status_name (enum pt_ctr_status status)
{
  static const char *const names[] = { [PT_CTR_CREATED] = "created",
                                       [PT_CTR_RUNNING] = "running",
                                       [PT_CTR_PAUSED] = "paused",
                                       [PT_CTR_EXITED] = "exited",
                                       [PT_CTR_INITIALIZED] = "initialized" };
  return names[status];
}

json_t *
pt_ctr_labels_json (const struct pt_ctr_spec *spec)
{
  return pt_kv_json (spec->labels);
}

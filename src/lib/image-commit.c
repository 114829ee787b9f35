/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Layers into the store (unpacked in the user namespace, each checked
   against its diff_id) and images onto the index: what load, import,
   commit and pull all end in. */
#include <config.h>
#include "jsonutil.h"
#include "image.h"
#include "image-source.h"
#include "image-change.h"
#include "container.h"
#include "layer.h"
#include "log.h"
#include "reference.h"
#include "sha256.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/stat.h>
#include "image-internal.h"

/* ---- layers ---- */

static bool
layer_present (struct pt_store *s, const char *diff_id)
{
  cleanup_free char *p = pt_store_path (s, "layers/%s", diff_id);
  return access (p, F_OK) == 0;
}

struct extract_ctx
{
  struct pt_layer_job *jobs;
  int n;
  char **final; /* where each job goes once verified */
  char *layers_dir;
  char **expected;
  char **blob_digest; /* what each job's bytes must hash to, or NULL */
  /* A feed: the write ends of the jobs' pipes (the parent's), the read end
     of the verdict it sends once all is sent ('y': every blob arrived whole). */
  const struct pt_layer_feed *feed;
  int *wfds; /* per layer of the image, -1: no job */
  size_t n_wfds;
  int verdict[2];
  bool fed; /* the parent's pipe ends are closed */
  /* Progress: each job's blob as named to the user, its size, begun yet. */
  const struct pt_progress *prog;
  char **label;
  uint64_t *total;
  bool *begun;
};

/* What killed loads leave in layers/: half-unpacked .tmp-PID-N dirs, and
   ID.json.tmp-PID files of a size record cut short. */
static bool
stale_layer_entry (const char *name)
{
  return pt_store_is_stale_tmp (name, ".tmp-") || pt_store_is_stale_write (name);
}

/* Half-unpacked layers of killed loads hold subordinate owners: only the
   namespace can remove them, so every unpacking child sweeps them first. */
static bool
has_stale_layers (const char *layers_dir)
{
  cleanup_dir DIR *d = opendir (layers_dir);
  struct dirent *de;
  while (d && (de = readdir (d)))
    if (stale_layer_entry (de->d_name))
      return true;
  return false;
}

static int
extract_in_userns (void *data, pt_error_t *err)
{
  struct extract_ctx *c = data;
  /* The workers must see their pipes end when the parent closes them. */
  for (size_t i = 0; i < c->n_wfds; i++)
    if (c->wfds[i] >= 0)
      close (c->wfds[i]);
  if (c->feed)
    close (c->verdict[1]);
  pt_store_sweep (c->layers_dir, stale_layer_entry);
  int r = pt_layer_extract_all (c->jobs, c->n, err);
  char verdict = 0;
  if (r == 0 && c->feed && (read (c->verdict[0], &verdict, 1) != 1 || verdict != 'y'))
    r = pt_make_error (err, 0, "the layers did not all arrive");
  for (int i = 0; r == 0 && i < c->n; i++)
    {
      if (c->blob_digest[i] && strcmp (c->jobs[i].blob_sha, c->blob_digest[i]) != 0)
        {
          r = pt_make_error (err, 0,
                             "layer `%s` does not match its digest sha256:%s: its content is "
                             "sha256:%s",
                             c->jobs[i].tar_path, c->blob_digest[i], c->jobs[i].blob_sha);
          break;
        }
      if (c->expected[i] && strcmp (c->jobs[i].diff_id, c->expected[i]) != 0)
        {
          r = pt_make_error (err, 0, "layer `%s`: digest mismatch: sha256:%s, expected sha256:%s",
                             c->jobs[i].tar_path, c->jobs[i].diff_id, c->expected[i]);
          break;
        }
      cleanup_free char *final
          = c->final[i]
                ? xstrdup (c->final[i])
                : xasprintf ("%.*s/%s", (int)(strrchr (c->jobs[i].dest, '/') - c->jobs[i].dest),
                             c->jobs[i].dest, c->jobs[i].diff_id);
      cleanup_free char *meta = xasprintf ("%s.json", final);
      cleanup_free char *text
          = xasprintf ("{\"size\": %llu}\n", (unsigned long long)c->jobs[i].size);
      if (pt_write_file_atomic (AT_FDCWD, meta, text, strlen (text), 0600, PT_WRITE_DURABLE, err)
          < 0)
        {
          r = -1;
          break;
        }
      if (rename (c->jobs[i].dest, final) < 0)
        {
          if (errno != EEXIST && errno != ENOTEMPTY)
            {
              r = pt_make_error (err, errno, "rename `%s`", c->jobs[i].dest);
              break;
            }
          pt_error_t tmp = NULL; /* a concurrent load got there first */
          if (pt_rmtree_at (AT_FDCWD, c->jobs[i].dest, &tmp) < 0)
            pt_error_release (&tmp);
        }
    }
  if (r < 0)
    for (int i = 0; i < c->n; i++)
      {
        pt_error_t tmp = NULL;
        if (pt_rmtree_at (AT_FDCWD, c->jobs[i].dest, &tmp) < 0)
          pt_error_release (&tmp);
      }
  return r;
}

/* The parent's half of a feed: the read ends go (the workers hold them),
   the feed writes each layer to its pipe, then the verdict. */
static int
feed_layers (void *data, pt_error_t *err)
{
  struct extract_ctx *c = data;
  c->fed = true;
  for (int k = 0; k < c->n; k++)
    close (c->jobs[k].fd);
  close (c->verdict[0]);
  struct sigaction ign = { .sa_handler = SIG_IGN }, old;
  sigaction (SIGPIPE, &ign, &old); /* a worker that failed: EPIPE, not death */
  int r = c->feed->send (c->feed->data, c->wfds, c->n_wfds, err);
  for (size_t i = 0; i < c->n_wfds; i++)
    if (c->wfds[i] >= 0)
      close (c->wfds[i]);
  if (r == 0 && write (c->verdict[1], "y", 1) != 1)
    r = pt_make_error (err, errno, "tell the layer workers the layers arrived");
  close (c->verdict[1]);
  sigaction (SIGPIPE, &old, NULL);
  return r;
}

/* A job per layer the store lacks, reading src or (feed) a pipe. */
static void
add_job (struct extract_ctx *c, struct pt_store *s, const struct pt_layer_src *src, size_t i,
         const char *expected)
{
  struct pt_layer_job *job = &c->jobs[c->n];
  job->tar_path = src ? src->path : c->wfds ? "(download)" : NULL;
  job->fd = -1;
  if (src)
    {
      job->offset = src->offset;
      job->length = src->length;
      job->hash_blob = src->blob_digest != NULL;
      c->blob_digest[c->n] = src->blob_digest;
    }
  else
    {
      int p[2];
      if (pipe2 (p, O_CLOEXEC) == 0)
        {
          job->from_fd = true;
          job->fd = p[0];
          c->wfds[i] = p[1];
          fcntl (p[1], F_SETPIPE_SZ, 1 << 20);
        }
    }
  job->dest = pt_store_path (s, "layers/.tmp-%d-%zu", (int)getpid (), i);
  c->expected[c->n] = (char *)expected;
  c->final[c->n] = expected ? pt_store_path (s, "layers/%s", expected) : NULL;
  c->n++;
}

/* Every 100 ms of an unpacking: the bytes each worker has read. */
static void
report_tick (void *data)
{
  struct extract_ctx *c = data;
  for (int k = 0; k < c->n; k++)
    {
      uint64_t done = __atomic_load_n (&c->jobs[k].done_bytes, __ATOMIC_RELAXED);
      if (!c->begun[k])
        c->prog->fn (c->prog->data, PT_PULL_BLOB_START, "blob", c->label[k], 0, c->total[k]);
      else
        c->prog->fn (c->prog->data, PT_PULL_BLOB_PROGRESS, "blob", c->label[k], done,
                     c->total[k]);
      c->begun[k] = true;
    }
}

static void
progress_setup (struct extract_ctx *c, const struct pt_layer_src *srcs, size_t n, int *job_of)
{
  c->label = xzalloc ((n + 1) * sizeof (char *));
  c->total = xzalloc ((n + 1) * sizeof (uint64_t));
  c->begun = xzalloc ((n + 1) * sizeof (bool));
  for (size_t i = 0; i < n; i++)
    {
      int k = job_of[i];
      struct stat st;
      if (k < 0)
        continue;
      const char *name = srcs[i].blob_digest ? srcs[i].blob_digest : c->expected[k];
      c->label[k] = xstrdup (name ? name : "");
      c->total[k] = srcs[i].length ? srcs[i].length
                    : stat (srcs[i].path, &st) == 0 ? (uint64_t)st.st_size
                                                   : 0;
    }
}

/* The end of an unpacking, said: each layer done, or there already. */
static void
progress_done (struct extract_ctx *c, const struct pt_layer_src *srcs, char **expected, size_t n,
               int *job_of)
{
  for (size_t i = 0; i < n; i++)
    {
      int k = job_of[i];
      const char *name = k >= 0      ? c->label[k]
                         : srcs[i].blob_digest ? srcs[i].blob_digest
                         : expected ? expected[i]
                                    : NULL;
      if (k >= 0)
        c->prog->fn (c->prog->data, PT_PULL_BLOB_DONE, "blob", name, c->total[k], c->total[k]);
      else if (name)
        c->prog->fn (c->prog->data, PT_PULL_BLOB_SKIPPED, "blob", name, 0, 0);
    }
  for (int k = 0; k < c->n; k++)
    free (c->label[k]);
  free (c->label);
  free (c->total);
  free (c->begun);
}

/* Unpacks the given n layers (srcs, or what feed sends). expected[i] may
   be NULL (import): then the computed diff id names the layer and comes
   back in diff_ids[i]. */
static int
store_layers (struct pt_store *s, const struct pt_idmap *m, const struct pt_layer_src *srcs,
              size_t n, const struct pt_layer_feed *feed, const struct pt_progress *prog,
              char **expected, char **diff_ids, uint64_t *sizes, pt_error_t *err)
{
  struct extract_ctx c = { .feed = feed, .verdict = { -1, -1 } };
  if (prog && prog->fn && !feed)
    c.prog = prog; /* a feed reports its own progress */
  /* Shared with the user-namespace child, which fills diff_id and size. */
  struct pt_layer_job *jobs = mmap (NULL, (n + 1) * sizeof *jobs, PROT_READ | PROT_WRITE,
                                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (jobs == MAP_FAILED)
    return pt_make_error (err, errno, "mmap");
  memset (jobs, 0, (n + 1) * sizeof *jobs);
  c.jobs = jobs;
  c.layers_dir = pt_store_path (s, "layers");
  c.final = xzalloc ((n + 1) * sizeof (char *));
  c.expected = xzalloc ((n + 1) * sizeof (char *));
  c.blob_digest = xzalloc ((n + 1) * sizeof (char *));
  if (feed)
    {
      c.n_wfds = n;
      c.wfds = xzalloc ((n + 1) * sizeof (int));
      for (size_t i = 0; i < n; i++)
        c.wfds[i] = -1;
    }
  int *job_of = xzalloc ((n + 1) * sizeof (int)), r = 0;
  for (size_t i = 0; i < n; i++)
    {
      job_of[i] = -1;
      if (expected && layer_present (s, expected[i]))
        continue;
      bool dup = false;
      for (int k = 0; expected && k < c.n; k++)
        dup |= strcmp (c.expected[k], expected[i]) == 0;
      if (dup)
        continue;
      job_of[i] = c.n;
      add_job (&c, s, feed ? NULL : &srcs[i], i, expected ? expected[i] : NULL);
      if (feed && c.wfds[i] < 0)
        r = pt_make_error (err, errno, "pipe");
    }
  if (feed && c.n == 0)
    c.feed = NULL; /* nothing to send */
  if (c.prog)
    progress_setup (&c, srcs, n, job_of);
  if (r == 0 && c.feed && pipe2 (c.verdict, O_CLOEXEC) < 0)
    r = pt_make_error (err, errno, "pipe");
  /* The child sweeps what killed loads left, so run one for that alone too. */
  if (r == 0 && c.feed)
    r = pt_userns_run_beside (m, extract_in_userns, &c, feed_layers, &c, err);
  else if (r == 0 && c.prog && c.n > 0)
    r = pt_userns_run_ticking (m, extract_in_userns, &c, report_tick, &c, err);
  else if (r == 0 && (c.n > 0 || has_stale_layers (c.layers_dir)))
    r = pt_userns_run (m, extract_in_userns, &c, err);
  if (c.prog)
    {
      if (r == 0)
        progress_done (&c, srcs, expected, n, job_of);
      else
        progress_done (&c, srcs, expected, 0, job_of);
    }
  if (feed && !c.fed)
    {
      for (int k = 0; k < c.n; k++)
        if (jobs[k].from_fd)
          close (jobs[k].fd);
      for (size_t i = 0; i < c.n_wfds; i++)
        if (c.wfds[i] >= 0)
          close (c.wfds[i]);
      for (int k = 0; k < 2; k++)
        if (c.verdict[k] >= 0)
          close (c.verdict[k]);
    }
  unsigned devices = 0;
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      if (diff_ids)
        diff_ids[i] = xstrdup (job_of[i] >= 0 ? jobs[job_of[i]].diff_id : expected[i]);
      sizes[i] = pt_layer_size (s, job_of[i] >= 0 ? jobs[job_of[i]].diff_id : expected[i]);
      if (job_of[i] >= 0)
        devices += jobs[job_of[i]].skipped_devices;
    }
  if (devices)
    pt_warn (
        "skipped %u device node(s) in the image: a rootless container gets its /dev from podtool",
        devices);
  for (int k = 0; k < c.n; k++)
    {
      free ((char *)jobs[k].dest);
      free (c.final[k]);
    }
  free (c.final);
  free (c.expected);
  free (c.blob_digest);
  free (c.wfds);
  free (c.layers_dir);
  free (job_of);
  munmap (jobs, (n + 1) * sizeof *jobs);
  return r;
}

/* ---- committing an image to the index ---- */

static int
commit_image (struct pt_store *s, const char *config_data, size_t config_len, char **names,
              char **layers, uint64_t size, char **id_out, pt_error_t *err)
{
  char id[65];
  pt_sha256_hex (config_data, config_len, id);
  json_t *cfg = json_loadb (config_data, config_len, 0, NULL);
  int64_t created = pt_parse_time (json_string_value (json_object_get (cfg, "created")));
  json_decref (cfg);
  cleanup_free char *dir = pt_store_path (s, "images/%s", id);
  if (mkdir (dir, 0700) < 0 && errno != EEXIST)
    return pt_make_error (err, errno, "mkdir `%s`", dir);
  cleanup_free char *cpath = pt_store_path (s, "images/%s/config.json", id);
  if (pt_write_file_atomic (AT_FDCWD, cpath, config_data, config_len, 0600, PT_WRITE_DURABLE, err)
      < 0)
    return -1;

  if (pt_store_lock (s, err) < 0)
    return -1;
  struct pt_image_list l;
  int r = pt_image_list_read (s, &l, err);
  /* A layer found present before the lock may have gone with a concurrent
     rmi since: never record an image whose layers are not all there. */
  for (size_t i = 0; r == 0 && layers[i]; i++)
    if (!layer_present (s, layers[i]))
      r = pt_make_error (err, 0,
                         "layer sha256:%s was removed while this image was being stored: "
                         "load it again",
                         layers[i]);
  if (r == 0)
    {
      struct pt_image *img = NULL;
      for (size_t i = 0; i < l.n; i++)
        {
          if (strcmp (l.v[i].id, id) == 0)
            img = &l.v[i];
          /* A name moves to the new image, as a tag does. */
          for (size_t j = 0; names[j]; j++)
            for (size_t k = 0; l.v[i].names[k]; k++)
              if (strcmp (l.v[i].names[k], names[j]) == 0 && strcmp (l.v[i].id, id) != 0)
                {
                  free (l.v[i].names[k]);
                  memmove (&l.v[i].names[k], &l.v[i].names[k + 1],
                           (pt_strv_len (l.v[i].names) - k) * sizeof (char *));
                  break;
                }
        }
      if (img == NULL)
        {
          l.v = xrealloc (l.v, (l.n + 1) * sizeof *l.v);
          img = &l.v[l.n++];
          memset (img, 0, sizeof *img);
          img->id = xstrdup (id);
          img->names = xzalloc (sizeof (char *));
          img->layers = pt_strv_dup (layers);
          img->created_ns = created;
          img->size = size;
        }
      for (size_t j = 0; names[j]; j++)
        {
          bool have = false;
          for (size_t k = 0; img->names[k]; k++)
            have |= strcmp (img->names[k], names[j]) == 0;
          if (!have)
            pt_strv_append (&img->names, names[j]);
        }
      r = pt_img_index_write (s, &l, err);
      pt_image_list_free (&l);
    }
  pt_store_unlock (s);
  if (r == 0 && id_out)
    *id_out = xstrdup (id);
  return r;
}

/* The diff_ids an image config lists, each 64 hex; -2 when it lists none
   (not an array: the caller says how that is wrong). */
static int
config_diff_ids (json_t *cfg, char ***out, pt_error_t *err)
{
  json_t *diff = json_object_get (json_object_get (cfg, "rootfs"), "diff_ids"), *d;
  *out = NULL;
  if (!json_is_object (cfg) || !json_is_array (diff))
    return -2;
  *out = xzalloc (sizeof (char *));
  size_t i;
  json_array_foreach (diff, i, d)
  {
    const char *v = json_string_value (d);
    if (v == NULL || !pt_is_hex64 (pt_img_strip_digest (v)))
      return pt_make_error (err, 0, "image config has an invalid diff_id at %zu", i);
    pt_strv_append (out, pt_img_strip_digest (v));
  }
  return 0;
}

/* The config of a staged image, and the diff_ids it lists (one per layer,
   64 hex each). */
int
pt_img_read_staged_config (struct staged_image *si, char **config, size_t *config_len, char ***expected,
                    pt_error_t *err)
{
  *expected = NULL;
  if (pt_read_file (AT_FDCWD, si->config_path, config, config_len, err) < 0)
    return -1;
  json_t *cfg = json_loadb (*config, *config_len, 0, NULL);
  int r = config_diff_ids (cfg, expected, err);
  json_decref (cfg);
  if (r == -1)
    return -1;
  if (r == -2 || pt_strv_len (*expected) != si->n_layers)
    return pt_make_error (err, 0,
                          "image config `%s` is invalid or does not list a diff_id per layer",
                          strrchr (si->config_path, '/') + 1);
  return 0;
}

int
pt_img_load_staged (struct pt_store *s, const struct pt_idmap *m, struct staged_image *si,
                    const struct pt_layer_feed *feed, const struct pt_progress *prog,
                    char ***names_out, char **id_out, pt_error_t *err)
{
  cleanup_free char *config = NULL;
  size_t config_len, n = si->n_layers;
  cleanup_strv char **expected = NULL;
  if (pt_img_read_staged_config (si, &config, &config_len, &expected, err) < 0)
    return -1;
  uint64_t *sizes = xzalloc ((n + 1) * sizeof *sizes), total = 0;
  int r = store_layers (s, m, si->layers, n, feed, prog, expected, NULL, sizes, err);
  for (size_t i = 0; i < n; i++)
    total += sizes[i];
  free (sizes);
  if (r < 0)
    return r;
  cleanup_free char *id = NULL;
  char hex[65];
  pt_sha256_hex (config, config_len, hex);
  if (prog && prog->fn)
    prog->fn (prog->data, PT_PULL_BLOB_DONE, "config", hex, config_len, config_len);
  if (commit_image (s, config, config_len, si->names, expected, total, &id, err) < 0)
    return -1;
  if (prog && prog->fn)
    prog->fn (prog->data, PT_PULL_WRITING, NULL, NULL, 0, 0);
  if (si->names[0] == NULL)
    pt_strv_append (names_out, id);
  for (size_t j = 0; si->names[j]; j++)
    pt_strv_append (names_out, si->names[j]);
  if (id_out)
    *id_out = steal_pointer (&id);
  return 0;
}

bool
pt_image_layer_present (struct pt_store *s, const char *diff_id)
{
  return layer_present (s, diff_id);
}

int
pt_image_config_diff_ids (const char *config_path, char ***diff_ids, pt_error_t *err)
{
  cleanup_free char *data = NULL;
  size_t len;
  if (pt_read_file (AT_FDCWD, config_path, &data, &len, err) < 0)
    return -1;
  json_t *cfg = json_loadb (data, len, 0, NULL);
  int r = config_diff_ids (cfg, diff_ids, err);
  json_decref (cfg);
  return r == -2 ? pt_make_error (err, 0, "the image config lists no diff_ids") : r;
}

int
pt_image_commit_streamed (struct pt_store *s, const struct pt_idmap *m, const char *config_path,
                          const struct pt_layer_feed *feed, char **names, char **id,
                          pt_error_t *err)
{
  cleanup_strv char **diff_ids = NULL, **out = NULL;
  if (pt_dl_archive (err) < 0 || pt_image_config_diff_ids (config_path, &diff_ids, err) < 0)
    return -1;
  struct staged_image si
      = { .config_path = (char *)config_path, .n_layers = pt_strv_len (diff_ids), .names = names };
  return pt_img_load_staged (s, m, &si, feed, NULL, &out, id, err);
}

void
pt_img_layer_srcs_free (struct pt_layer_src *v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    {
      free (v[i].path);
      free (v[i].blob_digest);
    }
  free (v);
}

int
pt_image_import (struct pt_store *s, const struct pt_idmap *m, const char *path, const char *name,
                 const struct pt_import_opts *o, char **id, pt_error_t *err)
{
  cleanup_free char *norm = NULL;
  if (name)
    {
      norm = pt_ref_full (name, err);
      if (norm == NULL)
        return -1;
    }
  if (access (path, R_OK) < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  if (pt_dl_archive (err) < 0)
    return -1;
  struct pt_layer_src src = { .path = (char *)path };
  char *diff_id = NULL;
  uint64_t size = 0;
  if (store_layers (s, m, &src, 1, NULL, NULL, NULL, &diff_id, &size, err) < 0)
    return pt_error_wrap (err, "import `%s`", path);
  cleanup_free char *created = pt_format_time_ns (pt_now_ns ());
  json_t *cfg = json_pack ("{s:s, s:s, s:s, s:{s:[s]}, s:{s:s, s:[s+]}}", "created", created,
                           "architecture", "amd64", "os", "linux", "config", "Env",
                           "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "rootfs", "type", "layers", "diff_ids", DIGEST_PREFIX, diff_id);
  if (o && o->os)
    json_object_set_new (cfg, "os", json_string (o->os));
  if (o && o->arch)
    json_object_set_new (cfg, "architecture", json_string (o->arch));
  if (o && o->variant)
    json_object_set_new (cfg, "variant", json_string (o->variant));
  json_object_set_new (cfg, "history",
                       json_pack ("[{s:s, s:s, s:s}]", "created", created, "created_by",
                                  "podtool import", "comment", o && o->message ? o->message : ""));
  for (size_t i = 0; o && o->changes && o->changes[i]; i++)
    if (pt_image_apply_change (cfg, o->changes[i], err) < 0)
      {
        json_decref (cfg);
        free (diff_id);
        return -1;
      }
  cleanup_free char *text = json_dumps (cfg, JSON_COMPACT);
  json_decref (cfg);
  char *names[] = { norm, NULL };
  char *layers[] = { diff_id, NULL };
  int r = commit_image (s, text, strlen (text), norm ? names : layers + 1, layers, size, id, err);
  free (diff_id);
  return r;
}

int
pt_image_commit (struct pt_store *s, const struct pt_idmap *m, char *const *base_layers,
                 uint64_t base_size, const char *tar, json_t *config, const char *name, char **id,
                 pt_error_t *err)
{
  cleanup_free char *norm = NULL;
  if (name && (norm = pt_ref_full (name, err)) == NULL)
    return -1;
  if (pt_dl_archive (err) < 0)
    return -1;
  struct pt_layer_src src = { .path = (char *)tar };
  char *diff_id = NULL;
  uint64_t size = 0;
  if (store_layers (s, m, &src, 1, NULL, NULL, NULL, &diff_id, &size, err) < 0)
    return pt_error_wrap (err, "commit");
  cleanup_strv char **layers = pt_strv_dup (base_layers);
  pt_strv_append (&layers, diff_id);
  json_t *rootfs = json_pack ("{s:s, s:[]}", "type", "layers", "diff_ids");
  for (size_t i = 0; layers[i]; i++)
    {
      cleanup_free char *d = xasprintf (DIGEST_PREFIX "%s", layers[i]);
      json_array_append_new (json_object_get (rootfs, "diff_ids"), json_string (d));
    }
  json_object_set_new (config, "rootfs", rootfs);
  cleanup_free char *text = json_dumps (config, JSON_COMPACT);
  free (diff_id);
  char *names[] = { norm, NULL };
  return commit_image (s, text, strlen (text), norm ? names : names + 1, layers, base_size + size,
                       id, err);
}

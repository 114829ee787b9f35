/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman save: images as docker-archive or OCI archive. */
#include <config.h>
#include "save.h"
#include "image.h"
#include "jsonutil.h"
#include "reference.h"
#include "sha256.h"
#include "tree-tar.h"
#include "util.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

struct tar_ctx
{
  struct pt_tar_job *jobs;
  size_t n;
  const struct pt_progress *prog;
  bool begun;
  int *rfds; /* streamed: the read ends of the jobs' pipes (the parent's) */
  pt_blob_take_fn take;
  void *take_data;
  const char *dir; /* the scratch directory */
};

/* Every 100 ms of the tarring: the bytes each layer's tar has. */
static void
tar_tick (void *data)
{
  struct tar_ctx *c = data;
  for (size_t i = 0; i < c->n; i++)
    {
      const char *d = strrchr (c->jobs[i].dir, '/') + 1;
      uint64_t done = __atomic_load_n (&c->jobs[i].done_bytes, __ATOMIC_RELAXED);
      c->prog->fn (c->prog->data, c->begun ? PT_PULL_BLOB_PROGRESS : PT_PULL_BLOB_START, "blob",
                   d, done, c->jobs[i].expect);
    }
  c->begun = true;
}

/* In the user namespace: every file readable, owners as the container sees them. */
static int
tar_layers_in_userns (void *data, pt_error_t *err)
{
  struct tar_ctx *c = data;
  /* Never a reader of its own pipes: a parent that stops reading must
     make the writes fail, not fill them. */
  for (size_t i = 0; c->rfds && i < c->n; i++)
    close (c->rfds[i]);
  signal (SIGPIPE, SIG_IGN);
  for (size_t i = 0; i < c->n; i++)
    if (pt_tar_dir_to_file (&c->jobs[i], err) < 0)
      return -1;
  return 0;
}

/* Beside the child: each layer's tar as it comes, to take, in order. */
static int
take_layers (void *data, pt_error_t *err)
{
  struct tar_ctx *c = data;
  int r = 0;
  for (size_t i = 0; i < c->n; i++)
    close (c->jobs[i].fd);
  for (size_t i = 0; i < c->n; i++)
    {
      if (r == 0)
        r = c->take (c->take_data, &c->jobs[i], c->rfds[i], c->dir, err);
      close (c->rfds[i]);
    }
  return r;
}

/* The pipes the jobs write their tars down. */
static int
open_pipes (struct tar_ctx *c, pt_error_t *err)
{
  c->rfds = xzalloc (c->n * sizeof *c->rfds);
  for (size_t i = 0; i < c->n; i++)
    {
      int p[2];
      if (pipe2 (p, O_CLOEXEC) < 0)
        {
          int e = errno;
          for (size_t k = 0; k < i; k++)
            close (c->rfds[k]), close (c->jobs[k].fd);
          return pt_make_error (err, e, "pipe");
        }
      fcntl (p[1], F_SETPIPE_SZ, 1 << 20);
      c->rfds[i] = p[0];
      c->jobs[i].fd = p[1];
      c->jobs[i].to_fd = true;
    }
  return 0;
}

/* ---- the outer archive ---- */

static int
add_bytes (struct archive *a, const char *name, const void *data, size_t len, pt_error_t *err)
{
  struct archive_entry *e = archive_entry_new ();
  archive_entry_set_pathname (e, name);
  archive_entry_set_mode (e, S_IFREG | 0644);
  archive_entry_set_size (e, len);
  archive_entry_set_mtime (e, 0, 0);
  int r = 0;
  if (archive_write_header (a, e) < ARCHIVE_WARN
      || (len && archive_write_data (a, data, len) != (la_ssize_t)len))
    r = pt_make_error (err, 0, "write `%s`: %s", name, archive_error_string (a));
  archive_entry_free (e);
  return r;
}

static int
add_file (struct archive *a, const char *name, const char *path, pt_error_t *err)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0)
    return pt_make_error (err, errno, "open `%s`", path);
  struct archive_entry *e = archive_entry_new ();
  archive_entry_set_pathname (e, name);
  archive_entry_set_mode (e, S_IFREG | 0644);
  archive_entry_set_size (e, st.st_size);
  archive_entry_set_mtime (e, 0, 0);
  int r = archive_write_header (a, e) < ARCHIVE_WARN
              ? pt_make_error (err, 0, "write `%s`: %s", name, archive_error_string (a))
              : 0;
  archive_entry_free (e);
  char buf[1 << 16];
  ssize_t n = 0;
  while (r == 0 && (n = read (fd, buf, sizeof buf)) > 0)
    if (archive_write_data (a, buf, n) != n)
      r = pt_make_error (err, 0, "write `%s`: %s", name, archive_error_string (a));
  if (r == 0 && n < 0)
    r = pt_make_error (err, errno, "read `%s`", path);
  return r;
}

static char *
dump (json_t *j)
{
  char *t = json_dumps (j, JSON_COMPACT);
  json_decref (j);
  return t;
}

/* What is saved: the images, the layers they use (each once), and for each
   image its layers' jobs, its config (with the new diff_ids) and RepoTags. */
struct saved_image
{
  struct pt_image img;
  struct pt_tar_job **layers;
  char **tags;
  char *cfg;
  char cfg_hex[65];
};

struct save_set
{
  struct saved_image *v;
  size_t n;
  struct pt_tar_job *jobs; /* shared with the user-namespace child */
  size_t n_jobs, cap_jobs;
};

static int
write_docker (struct archive *a, const struct save_set *set, pt_error_t *err)
{
  json_t *manifest = json_array ();
  int r = 0;
  for (size_t i = 0; r == 0 && i < set->n; i++)
    {
      const struct saved_image *si = &set->v[i];
      cleanup_free char *cfg_name = xasprintf ("%s.json", si->cfg_hex);
      json_t *layers = json_array ();
      for (size_t j = 0; si->layers[j]; j++)
        json_array_append_new (layers, json_sprintf ("%s.tar", si->layers[j]->diff_id));
      json_array_append_new (manifest, json_pack ("{s:s, s:o, s:o}", "Config", cfg_name,
                                                  "RepoTags", pt_strv_json (si->tags),
                                                  "Layers", layers));
      r = add_bytes (a, cfg_name, si->cfg, strlen (si->cfg), err);
    }
  for (size_t i = 0; r == 0 && i < set->n_jobs; i++)
    {
      cleanup_free char *name = xasprintf ("%s.tar", set->jobs[i].diff_id);
      r = add_file (a, name, set->jobs[i].out, err);
    }
  cleanup_free char *text = dump (manifest);
  if (r == 0)
    r = add_bytes (a, "manifest.json", text, strlen (text), err);
  return r;
}

static int
write_oci (struct archive *a, const struct saved_image *si, pt_error_t *err)
{
  json_t *layers = json_array ();
  for (size_t i = 0; si->layers[i]; i++)
    {
      cleanup_free char *d = xasprintf ("sha256:%s", si->layers[i]->diff_id);
      json_array_append_new (layers, json_pack ("{s:s, s:s, s:I}", "mediaType",
                                                "application/vnd.oci.image.layer.v1.tar", "digest",
                                                d, "size", (json_int_t)si->layers[i]->size));
    }
  cleanup_free char *cd = xasprintf ("sha256:%s", si->cfg_hex);
  cleanup_free char *manifest
      = dump (json_pack ("{s:i, s:s, s:{s:s, s:s, s:I}, s:o}", "schemaVersion", 2, "mediaType",
                         "application/vnd.oci.image.manifest.v1+json", "config", "mediaType",
                         "application/vnd.oci.image.config.v1+json", "digest", cd, "size",
                         (json_int_t)strlen (si->cfg), "layers", layers));
  char mhex[65];
  pt_sha256_hex (manifest, strlen (manifest), mhex);
  cleanup_free char *md = xasprintf ("sha256:%s", mhex);
  json_t *desc
      = json_pack ("{s:s, s:s, s:I}", "mediaType", "application/vnd.oci.image.manifest.v1+json",
                   "digest", md, "size", (json_int_t)strlen (manifest));
  if (si->tags[0])
    json_object_set_new (desc, "annotations",
                         json_pack ("{s:s}", "org.opencontainers.image.ref.name", si->tags[0]));
  cleanup_free char *index
      = dump (json_pack ("{s:i, s:[o]}", "schemaVersion", 2, "manifests", desc));
  const char *layout = "{\"imageLayoutVersion\": \"1.0.0\"}";
  cleanup_free char *cfg_name = xasprintf ("blobs/sha256/%s", si->cfg_hex);
  cleanup_free char *man_name = xasprintf ("blobs/sha256/%s", mhex);
  int r = add_bytes (a, "oci-layout", layout, strlen (layout), err);
  if (r == 0)
    r = add_bytes (a, cfg_name, si->cfg, strlen (si->cfg), err);
  for (size_t i = 0; r == 0 && si->layers[i]; i++)
    {
      cleanup_free char *name = xasprintf ("blobs/sha256/%s", si->layers[i]->diff_id);
      r = add_file (a, name, si->layers[i]->out, err);
    }
  if (r == 0)
    r = add_bytes (a, man_name, manifest, strlen (manifest), err);
  if (r == 0)
    r = add_bytes (a, "index.json", index, strlen (index), err);
  return r;
}

/* The config with the new layers' diff_ids (the stored one, byte for byte,
   when they are the same). */
static char *
updated_config (struct pt_store *s, const struct saved_image *si, pt_error_t *err)
{
  cleanup_free char *path = pt_store_path (s, "images/%s/config.json", si->img.id);
  cleanup_free char *orig = NULL;
  if (pt_read_file (AT_FDCWD, path, &orig, NULL, err) < 0)
    return NULL;
  json_t *cfg = json_loads (orig, 0, NULL);
  json_t *diffs = json_array ();
  bool same = true;
  for (size_t i = 0; si->layers[i]; i++)
    {
      json_array_append_new (diffs, json_sprintf ("sha256:%s", si->layers[i]->diff_id));
      same &= strcmp (si->img.layers[i], si->layers[i]->diff_id) == 0;
    }
  if (same || cfg == NULL)
    {
      json_decref (diffs);
      json_decref (cfg);
      return steal_pointer (&orig);
    }
  json_t *rootfs = json_object_get (cfg, "rootfs");
  if (!json_is_object (rootfs))
    json_object_set_new (cfg, "rootfs", rootfs = json_pack ("{s:s}", "type", "layers"));
  json_object_set_new (rootfs, "diff_ids", diffs);
  return dump (cfg);
}

/* The job of layer diff_id: one per layer, whichever images share it. The
   jobs live in a shared mapping, written by the user-namespace child. */
static struct pt_tar_job *
layer_job (struct pt_store *s, struct save_set *set, const char *diff_id, const char *tmp,
           pt_error_t *err)
{
  for (size_t i = 0; i < set->n_jobs; i++)
    if (strcmp (strrchr (set->jobs[i].dir, '/') + 1, diff_id) == 0)
      return &set->jobs[i];
  if (set->n_jobs == set->cap_jobs)
    {
      pt_make_error (err, 0, "too many layers to save (%zu)", set->cap_jobs);
      return NULL;
    }
  struct pt_tar_job *j = &set->jobs[set->n_jobs];
  memset (j, 0, sizeof *j);
  j->dir = pt_store_path (s, "layers/%s", diff_id);
  j->expect = pt_layer_size (s, diff_id);
  j->out = xasprintf ("%s/layer-%zu.tar", tmp, set->n_jobs++);
  return j;
}

/* The images of refs (with -m), or the one image of refs[0] with the other
   names as its tags. */
static int
gather (struct pt_store *s, char *const *refs, size_t nrefs, const struct pt_save_opts *o,
        const char *tmp, struct save_set *set, pt_error_t *err)
{
  size_t want = o->multi ? nrefs : 1;
  set->v = xzalloc (want * sizeof *set->v);
  for (size_t i = 0; i < want; i++)
    {
      struct saved_image *si = &set->v[set->n];
      if (pt_image_lookup (s, refs[i], &si->img, err) < 0)
        return -1;
      set->n++;
      si->tags = pt_strv_dup (si->img.names);
      for (size_t k = 1; !o->multi && k < nrefs; k++)
        {
          char *t = pt_ref_full (refs[k], err);
          if (t == NULL)
            return -1;
          pt_strv_append (&si->tags, t);
          free (t);
        }
      size_t n = pt_strv_len (si->img.layers);
      si->layers = xzalloc ((n + 1) * sizeof *si->layers);
      for (size_t k = 0; k < n; k++)
        if ((si->layers[k] = layer_job (s, set, si->img.layers[k], tmp, err)) == NULL)
          return -1;
    }
  return 0;
}

static void
save_set_free (struct save_set *set)
{
  for (size_t i = 0; i < set->n; i++)
    {
      pt_image_free (&set->v[i].img);
      free (set->v[i].layers);
      pt_strv_free (set->v[i].tags);
      free (set->v[i].cfg);
    }
  free (set->v);
  for (size_t i = 0; i < set->n_jobs; i++)
    {
      free ((char *)set->jobs[i].dir);
      free ((char *)set->jobs[i].out);
    }
  if (set->jobs)
    munmap (set->jobs, set->cap_jobs * sizeof *set->jobs);
}

static int
write_archive (const struct save_set *set, const struct pt_save_opts *o, const char *out_tmp,
               pt_error_t *err)
{
  struct archive *a = archive_write_new ();
  archive_write_set_format_pax_restricted (a);
  int opened = o->path ? archive_write_open_filename (a, out_tmp)
                       : archive_write_open_fd (a, o->out_fd);
  int r = 0;
  if (opened != ARCHIVE_OK)
    r = pt_make_error (err, 0, "open `%s`: %s", o->path ? o->path : "stdout",
                       archive_error_string (a));
  if (r == 0)
    r = o->format == PT_SAVE_OCI_ARCHIVE ? write_oci (a, &set->v[0], err)
                                         : write_docker (a, set, err);
  if (archive_write_close (a) != ARCHIVE_OK && r == 0)
    r = pt_make_error (err, 0, "write `%s`: %s", o->path ? o->path : "stdout",
                       archive_error_string (a));
  archive_write_free (a);
  if (r == 0 && o->path && rename (out_tmp, o->path) < 0)
    r = pt_make_error (err, errno, "rename `%s`", out_tmp);
  return r;
}

static void
remove_tmp (char *tmp)
{
  pt_error_t t = NULL;
  if (tmp && pt_rmtree_at (AT_FDCWD, tmp, &t) < 0)
    pt_error_release (&t);
  free (tmp);
}

/* The images' layers as tars in *tmp, their configs with the new diff_ids. */
static int
prepare (struct pt_store *s, const struct pt_idmap *m, char *const *refs, size_t nrefs,
         const struct pt_save_opts *o, struct tar_ctx *ctx, struct save_set *set, char **tmp,
         pt_error_t *err)
{
  *tmp = NULL;
  memset (set, 0, sizeof *set);
  if (pt_dl_archive (err) < 0)
    return -1;
  set->cap_jobs = 1024;
  set->jobs = mmap (NULL, set->cap_jobs * sizeof *set->jobs, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (set->jobs == MAP_FAILED)
    {
      set->jobs = NULL;
      return pt_make_error (err, errno, "mmap");
    }
  *tmp = pt_store_mkdtemp (s, "save", err);
  int r = *tmp ? gather (s, refs, nrefs, o, *tmp, set, err) : -1;
  ctx->jobs = set->jobs;
  ctx->n = set->n_jobs;
  ctx->prog = o->prog;
  ctx->dir = *tmp;
  if (r == 0 && ctx->take)
    {
      if ((r = open_pipes (ctx, err)) == 0)
        r = pt_userns_run_beside (m, tar_layers_in_userns, ctx, take_layers, ctx, err);
      free (ctx->rfds);
    }
  else if (r == 0 && ctx->prog && ctx->prog->fn)
    r = pt_userns_run_ticking (m, tar_layers_in_userns, ctx, tar_tick, ctx, err);
  else if (r == 0)
    r = pt_userns_run (m, tar_layers_in_userns, ctx, err);
  for (size_t i = 0; r == 0 && ctx->prog && ctx->prog->fn && i < ctx->n; i++)
    ctx->prog->fn (ctx->prog->data, PT_PULL_BLOB_DONE, "blob", strrchr (ctx->jobs[i].dir, '/') + 1,
                   ctx->jobs[i].size, ctx->jobs[i].size);
  for (size_t i = 0; r == 0 && i < set->n; i++)
    {
      if ((set->v[i].cfg = updated_config (s, &set->v[i], err)) == NULL)
        r = -1;
      else
        pt_sha256_hex (set->v[i].cfg, strlen (set->v[i].cfg), set->v[i].cfg_hex);
    }
  return r;
}

int
pt_image_save (struct pt_store *s, const struct pt_idmap *m, char *const *refs, size_t nrefs,
               const struct pt_save_opts *o, pt_error_t *err)
{
  if (nrefs == 0)
    return pt_make_error (err, 0, "no image to save");
  if (o->format == PT_SAVE_OCI_ARCHIVE && nrefs > 1)
    return pt_make_error (err, 0, "oci-archive holds one image with one name: use "
                                  "--format docker-archive for more");
  struct save_set set;
  char *tmp;
  cleanup_free char *out_tmp = o->path ? xasprintf ("%s.tmp-%d", o->path, (int)getpid ()) : NULL;
  struct tar_ctx ctx = { 0 };
  int r = prepare (s, m, refs, nrefs, o, &ctx, &set, &tmp, err);
  bool say = o->prog && o->prog->fn;
  for (size_t i = 0; r == 0 && say && i < set.n; i++)
    o->prog->fn (o->prog->data, PT_PULL_BLOB_DONE, "config", set.v[i].cfg_hex,
                 strlen (set.v[i].cfg), strlen (set.v[i].cfg));
  if (r == 0 && say)
    o->prog->fn (o->prog->data, PT_PULL_WRITING, NULL, NULL, 0, 0);
  if (r == 0)
    r = write_archive (&set, o, out_tmp, err);
  if (r < 0 && out_tmp)
    unlink (out_tmp);
  save_set_free (&set);
  remove_tmp (tmp);
  return r;
}

int
pt_image_blobs_make (struct pt_store *s, const struct pt_idmap *m, const char *ref,
                     pt_blob_take_fn take, void *take_data, struct pt_image_blobs *b,
                     pt_error_t *err)
{
  memset (b, 0, sizeof *b);
  struct pt_save_opts o = { .format = PT_SAVE_OCI_ARCHIVE };
  char *const refs[] = { (char *)ref, NULL };
  b->set = xzalloc (sizeof *b->set);
  struct tar_ctx ctx = { .take = take, .take_data = take_data };
  if (prepare (s, m, refs, 1, &o, &ctx, b->set, &b->tmp, err) < 0)
    return -1;
  struct saved_image *si = &b->set->v[0];
  b->config = si->cfg;
  memcpy (b->config_hex, si->cfg_hex, sizeof b->config_hex);
  b->layers = si->layers;
  b->diff_ids = si->img.layers;
  b->n = pt_strv_len (si->img.layers);
  b->names = si->img.names;
  b->id = si->img.id;
  b->dir = b->tmp;
  return 0;
}

void
pt_image_blobs_free (struct pt_image_blobs *b)
{
  if (b->set)
    save_set_free (b->set);
  free (b->set);
  remove_tmp (b->tmp);
  memset (b, 0, sizeof *b);
}

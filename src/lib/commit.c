/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's writable layer as a new image: see commit.h. */
#include <config.h>
#include "commit.h"
#include "container.h"
#include <archive.h>
#include <archive_entry.h>
#include "dl.h"
#include "export.h"
#include "health.h"
#include "image.h"
#include "image-change.h"
#include "jsonutil.h"
#include "lifecycle.h"
#include "tree-tar.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

struct tar_job
{
  const char *dir;
  int out;
};

static int
tar_in_userns (void *data, pt_error_t *err)
{
  struct tar_job *j = data;
  int dfd = open (j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return pt_make_error (err, errno, "open `%s`", j->dir);
  /* What podtool wrote at create is the container's, not the image's
     (Podman binds its own): no layer of it. */
  int r = pt_tar_tree (dfd, j->out, pt_ctr_own_files, err);
  close (dfd);
  return r;
}

/* The container's own settings over its image's config. */
static void
container_config (json_t *root, const struct pt_ctr_spec *spec, const struct pt_commit_opts *o)
{
  json_t *cfg = json_object_get (root, "config");
  if (!json_is_object (cfg))
    json_object_set_new (root, "config", cfg = json_object ());
  /* The command: the image's entrypoint stays when it still leads it. */
  cleanup_strv char **entry = pt_json_strv (json_object_get (cfg, "Entrypoint"));
  size_t n = pt_strv_len (entry), k = 0;
  while (k < n && spec->argv[k] && strcmp (spec->argv[k], entry[k]) == 0)
    k++;
  if (k < n)
    json_object_set_new (cfg, "Entrypoint", json_null ()), k = 0;
  json_object_set_new (cfg, "Cmd", pt_strv_json (spec->argv + k));
  json_t *env = json_array ();
  for (size_t i = 0; spec->env[i]; i++)
    if (!pt_str_has_prefix (spec->env[i], "HOSTNAME="))
      json_array_append_new (env, pt_json_str (spec->env[i]));
  json_object_set_new (cfg, "Env", env);
  json_object_set_new (cfg, "WorkingDir", pt_json_str (spec->cwd));
  json_object_set_new (cfg, "User", pt_json_str (spec->user));
  json_object_set_new (cfg, "Labels", pt_ctr_labels_json (spec));
  if (o->include_volumes)
    {
      json_t *vols = json_object_get (cfg, "Volumes");
      if (!json_is_object (vols))
        json_object_set_new (cfg, "Volumes", vols = json_object ());
      for (size_t i = 0; i < spec->n_mounts; i++)
        if (strcmp (spec->mounts[i].type, "volume") == 0)
          json_object_set_new (vols, spec->mounts[i].destination, json_object ());
    }
  /* The healthcheck it has (its own or the image's) goes with the image. */
  json_t *health = pt_health_config_json (spec);
  if (health)
    json_object_set_new (cfg, "Healthcheck", health);
  const char *sig = sigabbrev_np (spec->stop_signal);
  if (sig && spec->stop_signal != SIGTERM)
    {
      cleanup_free char *name = xasprintf ("SIG%s", sig);
      json_object_set_new (cfg, "StopSignal", json_string (name));
    }
  cleanup_free char *now = pt_format_time_ns (pt_now_ns ());
  json_object_set_new (root, "created", json_string (now));
  if (o->author)
    json_object_set_new (root, "author", json_string (o->author));
  json_t *hist = json_object_get (root, "history");
  /* Squashed: one layer, one step. */
  if (!json_is_array (hist) || o->squash)
    json_object_set_new (root, "history", hist = json_array ());
  json_t *h = json_pack ("{s:s, s:s}", "created", now, "created_by", "podtool commit");
  if (o->message)
    json_object_set_new (h, "comment", json_string (o->message));
  if (o->author)
    json_object_set_new (h, "author", json_string (o->author));
  json_array_append_new (hist, h);
}

int
pt_ctr_commit (struct pt_store *s, const struct pt_idmap *m, const char *id,
               const struct pt_commit_opts *o, char **image_id, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  struct pt_image img = { 0 };
  if (pt_dl_archive (err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  int r = pt_image_lookup (s, spec.image_id, &img, err);
  json_t *root = r == 0 ? pt_image_read_config (s, img.id, err) : NULL;
  if (root == NULL)
    r = -1;
  if (r == 0)
    container_config (root, &spec, o);
  for (size_t i = 0; r == 0 && o->changes && o->changes[i]; i++)
    r = pt_image_apply_change (root, o->changes[i], err);
  /* On vfs the writable layer is the whole root: it stands alone. */
  cleanup_free char *stamp = xasprintf ("%s/vfs.done", spec.dir);
  bool vfs = access (stamp, F_OK) == 0;
  cleanup_free char *upper = xasprintf ("%s/upper", spec.dir);
  cleanup_free char *tmpdir = r == 0 ? pt_store_mkdtemp (s, "commit", err) : NULL;
  cleanup_free char *tar = tmpdir ? xasprintf ("%s/layer.tar", tmpdir) : NULL;
  if (r == 0 && tmpdir == NULL)
    r = -1;
  struct pt_ctr_state st;
  bool paused = false;
  if (r == 0 && o->pause && pt_ctr_state (s, id, &st, err) == 0 && st.status == PT_CTR_RUNNING
      && st.cgroup[0])
    {
      pt_error_t e = NULL;
      paused = pt_ctr_pause (s, id, true, &e) == 0;
      pt_error_release (&e);
    }
  if (r == 0)
    {
      /* --squash: the merged root, as export writes it, is the one layer. */
      struct tar_job j = { upper, open (tar, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) };
      r = j.out < 0    ? pt_make_error (err, errno, "create `%s`", tar)
          : o->squash ? pt_ctr_export (s, m, id, j.out, err)
                      : pt_userns_run_mode (m, spec.userns, tar_in_userns, &j, err);
      if (j.out >= 0)
        close (j.out);
    }
  if (paused)
    {
      pt_error_t e = NULL;
      if (pt_ctr_pause (s, id, false, &e) < 0)
        pt_error_release (&e);
    }
  char *none[] = { NULL };
  if (r == 0)
    r = pt_image_commit (s, m, vfs || o->squash ? none : img.layers,
                         vfs || o->squash ? 0 : img.size, tar, root, o->name, image_id, err);
  if (tmpdir)
    {
      pt_error_t e = NULL;
      if (pt_rmtree_at (AT_FDCWD, tmpdir, &e) < 0)
        pt_error_release (&e);
    }
  json_decref (root);
  pt_image_free (&img);
  pt_ctr_spec_free (&spec);
  return r;
}

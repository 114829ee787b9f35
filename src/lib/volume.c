/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named volumes: see volume.h. */
#include <config.h>
#include "volume.h"
#include "container.h"
#include "events.h"
#include "image.h"
#include "jsonutil.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

void
pt_volume_free (struct pt_volume *v)
{
  free (v->name);
  free (v->mountpoint);
  free (v->created);
  pt_strv_free (v->labels);
  pt_strv_free (v->options);
  memset (v, 0, sizeof *v);
}

const char *
pt_volume_name_check (const char *name)
{
  if (name == NULL || *name == '\0')
    return "a volume name cannot be empty";
  if (strlen (name) > 255)
    return "a volume name is at most 255 characters";
  for (const char *p = name; *p; p++)
    {
      bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
      if (!alnum && (p == name || (*p != '_' && *p != '.' && *p != '-')))
        return "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument";
    }
  return NULL;
}

static char **
kv_list (json_t *o)
{
  char **v = xzalloc (sizeof (char *));
  const char *k;
  json_t *x;
  json_object_foreach (o, k, x)
  {
    cleanup_free char *kv = xasprintf ("%s=%s", k, json_string_value (x) ?: "");
    pt_strv_append (&v, kv);
  }
  return v;
}

static int
read_volume (struct pt_store *s, const char *name, struct pt_volume *v, pt_error_t *err)
{
  memset (v, 0, sizeof *v);
  cleanup_free char *path = pt_store_path (s, "volumes/%s/volume.json", name);
  json_t *j = pt_volume_name_check (name) ? NULL : json_load_file (path, 0, NULL);
  if (!json_is_object (j))
    {
      json_decref (j);
      return pt_make_error (err, 0, "no volume with name \"%s\" found: no such volume", name);
    }
  v->name = xstrdup (name);
  v->mountpoint = pt_store_path (s, "volumes/%s/_data", name);
  v->created = xstrdup (json_string_value (json_object_get (j, "CreatedAt")) ?: "");
  v->labels = kv_list (json_object_get (j, "Labels"));
  v->options = kv_list (json_object_get (j, "Options"));
  v->anonymous = json_is_true (json_object_get (j, "Anonymous"));
  json_decref (j);
  return 0;
}

int
pt_volume_lookup (struct pt_store *s, const char *name, struct pt_volume *v, pt_error_t *err)
{
  return read_volume (s, name, v, err);
}

/* Under the store's lock: the directory, _data, the copy-up mark, then
   volume.json by rename, which makes the volume exist. */
static int
create_locked (struct pt_store *s, const char *name, char *const *labels, char *const *options,
               bool anonymous, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_path (s, "volumes/%s", name);
  cleanup_free char *data = pt_store_path (s, "volumes/%s/_data", name);
  cleanup_free char *mark = pt_store_path (s, "volumes/%s/needs-copyup", name);
  cleanup_free char *meta = pt_store_path (s, "volumes/%s/volume.json", name);
  cleanup_free char *created = pt_format_time_ns (pt_now_ns ());
  json_t *j = json_pack ("{s:s, s:s, s:s, s:o, s:o, s:b}", "Name", name, "Driver", "local",
                         "CreatedAt", created, "Labels", pt_kv_json (labels), "Options",
                         pt_kv_json (options), "Anonymous", anonymous);
  cleanup_free char *text = json_dumps (j, JSON_INDENT (1));
  json_decref (j);
  if (pt_mkdir_p (dir, 0700, err) < 0 || (mkdir (data, 0755) < 0 && errno != EEXIST))
    return pt_make_error (err, errno, "create the volume `%s`", name);
  int fd = open (mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    close (fd);
  return pt_write_file_atomic (AT_FDCWD, meta, text, strlen (text), 0600, 0, err);
}

int
pt_volume_create (struct pt_store *s, const char *name, char *const *labels, char *const *options,
                  bool anonymous, bool existing_ok, struct pt_volume *v, pt_error_t *err)
{
  cleanup_free char *random = name ? NULL : pt_random_id ();
  const char *n = name ? name : random;
  const char *why = pt_volume_name_check (n);
  if (why)
    return pt_make_error (err, 0, "invalid volume name `%s`: %s", n, why);
  for (size_t i = 0; options && options[i]; i++)
    if (!pt_str_has_prefix (options[i], "o=") && !pt_str_has_prefix (options[i], "type=")
        && !pt_str_has_prefix (options[i], "device="))
      return pt_make_error (err, 0,
                            "invalid volume option `%s`: the local driver takes type=, o= and "
                            "device=",
                            options[i]);
    else if ((pt_str_has_prefix (options[i], "type=") && strcmp (options[i], "type=tmpfs") != 0)
             || (pt_str_has_prefix (options[i], "device=")
                 && strcmp (options[i], "device=tmpfs") != 0))
      return pt_make_error (err, 0,
                            "volume option `%s`: not supported by podtool: rootless, its local "
                            "driver mounts only tmpfs volumes (type=tmpfs); a plain one is a "
                            "directory",
                            options[i]);
  if (pt_store_lock (s, err) < 0)
    return -1;
  pt_error_t e = NULL;
  int r = read_volume (s, n, v, &e);
  if (r == 0 && !existing_ok)
    {
      pt_volume_free (v);
      r = pt_make_error (err, 0, "volume with name %s already exists: volume already exists", n);
    }
  else if (r < 0)
    {
      pt_error_release (&e);
      r = create_locked (s, n, labels, options, anonymous, err);
      if (r == 0)
        r = read_volume (s, n, v, err);
      if (r == 0)
        pt_event (s, "volume", "create", n, n, NULL, NULL);
    }
  pt_store_unlock (s);
  return r;
}

int
pt_volume_list (struct pt_store *s, char ***names, pt_error_t *err)
{
  (void)err;
  cleanup_free char *dir = pt_store_path (s, "volumes");
  *names = xzalloc (sizeof (char *));
  DIR *d = opendir (dir);
  if (d == NULL)
    return 0;
  struct dirent *de;
  while ((de = readdir (d)))
    {
      cleanup_free char *meta = pt_store_path (s, "volumes/%s/volume.json", de->d_name);
      if (de->d_name[0] != '.' && access (meta, F_OK) == 0)
        pt_strv_append (names, de->d_name);
    }
  closedir (d);
  size_t n = pt_strv_len (*names);
  for (size_t i = 0; i < n; i++)
    for (size_t k = i + 1; k < n; k++)
      if (strcmp ((*names)[i], (*names)[k]) > 0)
        {
          char *t = (*names)[i];
          (*names)[i] = (*names)[k];
          (*names)[k] = t;
        }
  return 0;
}

char **
pt_volume_users (struct pt_store *s, const char *name)
{
  char **users = xzalloc (sizeof (char *));
  cleanup_strv char **ids = NULL;
  pt_error_t e = NULL;
  if (pt_ctr_list (s, &ids, &e) < 0)
    {
      pt_error_release (&e);
      return users;
    }
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      if (pt_ctr_spec_read (s, ids[i], &spec, &e) < 0)
        {
          pt_error_release (&e);
          pt_ctr_spec_free (&spec);
          continue;
        }
      for (size_t k = 0; k < spec.n_mounts; k++)
        if (spec.mounts[k].volume && strcmp (spec.mounts[k].volume, name) == 0)
          {
            pt_strv_append (&users, ids[i]);
            break;
          }
      pt_ctr_spec_free (&spec);
    }
  return users;
}

static int
rmtree_in_userns (void *data, pt_error_t *err)
{
  return pt_rmtree_at (AT_FDCWD, data, err);
}

int
pt_volume_remove (struct pt_store *s, const struct pt_idmap *m, const char *name, bool force,
                  pt_error_t *err)
{
  struct pt_volume v;
  if (read_volume (s, name, &v, err) < 0)
    return -1;
  pt_volume_free (&v);
  cleanup_strv char **users = pt_volume_users (s, name);
  if (users[0] && !force)
    {
      cleanup_free char *list = pt_strv_join (users, ", ");
      return pt_make_error_code (err, 2, 0,
                                 "volume %s is being used by the following container(s): %s: "
                                 "volume is being used",
                                 name, list);
    }
  for (size_t i = 0; users[i]; i++)
    if (pt_ctr_remove (s, m, users[i], true, err) < 0)
      return -1;
  if (pt_store_lock (s, err) < 0)
    return -1;
  cleanup_free char *dir = pt_store_path (s, "volumes/%s", name);
  cleanup_free char *meta = pt_store_path (s, "volumes/%s/volume.json", name);
  /* volume.json first: a half-removed volume is gone for everyone. */
  int r = unlink (meta) < 0 ? pt_make_error (err, errno, "remove the volume `%s`", name) : 0;
  pt_store_unlock (s);
  pt_error_t e = NULL;
  if (r == 0 && pt_rmtree_at (AT_FDCWD, dir, &e) < 0)
    {
      /* Files of subordinate owners: in the namespace (the monitor has no
         mapping of its own: the cached one). */
      pt_error_release (&e);
      struct pt_idmap own = { 0 };
      cleanup_free char *cache = pt_store_runpath (s, "idmap.json");
      if (m == NULL && pt_idmap_load (&own, cache, err) < 0)
        return -1;
      r = pt_userns_run (m ? m : &own, rmtree_in_userns, dir, err);
      if (m == NULL)
        pt_idmap_free (&own);
    }
  if (r == 0)
    pt_event (s, "volume", "remove", name, name, NULL, NULL);
  return r;
}

json_t *
pt_volume_json (const struct pt_volume *v, struct pt_store *s)
{
  cleanup_free char *mark = pt_store_path (s, "volumes/%s/needs-copyup", v->name);
  return json_pack ("{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:i, s:b, s:b, s:b}", "Name", v->name,
                    "Driver", "local", "Mountpoint", v->mountpoint, "CreatedAt", v->created,
                    "Labels", pt_kv_json (v->labels), "Scope", "local", "Options",
                    pt_kv_json (v->options), "MountCount", 0, "NeedsCopyUp",
                    access (mark, F_OK) == 0, "NeedsChown", false, "Anonymous", v->anonymous);
}

/* The image's Volumes, where no mount of the user's is, as anonymous ones. */
static void
image_volumes (struct pt_store *s, struct pt_ctr_spec *spec)
{
  pt_error_t e = NULL;
  json_t *root = spec->image_id ? pt_image_read_config (s, spec->image_id, &e) : NULL;
  pt_error_release (&e);
  const char *path;
  json_t *x;
  json_object_foreach (json_object_get (json_object_get (root, "config"), "Volumes"), path, x)
  {
    bool taken = path[0] != '/';
    for (size_t i = 0; i < spec->n_mounts && !taken; i++)
      taken = strcmp (spec->mounts[i].destination, path) == 0;
    if (taken)
      continue;
    spec->mounts = xrealloc (spec->mounts, (spec->n_mounts + 1) * sizeof *spec->mounts);
    spec->mounts[spec->n_mounts++] = (struct pt_mount){ .type = xstrdup ("volume"),
                                                        .destination = xstrdup (path),
                                                        .volume = xstrdup (""),
                                                        .anonymous = true };
  }
  json_decref (root);
}

int
pt_ctr_volumes_prepare (struct pt_store *s, struct pt_ctr_spec *spec, pt_error_t *err)
{
  image_volumes (s, spec);
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      struct pt_mount *m = &spec->mounts[i];
      struct pt_volume v;
      if (strcmp (m->type, "volume") != 0)
        continue;
      if (pt_volume_create (s, m->anonymous ? NULL : m->volume, NULL, NULL, m->anonymous,
                            !m->anonymous, &v, err)
          < 0)
        return -1;
      free (m->volume);
      free (m->source);
      m->volume = steal_pointer (&v.name);
      m->source = steal_pointer (&v.mountpoint);
      /* --opt type=tmpfs [o=size=...]: a tmpfs of its own at each start, as
         Podman's local driver mounts one. */
      bool tmpfs = false;
      const char *o = NULL;
      for (size_t k = 0; v.options && v.options[k]; k++)
        if (strcmp (v.options[k], "type=tmpfs") == 0)
          tmpfs = true;
        else if (pt_str_has_prefix (v.options[k], "o="))
          o = v.options[k] + 2;
      if (tmpfs)
        m->tmpfs_opts = xstrdup (o ? o : "");
      pt_volume_free (&v);
    }
  return 0;
}

void
pt_ctr_volumes_remove_anonymous (struct pt_store *s, const struct pt_idmap *m,
                                 const struct pt_ctr_spec *spec)
{
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct pt_mount *mt = &spec->mounts[i];
      pt_error_t e = NULL;
      if (mt->anonymous && mt->volume && *mt->volume
          && pt_volume_remove (s, m, mt->volume, false, &e) < 0)
        pt_error_release (&e); /* another container uses it still */
    }
}

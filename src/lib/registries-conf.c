/* SPDX-License-Identifier: GPL-2.0-or-later */
/* registries.conf (containers-registries.conf(5), TOML, read with the
   vendored tomlc99): $CONTAINERS_REGISTRIES_CONF alone when set; else the
   user's $XDG_CONFIG_HOME/containers/registries.conf when there, or
   /etc/containers/registries.conf; then the registries.conf.d drop-ins
   (/etc/containers', then the user's), each in name order. A later file's
   unqualified-search-registries and a [[registry]] of the same prefix
   replace an earlier's; aliases add up. */
#include <config.h>
#include "registries-conf.h"
#include "util.h"
#include "toml.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *
toml_str (toml_table_t *t, const char *key)
{
  toml_datum_t d = toml_string_in (t, key);
  return d.ok ? d.u.s : NULL;
}

static bool
toml_flag (toml_table_t *t, const char *key)
{
  toml_datum_t d = toml_bool_in (t, key);
  return d.ok && d.u.b;
}

static struct pt_reg_entry *
entry_for (struct pt_reg_conf *c, const char *prefix)
{
  for (size_t i = 0; i < c->n_regs; i++)
    if (strcmp (c->regs[i].prefix, prefix) == 0)
      {
        struct pt_reg_entry *e = &c->regs[i];
        free (e->location);
        pt_strv_free (e->mirrors);
        pt_strv_free (e->mirrors_insecure);
        e->location = NULL;
        e->mirrors = e->mirrors_insecure = NULL;
        return e;
      }
  c->regs = xrealloc (c->regs, (c->n_regs + 1) * sizeof *c->regs);
  struct pt_reg_entry *e = &c->regs[c->n_regs++];
  memset (e, 0, sizeof *e);
  e->prefix = xstrdup (prefix);
  return e;
}

static int
read_registry (struct pt_reg_conf *c, toml_table_t *t, const char *path, pt_error_t *err)
{
  cleanup_free char *location = toml_str (t, "location");
  cleanup_free char *prefix = toml_str (t, "prefix");
  if (location == NULL && prefix == NULL)
    return pt_make_error (err, 0, "%s: a [[registry]] with neither location nor prefix", path);
  struct pt_reg_entry *e = entry_for (c, prefix ? prefix : location);
  e->location = xstrdup (location ? location : prefix);
  e->insecure = toml_flag (t, "insecure");
  e->blocked = toml_flag (t, "blocked");
  e->mirrors = xzalloc (sizeof (char *));
  e->mirrors_insecure = xzalloc (sizeof (char *));
  toml_array_t *ms = toml_array_in (t, "mirror");
  for (int i = 0; ms && i < toml_array_nelem (ms); i++)
    {
      toml_table_t *mt = toml_table_at (ms, i);
      cleanup_free char *ml = mt ? toml_str (mt, "location") : NULL;
      if (ml == NULL)
        return pt_make_error (err, 0, "%s: a [[registry.mirror]] of `%s` without a location", path,
                              e->prefix);
      pt_strv_append (&e->mirrors, ml);
      pt_strv_append (&e->mirrors_insecure, toml_flag (mt, "insecure") ? "1" : "");
    }
  return 0;
}

static int
read_strings (toml_table_t *t, const char *key, char ***out, const char *path, pt_error_t *err)
{
  toml_array_t *a = toml_array_in (t, key);
  if (a == NULL)
    return 0;
  pt_strv_free (*out);
  *out = xzalloc (sizeof (char *));
  for (int i = 0; i < toml_array_nelem (a); i++)
    {
      toml_datum_t d = toml_string_at (a, i);
      if (!d.ok)
        return pt_make_error (err, 0, "%s: %s must be strings", path, key);
      pt_strv_append (out, d.u.s);
      free (d.u.s);
    }
  return 0;
}

static int
read_file (struct pt_reg_conf *c, const char *path, pt_error_t *err)
{
  cleanup_free char *text = NULL;
  if (pt_read_file (AT_FDCWD, path, &text, NULL, err) < 0)
    return -1;
  char msg[256];
  toml_table_t *t = toml_parse (text, msg, sizeof msg);
  if (t == NULL)
    return pt_make_error (err, 0, "%s: not TOML: %s", path, msg);
  int r = read_strings (t, "unqualified-search-registries", &c->search, path, err);
  toml_array_t *regs = toml_array_in (t, "registry");
  for (int i = 0; r == 0 && regs && i < toml_array_nelem (regs); i++)
    {
      toml_table_t *rt = toml_table_at (regs, i);
      r = rt ? read_registry (c, rt, path, err)
             : pt_make_error (err, 0, "%s: registry must be an array of tables", path);
    }
  toml_table_t *al = toml_table_in (t, "aliases");
  for (int i = 0; r == 0 && al && toml_key_in (al, i); i++)
    {
      const char *k = toml_key_in (al, i);
      cleanup_free char *v = toml_str (al, k);
      if (v == NULL)
        r = pt_make_error (err, 0, "%s: the alias `%s` must be a string", path, k);
      else
        {
          pt_strv_append (&c->alias_keys, k);
          pt_strv_append (&c->alias_values, v);
        }
    }
  toml_free (t);
  return r;
}

static int
read_dropins (struct pt_reg_conf *c, const char *dir, pt_error_t *err)
{
  struct dirent **ents = NULL;
  int n = scandir (dir, &ents, NULL, alphasort);
  int r = 0;
  for (int i = 0; i < n; i++)
    {
      size_t len = strlen (ents[i]->d_name);
      if (r == 0 && len > 5 && strcmp (ents[i]->d_name + len - 5, ".conf") == 0)
        {
          cleanup_free char *p = xasprintf ("%s/%s", dir, ents[i]->d_name);
          r = read_file (c, p, err);
        }
      free (ents[i]);
    }
  free (ents);
  return r;
}

int
pt_reg_conf_load (struct pt_reg_conf *c, pt_error_t *err)
{
  memset (c, 0, sizeof *c);
  c->search = xzalloc (sizeof (char *));
  c->alias_keys = xzalloc (sizeof (char *));
  c->alias_values = xzalloc (sizeof (char *));
  const char *env = getenv ("CONTAINERS_REGISTRIES_CONF");
  cleanup_free char *user_dir = pt_user_containers_dir ();
  cleanup_free char *user = xasprintf ("%s/registries.conf", user_dir);
  if (env && *env)
    c->path = xstrdup (env);
  else
    c->path = xstrdup (access (user, F_OK) == 0 ? user : "/etc/containers/registries.conf");
  if (access (c->path, F_OK) == 0 && read_file (c, c->path, err) < 0)
    return -1;
  if (env && *env)
    return 0;
  cleanup_free char *user_d = xasprintf ("%s/registries.conf.d", user_dir);
  return read_dropins (c, "/etc/containers/registries.conf.d", err) < 0
                 || read_dropins (c, user_d, err) < 0
             ? -1
             : 0;
}

void
pt_reg_conf_free (struct pt_reg_conf *c)
{
  for (size_t i = 0; i < c->n_regs; i++)
    {
      free (c->regs[i].prefix);
      free (c->regs[i].location);
      pt_strv_free (c->regs[i].mirrors);
      pt_strv_free (c->regs[i].mirrors_insecure);
    }
  free (c->regs);
  pt_strv_free (c->search);
  pt_strv_free (c->alias_keys);
  pt_strv_free (c->alias_values);
  free (c->path);
  memset (c, 0, sizeof *c);
}

const struct pt_reg_entry *
pt_reg_conf_find (const struct pt_reg_conf *c, const char *name)
{
  const struct pt_reg_entry *best = NULL;
  size_t best_len = 0;
  for (size_t i = 0; i < c->n_regs; i++)
    {
      const char *p = c->regs[i].prefix;
      size_t n = strlen (p);
      /* At a boundary: the end (strchr finds the NUL too), a /, a tag or a digest. */
      if (strncmp (name, p, n) == 0 && strchr ("/:@", name[n]) && n > best_len)
        best = &c->regs[i], best_len = n;
    }
  return best;
}

const char *
pt_reg_conf_alias (const struct pt_reg_conf *c, const char *name)
{
  const char *found = NULL;
  for (size_t i = 0; c->alias_keys[i]; i++)
    if (strcmp (c->alias_keys[i], name) == 0)
      found = c->alias_values[i]; /* the last file's wins */
  return found;
}

bool
pt_image_name_is_short (const char *text)
{
  const char *t = pt_str_has_prefix (text, "docker://") ? text + 9 : text;
  const char *slash = strchr (t, '/');
  if (slash == NULL)
    return true;
  cleanup_free char *first = xstrndup (t, slash - t);
  return strcmp (first, "localhost") != 0 && strpbrk (first, ".:") == NULL;
}

int
pt_image_short_candidates (const char *text, char ***out, pt_error_t *err)
{
  *out = xzalloc (sizeof (char *));
  struct pt_reg_conf c;
  if (pt_reg_conf_load (&c, err) < 0)
    return pt_reg_conf_free (&c), -1;
  /* NAME[:TAG][@DIGEST]: the alias is of NAME. */
  size_t n = strcspn (text, ":@");
  cleanup_free char *name = xstrndup (text, n);
  const char *alias = pt_reg_conf_alias (&c, name);
  if (alias)
    {
      cleanup_free char *ref = xasprintf ("%s%s", alias, text + n);
      pt_strv_append (out, ref);
    }
  for (size_t i = 0; alias == NULL && c.search[i]; i++)
    {
      cleanup_free char *ref = xasprintf ("%s/%s", c.search[i], text);
      pt_strv_append (out, ref);
    }
  int r = 0;
  if ((*out)[0] == NULL)
    r = pt_make_error (err, 0,
                       "short-name \"%s\" did not resolve to an alias and no "
                       "unqualified-search registries are defined in \"%s\"",
                       text, c.path);
  pt_reg_conf_free (&c);
  return r;
}

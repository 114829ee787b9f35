/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --filter KEY=VALUE for containers: ps's, and stop, start, rm, kill,
   pause, unpause and restart take the same (see cmd.h). */
#include <config.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/health.h"
#include "lib/pod.h"
#include "lib/reference.h"
#include "lib/util.h"

void
pt_cli_filters_init (struct pt_cli_filters *f)
{
  memset (f, 0, sizeof *f);
  char ***lists[] = { &f->status,  &f->name,    &f->id,     &f->label,
                      &f->exited,  &f->ancestor, &f->network, &f->restart,
                      &f->health,  &f->volume,   &f->pod };
  for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
    *lists[i] = xzalloc (sizeof (char *));
}

bool
pt_cli_filters_any (const struct pt_cli_filters *f)
{
  return f
         && (f->status[0] || f->name[0] || f->id[0] || f->label[0] || f->exited[0] || f->ancestor[0]
             || f->network[0] || f->restart[0] || f->health[0] || f->volume[0] || f->pod[0]
             || f->before
             || f->since
             || f->until_ns);
}

/* --filter KEY=VALUE: values of one key are alternatives, except label,
   where every one must hold, as in Podman. */

void
pt_cli_filters_free (struct pt_cli_filters *f)
{
  pt_strv_free (f->status);
  pt_strv_free (f->name);
  pt_strv_free (f->id);
  pt_strv_free (f->label);
  pt_strv_free (f->exited);
  pt_strv_free (f->ancestor);
  pt_strv_free (f->network);
  pt_strv_free (f->restart);
  pt_strv_free (f->health);
  pt_strv_free (f->volume);
  pt_strv_free (f->pod);
  free (f->before);
  free (f->since);
}

/* before= and since= name containers: their creation times bound the list. */
int
pt_cli_filters_resolve (struct pt_store *s, struct pt_cli_filters *f, pt_error_t *err)
{
  f->store = s;
  char *refs[2] = { f->before, f->since };
  int64_t *out[2] = { &f->before_ns, &f->since_ns };
  for (int i = 0; i < 2; i++)
    {
      cleanup_free char *id = NULL;
      struct pt_ctr_spec spec;
      if (refs[i] == NULL)
        continue;
      if (pt_ctr_resolve (s, refs[i], &id, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
        return -1;
      *out[i] = spec.created_ns;
      pt_ctr_spec_free (&spec);
    }
  return 0;
}

static bool
any_match (char **values, bool (*match) (const char *want, const char *have), const char *have)
{
  if (values[0] == NULL)
    return true;
  for (size_t i = 0; values[i]; i++)
    if (match (values[i], have))
      return true;
  return false;
}

static bool
same (const char *want, const char *have)
{
  return strcmp (want, have) == 0;
}

static bool
prefix (const char *want, const char *have)
{
  return pt_str_has_prefix (have, want);
}

/* name= is a regular expression, as in Podman. */
bool
pt_cli_regex_match (const char *want, const char *have)
{
  regex_t re;
  if (regcomp (&re, want, REG_EXTENDED | REG_NOSUB) != 0)
    return false;
  bool m = regexec (&re, have, 0, NULL, 0) == 0;
  regfree (&re);
  return m;
}

/* ancestor= names the image as any of its names do, or by id prefix. */
static bool
image_match (const char *want, const char *have)
{
  cleanup_free char *norm = pt_ref_normalize (want);
  return norm && pt_ref_matches (have, norm);
}

/* label=KEY holds when the label is there, label=KEY=VALUE when it has that value. */
static bool
labels_match (char **wanted, char **labels)
{
  for (size_t i = 0; wanted[i]; i++)
    {
      bool found = false;
      size_t klen = strcspn (wanted[i], "=");
      for (size_t k = 0; labels && labels[k] && !found; k++)
        found = strncmp (labels[k], wanted[i], klen) == 0 && labels[k][klen] == '='
                && (wanted[i][klen] == '\0'
                    || strcmp (labels[k] + klen + 1, wanted[i] + klen + 1) == 0);
      if (!found)
        return false;
    }
  return true;
}

/* volume=: a volume's name, or where a mount is. */
static bool
volume_match (const struct pt_cli_filters *f, const struct pt_ctr_spec *spec)
{
  for (size_t i = 0; f->volume[i]; i++)
    for (size_t k = 0; k < spec->n_mounts; k++)
      if ((spec->mounts[k].volume && strcmp (spec->mounts[k].volume, f->volume[i]) == 0)
          || strcmp (spec->mounts[k].destination, f->volume[i]) == 0)
        return true;
  return false;
}

/* health=: healthy, unhealthy, starting, or none (no healthcheck). */
static bool
health_match (const struct pt_cli_filters *f, const struct pt_ctr_spec *spec,
              const struct pt_ctr_state *st)
{
  json_t *h = f->store && st->status == PT_CTR_RUNNING ? pt_health_state (f->store, spec) : NULL;
  const char *status = h ? json_string_value (json_object_get (h, "Status")) : "none";
  bool r = any_match (f->health, same, status ? status : "none");
  json_decref (h);
  return r;
}

/* pod=NAME|ID: the container is of one of the pods named. */
static bool
pod_match (const struct pt_cli_filters *f, const struct pt_ctr_spec *spec)
{
  for (size_t i = 0; spec->pod && f->store && f->pod[i]; i++)
    {
      struct pt_pod p;
      pt_error_t tmp = NULL;
      if (pt_pod_lookup (f->store, f->pod[i], &p, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      bool same = strcmp (p.id, spec->pod) == 0;
      pt_pod_free (&p);
      if (same)
        return true;
    }
  return false;
}

bool
pt_cli_filters_match (const struct pt_cli_filters *f, const struct pt_ctr_spec *spec,
                      const struct pt_ctr_state *st)
{
  char code[16];
  snprintf (code, sizeof code, "%d", st->exit_code);
  return any_match (f->status, same, pt_ctr_status_name (st->status))
         && any_match (f->name, pt_cli_regex_match, spec->name) && any_match (f->id, prefix, spec->id)
         && labels_match (f->label, spec->labels)
         && (f->exited[0] == NULL
             || (st->status == PT_CTR_EXITED && any_match (f->exited, same, code)))
         && (any_match (f->ancestor, image_match, spec->image)
             || any_match (f->ancestor, prefix, spec->image_id))
         && any_match (f->network, same, spec->network ? spec->network : "")
         && any_match (f->restart, same,
                       spec->restart_policy && *spec->restart_policy ? spec->restart_policy : "no")
         && (!f->before_ns || spec->created_ns < f->before_ns)
         && (!f->since_ns || spec->created_ns > f->since_ns)
         && (!f->until_ns || spec->created_ns <= f->until_ns)
         && (f->health[0] == NULL || health_match (f, spec, st))
         && (f->volume[0] == NULL || volume_match (f, spec))
         && (f->pod[0] == NULL || pod_match (f, spec));
}

int
pt_cli_filters_add (struct pt_cli_filters *f, const char *arg, pt_error_t *err)
{
  static const char *const states[]
      = { "created", "initialized", "running", "paused", "exited", NULL };
  const char *eq = strchr (arg, '=');
  if (eq == NULL)
    return pt_make_error (err, 0, "invalid filter `%s`: use KEY=VALUE", arg);
  size_t k = eq - arg;
  const char *v = eq + 1;
  long n;
  regex_t re;
  if (k == 6 && strncmp (arg, "status", 6) == 0)
    {
      size_t i = 0;
      while (states[i] && strcmp (states[i], v) != 0)
        i++;
      if (states[i] == NULL)
        return pt_make_error (err, 0,
                              "invalid status filter `%s`: created, initialized, running, paused or exited", v);
      pt_strv_append (&f->status, v);
    }
  else if (k == 4 && strncmp (arg, "name", 4) == 0)
    {
      if (regcomp (&re, v, REG_EXTENDED | REG_NOSUB) != 0)
        return pt_make_error (err, 0, "invalid name filter `%s`: not a regular expression", v);
      regfree (&re);
      pt_strv_append (&f->name, v);
    }
  else if (k == 2 && strncmp (arg, "id", 2) == 0)
    pt_strv_append (&f->id, v);
  else if (k == 5 && strncmp (arg, "label", 5) == 0 && *v)
    pt_strv_append (&f->label, v);
  else if (k == 6 && strncmp (arg, "exited", 6) == 0)
    {
      if (pt_parse_long (v, 0, 255, &n) < 0)
        return pt_make_error (err, 0, "invalid exited filter `%s`: an exit code, 0 to 255", v);
      pt_strv_append (&f->exited, v);
    }
  else if (k == 8 && strncmp (arg, "ancestor", 8) == 0 && *v)
    pt_strv_append (&f->ancestor, v);
  else if (k == 7 && strncmp (arg, "network", 7) == 0 && *v)
    pt_strv_append (&f->network, v);
  else if (k == 14 && strncmp (arg, "restart-policy", 14) == 0 && *v)
    pt_strv_append (&f->restart, v);
  else if ((k == 6 && strncmp (arg, "before", 6) == 0)
           || (k == 5 && strncmp (arg, "since", 5) == 0))
    {
      char **slot = arg[0] == 'b' ? &f->before : &f->since;
      free (*slot);
      *slot = xstrdup (v);
    }
  else if (k == 5 && strncmp (arg, "until", 5) == 0)
    return pt_cli_parse_when (v, &f->until_ns, err);
  else if (k == 6 && strncmp (arg, "health", 6) == 0)
    {
      if (strcmp (v, "healthy") && strcmp (v, "unhealthy") && strcmp (v, "starting")
          && strcmp (v, "none"))
        return pt_make_error (err, 0,
                              "invalid health filter `%s`: healthy, unhealthy, starting or none", v);
      pt_strv_append (&f->health, v);
    }
  else if (k == 6 && strncmp (arg, "volume", 6) == 0 && *v)
    pt_strv_append (&f->volume, v);
  else if (k == 3 && strncmp (arg, "pod", 3) == 0 && *v)
    pt_strv_append (&f->pod, v);
  else
    return pt_make_error (err, 0,
                          "unsupported filter `%.*s`: status, name, id, label, exited, ancestor, "
                          "network, restart-policy, health, volume, pod, before, since or until",
                          (int)k, arg);
  return 0;
}

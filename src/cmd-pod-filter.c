/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pod ps --filter: Podman's keys for pods (id, name, label, status) and
   their containers (ctr-ids, ctr-names, ctr-status, ctr-number). Values
   of one key are alternatives; every key given must hold. */
#include <config.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd.h"
#include "cmd-pod.h"
#include "lib/container.h"
#include "lib/util.h"

static const char *const keys[] = { "id",        "name",       "label",      "status",
                                    "ctr-ids",   "ctr-names",  "ctr-status", "ctr-number",
                                    NULL };

int
pt_cli_pod_filter_add (struct pt_cli_pod_filter *f, const char *arg, pt_error_t *err)
{
  const char *eq = strchr (arg, '=');
  size_t k = 0;
  while (eq && keys[k] && (strlen (keys[k]) != (size_t)(eq - arg) || strncmp (keys[k], arg, eq - arg) != 0))
    k++;
  if (eq == NULL || keys[k] == NULL)
    return pt_make_error (err, 0, "invalid filter `%s`: podtool pod ps filters on %s", arg,
                          "id, name, label, status, ctr-ids, ctr-names, ctr-status, ctr-number");
  const char *v = eq + 1;
  regex_t re;
  if ((k == 1 || k == 5) && regcomp (&re, v, REG_EXTENDED | REG_NOSUB) != 0)
    return pt_make_error (err, 0, "invalid filter `%s`: not a regular expression", arg);
  if (k == 1 || k == 5)
    regfree (&re);
  static const char *const states[]
      = { "created", "running", "stopped", "exited", "paused", "degraded", "dead", NULL };
  size_t i = 0;
  while (k == 3 && states[i] && strcmp (states[i], v) != 0)
    i++;
  if (k == 3 && states[i] == NULL)
    return pt_make_error (err, 0, "invalid filter `%s`: a pod's status is created, running, "
                                  "stopped, exited, paused, degraded or dead", arg);
  long n;
  if (k == 7 && pt_parse_long (v, 0, 1 << 20, &n) < 0)
    return pt_make_error (err, 0, "invalid filter `%s`: a number of containers", arg);
  pt_strv_append (&f->v[k], v);
  return 0;
}

void
pt_cli_pod_filter_free (struct pt_cli_pod_filter *f)
{
  for (size_t k = 0; k < PT_POD_FILTER_KEYS; k++)
    pt_strv_free (f->v[k]);
}

/* label=KEY: the pod has it; label=KEY=VALUE: with that value. */
static bool
has_label (char **labels, const char *want)
{
  const char *eq = strchr (want, '=');
  size_t klen = eq ? (size_t)(eq - want) : strlen (want);
  for (size_t i = 0; labels && labels[i]; i++)
    if (strncmp (labels[i], want, klen) == 0 && (labels[i][klen] == '=' || labels[i][klen] == '\0')
        && (eq == NULL || strcmp (labels[i] + klen + (labels[i][klen] == '='), eq + 1) == 0))
      return true;
  return false;
}

/* Does any value of key k hold of the pod? */
static bool
one_holds (struct pt_store *s, size_t k, char **values, const struct pt_pod *p, const char *status,
           char **members)
{
  for (size_t i = 0; values[i]; i++)
    {
      const char *v = values[i];
      if ((k == 0 && pt_str_has_prefix (p->id, v)) || (k == 1 && pt_cli_regex_match (v, p->name))
          || (k == 2 && has_label (p->labels, v)) || (k == 3 && strcasecmp (v, status) == 0)
          || (k == 7 && (size_t)atol (v) == pt_strv_len (members)))
        return true;
      for (size_t m = 0; k >= 4 && k <= 6 && members && members[m]; m++)
        {
          struct pt_ctr_spec spec;
          struct pt_ctr_state st;
          pt_error_t tmp = NULL;
          if (pt_ctr_spec_read (s, members[m], &spec, &tmp) < 0)
            {
              pt_error_release (&tmp);
              continue;
            }
          bool hit = (k == 4 && pt_str_has_prefix (spec.id, v)) || (k == 5 && pt_cli_regex_match (v, spec.name));
          if (k == 6 && pt_ctr_state (s, members[m], &st, &tmp) == 0)
            hit = strcmp (pt_ctr_status_name (st.status), v) == 0;
          pt_error_release (&tmp);
          pt_ctr_spec_free (&spec);
          if (hit)
            return true;
        }
    }
  return false;
}

bool
pt_cli_pod_filter_match (struct pt_store *s, const struct pt_cli_pod_filter *f,
                         const struct pt_pod *p, const char *status, char **members)
{
  for (size_t k = 0; k < PT_POD_FILTER_KEYS; k++)
    if (f->v[k] && f->v[k][0] && !one_holds (s, k, f->v[k], p, status, members))
      return false;
  return true;
}

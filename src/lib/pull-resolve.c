/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a pull goes, as registries.conf says: a short name (no registry in
   it) through its alias or each unqualified-search registry in turn; a
   qualified one through the [[registry]] its name matches: blocked is an
   error, mirrors are tried before location, insecure ones without TLS
   verification. The image is stored under the name asked for (with the
   registry the short name resolved to), not a mirror's. */
#include <config.h>
#include "pull.h"
#include "image-ref.h"
#include "reference.h"
#include "registries-conf.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>

static int
pull_qualified (struct pt_store *s, const struct pt_idmap *m, const struct pt_reg_conf *c,
                const char *text, const struct pt_pull_opts *o, char **name, char **id,
                pt_error_t *err)
{
  struct pt_image_ref ref;
  if (pt_image_ref_parse (text, &ref, err) < 0)
    return -1;
  cleanup_free char *full = pt_image_ref_name (&ref);
  pt_image_ref_free (&ref);
  const struct pt_reg_entry *e = pt_reg_conf_find (c, full);
  if (e && e->blocked)
    return pt_make_error (err, 0, "%s: the registry `%s` is blocked in registries.conf", full,
                          e->prefix);
  if (o->progress)
    o->progress (o->progress_data, PT_PULL_TRYING, full, NULL, 0, 0);
  const char *rest = e ? full + strlen (e->prefix) : "";
  size_t n_mirrors = e ? pt_strv_len (e->mirrors) : 0;
  int r = -1;
  for (size_t i = 0; i <= n_mirrors && r < 0; i++)
    {
      bool mirror = i < n_mirrors;
      cleanup_free char *ep = !e       ? xstrdup (full)
                              : mirror ? xasprintf ("%s%s", e->mirrors[i], rest)
                                       : xasprintf ("%s%s", e->location, rest);
      bool insecure = mirror ? e->mirrors_insecure[i][0] != '\0' : e && e->insecure;
      if (i > 0)
        pt_error_release (err); /* a mirror that failed: the next one, then location */
      r = pt_pull_from (s, m, ep, full, o, insecure, name, id, err);
    }
  return r;
}

int
pt_image_pull (struct pt_store *s, const struct pt_idmap *m, const char *text,
               const struct pt_pull_opts *o, char **name, char **id, pt_error_t *err)
{
  cleanup_strv char **candidates = NULL;
  const char *bare = pt_str_has_prefix (text, "docker://") ? text + 9 : text;
  const char *bad = pt_ref_check (bare);
  if (bad)
    return pt_make_error (err, 0, "cannot parse input: \"%s\": %s", bare, bad);
  if (pt_image_name_is_short (text))
    {
      if (pt_image_short_candidates (text, &candidates, err) < 0)
        return -1;
    }
  else
    {
      candidates = xzalloc (2 * sizeof (char *));
      candidates[0] = xstrdup (text);
    }
  struct pt_reg_conf c;
  if (pt_reg_conf_load (&c, err) < 0)
    return pt_reg_conf_free (&c), -1;
  int r = -1;
  for (size_t i = 0; candidates[i] && r < 0; i++)
    {
      if (i > 0)
        pt_error_release (err); /* the next search registry */
      r = pull_qualified (s, m, &c, candidates[i], o, name, id, err);
    }
  pt_reg_conf_free (&c);
  return r;
}

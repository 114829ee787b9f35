/* SPDX-License-Identifier: GPL-2.0-or-later */
/* images --filter and the IMAGE operand: which images, and which of their
   names, are listed (Podman's keys: before, since, until, dangling, label,
   label!, reference, id, readonly, intermediate, manifest). */
#include <config.h>
#include <fnmatch.h>
#include <string.h>
#include <jansson.h>
#include "cmd-images.h"
#include "lib/reference.h"
#include "lib/util.h"

static int
created_of (struct pt_store *s, const char *ref, int64_t *out, pt_error_t *err)
{
  struct pt_image img;
  if (pt_image_lookup (s, ref, &img, err) < 0)
    return -1;
  *out = img.created_ns;
  pt_image_free (&img);
  return 0;
}

static int
parse_bool (const char *key, const char *v, bool *out, pt_error_t *err)
{
  if (strcmp (v, "true") == 0 || strcmp (v, "false") == 0)
    {
      *out = v[0] == 't';
      return 0;
    }
  return pt_make_error (err, 0, "invalid filter %s=%s: true or false", key, v);
}

int
pt_cli_image_filter_add (struct pt_cli_image_filter *f, struct pt_store *s, const char *arg,
                         pt_error_t *err)
{
  const char *eq = strchr (arg, '=');
  if (eq == NULL)
    return pt_make_error (err, 0, "invalid image filter \"%s\": KEY=VALUE", arg);
  cleanup_free char *key = xstrndup (arg, eq - arg);
  const char *v = eq + 1;
  bool b;
  if (strcmp (key, "before") == 0)
    return created_of (s, v, &f->before_ns, err);
  if (strcmp (key, "since") == 0)
    return created_of (s, v, &f->since_ns, err);
  if (strcmp (key, "until") == 0 || strcmp (key, "label") == 0 || strcmp (key, "label!") == 0)
    return pt_cli_prune_filter (&f->base, arg, err);
  if (strcmp (key, "dangling") == 0)
    {
      if (parse_bool (key, v, &b, err) < 0)
        return -1;
      f->dangling = b ? 1 : 0;
      return 0;
    }
  if (strcmp (key, "reference") == 0)
    {
      pt_strv_append (&f->refs, v);
      return 0;
    }
  if (strcmp (key, "id") == 0)
    {
      pt_strv_append (&f->ids, pt_str_has_prefix (v, "sha256:") ? v + 7 : v);
      return 0;
    }
  /* podtool keeps no read-only stores, intermediate images or manifest lists. */
  if (strcmp (key, "readonly") == 0 || strcmp (key, "intermediate") == 0
      || strcmp (key, "manifest") == 0)
    {
      if (parse_bool (key, v, &b, err) < 0)
        return -1;
      f->none |= b;
      return 0;
    }
  return pt_make_error (err, 0,
                        "unsupported image filter \"%s\": before, since, until, dangling, label, "
                        "label!, reference, id, readonly, intermediate or manifest",
                        key);
}

/* The pattern against the name, the name without its registry
   ("localhost/box:1" -> "box:1"; docker.io's library/ too) and its last
   part ("quay.io/a/box:1" -> "box:1"); without a tag in the pattern, against
   those without their tag. */
static bool
ref_matches (const char *pattern, const char *name)
{
  const char *slash = strrchr (pattern, '/');
  bool want_tag = strchr (slash ? slash : pattern, ':') != NULL;
  const char *forms[4] = { name, NULL, NULL, NULL };
  const char *first = strchr (name, '/');
  if (first && pt_ref_has_domain (name))
    {
      forms[1] = first + 1;
      if (pt_str_has_prefix (forms[1], "library/"))
        forms[2] = forms[1] + 8;
    }
  const char *last = strrchr (name, '/');
  if (last)
    forms[3] = last + 1;
  for (size_t i = 0; i < 4; i++)
    {
      if (forms[i] == NULL)
        continue;
      cleanup_free char *form = xstrdup (forms[i]);
      char *colon = strrchr (form, ':');
      if (!want_tag && colon && !strchr (colon, '/'))
        *colon = '\0';
      if (fnmatch (pattern, form, 0) == 0)
        return true;
    }
  return false;
}

bool
pt_cli_image_filter_name (const struct pt_cli_image_filter *f, const char *name)
{
  for (size_t i = 0; f->refs && f->refs[i]; i++)
    if (name == NULL || !ref_matches (f->refs[i], name))
      return false;
  return true;
}

char **
pt_cli_image_labels (struct pt_store *s, const struct pt_image *img)
{
  char **labels = xzalloc (sizeof (char *));
  pt_error_t e = NULL;
  json_t *root = pt_image_read_config (s, img->id, &e);
  const char *k;
  json_t *v;
  json_object_foreach (json_object_get (json_object_get (root, "config"), "Labels"), k, v)
  {
    cleanup_free char *kv = xasprintf ("%s=%s", k, json_string_value (v) ?: "");
    pt_strv_append (&labels, kv);
  }
  json_decref (root);
  pt_error_release (&e);
  return labels;
}

bool
pt_cli_image_filter_image (const struct pt_cli_image_filter *f, struct pt_store *s,
                           const struct pt_image *img)
{
  if (f->none || (f->before_ns && img->created_ns >= f->before_ns)
      || (f->since_ns && img->created_ns <= f->since_ns))
    return false;
  if (f->dangling >= 0 && (img->names[0] == NULL) != (f->dangling == 1))
    return false;
  for (size_t i = 0; f->ids && f->ids[i]; i++)
    if (!pt_str_has_prefix (img->id, f->ids[i]))
      return false;
  bool any_name = f->refs == NULL;
  for (size_t i = 0; !any_name && img->names[i]; i++)
    any_name = pt_cli_image_filter_name (f, img->names[i]);
  if (!any_name)
    return false;
  cleanup_strv char **labels
      = f->base.labels || f->base.not_labels ? pt_cli_image_labels (s, img) : NULL;
  return pt_cli_prune_matches (&f->base, img->created_ns, labels);
}

void
pt_cli_image_filter_free (struct pt_cli_image_filter *f)
{
  pt_cli_prune_filter_free (&f->base);
  pt_strv_free (f->refs);
  pt_strv_free (f->ids);
}

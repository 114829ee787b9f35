/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Registry references: see image-ref.h. The grammar is reference.c's. */
#include <config.h>
#include "image-ref.h"
#include "reference.h"
#include "util.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int
pt_image_ref_parse (const char *text, struct pt_image_ref *ref, pt_error_t *err)
{
  memset (ref, 0, sizeof *ref);
  const char *s = pt_str_has_prefix (text, "docker://") ? text + 9 : text;
  const char *why = pt_ref_check (s);
  if (why)
    return pt_make_error (err, 0, "%s: %s", why, text);
  cleanup_free char *copy = xstrdup (s);
  char *at = strchr (copy, '@');
  if (at)
    {
      *at = '\0';
      ref->digest = xstrdup (at + 1);
    }
  char *slash = strchr (copy, '/');
  char *name = copy;
  if (slash
      && (memchr (copy, '.', slash - copy) || memchr (copy, ':', slash - copy)
          || (slash - copy == 9 && strncmp (copy, "localhost", 9) == 0)))
    {
      ref->domain = xstrndup (copy, slash - copy);
      name = slash + 1;
    }
  else
    ref->domain = xstrdup ("docker.io");
  char *colon = strrchr (name, ':');
  if (colon && !strchr (colon, '/'))
    {
      *colon = '\0';
      ref->tag = xstrdup (colon + 1);
    }
  ref->repo = strcmp (ref->domain, "docker.io") == 0 && !strchr (name, '/')
                  ? xasprintf ("library/%s", name)
                  : xstrdup (name);
  if (ref->tag == NULL && ref->digest == NULL)
    ref->tag = xstrdup ("latest");
  return 0;
}

void
pt_image_ref_free (struct pt_image_ref *ref)
{
  free (ref->domain);
  free (ref->repo);
  free (ref->tag);
  free (ref->digest);
  memset (ref, 0, sizeof *ref);
}

char *
pt_image_ref_name (const struct pt_image_ref *ref)
{
  return ref->tag ? xasprintf ("%s/%s:%s", ref->domain, ref->repo, ref->tag)
                  : xasprintf ("%s/%s@%s", ref->domain, ref->repo, ref->digest);
}

const char *
pt_image_ref_api_host (const struct pt_image_ref *ref)
{
  return pt_registry_api_host (ref->domain);
}

const char *
pt_registry_api_host (const char *domain)
{
  return strcmp (domain, "docker.io") == 0 ? "registry-1.docker.io" : domain;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "reference.h"
#include "util.h"
#include <ctype.h>
#include <string.h>

bool
pt_ref_has_domain (const char *ref)
{
  const char *slash = strchr (ref, '/');
  if (slash == NULL)
    return false;
  size_t n = slash - ref;
  return (n == 9 && strncmp (ref, "localhost", 9) == 0) || memchr (ref, '.', n)
         || memchr (ref, ':', n);
}

static bool
valid_ref (const char *ref)
{
  if (*ref == '\0' || *ref == '/' || *ref == ':' || strstr (ref, "//"))
    return false;
  for (const char *p = ref; *p; p++)
    if (!(isalnum ((unsigned char)*p) || strchr ("._-/:@", *p)))
      return false;
  return true;
}

void
pt_ref_split (const char *name, char **repo, char **tag)
{
  const char *slash = strrchr (name, '/');
  const char *colon = strrchr (slash ? slash : name, ':');
  if (colon)
    {
      *repo = xstrndup (name, colon - name);
      *tag = xstrdup (colon + 1);
    }
  else
    {
      *repo = xstrdup (name);
      *tag = xstrdup ("latest");
    }
}

char *
pt_ref_normalize (const char *ref)
{
  if (!valid_ref (ref))
    return NULL;
  cleanup_free char *repo = NULL, *tag = NULL;
  pt_ref_split (ref, &repo, &tag);
  if (*repo == '\0' || *tag == '\0')
    return NULL;
  for (char *p = repo; *p; p++)
    if (isupper ((unsigned char)*p))
      return NULL;
  return xasprintf ("%s:%s", repo, tag);
}

bool
pt_ref_matches (const char *stored, const char *query)
{
  if (strcmp (stored, query) == 0)
    return true;
  if (pt_ref_has_domain (query))
    return false;
  /* A short name matches "<domain>/<name>" and "docker.io/library/<name>". */
  size_t ls = strlen (stored), lq = strlen (query);
  if (ls <= lq + 1 || stored[ls - lq - 1] != '/' || strcmp (stored + ls - lq, query) != 0)
    return false;
  const char *domain_end = strchr (stored, '/');
  const char *prefix_end = stored + ls - lq - 1;
  if (domain_end == prefix_end)
    return true;
  return strncmp (stored, "docker.io/library/", 18) == 0 && strchr (query, '/') == NULL;
}

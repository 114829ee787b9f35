/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "reference.h"
#include "util.h"
#include "error.h"
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

/* The distribution reference grammar (docker/distribution's reference
   package, which Podman uses):
     reference      := name [ ":" tag ] [ "@" digest ]
     name           := [ domain "/" ] path-component ( "/" path-component )*
     domain         := domain-component ( "." domain-component )* [ ":" port ]
     path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*,  separator := [_.] | "__" | "-"+
     tag            := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
     digest         := "sha256:" 64 hex
   with at most 255 characters of name. */
#define PT_REF_NAME_MAX 255

static bool
lower_alnum (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]+ (separator [a-z0-9]+)* over [s, e). */
static bool
path_component (const char *s, const char *e)
{
  if (s == e || !lower_alnum (*s) || !lower_alnum (e[-1]))
    return false;
  for (const char *p = s; p < e; p++)
    {
      if (lower_alnum (*p))
        continue;
      if (*p == '.' && lower_alnum (p[1]))
        continue;
      if (*p == '_' && (lower_alnum (p[1]) || (p[1] == '_' && lower_alnum (p[2]))))
        {
          p += p[1] == '_';
          continue;
        }
      if (*p == '-')
        {
          while (p[1] == '-')
            p++;
          if (lower_alnum (p[1]))
            continue;
        }
      return false;
    }
  return true;
}

static bool
domain (const char *s, const char *e)
{
  const char *colon = memchr (s, ':', e - s);
  const char *host_end = colon ? colon : e;
  if (colon)
    {
      if (colon + 1 == e)
        return false;
      for (const char *p = colon + 1; p < e; p++)
        if (!isdigit ((unsigned char)*p))
          return false;
    }
  if (s == host_end)
    return false;
  for (const char *p = s; p < host_end; p++)
    {
      bool edge = p == s || p[-1] == '.' || p + 1 == host_end || p[1] == '.';
      if (isalnum ((unsigned char)*p) || (*p == '-' && !edge))
        continue;
      if (*p == '.' && p != s && p + 1 != host_end && p[1] != '.')
        continue;
      return false;
    }
  return true;
}

static bool
valid_tag (const char *t)
{
  size_t n = strlen (t);
  if (n == 0 || n > 128 || !(isalnum ((unsigned char)t[0]) || t[0] == '_'))
    return false;
  for (const char *p = t; *p; p++)
    if (!(isalnum ((unsigned char)*p) || strchr ("_.-", *p)))
      return false;
  return true;
}

const char *
pt_ref_check (const char *ref)
{
  const char *at = strchr (ref, '@');
  if (at)
    {
      const char *d = at + 1;
      if (strncmp (d, "sha256:", 7) != 0 || strlen (d + 7) != 64)
        return "invalid reference format";
      for (const char *p = d + 7; *p; p++)
        if (!isxdigit ((unsigned char)*p) || isupper ((unsigned char)*p))
          return "invalid reference format";
    }
  size_t len = at ? (size_t)(at - ref) : strlen (ref);
  const char *end = ref + len;
  const char *slash = memchr (ref, '/', len);
  const char *last_slash = slash;
  for (const char *p = ref; p < end; p++)
    if (*p == '/')
      last_slash = p;
  const char *colon = memchr (last_slash ? last_slash : ref, ':', end - (last_slash ? last_slash : ref));
  const char *name_end = colon ? colon : end;
  if (colon)
    {
      cleanup_free char *tag = xstrndup (colon + 1, end - colon - 1);
      if (!valid_tag (tag))
        return "invalid reference format";
    }
  if (name_end - ref > PT_REF_NAME_MAX)
    return "invalid reference format: repository name must not be more than 255 characters";
  const char *p = ref;
  /* A first component with '.', ':' or "localhost" is a domain. */
  if (slash && slash < name_end)
    {
      bool is_domain = (slash - ref == 9 && strncmp (ref, "localhost", 9) == 0)
                       || memchr (ref, '.', slash - ref) || memchr (ref, ':', slash - ref);
      if (is_domain)
        {
          if (!domain (ref, slash))
            return "invalid reference format";
          p = slash + 1;
        }
    }
  bool upper = false;
  while (p <= name_end)
    {
      const char *q = memchr (p, '/', name_end - p);
      const char *ce = q ? q : name_end;
      if (!path_component (p, ce))
        {
          for (const char *c = p; c < ce; c++)
            upper |= isupper ((unsigned char)*c) != 0;
          return upper ? "invalid reference format: repository name must be lowercase"
                       : "invalid reference format";
        }
      if (q == NULL)
        break;
      p = q + 1;
    }
  return NULL;
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
  if (pt_ref_check (ref) != NULL)
    return NULL;
  if (strchr (ref, '@'))
    return xstrdup (ref); /* a digest names the image itself: no tag */
  cleanup_free char *repo = NULL, *tag = NULL;
  pt_ref_split (ref, &repo, &tag);
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

char *
pt_ref_full (const char *name, pt_error_t *err)
{
  cleanup_free char *norm = pt_ref_normalize (name);
  if (norm == NULL)
    {
      pt_make_error (err, 0, "%.100s%s: %s", name, strlen (name) > 100 ? "..." : "",
                     pt_ref_check (name));
      return NULL;
    }
  return pt_ref_has_domain (norm) ? xstrdup (norm) : xasprintf ("localhost/%s", norm);
}

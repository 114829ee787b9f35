/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman search against a distribution registry: its /v2/_catalog (the
   repositories whose name holds the term) and a repository's tags/list. */
#include <config.h>
#include "search.h"
#include "auth.h"
#include "image-ref.h"
#include "util.h"
#include <jansson.h>
#include <string.h>

/* Pages a listing may have: a registry that never stops is cut short. */
#define MAX_PAGES 100

static json_t *
get_json (struct pt_registry *r, const char *path, const char *what, char **link,
          pt_error_t *err)
{
  struct pt_http_body b = { .fd = -1, .max = 16 << 20 };
  long status = 0;
  json_t *j = NULL;
  if (pt_registry_get (r, path, "application/json", &b, &status, err) == 0)
    {
      if (status == 404)
        pt_make_error (err, 0, "%s: %s: the registry has none (HTTP 404)", pt_registry_host (r),
                       what);
      else if (status != 200)
        pt_make_error (err, 0, "%s: %s: HTTP %ld", pt_registry_host (r), what, status);
      else if ((j = json_loadb (b.data ? b.data : "", b.len, 0, NULL)) == NULL)
        pt_make_error (err, 0, "%s: %s: the answer is not JSON", pt_registry_host (r), what);
    }
  *link = steal_pointer (&b.link);
  pt_http_body_free (&b);
  return j;
}

/* The path below /v2/ of a Link header's rel="next" page on this
   registry, or NULL (none, or elsewhere: not followed). */
static char *
next_page (const char *link)
{
  const char *lt = link ? strchr (link, '<') : NULL, *gt = lt ? strchr (lt, '>') : NULL;
  if (gt == NULL || strstr (gt, "rel=\"next\"") == NULL)
    return NULL;
  cleanup_free char *url = xstrndup (lt + 1, gt - lt - 1);
  if (!pt_str_has_prefix (url, "/v2/") || strstr (url, ".."))
    return NULL;
  return xstrdup (url + 4);
}

/* Every string of the array KEY over a listing's pages. */
static int
get_list (struct pt_registry *r, const char *path, const char *key, const char *what,
          char ***out, pt_error_t *err)
{
  cleanup_free char *at = xstrdup (path);
  for (int page = 0; at && page < MAX_PAGES; page++)
    {
      cleanup_free char *link = NULL;
      json_t *j = get_json (r, at, what, &link, err), *v;
      if (j == NULL)
        return -1;
      size_t i;
      json_array_foreach (json_object_get (j, key), i, v)
      if (json_string_value (v))
        pt_strv_append (out, json_string_value (v));
      json_decref (j);
      /* A page that names itself next ends the listing. */
      char *next = next_page (link);
      if (next && strcmp (next, at) == 0)
        next = (free (next), NULL);
      free (at);
      at = next;
    }
  return 0;
}

static struct pt_registry *
open_registry (const char *domain, const char *repo, const struct pt_registry_opts *o,
               char **creds, pt_error_t *err)
{
  struct pt_registry_opts ro = *o;
  if (pt_auth_fill (&ro, domain, repo, creds, err) < 0)
    return NULL;
  return pt_registry_open (pt_registry_api_host (domain), repo, &ro, err);
}

int
pt_search_catalog (const char *domain, const char *term, const struct pt_registry_opts *o,
                   size_t limit, char ***names, pt_error_t *err)
{
  *names = xzalloc (sizeof (char *));
  cleanup_free char *creds = NULL;
  struct pt_registry *r = open_registry (domain, "", o, &creds, err);
  if (r == NULL)
    return -1;
  cleanup_strv char **all = xzalloc (sizeof (char *));
  int ret = get_list (r, "_catalog?n=1000", "repositories", "the catalog", &all, err);
  pt_registry_close (r);
  for (size_t i = 0; ret == 0 && all[i]; i++)
    if (strstr (all[i], term) && (limit == 0 || pt_strv_len (*names) < limit))
      {
        cleanup_free char *full = xasprintf ("%s/%s", domain, all[i]);
        pt_strv_append (names, full);
      }
  return ret;
}

int
pt_search_tags (const char *domain, const char *repo, const struct pt_registry_opts *o,
                size_t limit, char ***tags, pt_error_t *err)
{
  *tags = xzalloc (sizeof (char *));
  cleanup_free char *creds = NULL;
  struct pt_registry *r = open_registry (domain, repo, o, &creds, err);
  if (r == NULL)
    return -1;
  cleanup_free char *path = xasprintf ("%s/tags/list", repo);
  cleanup_free char *what = xasprintf ("the tags of %s", repo);
  cleanup_strv char **all = xzalloc (sizeof (char *));
  int ret = get_list (r, path, "tags", what, &all, err);
  pt_registry_close (r);
  for (size_t i = 0; ret == 0 && all[i] && (limit == 0 || i < limit); i++)
    pt_strv_append (tags, all[i]);
  return ret;
}

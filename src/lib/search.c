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

static json_t *
get_json (struct pt_registry *r, const char *path, const char *what, pt_error_t *err)
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
  pt_http_body_free (&b);
  return j;
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
  json_t *j = get_json (r, "_catalog?n=1000", "the catalog", err);
  pt_registry_close (r);
  if (j == NULL)
    return -1;
  json_t *repos = json_object_get (j, "repositories"), *v;
  size_t i;
  json_array_foreach (repos, i, v)
  {
    const char *n = json_string_value (v);
    if (n && strstr (n, term) && (limit == 0 || pt_strv_len (*names) < limit))
      {
        cleanup_free char *full = xasprintf ("%s/%s", domain, n);
        pt_strv_append (names, full);
      }
  }
  json_decref (j);
  return 0;
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
  json_t *j = get_json (r, path, what, err);
  pt_registry_close (r);
  if (j == NULL)
    return -1;
  json_t *v;
  size_t i;
  json_array_foreach (json_object_get (j, "tags"), i, v)
  if (json_string_value (v) && (limit == 0 || pt_strv_len (*tags) < limit))
    pt_strv_append (tags, json_string_value (v));
  json_decref (j);
  return 0;
}

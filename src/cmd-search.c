/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool search: repositories of a registry's catalog (lib/search.c), in
   Podman's columns; --list-tags for one repository's tags. */
#include <config.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/pull.h"
#include "lib/registries-conf.h"
#include "lib/search.h"
#include "lib/util.h"

enum
{
  OPT_TLS_VERIFY = 256,
  OPT_CREDS,
  OPT_CERT_DIR,
  OPT_AUTHFILE,
  OPT_FORMAT,
  OPT_LIMIT,
  OPT_LIST_TAGS,
  OPT_NO_TRUNC,
  OPT_FILTER,
};

static const struct pt_flag search_flags[] = {
  { OPT_AUTHFILE, "authfile", 0, "FILE", "Read the registry's credentials from FILE alone" },
  { OPT_CERT_DIR, "cert-dir", 0, "DIR", "Trust the CA certificates (*.crt) in DIR" },
  { OPT_CREDS, "creds", 0, "USER[:PASS]", "Credentials for the registry" },
  { OPT_FILTER, "filter", 'f', "FILTER", "Filter on stars, is-official, is-automated",
    PT_FLAG_REFUSED, "a distribution registry's catalog has no stars or official marks" },
  { OPT_FORMAT, "format", 0, "FORMAT", "Go template, or json" },
  { OPT_LIMIT, "limit", 0, "N", "At most N results per registry" },
  { OPT_LIST_TAGS, "list-tags", 0, NULL, "List the tags of the repository named" },
  { OPT_NO_TRUNC, "no-trunc", 0, NULL, "Do not truncate descriptions (there are none to cut)" },
  { OPT_TLS_VERIFY, "tls-verify", 0, NULL,
    "Require HTTPS and verify certificates (default true; false also allows plain HTTP)" },
  { 0, NULL, 0, NULL, NULL },
};

static json_t *
item (const char *domain, const char *name, const char *tag)
{
  return json_pack ("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "Index", domain, "Name", name,
                    "Description", "", "Stars", 0, "Official", "", "Automated", "", "Tag",
                    tag ? tag : "");
}

/* TERM's registry: its first component when that is a domain, else each
   of registries.conf's unqualified-search registries. */
static int
registries_of (const char *term, char ***domains, const char **rest, pt_error_t *err)
{
  *domains = xzalloc (sizeof (char *));
  if (!pt_image_name_is_short (term))
    {
      size_t n = strcspn (term, "/");
      cleanup_free char *d = xstrndup (term, n);
      pt_strv_append (domains, d);
      *rest = term[n] ? term + n + 1 : "";
      return 0;
    }
  *rest = term;
  struct pt_reg_conf c;
  int r = pt_reg_conf_load (&c, err);
  for (size_t i = 0; r == 0 && c.search[i]; i++)
    pt_strv_append (domains, c.search[i]);
  if (r == 0 && (*domains)[0] == NULL)
    r = pt_make_error (err, 0,
                       "no registry in `%s` and no unqualified-search registries in \"%s\": "
                       "search REGISTRY/TERM",
                       term, c.path);
  pt_reg_conf_free (&c);
  return r;
}

static int
collect (const char *term, bool tags, const struct pt_registry_opts *o, size_t limit, json_t *items,
         pt_error_t *err)
{
  cleanup_strv char **domains = NULL;
  const char *rest;
  if (registries_of (term, &domains, &rest, err) < 0)
    return -1;
  for (size_t i = 0; domains[i]; i++)
    {
      cleanup_strv char **found = NULL;
      if (tags)
        {
          cleanup_free char *repo = xstrndup (rest, strcspn (rest, ":@"));
          cleanup_free char *name = xasprintf ("%s/%s", domains[i], repo);
          if (pt_search_tags (domains[i], repo, o, limit, &found, err) < 0)
            return -1;
          for (size_t k = 0; found[k]; k++)
            json_array_append_new (items, item (domains[i], name, found[k]));
        }
      else
        {
          if (pt_search_catalog (domains[i], rest, o, limit, &found, err) < 0)
            return -1;
          for (size_t k = 0; found[k]; k++)
            json_array_append_new (items, item (domains[i], found[k], NULL));
        }
    }
  return 0;
}

static int
search_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g;
  struct pt_registry_opts o = { .tls_verify = true };
  const char *format = NULL;
  bool tags = false;
  long limit = 0;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_search, argc, argv, err)) != -1)
    switch (c)
      {
      case OPT_TLS_VERIFY: o.tls_verify = pt_cli_optbool; break;
      case OPT_CREDS: o.creds = optarg; break;
      case OPT_CERT_DIR: o.cert_dir = optarg; break;
      case OPT_AUTHFILE: o.authfile = optarg; break;
      case OPT_FORMAT: format = optarg; break;
      case OPT_LIST_TAGS: tags = pt_cli_optbool; break;
      case OPT_NO_TRUNC: break; /* no description is ever cut */
      case OPT_LIMIT:
        {
          char *end;
          limit = strtol (optarg, &end, 10);
          if (*optarg == '\0' || *end || limit < 0)
            return pt_make_error (err, 0, "invalid --limit `%s`: a number of results", optarg);
          break;
        }
      default: return -1;
      }
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_search, argc - optind, 1, 1, err);
  if (tags && pt_image_name_is_short (argv[optind]))
    return pt_make_error (err, 0, "--list-tags needs a full name: REGISTRY/REPOSITORY");
  json_t *items = json_array ();
  int r = collect (argv[optind], tags, &o, (size_t)limit, items, err);
  if (r == 0 && format && strcmp (format, "json") == 0)
    pt_cli_print_json (items);
  else if (r == 0)
    r = pt_cli_format (format ? format
                       : tags ? "table {{.Name}}\t{{.Tag}}"
                              : "table {{.Name}}\t{{.Description}}",
                       items, NULL, err);
  json_decref (items);
  return r;
}

const struct pt_cmd pt_cmd_search = {
  .name = "search",
  .usage = "[options] TERM",
  .summary = "Search a registry for images",
  .flags = search_flags,
  .exec = search_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool login and logout: a registry's credentials, checked against the
   registry, kept in auth.json where Podman keeps them (lib/auth.c). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/registries-conf.h"
#include "lib/auth.h"
#include "lib/image-ref.h"
#include "lib/registry-http.h"
#include "lib/util.h"

enum
{
  OPT_TLS_VERIFY = 256,
  OPT_CERT_DIR,
  OPT_AUTHFILE,
  OPT_PASSWORD_STDIN,
  OPT_GET_LOGIN,
};

static const struct pt_flag login_flags[] = {
  { OPT_AUTHFILE, "authfile", 0, "FILE", "Keep the credentials in FILE" },
  { OPT_CERT_DIR, "cert-dir", 0, "DIR", "Trust the CA certificates (*.crt) in DIR" },
  { OPT_GET_LOGIN, "get-login", 0, NULL, "Print the user logged into the registry" },
  { 'p', "password", 'p', "PASSWORD", "The password (--password-stdin keeps it out of ps)" },
  { OPT_PASSWORD_STDIN, "password-stdin", 0, NULL, "Read the password from standard input" },
  { OPT_TLS_VERIFY, "tls-verify", 0, NULL,
    "Require HTTPS and verify certificates (default true; false also allows plain HTTP)" },
  { 'u', "username", 'u', "USER", "The user name" },
  { 0, NULL, 0, NULL, NULL },
};

static const struct pt_flag logout_flags[] = {
  { 'a', "all", 'a', NULL, "Remove the credentials of every registry" },
  { OPT_AUTHFILE, "authfile", 0, "FILE", "The credentials file" },
  { 0, NULL, 0, NULL, NULL },
};

/* REGISTRY[/REPO] without a scheme or trailing slash: the auth.json key. */
static char *
registry_key (const char *arg)
{
  const char *a = arg;
  if (strncmp (a, "docker://", 9) == 0)
    a += 9;
  else if (strncmp (a, "https://", 8) == 0)
    a += 8;
  else if (strncmp (a, "http://", 7) == 0)
    a += 7;
  char *k = xstrdup (a);
  size_t n = strlen (k);
  while (n && k[n - 1] == '/')
    k[--n] = '\0';
  return k;
}

static char *
read_line (FILE *f)
{
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline (&line, &cap, f);
  if (n < 0)
    return free (line), NULL;
  while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  return line;
}

/* The registry answers GET /v2/ with 200 to these credentials. */
static int
check_login (const char *key, struct pt_registry_opts *ro, pt_error_t *err)
{
  cleanup_free char *domain = xstrndup (key, strcspn (key, "/"));
  const char *host = pt_registry_api_host (domain);
  const char *repo = strchr (key, '/') ? strchr (key, '/') + 1 : "";
  struct pt_registry *r = pt_registry_open (host, repo, ro, err);
  if (r == NULL)
    return -1;
  struct pt_http_body b = { .fd = -1, .max = 1 << 16 };
  long status = 0;
  pt_error_t e = NULL;
  int ret = pt_registry_get (r, "", NULL, &b, &status, &e);
  if (ret < 0 && status == 401)
    {
      pt_error_release (&e);
      ret = pt_make_error (err, 0, "logging into \"%s\": invalid username/password", key);
    }
  else if (ret < 0)
    *err = e;
  else if (status != 200)
    ret = pt_make_error (err, 0, "logging into \"%s\": the registry answered HTTP %ld to /v2/",
                         key, status);
  pt_http_body_free (&b);
  pt_registry_close (r);
  return ret;
}

/* The registry named, or none: the first unqualified-search registry of
   registries.conf, as Podman's login and logout take then. */
static char *
registry_given (int argc, char **argv, const char *verb, pt_error_t *err)
{
  if (argc - optind > 1)
    {
      pt_make_error (err, 0, "%s accepts only one registry to %s", verb,
                     strcmp (verb, "login") == 0 ? "login to" : "logout from");
      return NULL;
    }
  if (argc - optind == 1)
    return registry_key (argv[optind]);
  struct pt_reg_conf c;
  char *key = NULL;
  if (pt_reg_conf_load (&c, err) == 0)
    {
      if (c.search[0])
        key = registry_key (c.search[0]);
      else
        pt_make_error (err, 0, "no registries found in registries.conf, a registry must be "
                               "provided");
    }
  pt_reg_conf_free (&c);
  return key;
}

static int
login_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g;
  struct pt_registry_opts ro = { .tls_verify = true };
  const char *authfile = NULL, *user = NULL, *pass = NULL;
  bool from_stdin = false, get_login = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_login, argc, argv, err)) != -1)
    switch (c)
      {
      case 'u': user = optarg; break;
      case 'p': pass = optarg; break;
      case OPT_PASSWORD_STDIN: from_stdin = true; break;
      case OPT_GET_LOGIN: get_login = true; break;
      case OPT_AUTHFILE: authfile = optarg; break;
      case OPT_TLS_VERIFY: ro.tls_verify = pt_cli_optbool; break;
      case OPT_CERT_DIR: ro.cert_dir = optarg; break;
      default: return -1;
      }
  if (pass && from_stdin)
    return pt_make_error (err, 0, "--password and --password-stdin cannot be given together");
  cleanup_free char *key = registry_given (argc, argv, "login", err);
  if (key == NULL)
    return -1;
  cleanup_free char *path = authfile ? xstrdup (authfile) : pt_auth_default_file ();
  if (get_login)
    {
      cleanup_free char *who = NULL;
      if (pt_auth_user (path, key, &who, err) < 0)
        return -1;
      if (who == NULL)
        return pt_make_error (err, 0, "not logged into %s", key);
      printf ("%s\n", who);
      return 0;
    }
  cleanup_free char *u = NULL, *p = NULL;
  if (user == NULL && isatty (0) && !from_stdin)
    {
      fprintf (stderr, "Username: ");
      user = u = read_line (stdin);
    }
  if (user == NULL || *user == '\0')
    return pt_make_error (err, 0, "login to %s: a username is needed (-u)", key);
  if (from_stdin)
    pass = p = read_line (stdin);
  else if (pass == NULL && isatty (0))
    pass = getpass ("Password: ");
  if (pass == NULL || *pass == '\0')
    return pt_make_error (err, 0, "login to %s: a password is needed (-p or --password-stdin)",
                          key);
  cleanup_free char *creds = xasprintf ("%s:%s", user, pass);
  ro.creds = creds;
  if (check_login (key, &ro, err) < 0 || pt_auth_store (path, key, user, pass, err) < 0)
    return -1;
  printf ("Login Succeeded!\n");
  return 0;
}

static int
logout_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  (void)g;
  const char *authfile = NULL;
  bool all = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_logout, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = true; break;
      case OPT_AUTHFILE: authfile = optarg; break;
      default: return -1;
      }
  if (all && argc != optind)
    return pt_make_error (err, 0, "--all takes no registry");
  cleanup_free char *key = all ? NULL : registry_given (argc, argv, "logout", err);
  if (!all && key == NULL)
    return -1;
  cleanup_free char *path = authfile ? xstrdup (authfile) : pt_auth_default_file ();
  bool found;
  if (pt_auth_remove (path, key, &found, err) < 0)
    return -1;
  if (!found && !all)
    return pt_make_error (err, 0, "not logged into %s", key);
  if (all)
    printf ("Removed login credentials for all registries\n");
  else
    printf ("Removed login credentials for %s\n", key);
  return 0;
}

const struct pt_cmd pt_cmd_login = {
  .name = "login",
  .usage = "[options] [REGISTRY]",
  .summary = "Log in to a registry",
  .flags = login_flags,
  .exec = login_exec,
};

const struct pt_cmd pt_cmd_logout = {
  .name = "logout",
  .usage = "[options] [REGISTRY]",
  .summary = "Log out of a registry",
  .flags = logout_flags,
  .exec = logout_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pull: images from a registry (lib/pull.c), with Podman's
   progress lines on stderr and the image id on stdout. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-pull.h"
#include "progress.h"
#include "lib/image.h"
#include "lib/pull.h"
#include "lib/registries-conf.h"
#include "lib/search.h"
#include "lib/util.h"

enum
{
  OPT_TLS_VERIFY = 256,
  OPT_CREDS,
  OPT_CERT_DIR,
  OPT_PLATFORM,
  OPT_ARCH,
  OPT_OS,
  OPT_VARIANT,
  OPT_AUTHFILE,
  OPT_IGNORED,
};

static const struct pt_flag pull_flags[] = {
  { 'a', "all-tags", 'a', NULL, "Pull every tag of the repository (its tags/list)" },
  { OPT_ARCH, "arch", 0, "ARCH", "The architecture to pull from a manifest list (this machine's)" },
  { OPT_AUTHFILE, "authfile", 0, "FILE", "Read the registry's credentials from FILE alone" },
  { OPT_CERT_DIR, "cert-dir", 0, "DIR", "Trust the CA certificates (*.crt) in DIR" },
  { OPT_CREDS, "creds", 0, "USER[:PASS]", "Credentials for the registry" },
  { OPT_IGNORED, "decryption-key", 0, "KEY", "Decrypt an encrypted image with KEY",
    PT_FLAG_REFUSED, "podtool does not decrypt images" },
  { OPT_IGNORED, "disable-content-trust", 0, NULL, "Docker's image verification switch",
    PT_FLAG_NO_EFFECT, "as in Podman, for scripts' sake" },
  { OPT_OS, "os", 0, "OS", "The OS to pull from a manifest list (linux)" },
  { OPT_PLATFORM, "platform", 0, "OS/ARCH[/VARIANT]", "The platform to pull from a manifest list" },
  { 'q', "quiet", 'q', NULL, "Print only the image id" },
  { OPT_TLS_VERIFY, "tls-verify", 0, NULL,
    "Require HTTPS and verify certificates (default true; false also allows plain HTTP)" },
  { OPT_VARIANT, "variant", 0, "VARIANT", "The variant to pull from a manifest list" },
  { 0, NULL, 0, NULL, NULL },
};

void
pt_cli_pull_progress (void *data, enum pt_pull_event ev, const char *what, const char *digest,
                      size_t done, size_t total)
{
  const bool *quiet = data;
  if (*quiet)
    return;
  if (ev == PT_PULL_TRYING)
    {
      fprintf (stderr, "Trying to pull %s...\n", what);
      return;
    }
  static bool begun; /* this pull's first line said, as Podman's */
  if (!begun)
    fprintf (stderr, "Getting image source signatures\n");
  begun = ev != PT_PULL_WRITING;
  const char *kind = what && strcmp (what, "config") == 0 ? "config" : "blob";
  switch (ev)
    {
    case PT_PULL_BLOB_START: pt_bars_event (PT_BAR_START, kind, digest, 0, total); break;
    case PT_PULL_BLOB_PROGRESS: pt_bars_event (PT_BAR_PROGRESS, kind, digest, done, total); break;
    case PT_PULL_BLOB_SKIPPED: pt_bars_event (PT_BAR_SKIPPED, kind, digest, 0, 0); break;
    case PT_PULL_BLOB_DONE: pt_bars_event (PT_BAR_DONE, kind, digest, done, total); break;
    case PT_PULL_WRITING:
      pt_bars_end ();
      fprintf (stderr, "Writing manifest to image destination\nStoring signatures\n");
      break;
    default: break;
    }
}

int
pt_cli_parse_platform (const char *arg, char **copy, struct pt_pull_opts *o, pt_error_t *err)
{
  free (*copy);
  *copy = xstrdup (arg);
  char *os = strtok (*copy, "/"), *arch = strtok (NULL, "/"), *variant = strtok (NULL, "/");
  if (os == NULL || arch == NULL || strtok (NULL, "/"))
    return pt_make_error (err, 0, "invalid --platform `%s`: OS/ARCH[/VARIANT]", arg);
  o->os = os, o->arch = arch, o->variant = variant;
  return 0;
}

/* One reference: the pull (its progress says which name it tries, as
   Podman's first line), the event, the id. */
static int
pull_one (struct pt_store *s, const struct pt_idmap *m, const char *ref,
          const struct pt_pull_opts *o, pt_error_t *err)
{
  cleanup_free char *name = NULL, *id = NULL;
  int r = pt_image_pull (s, m, ref, o, &name, &id, err);
  pt_bars_end ();
  if (r < 0)
    return -1;
  pt_cli_image_event (s, "pull", name, NULL);
  printf ("%s\n", id);
  return 0;
}

/* -a: REGISTRY/REPO (no tag), each of its tags pulled in turn. */
static int
pull_all_tags (struct pt_store *s, const struct pt_idmap *m, int n, char **refs,
               const struct pt_pull_opts *o, pt_error_t *err)
{
  if (n != 1)
    return pt_make_error (err, 0, "--all-tags takes one repository");
  const char *ref = pt_str_has_prefix (refs[0], "docker://") ? refs[0] + 9 : refs[0];
  if (pt_image_name_is_short (ref) || strpbrk (strrchr (ref, '/'), ":@"))
    return pt_make_error (err, 0,
                          "--all-tags needs REGISTRY/REPOSITORY without a tag or digest, not `%s`",
                          refs[0]);
  cleanup_free char *domain = xstrndup (ref, strcspn (ref, "/"));
  const char *repo = ref + strlen (domain) + 1;
  cleanup_strv char **tags = NULL;
  if (pt_search_tags (domain, repo, &o->reg, 0, &tags, err) < 0)
    return -1;
  for (size_t i = 0; tags[i]; i++)
    {
      cleanup_free char *one = xasprintf ("%s:%s", ref, tags[i]);
      if (pull_one (s, m, one, o, err) < 0)
        return -1;
    }
  return 0;
}

static int
pull_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool quiet = false, all_tags = false;
  struct pt_pull_opts o = { .reg = { .tls_verify = true },
                            .progress = pt_cli_pull_progress,
                            .progress_data = &quiet };
  cleanup_free char *platform = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pull, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': quiet = true; break;
      case 'a': all_tags = pt_cli_optbool; break;
      case OPT_TLS_VERIFY: o.reg.tls_verify = pt_cli_optbool; break;
      case OPT_CREDS: o.reg.creds = optarg; break;
      case OPT_CERT_DIR: o.reg.cert_dir = optarg; break;
      case OPT_AUTHFILE: o.reg.authfile = optarg; break;
      case OPT_ARCH: o.arch = optarg; break;
      case OPT_OS: o.os = optarg; break;
      case OPT_VARIANT: o.variant = optarg; break;
      case OPT_PLATFORM:
        if (pt_cli_parse_platform (optarg, &platform, &o, err) < 0)
          return -1;
        break;
      default: return -1;
      }
  if (optind >= argc)
    return pt_make_error (err, 0, "requires at least 1 arg(s), only received 0");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  if (all_tags)
    return pull_all_tags (s, m, argc - optind, argv + optind, &o, err);
  for (int i = optind; i < argc; i++)
    if (pull_one (s, m, argv[i], &o, err) < 0)
      return -1;
  return 0;
}

const struct pt_cmd pt_cmd_pull = {
  .name = "pull",
  .usage = "[options] IMAGE [IMAGE...]",
  .summary = "Pull an image from a registry",
  .flags = pull_flags,
  .exec = pull_exec,
};

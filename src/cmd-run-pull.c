/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run and create: --pull and the registry flags; the image pulled before
   the container is built when the policy says so (missing: only when the
   store lacks it; always, newer: every time, layers the store has are not
   fetched again; never: the store's or an error). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "cmd-run.h"
#include "cmd-pull.h"
#include "progress.h"
#include "lib/image.h"
#include "lib/image-ref.h"
#include "lib/pull.h"
#include "lib/registries-conf.h"
#include "lib/util.h"

void
pt_cli_pull_init (struct pt_cli_pull *p)
{
  memset (p, 0, sizeof *p);
  p->policy = "missing";
  p->o.reg.tls_verify = true;
  p->o.progress = pt_cli_pull_progress;
  p->o.progress_data = &p->quiet;
}

void
pt_cli_pull_free (struct pt_cli_pull *p)
{
  free (p->platform);
  p->platform = NULL;
}

int
pt_cli_pull_option (int c, const char *arg, struct pt_cli_pull *p, pt_error_t *err)
{
  switch (c)
    {
    case OPT_PULL:
      if (strcmp (arg, "missing") && strcmp (arg, "never") && strcmp (arg, "always")
          && strcmp (arg, "newer"))
        return pt_make_error (err, 0,
                              "invalid pull policy \"%s\": always, missing, never or newer", arg);
      p->policy = arg;
      return 0;
    case 'q': p->quiet = true; return 0;
    case OPT_TLS_VERIFY: p->o.reg.tls_verify = pt_cli_optbool; return 0;
    case OPT_AUTHFILE: p->o.reg.authfile = arg; return 0;
    case OPT_CERT_DIR: p->o.reg.cert_dir = arg; return 0;
    case OPT_CREDS: p->o.reg.creds = arg; return 0;
    case OPT_ARCH: p->o.arch = arg; return 0;
    case OPT_OS: p->o.os = arg; return 0;
    case OPT_VARIANT: p->o.variant = arg; return 0;
    case OPT_PLATFORM: return pt_cli_parse_platform (arg, &p->platform, &p->o, err);
    default: return 1;
    }
}

int
pt_cli_pull_for_run (struct pt_global *g, struct pt_cli_pull *p, const char *ref, char **resolved,
                     pt_error_t *err)
{
  *resolved = NULL;
  if (strcmp (p->policy, "never") == 0)
    return 0;
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  bool missing = strcmp (p->policy, "missing") == 0;
  struct pt_image img;
  pt_error_t e = NULL;
  bool have = pt_image_lookup (s, ref, &img, &e) == 0;
  if (have)
    pt_image_free (&img);
  pt_error_release (&e);
  if (have && missing)
    return 0;
  /* localhost/: podtool's own images, never pulled. A short name: only
     when registries.conf resolves it (else the store's error follows). */
  if (pt_str_has_prefix (ref, "localhost/"))
    return have || missing ? 0
                           : pt_make_error (err, 0, "%s: a localhost/ image is never pulled", ref);
  cleanup_strv char **candidates = NULL;
  if (pt_image_name_is_short (ref) && pt_image_short_candidates (ref, &candidates, &e) < 0)
    {
      if (have || missing)
        return pt_error_release (&e), 0;
      *err = e;
      return -1;
    }
  const struct pt_idmap *m = pt_global_idmap (g, err);
  if (m == NULL)
    return -1;
  cleanup_free char *name = NULL, *id = NULL;
  int r = pt_image_pull (s, m, ref, &p->o, &name, &id, err);
  pt_bars_end ();
  if (r < 0)
    return -1;
  pt_cli_image_event (s, "pull", name, NULL);
  *resolved = steal_pointer (&name);
  return 0;
}

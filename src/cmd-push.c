/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool push: an image to a registry (lib/push.c), Podman's progress
   lines on stderr. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "progress.h"
#include "cmd-pull.h"
#include "lib/image.h"
#include "lib/push.h"
#include "lib/util.h"

enum
{
  OPT_TLS_VERIFY = 256,
  OPT_CREDS,
  OPT_CERT_DIR,
  OPT_AUTHFILE,
  OPT_COMPRESSION,
  OPT_LEVEL,
  OPT_DIGESTFILE,
  OPT_IGNORED,
};

static const struct pt_flag push_flags[] = {
  { OPT_AUTHFILE, "authfile", 0, "FILE", "Read the registry's credentials from FILE alone" },
  { OPT_CERT_DIR, "cert-dir", 0, "DIR", "Trust the CA certificates (*.crt) in DIR" },
  { OPT_COMPRESSION, "compression-format", 0, "FORMAT", "Compress the layers with gzip (default) or zstd" },
  { OPT_LEVEL, "compression-level", 0, "LEVEL", "How hard to compress: gzip 1-9 (5), zstd 1-20 (3)" },
  { OPT_CREDS, "creds", 0, "USER[:PASS]", "Credentials for the registry" },
  { OPT_IGNORED, "compress", 0, NULL, "Compress layers pushed to a directory", PT_FLAG_NO_EFFECT,
    "podtool pushes to registries, whose layers are always compressed" },
  { OPT_DIGESTFILE, "digestfile", 0, "FILE", "Write the pushed manifest's digest to FILE" },
  { OPT_IGNORED, "disable-content-trust", 0, NULL, "Docker's image verification switch",
    PT_FLAG_NO_EFFECT, "as in Podman, for scripts' sake" },
  { OPT_IGNORED, "encrypt-layer", 0, "LAYER", "Encrypt these layers", PT_FLAG_REFUSED,
    "podtool does not encrypt images" },
  { OPT_IGNORED, "encryption-key", 0, "KEY", "Encrypt the image with KEY", PT_FLAG_REFUSED,
    "podtool does not encrypt images" },
  { 'f', "format", 'f', "FORMAT", "The manifest type: oci (default) or v2s2 (Docker)" },
  { 'q', "quiet", 'q', NULL, "Print no progress" },
  { OPT_IGNORED, "remove-signatures", 0, NULL, "Push without the image's signatures",
    PT_FLAG_NO_EFFECT, "podtool keeps no signatures, so it pushes none" },
  { OPT_IGNORED, "sign-by", 0, "FINGERPRINT", "Sign the image with a GPG key", PT_FLAG_REFUSED,
    "podtool does not sign images" },
  { OPT_IGNORED, "sign-by-sigstore-private-key", 0, "PATH", "Sign with a sigstore key",
    PT_FLAG_REFUSED, "podtool does not sign images" },
  { OPT_IGNORED, "sign-passphrase-file", 0, "PATH", "The passphrase of the signing key",
    PT_FLAG_REFUSED, "podtool does not sign images" },
  { OPT_TLS_VERIFY, "tls-verify", 0, NULL,
    "Require HTTPS and verify certificates (default true; false also allows plain HTTP)" },
  { 0, NULL, 0, NULL, NULL },
};

static void
on_progress (void *data, enum pt_push_event ev, const char *what, const char *hex, size_t done,
             size_t total)
{
  bool *quiet = data;
  if (*quiet)
    return;
  const char *kind = strcmp (what, "config") == 0 ? "config" : "blob";
  switch (ev)
    {
    case PT_PUSH_BLOB_START: pt_bars_event (PT_BAR_START, kind, hex, 0, total); break;
    case PT_PUSH_BLOB_PROGRESS: pt_bars_event (PT_BAR_PROGRESS, kind, hex, done, total); break;
    case PT_PUSH_BLOB_SKIPPED: pt_bars_event (PT_BAR_SKIPPED, kind, hex, 0, 0); break;
    case PT_PUSH_BLOB_DONE: pt_bars_event (PT_BAR_DONE, kind, hex, done, total); break;
    case PT_PUSH_WRITING:
      pt_bars_end ();
      fprintf (stderr, "Writing manifest to image destination\nStoring signatures\n");
      break;
    }
}

static int
parse_choice (const char *flag, const char *arg, const char *a, const char *b, int *out,
              pt_error_t *err)
{
  if (strcmp (arg, a) == 0)
    return *out = 0, 0;
  if (strcmp (arg, b) == 0)
    return *out = 1, 0;
  return pt_make_error (err, 0, "invalid --%s `%s`: %s or %s", flag, arg, a, b);
}

static int
push_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool quiet = false;
  struct pt_push_opts o
      = { .reg = { .tls_verify = true }, .progress = on_progress, .progress_data = &quiet };
  const char *digestfile = NULL;
  bool chosen = false; /* --format or --compression-format */
  int c, v = 0;
  while ((c = pt_cli_getopt (&pt_cmd_push, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': quiet = true; break;
      case OPT_TLS_VERIFY: o.reg.tls_verify = pt_cli_optbool; break;
      case OPT_CREDS: o.reg.creds = optarg; break;
      case OPT_CERT_DIR: o.reg.cert_dir = optarg; break;
      case OPT_AUTHFILE: o.reg.authfile = optarg; break;
      case OPT_DIGESTFILE: digestfile = optarg; break;
      case 'f':
        if (parse_choice ("format", optarg, "oci", "v2s2", &v, err) < 0)
          return -1;
        o.format = v ? PT_PUSH_V2S2 : PT_PUSH_OCI;
        chosen = true;
        break;
      case OPT_COMPRESSION:
        if (parse_choice ("compression-format", optarg, "gzip", "zstd", &v, err) < 0)
          return -1;
        o.compression = v ? PT_PUSH_ZSTD : PT_PUSH_GZIP;
        chosen = true;
        break;
      case OPT_LEVEL:
        {
          long l;
          if (pt_parse_long (optarg, 1, 20, &l) < 0)
            return pt_make_error (err, 0, "invalid --compression-level `%s`: 1 to 20", optarg);
          o.level = (int)l;
          chosen = true;
          break;
        }
      default: return -1;
      }
  if (optind >= argc || argc - optind > 2)
    return pt_make_error (err, 0, "requires 1 or 2 arg(s) (IMAGE [DESTINATION]), received %d",
                          argc - optind);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  if (o.compression == PT_PUSH_GZIP && o.level > 9)
    return pt_make_error (err, 0, "invalid --compression-level %d: gzip takes 1 to 9", o.level);
  o.as_pulled = !chosen;
  const char *dest = argc - optind == 2 ? argv[optind + 1] : NULL;
  if (dest && strncmp (dest, "docker://", 9) == 0)
    dest += 9;
  char digest[72];
  /* An image that is not there is said before anything else, as Podman does. */
  struct pt_image img;
  if (pt_image_lookup (s, argv[optind], &img, err) < 0)
    return -1;
  pt_image_free (&img);
  if (!quiet)
    fprintf (stderr, "Getting image source signatures\n");
  if (pt_image_push (s, m, argv[optind], dest, &o, digest, err) < 0)
    return -1;
  if (digestfile
      && pt_write_file_atomic (AT_FDCWD, digestfile, digest, strlen (digest), 0644, 0, err) < 0)
    return -1;
  pt_cli_image_event (s, "push", dest ? dest : argv[optind], NULL);
  return 0;
}

const struct pt_cmd pt_cmd_push = {
  .name = "push",
  .usage = "[options] IMAGE [DESTINATION]",
  .summary = "Push an image to a registry",
  .flags = push_flags,
  .exec = push_exec,
};

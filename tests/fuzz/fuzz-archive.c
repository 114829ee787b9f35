/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: an image archive (tar, any compression libarchive reads) as
   load stages and parses it: manifest.json, index.json, the configs. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "lib/image.h"
#include "lib/store.h"
#include "lib/util.h"

static struct pt_store store;
static char path[4200];

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  (void)argc, (void)argv;
  char tmpl[] = "/tmp/podtool-fuzz-XXXXXX";
  char *dir = mkdtemp (tmpl);
  pt_error_t err = NULL;
  if (dir == NULL)
    abort ();
  cleanup_free char *root = xasprintf ("%s/root", dir), *run = xasprintf ("%s/run", dir);
  if (pt_store_open (&store, root, run, &err) < 0)
    abort ();
  snprintf (path, sizeof path, "%s/input.tar", dir);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  FILE *f = fopen (path, "we");
  if (f == NULL || fwrite (data, 1, size, f) != size || fclose (f) != 0)
    abort ();
  pt_error_t err = NULL;
  if (pt_image_archive_check (&store, path, &err) < 0)
    {
      /* Every failure is an error with a message, never a crash. */
      if (err == NULL || err->msg == NULL)
        abort ();
      pt_error_release (&err);
    }
  return 0;
}

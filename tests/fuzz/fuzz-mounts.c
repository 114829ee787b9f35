/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the -v, --mount and --tmpfs parsers. What they take has an
   absolute destination with no "..", and a type they know; a volume has a
   name of Podman's characters, or none and is anonymous. */
#include <config.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/mounts.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (int r, struct pt_mount *m, pt_error_t *err)
{
  if (r == 0)
    {
      bool volume = m->type && strcmp (m->type, "volume") == 0;
      if (m->destination == NULL || m->destination[0] != '/' || strstr (m->destination, "/../")
          || m->type == NULL
          || (strcmp (m->type, "bind") != 0 && strcmp (m->type, "tmpfs") != 0 && !volume))
        abort ();
      if (volume
          && (m->volume == NULL || (*m->volume == '\0') != m->anonymous
              || strspn (m->volume, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
                     != strlen (m->volume)
              || (*m->volume && strchr ("_.-", m->volume[0]) != NULL)))
        abort ();
      pt_mount_free (m);
    }
  else if (*err == NULL || (*err)->msg == NULL)
    abort ();
  pt_error_release (err);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  cleanup_free char *arg = xstrndup ((const char *)data + 1, size - 1);
  struct pt_mount m = { 0 };
  pt_error_t err = NULL;
  switch (data[0] % 3)
    {
    case 0: check (pt_mount_parse_volume (arg, &m, &err), &m, &err); break;
    case 1: check (pt_mount_parse_tmpfs (arg, &m, &err), &m, &err); break;
    default: check (pt_mount_parse_mount (arg, &m, &err), &m, &err); break;
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: any bytes stored the way podtool stores strings come back as
   they were, through a JSON text; what is shown is always UTF-8. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/jsonutil.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  cleanup_free char *s = xstrndup ((const char *)data, size); /* up to a NUL */
  json_t *stored = pt_json_str (s), *shown = pt_json_text (s);
  if (stored == NULL || shown == NULL || !pt_utf8_valid (json_string_value (shown)))
    abort ();
  json_t *arr = json_pack ("[o]", stored);
  char *text = json_dumps (arr, JSON_COMPACT);
  json_t *back = text ? json_loads (text, JSON_ALLOW_NUL, NULL) : NULL;
  cleanup_free char *again = back ? pt_json_get_str (json_array_get (back, 0)) : NULL;
  if (again == NULL || strcmp (again, s) != 0)
    abort ();
  free (text);
  json_decref (arr);
  json_decref (back);
  json_decref (shown);
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: any text is YAML podtool reads (kube play) or refuses in one
   error; what it reads, written back (kube generate's writer) and read
   again, is the same. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/yaml.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  json_t *docs = NULL, *again = NULL;
  pt_error_t err = NULL;
  if (pt_yaml_parse ((const char *)data, size, &docs, &err) < 0)
    {
      if (err == NULL || docs != NULL)
        abort ();
      pt_error_release (&err);
      return 0;
    }
  char *text = pt_yaml_emit (docs, &err);
  if (text == NULL)
    abort ();
  if (pt_yaml_parse (text, strlen (text), &again, &err) < 0 || !json_equal (docs, again))
    abort ();
  free (text);
  json_decref (docs);
  json_decref (again);
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: --format templates, parsed and rendered against an item shaped
   like ps's and inspect's. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <jansson.h>
#include "lib/template.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static json_t *item;

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (item == NULL)
    item = json_loads ("{\"ID\": \"abc\", \"Names\": \"web\", \"Pid\": 42, \"Exited\": false,"
                       " \"Labels\": {\"a\": \"b\", \"k\": \"v\"}, \"Command\": [\"sh\", \"-c\", \"x\"],"
                       " \"State\": {\"Status\": \"running\", \"Pid\": 7, \"Health\": null},"
                       " \"Config\": {\"Env\": [\"A=1\"], \"Labels\": {}}, \"Size\": 1.5}",
                       0, NULL);
  if (item == NULL)
    abort ();
  cleanup_free char *text = xstrndup ((const char *)data, size);
  struct pt_template *t = NULL;
  pt_error_t err = NULL;
  char *out = NULL;
  if (pt_template_parse (text, &t, &err) == 0)
    {
      if (pt_template_render (t, item, &out, &err) == 0 && out == NULL)
        abort ();
      if (pt_template_is_table (t))
        free (pt_template_header (t, NULL));
    }
  if (err && err->msg == NULL)
    abort ();
  free (out);
  pt_error_release (&err);
  pt_template_free (t);
  return 0;
}

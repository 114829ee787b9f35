/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: image references. A reference the grammar takes normalizes,
   and its normal form is taken and is its own normal form. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib/reference.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  cleanup_free char *ref = xstrndup ((const char *)data, size);
  const char *why = pt_ref_check (ref);
  cleanup_free char *norm = pt_ref_normalize (ref);
  if ((why == NULL) != (norm != NULL))
    abort ();
  if (norm)
    {
      cleanup_free char *again = pt_ref_normalize (norm);
      if (again == NULL || strcmp (again, norm) != 0)
        abort ();
      pt_ref_matches (norm, ref);
      cleanup_free char *repo = NULL, *tag = NULL;
      pt_ref_split (norm, &repo, &tag);
    }
  return 0;
}

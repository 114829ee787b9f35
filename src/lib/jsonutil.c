/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "jsonutil.h"
#include "util.h"

char **
pt_json_strv (json_t *arr)
{
  char **v = xzalloc (sizeof *v);
  size_t i;
  json_t *x;
  json_array_foreach (arr, i, x) if (json_is_string (x)) pt_strv_append (&v, json_string_value (x));
  return v;
}

json_t *
pt_strv_json (char *const *v)
{
  json_t *a = json_array ();
  for (size_t i = 0; v && v[i]; i++)
    json_array_append_new (a, json_string (v[i]));
  return a;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_JSONUTIL_H
#define PT_JSONUTIL_H

#include <stdbool.h>
#include <jansson.h>

/* JSON holds UTF-8 only; arguments, environment values and paths may hold
   any bytes. What podtool stores keeps them all: a string that is not
   UTF-8 is stored as NUL followed by its bytes in hex, which no C string
   can be (pt_json_str / pt_json_get_str). What podtool shows replaces each
   invalid byte with U+FFFD, as Podman does (pt_json_text). Both never
   return NULL for a non-NULL string. */
bool pt_utf8_valid (const char *s);
json_t *pt_json_str (const char *s);  /* NULL: JSON null */
json_t *pt_json_text (const char *s); /* NULL: JSON null */
/* The bytes pt_json_str stored (a copy), or NULL when x is no string. */
char *pt_json_get_str (const json_t *x);

/* The strings of a JSON array (others skipped), decoded as
   pt_json_get_str does, NULL-terminated; never NULL. */
char **pt_json_strv (json_t *arr);
/* A JSON array of the strings of v (NULL: empty), stored losslessly. */
json_t *pt_strv_json (char *const *v);
/* The same for output: invalid bytes shown as U+FFFD. */
json_t *pt_strv_json_text (char *const *v);
/* KEY=VALUE strings (a bare KEY: an empty value) as one object, keys and
   values shown as pt_json_text does. */
json_t *pt_kv_json (char *const *kv);

#endif

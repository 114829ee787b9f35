/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_JSONUTIL_H
#define PT_JSONUTIL_H

#include <jansson.h>

/* The strings of a JSON array (others skipped), NULL-terminated; never NULL. */
char **pt_json_strv (json_t *arr);
/* A JSON array of the strings of v (NULL: empty). */
json_t *pt_strv_json (char *const *v);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_YAML_H
#define PT_YAML_H

#include "error.h"
#include <jansson.h>
#include <stddef.h>

/* YAML through libyaml, as JSON values: every document of text as an
   array (plain scalars typed as YAML 1.1's core schema reads them: null,
   true/false, integers, floats; quoted ones strings). A malformed text is
   an error naming its line. Anchors and aliases are refused: no Kubernetes
   file needs them and they make a small file huge. */
int pt_yaml_parse (const char *text, size_t len, json_t **docs, pt_error_t *err);
/* And the line each document starts on (*lines, one per document). */
int pt_yaml_parse_lines (const char *text, size_t len, json_t **docs, size_t **lines,
                         pt_error_t *err);
/* The documents of docs (an array) as YAML, "---" between them; strings
   that would read back as something else are quoted. */
char *pt_yaml_emit (json_t *docs, pt_error_t *err);

#endif

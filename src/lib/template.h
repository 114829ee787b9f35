/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_TEMPLATE_H
#define PT_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include "error.h"

/* The Go-template subset that scripts and Podman's own tests use with
   --format: text kept as written; {{.Field.Path}}, {{.}}, {{json .X}},
   {{index .X "key"}} / {{index .X 0}}, {{join .X ","}}, {{lower .X}},
   {{upper .X}}, {{range .X}}...{{end}}, {{if .X}}...{{else}}...{{end}},
   {{- and -}} trimming, and a leading `table` for a header line and aligned
   columns. Field names match exactly, else without regard to case. Anything
   else is an error that names it: never silently wrong output. */
struct pt_template;

int pt_template_parse (const char *text, struct pt_template **out, pt_error_t *err);
void pt_template_free (struct pt_template *t);
bool pt_template_is_table (const struct pt_template *t);
/* The header of a `table` template: each top-level field's header, as
   name_of gives it (NULL: the field name in capitals). */
char *pt_template_header (const struct pt_template *t, const char *(*name_of) (const char *field));
int pt_template_render (const struct pt_template *t, json_t *data, char **out, pt_error_t *err);
/* Lines with tab-separated cells, padded into columns as Go's tabwriter
   does (two spaces between columns). */
char *pt_template_align (char *const *lines);

#endif

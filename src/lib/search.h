/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SEARCH_H
#define PT_SEARCH_H

#include "error.h"
#include "registry-http.h"
#include <stddef.h>

/* DOMAIN/REPO for each repository of the registry's catalog whose name
   holds term (limit: at most that many; 0: all). */
int pt_search_catalog (const char *domain, const char *term, const struct pt_registry_opts *o,
                       size_t limit, char ***names, pt_error_t *err);
/* The tags of DOMAIN/REPO. */
int pt_search_tags (const char *domain, const char *repo, const struct pt_registry_opts *o,
                    size_t limit, char ***tags, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What registry-http.c lends registry-blobs.c (its requests' setup), and
   nothing else includes. */
#ifndef PT_REGISTRY_INTERNAL_H
#define PT_REGISTRY_INTERNAL_H

#include "dl-curl.h"
#include "registry-http.h"

/* h set up as every request to r is: url, hdrs, redirects, TLS and its
   CAs, timeouts, basic credentials (userpwd, or NULL). */
void pt_registry_setup_handle (struct pt_registry *r, CURL *h, const char *url,
                               struct curl_slist *hdrs, const char *userpwd);
/* The Authorization header that worked last (NULL: none), and the basic
   credentials to send instead when the registry took those. */
struct curl_slist *pt_registry_auth_header (const struct pt_registry *r, const char **userpwd);
/* scheme://host/v2/PATH, the scheme the registry answered on. */
char *pt_registry_api_url (const struct pt_registry *r, const char *path);
const char *pt_registry_repo (const struct pt_registry *r);

#endif

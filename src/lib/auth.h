/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_AUTH_H
#define PT_AUTH_H

#include "error.h"
#include <stdbool.h>

/* Where login writes: $REGISTRY_AUTH_FILE, else
   $XDG_RUNTIME_DIR/containers/auth.json, else
   $XDG_CONFIG_HOME (~/.config)/containers/auth.json. */
char *pt_auth_default_file (void);
/* "USER:PASS" for DOMAIN/REPO (*creds NULL when none): from authfile
   alone, or else the first of $REGISTRY_AUTH_FILE, the runtime and config
   auth.json and ~/.docker/config.json that has an entry (a REGISTRY/REPO
   key beats the registry's) or a credential helper that knows it. A file
   that is not JSON is an error naming it. */
int pt_auth_lookup (const char *authfile, const char *domain, const char *repo, char **creds,
                    pt_error_t *err);
/* o->creds, when not given, from the files (o->authfile alone when set);
   *owned holds what was found. */
struct pt_registry_opts;
int pt_auth_fill (struct pt_registry_opts *o, const char *domain, const char *repo, char **owned,
                  pt_error_t *err);
/* login: key's credentials written into path (others kept; temporary name
   and rename, under path.lock). */
int pt_auth_store (const char *path, const char *key, const char *user, const char *password,
                   pt_error_t *err);
/* logout: key's entry (key NULL: every entry) removed; *found says whether
   there was one. */
int pt_auth_remove (const char *path, const char *key, bool *found, pt_error_t *err);
/* login --get-login: the user path holds for key, or NULL. */
int pt_auth_user (const char *path, const char *key, char **user, pt_error_t *err);

#endif

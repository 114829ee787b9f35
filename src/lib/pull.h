/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PULL_H
#define PT_PULL_H

#include "blob-progress.h"
#include "error.h"
#include "registry-http.h"
#include "store.h"
#include "userns.h"
#include <stddef.h>

struct pt_pull_opts
{
  struct pt_registry_opts reg;
  const char *os, *arch, *variant; /* NULL: this machine's */
  void (*progress) (void *data, enum pt_pull_event ev, const char *what, const char *digest,
                    size_t done, size_t total);
  void *progress_data;
};
/* Pulls REF (see image-ref.h) into the store: the manifest (through a
   manifest list or OCI index, the platform asked for), the config and the
   layers the store lacks, each checked against its digest before anything
   is stored. *name gets the name stored, *id the image id. */
/* REF may be a short name (no registry in it): resolved through
   registries.conf's aliases and unqualified-search-registries, each tried
   in turn; a qualified one through its [[registry]] (blocked, insecure,
   location, mirrors tried first), pull-resolve.c. */
int pt_image_pull (struct pt_store *s, const struct pt_idmap *m, const char *ref,
                   const struct pt_pull_opts *o, char **name, char **id, pt_error_t *err);
/* One pull from endpoint (a qualified reference, perhaps a mirror's),
   stored under named; insecure: no TLS verification, plain HTTP allowed. */
int pt_pull_from (struct pt_store *s, const struct pt_idmap *m, const char *endpoint,
                  const char *named, const struct pt_pull_opts *o, bool insecure, char **name,
                  char **id, pt_error_t *err);

#endif

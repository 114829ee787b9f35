/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_VOLUME_H
#define PT_VOLUME_H

#include <jansson.h>
#include <stdbool.h>
#include "error.h"
#include "store.h"
#include "userns.h"

/* Named volumes, Podman's "local" driver: $root/volumes/NAME/_data holds
   the files, volume.json what podman volume inspect shows. A new volume is
   marked for copy-up: the first container that mounts it (unless nocopy)
   fills the empty _data with what its image has at the mount point
   (linux.c), and the mark goes. Creation and removal hold the store's lock:
   two containers that create the same volume at once get one. */
struct pt_volume
{
  char *name;
  char *mountpoint;         /* .../volumes/NAME/_data */
  char *created;            /* RFC 3339 */
  char **labels, **options; /* KEY=VALUE */
  bool anonymous;
};

void pt_volume_free (struct pt_volume *v);
/* A name Podman takes: [a-zA-Z0-9][a-zA-Z0-9_.-]*. NULL, or the reason. */
const char *pt_volume_name_check (const char *name);
/* name NULL: an anonymous volume with a random 64-hex name. With
   existing_ok, a volume of that name is the result, not an error. */
int pt_volume_create (struct pt_store *s, const char *name, char *const *labels,
                      char *const *options, bool anonymous, bool existing_ok, struct pt_volume *v,
                      pt_error_t *err);
int pt_volume_lookup (struct pt_store *s, const char *name, struct pt_volume *v, pt_error_t *err);
/* Every volume's name, in name order. */
int pt_volume_list (struct pt_store *s, char ***names, pt_error_t *err);
/* The ids of the containers that mount it. */
char **pt_volume_users (struct pt_store *s, const char *name);
/* podman volume rm: in use, an error naming the containers (with force they
   are removed first). Its files go in the user namespace (subordinate
   owners). */
int pt_volume_remove (struct pt_store *s, const struct pt_idmap *m, const char *name, bool force,
                      pt_error_t *err);
/* At create: the image's Volumes become anonymous volume mounts where the
   user mounted nothing; every volume mount gets its volume (made if need
   be: anonymous ones with a random name) and its _data as the source. */
struct pt_ctr_spec;
int pt_ctr_volumes_prepare (struct pt_store *s, struct pt_ctr_spec *spec, pt_error_t *err);
/* The container's anonymous volumes go, but those another container uses
   (rm -v, --rm, a failed create). */
void pt_ctr_volumes_remove_anonymous (struct pt_store *s, const struct pt_idmap *m,
                                      const struct pt_ctr_spec *spec);
/* podman volume export: its files as one tar on out_fd; import: a tar's
   files (unpacked as a layer is, by a chroot()ed worker in the user
   namespace) into it, over what has the same name (volume-io.c). */
int pt_volume_export (struct pt_store *s, const struct pt_idmap *m, const char *name, int out_fd,
                      pt_error_t *err);
int pt_volume_import (struct pt_store *s, const struct pt_idmap *m, const char *name,
                      const char *tar, pt_error_t *err);
/* What podman volume inspect shows of it. */
json_t *pt_volume_json (const struct pt_volume *v, struct pt_store *s);

#endif

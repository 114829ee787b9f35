/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_IMAGE_REF_H
#define PT_IMAGE_REF_H

#include "error.h"

/* A registry reference as Podman resolves one: [docker://][DOMAIN/]REPO
   [:TAG][@sha256:HEX]. DOMAIN is the first component when it has a '.' or
   a ':' or is localhost; without one it is docker.io, whose one-component
   names are library/NAME. No tag and no digest: latest. */
struct pt_image_ref
{
  char *domain; /* docker.io, 127.0.0.1:5000, ... */
  char *repo;   /* library/busybox */
  char *tag;    /* NULL with a digest alone */
  char *digest; /* sha256:..., or NULL */
};
int pt_image_ref_parse (const char *text, struct pt_image_ref *ref, pt_error_t *err);
void pt_image_ref_free (struct pt_image_ref *ref);
/* DOMAIN/REPO:TAG (or @DIGEST): the name the store gives the image. */
char *pt_image_ref_name (const struct pt_image_ref *ref);
/* The host:port the protocol talks to (docker.io's is registry-1.docker.io),
   of a reference or of a registry's name. */
const char *pt_registry_api_host (const char *domain);
const char *pt_image_ref_api_host (const struct pt_image_ref *ref);

#endif

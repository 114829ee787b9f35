/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_IMAGES_H
#define PT_CMD_IMAGES_H

#include "cmd.h"
#include "lib/image.h"

/* images --filter KEY=VALUE..., ANDed; the IMAGE operand is one more
   reference=IMAGE. */
struct pt_cli_image_filter
{
  struct pt_cli_prune_filter base; /* until, label, label! */
  int64_t before_ns, since_ns;     /* 0: none */
  int dangling;                    /* -1: either, 0: named, 1: without a name */
  char **refs, **ids;              /* reference= globs, id= prefixes */
  bool none;                       /* readonly/intermediate/manifest=true: nothing is */
};

int pt_cli_image_filter_add (struct pt_cli_image_filter *f, struct pt_store *s, const char *arg,
                             pt_error_t *err);
/* Is the image listed at all, and (name: one of its names, NULL for an
   image without one) is that name's row? */
bool pt_cli_image_filter_image (const struct pt_cli_image_filter *f, struct pt_store *s,
                                const struct pt_image *img);
bool pt_cli_image_filter_name (const struct pt_cli_image_filter *f, const char *name);
void pt_cli_image_filter_free (struct pt_cli_image_filter *f);
/* The image's labels as KEY=VALUE (none: an empty list). */
char **pt_cli_image_labels (struct pt_store *s, const struct pt_image *img);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_IMAGE_TREE_H
#define PT_IMAGE_TREE_H

#include <stdint.h>
#include "error.h"
#include "image.h"
#include "store.h"

/* The layers of the images as one tree (podman image tree): a layer is known
   by its chain id (sha256 of the chain below it and its diff id, as
   containers/storage names layers), so images that share a base share its
   nodes. */
struct pt_layer_node
{
  char id[65];       /* chain id */
  uint64_t size;     /* bytes of the layer's tar */
  char **top_of;     /* names of the images whose top layer this is */
  bool top_of_image; /* the top layer of some image, named or not */
  size_t parent;     /* index of the layer below, or (size_t)-1 */
};

struct pt_layer_tree
{
  struct pt_layer_node *v;
  size_t n;
};

/* Every image's layers in t (bottom first for each image). */
int pt_layer_tree_read (struct pt_store *s, struct pt_layer_tree *t, pt_error_t *err);
/* The node of img's layer i, or (size_t)-1. */
size_t pt_layer_tree_find (const struct pt_layer_tree *t, const struct pt_image *img, size_t i);
void pt_layer_tree_free (struct pt_layer_tree *t);


#endif

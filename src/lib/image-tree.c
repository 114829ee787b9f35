/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The layers of all images as one tree of chain ids (podman image tree). */
#include <config.h>
#include "image-tree.h"
#include "sha256.h"
#include "util.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* chain(0) = diff(0); chain(i) = sha256("sha256:chain(i-1) sha256:diff(i)"). */
static void
chain_id (const char *below, const char *diff, char out[65])
{
  if (below == NULL)
    {
      snprintf (out, 65, "%s", diff);
      return;
    }
  cleanup_free char *text = xasprintf ("sha256:%s sha256:%s", below, diff);
  pt_sha256_hex (text, strlen (text), out);
}


static size_t
node_of (const struct pt_layer_tree *t, const char *id)
{
  for (size_t i = 0; i < t->n; i++)
    if (strcmp (t->v[i].id, id) == 0)
      return i;
  return (size_t)-1;
}

static size_t
add_node (struct pt_store *s, struct pt_layer_tree *t, const char *id, const char *diff,
          size_t parent)
{
  size_t i = node_of (t, id);
  if (i != (size_t)-1)
    return i;
  t->v = xrealloc (t->v, (t->n + 1) * sizeof *t->v);
  struct pt_layer_node *n = &t->v[t->n];
  memset (n, 0, sizeof *n);
  snprintf (n->id, sizeof n->id, "%s", id);
  n->size = pt_layer_size (s, diff);
  n->top_of = xzalloc (sizeof (char *));
  n->parent = parent;
  return t->n++;
}

int
pt_layer_tree_read (struct pt_store *s, struct pt_layer_tree *t, pt_error_t *err)
{
  struct pt_image_list l = { 0 };
  memset (t, 0, sizeof *t);
  if (pt_image_list_read (s, &l, err) < 0)
    return -1;
  for (size_t i = 0; i < l.n; i++)
    {
      size_t parent = (size_t)-1;
      char id[65] = "";
      for (size_t k = 0; l.v[i].layers[k]; k++)
        {
          chain_id (k ? id : NULL, l.v[i].layers[k], id);
          parent = add_node (s, t, id, l.v[i].layers[k], parent);
        }
      if (parent == (size_t)-1)
        continue;
      t->v[parent].top_of_image = true;
      for (size_t k = 0; l.v[i].names[k]; k++)
        pt_strv_append (&t->v[parent].top_of, l.v[i].names[k]);
    }
  pt_image_list_free (&l);
  return 0;
}

size_t
pt_layer_tree_find (const struct pt_layer_tree *t, const struct pt_image *img, size_t i)
{
  char id[65] = "";
  for (size_t k = 0; k <= i && img->layers[k]; k++)
    chain_id (k ? id : NULL, img->layers[k], id);
  return node_of (t, id);
}

void
pt_layer_tree_free (struct pt_layer_tree *t)
{
  for (size_t i = 0; i < t->n; i++)
    pt_strv_free (t->v[i].top_of);
  free (t->v);
  memset (t, 0, sizeof *t);
}

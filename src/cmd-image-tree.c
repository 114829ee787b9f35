/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool image tree: an image's layers, or with --whatrequires the layers
   and images built on top of it, as a tree. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/image-tree.h"
#include "lib/util.h"

enum
{
  OPT_WHATREQUIRES = 256,
};

static const struct pt_flag tree_flags[] = {
  { OPT_WHATREQUIRES, "whatrequires", 0, NULL,
    "Show the layers and images built on top of the image instead" },
  { 0, NULL, 0, NULL, NULL },
};

/* Go prints a []string as "[a b]". */
static void
print_names (char *const *v)
{
  putchar ('[');
  for (size_t i = 0; v[i]; i++)
    printf ("%s%s", i ? " " : "", v[i]);
  putchar (']');
}

static void
print_node (const struct pt_layer_node *n, const char *prefix, bool last)
{
  cleanup_free char *size = pt_human_size_precision (n->size, 4, "");
  printf ("%s%s ID: %.12s Size: %7s", prefix, last ? "└── " : "├── ", n->id, size);
  if (n->top_of[0])
    {
      printf (" Top Layer of: ");
      print_names (n->top_of);
    }
  putchar ('\n');
}

/* The layers whose parent is node, each with its subtree. */
static void
print_children (const struct pt_layer_tree *t, size_t node, const char *prefix)
{
  size_t count = 0, seen = 0;
  for (size_t i = 0; i < t->n; i++)
    count += t->v[i].parent == node;
  for (size_t i = 0; i < t->n; i++)
    if (t->v[i].parent == node)
      {
        bool last = ++seen == count;
        print_node (&t->v[i], prefix, last);
        cleanup_free char *deeper = xasprintf ("%s%s", prefix, last ? "    " : "│   ");
        print_children (t, i, deeper);
      }
}

static int
tree_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool whatrequires = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_image_tree, argc, argv, err)) != -1)
    switch (c)
      {
      case OPT_WHATREQUIRES: whatrequires = pt_cli_optbool; break;
      default: return -1;
      }
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_image_tree, argc - optind, 1, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  struct pt_image img;
  if (s == NULL || pt_image_lookup (s, argv[optind], &img, err) < 0)
    return -1;
  struct pt_layer_tree t;
  if (pt_layer_tree_read (s, &t, err) < 0)
    {
      pt_image_free (&img);
      return -1;
    }
  cleanup_free char *size = pt_human_size_precision (img.size, 4, "");
  printf ("Image ID: %.12s\nTags:     ", img.id);
  print_names (img.names);
  printf ("\nSize:     %s\nImage Layers\n", size);
  size_t n = pt_strv_len (img.layers);
  if (whatrequires && n > 0)
    {
      size_t top = pt_layer_tree_find (&t, &img, n - 1);
      print_node (&t.v[top], "", true);
      print_children (&t, top, " ");
    }
  else
    for (size_t i = 0; i < n; i++)
      print_node (&t.v[pt_layer_tree_find (&t, &img, i)], "", i + 1 == n);
  pt_layer_tree_free (&t);
  pt_image_free (&img);
  return 0;
}

const struct pt_cmd pt_cmd_image_tree = {
  .name = "tree",
  .usage = "[options] IMAGE",
  .summary = "Show an image's layers as a tree",
  .flags = tree_flags,
  .exec = tree_exec,
};

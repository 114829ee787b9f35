/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool image: the image verbs under one roof, as `podman image` has them
   (ls, rm, load, import, save, tag, pull, push, search), plus
   inspect and prune. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cmd.h"
#include "cmd-images.h"
#include "lib/image.h"
#include "lib/util.h"

static const struct pt_flag prune_flags[] = {
  { 'a', "all", 'a', NULL, "Remove every image no container uses, not only dangling ones" },
  { 'F', "filter", 0, "FILTER",
    "Prune only those: until=TIMESTAMP, label=KEY[=VALUE], label!=KEY[=VALUE]" },
  { 'f', "force", 'f', NULL, "Do not ask for confirmation" },
  { 0, NULL, 0, NULL, NULL },
};

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool all = false, force = false;
  __attribute__ ((cleanup (pt_cli_prune_filter_free))) struct pt_cli_prune_filter f = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_image_prune, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'f': force = pt_cli_optbool; break;
      case 'F':
        if (pt_cli_prune_filter (&f, optarg, err) < 0)
          return -1;
        break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_image_prune, argc - optind, 0, 0, err);
  int yes = pt_cli_confirm (force,
                            all ? "This command removes all images without at least one "
                                  "container associated with them."
                                : "This command removes all dangling images.",
                            err);
  if (yes <= 0)
    return yes;
  return pt_cli_prune_images (g, all, &f, err);
}

const struct pt_cmd pt_cmd_image_prune = {
  .name = "prune",
  .usage = "[options]",
  .summary = "Remove dangling images, or with --all every image no container uses",
  .flags = prune_flags,
  .exec = prune_exec,
};

/* Kept when --filter does not match it: made later, or labels that do not hold. */
static bool
spare_image (struct pt_store *s, const struct pt_image *img, void *data)
{
  const struct pt_cli_prune_filter *f = data;
  cleanup_strv char **labels = f->labels || f->not_labels ? pt_cli_image_labels (s, img) : NULL;
  return !pt_cli_prune_matches (f, img->created_ns, labels);
}

int
pt_cli_prune_images (struct pt_global *g, bool all, const struct pt_cli_prune_filter *f,
                     pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **deleted = NULL;
  if (m == NULL || pt_image_prune (s, m, all, f ? spare_image : NULL, (void *)f, &deleted, err) < 0)
    return -1;
  for (size_t i = 0; deleted[i]; i++)
    printf ("%s\n", deleted[i]);
  return 0;
}

static const struct pt_cmd *const image_verbs[] = {
  &pt_cmd_image_exists, &pt_cmd_history,     &pt_cmd_import, &pt_cmd_image_inspect,
  &pt_cmd_image_ls,  &pt_cmd_load,         &pt_cmd_image_prune, &pt_cmd_pull,   &pt_cmd_push,
  &pt_cmd_image_rm,  &pt_cmd_save,         &pt_cmd_search,      &pt_cmd_tag,    &pt_cmd_image_tree,
  &pt_cmd_untag,     NULL,
};

const struct pt_cmd pt_cmd_image = {
  .name = "image",
  .usage = "COMMAND",
  .summary = "Manage images",
  .subs = image_verbs,
};

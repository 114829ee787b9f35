/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container exists, image exists: exit 0 if it is there, 1 if not. And
   the verbs that are another verb under a group's name (container ls,
   container inspect, image ls, image rm, image inspect). */
#include <config.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/image.h"
#include "lib/util.h"

static const struct pt_flag exists_flags[] = {
  { 'e', "external", 0, NULL, "Count containers of other tools too", PT_FLAG_NO_EFFECT,
    "podtool's store holds only its own" },
  { 0, NULL, 0, NULL, NULL },
};

static int
exists (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv, bool image,
        pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (cmd, argc - optind, 1, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  pt_error_t e = NULL;
  struct pt_image img;
  cleanup_free char *id = NULL;
  int r = image ? pt_image_lookup (s, argv[optind], &img, &e)
                : pt_ctr_resolve (s, argv[optind], &id, &e);
  if (r == 0 && image)
    pt_image_free (&img);
  pt_error_release (&e);
  g->exit_code = r == 0 ? 0 : 1;
  return 0;
}

static int
container_exists (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return exists (g, &pt_cmd_container_exists, argc, argv, false, err);
}

static int
image_exists (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return exists (g, &pt_cmd_image_exists, argc, argv, true, err);
}

const struct pt_cmd pt_cmd_container_exists = {
  .name = "exists",
  .usage = "[options] CONTAINER",
  .summary = "Exit 0 if the container exists, 1 if not",
  .flags = exists_flags,
  .exec = container_exists,
};

const struct pt_cmd pt_cmd_image_exists = {
  .name = "exists",
  .usage = "IMAGE",
  .summary = "Exit 0 if the image exists, 1 if not",
  .flags = exists_flags + 1,
  .exec = image_exists,
};

/* `container inspect` is `inspect --type container`, `image inspect` --type image. */
static int
inspect_as (struct pt_global *g, int argc, char **argv, const char *type, pt_error_t *err)
{
  cleanup_free char **args = xmalloc ((argc + 3) * sizeof (char *));
  args[0] = argv[0];
  args[1] = (char *)"--type";
  args[2] = (char *)type;
  memcpy (args + 3, argv + 1, argc * sizeof (char *)); /* with the final NULL */
  optind = 0;
  return pt_cmd_inspect.exec (g, argc + 2, args, err);
}

static int
container_inspect (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return inspect_as (g, argc, argv, "container", err);
}

static int
image_inspect (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  return inspect_as (g, argc, argv, "image", err);
}

const struct pt_cmd pt_cmd_container_inspect = {
  .name = "inspect",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Show containers as JSON",
  .exec = container_inspect,
};

const struct pt_cmd pt_cmd_image_inspect = {
  .name = "inspect",
  .usage = "[options] IMAGE [IMAGE...]",
  .summary = "Show images as JSON",
  .exec = image_inspect,
};

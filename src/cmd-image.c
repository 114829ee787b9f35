/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool image: the image verbs under one roof, as `podman image` has them
   (ls, rm, load, import, save, tag), plus inspect and prune. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

/* `image inspect` is `inspect --type image`. */
static int
inspect_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  cleanup_free char **args = xmalloc ((argc + 3) * sizeof (char *));
  args[0] = argv[0];
  args[1] = (char *)"--type";
  args[2] = (char *)"image";
  memcpy (args + 3, argv + 1, argc * sizeof (char *)); /* with the final NULL */
  optind = 0;
  return pt_cmd_inspect.exec (g, argc + 2, args, err);
}

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "all", no_argument, NULL, 'a' },
                                            { "force", no_argument, NULL, 'f' },
                                            { NULL, 0, NULL, 0 } };
  bool all = false, force = false;
  int c;
  while ((c = getopt_long (argc, argv, "af", longopts, NULL)) != -1)
    switch (c)
      {
      case 'a': all = true; break;
      case 'f': force = true; break;
      default: return pt_make_error (err, 0, "usage: podtool image prune [-a] [-f]");
      }
  int yes = pt_cli_confirm (force,
                            all ? "This command removes all images without at least one "
                                  "container associated with them."
                                : "This command removes all dangling images.",
                            err);
  if (yes <= 0)
    return yes;
  return pt_cli_prune_images (g, all, err);
}

int
pt_cli_prune_images (struct pt_global *g, bool all, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **deleted = NULL;
  if (m == NULL || pt_image_prune (s, m, all, &deleted, err) < 0)
    return -1;
  for (size_t i = 0; deleted[i]; i++)
    printf ("%s\n", deleted[i]);
  return 0;
}

struct sub
{
  const char *name, *alias;
  const struct pt_cmd *cmd; /* a top-level verb, or NULL */
  int (*exec) (struct pt_global *g, int argc, char **argv, pt_error_t *err);
  const char *usage;
};

static const struct sub subs[] = {
  { "inspect", NULL, NULL, inspect_exec, "[--format json] IMAGE..." },
  { "import", NULL, &pt_cmd_import, NULL, NULL },
  { "load", NULL, &pt_cmd_load, NULL, NULL },
  { "ls", "list", &pt_cmd_images, NULL, NULL },
  { "prune", NULL, NULL, prune_exec, "[-a] [-f]" },
  { "rm", NULL, &pt_cmd_rmi, NULL, NULL },
  { "save", NULL, &pt_cmd_save, NULL, NULL },
  { "tag", NULL, &pt_cmd_tag, NULL, NULL },
};

static int
image_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (argc < 2)
    return pt_make_error (err, 0, "`podtool image` needs a subcommand: %s", pt_cmd_image.usage);
  for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
    if (strcmp (argv[1], subs[i].name) == 0
        || (subs[i].alias && strcmp (argv[1], subs[i].alias) == 0))
      {
        if (pt_cli_wants_help (argc - 1, argv + 1))
          {
            if (subs[i].cmd)
              pt_cmd_print_usage (subs[i].cmd, stdout);
            else
              printf ("Usage: podtool image %s %s\n", subs[i].name, subs[i].usage);
            return 0;
          }
        optind = 0;
        return (subs[i].cmd ? subs[i].cmd->exec : subs[i].exec) (g, argc - 1, argv + 1, err);
      }
  return pt_make_error (err, 0, "unknown subcommand `podtool image %s`: %s", argv[1],
                        pt_cmd_image.usage);
}

const struct pt_cmd pt_cmd_image = {
  .name = "image",
  .usage = "inspect|import|load|ls|prune|rm|save|tag [ARG...]",
  .summary = "Manage images: inspect, import, load, ls, prune, rm, save, tag",
  .exec = image_exec,
};

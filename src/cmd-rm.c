/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool rm: remove containers and their writable layers. */
#include <config.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static int
rm_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "force", no_argument, NULL, 'f' },
    { "all", no_argument, NULL, 'a' },
    { NULL, 0, NULL, 0 },
  };
  bool force = false, all = false;
  int c;
  while ((c = getopt_long (argc, argv, "fa", longopts, NULL)) != -1)
    switch (c)
      {
      case 'f': force = true; break;
      case 'a': all = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_rm, err);
      }
  if (optind >= argc && !all)
    return pt_make_error (err, 0,
                          "`podtool rm` requires at least one container name or ID, or --all");
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  cleanup_strv char **ids = NULL;
  if (all && pt_ctr_list (s, &ids, err) < 0)
    return -1;
  for (int i = optind; !all && i < argc; i++)
    {
      char *id = NULL;
      pt_error_t e = NULL;
      if (pt_ctr_resolve (s, argv[i], &id, &e) < 0)
        {
          /* Keep going, as Podman does; report each failure, exit non-zero. */
          pt_cli_print_error (e);
          pt_error_release (&e);
          g->exit_code = 1;
          continue;
        }
      if (ids == NULL)
        ids = xzalloc (sizeof (char *));
      pt_strv_append (&ids, id);
      free (id);
    }
  for (size_t i = 0; ids && ids[i]; i++)
    {
      pt_error_t e = NULL;
      if (pt_ctr_remove (s, NULL, ids[i], force, &e) < 0)
        {
          pt_cli_print_error (e);
          g->exit_code = e->exit_code == 2 ? 2 : 125;
          pt_error_release (&e);
          continue;
        }
      printf ("%s\n", ids[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_rm = {
  .name = "rm",
  .usage = "[-f] [-a] [CONTAINER...]",
  .summary = "Remove one or more containers",
  .exec = rm_exec,
};

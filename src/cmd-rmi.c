/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool rmi: remove images (or just one of an image's names). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

static int
rmi_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
  bool force = false;
  int c;
  while ((c = getopt_long (argc, argv, "f", longopts, NULL)) != -1)
    switch (c)
      {
      case 'f': force = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_rmi, err);
      }
  if (optind >= argc)
    return pt_make_error (err, 0, "`podtool rmi` requires at least one image name or ID");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  for (int i = optind; i < argc; i++)
    {
      cleanup_strv char **untagged = NULL;
      cleanup_free char *deleted = NULL;
      pt_error_t e = NULL;
      int r = pt_image_remove (s, m, argv[i], force, &untagged, &deleted, &e);
      for (size_t k = 0; untagged && untagged[k]; k++)
        printf ("Untagged: %s\n", untagged[k]);
      if (deleted)
        printf ("Deleted: %s\n", deleted);
      if (r < 0)
        {
          if (i == argc - 1 && g->exit_code == 0)
            {
              *err = e;
              return -1;
            }
          pt_cli_print_error (e);
          g->exit_code = e->exit_code ? e->exit_code : 125;
          pt_error_release (&e);
        }
    }
  return 0;
}

const struct pt_cmd pt_cmd_rmi = {
  .name = "rmi",
  .usage = "[-f] IMAGE...",
  .summary = "Remove one or more images",
  .exec = rmi_exec,
};

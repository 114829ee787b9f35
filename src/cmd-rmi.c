/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool rmi: remove images (or just one of an image's names). */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/events.h"
#include "lib/image.h"
#include "lib/util.h"

static const struct pt_flag rmi_flags[] = {
  { 'a', "all", 'a', NULL, "Remove all images" },
  { 'f', "force", 'f', NULL, "Remove images in use too, with their containers" },
  { 'i', "ignore", 'i', NULL, "Ignore errors when an image does not exist" },
  { 'p', "no-prune", 0, NULL, "Do not remove untagged parents", PT_FLAG_NO_EFFECT,
    "podtool keeps no parent images" },
  { 0, NULL, 0, NULL, NULL },
};

static int
rmi_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool force = false, all = false, ignore = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_rmi, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': force = pt_cli_optbool; break;
      case 'a': all = pt_cli_optbool; break;
      case 'i': ignore = pt_cli_optbool; break;
      default: return -1;
      }
  if (optind >= argc && !all)
    return pt_cli_need_args (&pt_cmd_rmi, 0, 1, -1, err);
  if (optind < argc && all)
    return pt_make_error (err, 0,
                          "when using the --all switch, you may not pass any images names or IDs");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  cleanup_strv char **refs = xzalloc (sizeof (char *));
  if (all)
    {
      struct pt_image_list l;
      if (pt_image_list_read (s, &l, err) < 0)
        return -1;
      for (size_t i = 0; i < l.n; i++)
        pt_strv_append (&refs, l.v[i].id);
      pt_image_list_free (&l);
    }
  for (int i = optind; i < argc; i++)
    pt_strv_append (&refs, argv[i]);
  argv = refs, argc = pt_strv_len (refs), optind = 0;
  for (int i = optind; i < argc; i++)
    {
      cleanup_strv char **untagged = NULL;
      cleanup_free char *deleted = NULL;
      pt_error_t e = NULL;
      int r = pt_image_remove (s, m, argv[i], force, &untagged, &deleted, &e);
      if (r < 0 && ignore && e->exit_code == 1)
        {
          pt_error_release (&e); /* not there: --ignore passes it by */
          continue;
        }
      for (size_t k = 0; untagged && untagged[k]; k++)
        {
          pt_event (s, "image", "untag", deleted ? deleted : "", untagged[k], NULL, NULL);
          printf ("Untagged: %s\n", untagged[k]);
        }
      if (deleted)
        {
          pt_event (s, "image", "remove", deleted, argv[i], NULL, NULL);
          printf ("Deleted: %s\n", deleted);
        }
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
  .usage = "[options] IMAGE [IMAGE...]",
  .summary = "Remove one or more images",
  .flags = rmi_flags,
  .exec = rmi_exec,
};

const struct pt_cmd pt_cmd_image_rm = {
  .name = "rm",
  .alias = "remove",
  .usage = "[options] IMAGE [IMAGE...]",
  .summary = "Remove one or more images",
  .flags = rmi_flags,
  .exec = rmi_exec,
};

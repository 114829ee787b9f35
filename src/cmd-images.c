/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool images: list stored images, one line per name. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/reference.h"
#include "lib/util.h"

static void
print_row (const struct pt_image *img, const char *name, int64_t now, bool quiet, bool no_trunc)
{
  if (quiet)
    {
      printf ("%.*s\n", no_trunc ? 64 : 12, img->id);
      return;
    }
  cleanup_free char *repo = NULL, *tag = NULL;
  if (name)
    pt_ref_split (name, &repo, &tag);
  cleanup_free char *ago = pt_human_duration ((now - img->created_ns) / 1000000000);
  cleanup_free char *size = pt_human_size (img->size);
  printf ("%-40s  %-10s  %-*.*s  %-16s  %s\n", repo ? repo : "<none>", tag ? tag : "<none>",
          no_trunc ? 64 : 12, no_trunc ? 64 : 12, img->id,
          img->created_ns ? xasprintf ("%s ago", ago) : "", size);
}

static int
print_json (struct pt_store *s, struct pt_image_list *l, pt_error_t *err)
{
  json_t *all = json_array ();
  int r = 0;
  for (size_t i = l->n; r == 0 && i-- > 0;)
    {
      json_t *j = pt_image_summary (s, &l->v[i], err);
      if (j == NULL)
        r = -1;
      else
        json_array_append_new (all, j);
    }
  if (r == 0)
    {
      pt_cli_print_json (all);
    }
  json_decref (all);
  pt_image_list_free (l);
  return r;
}

static int
images_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "quiet", no_argument, NULL, 'q' },
    { "no-trunc", no_argument, NULL, 'n' },
    { "all", no_argument, NULL, 'a' },
    { "format", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
  };
  bool quiet = false, no_trunc = false, json = false;
  int c;
  while ((c = getopt_long (argc, argv, "qa", longopts, NULL)) != -1)
    switch (c)
      {
      case 'q': quiet = true; break;
      case 'n': no_trunc = true; break;
      case 'a': break; /* no intermediate images are kept: -a lists the same */
      case 'f':
        if (strcmp (optarg, "json") != 0)
          return pt_make_error (err, 0, "unsupported --format `%s`: only json for now", optarg);
        json = true;
        break;
      default: return pt_cmd_bad_option (&pt_cmd_images, err);
      }
  struct pt_store *s = pt_global_store (g, err);
  struct pt_image_list l;
  if (s == NULL || pt_image_list_read (s, &l, err) < 0)
    return -1;
  if (json)
    return print_json (s, &l, err);
  if (!quiet)
    printf ("%-40s  %-10s  %-*s  %-16s  %s\n", "REPOSITORY", "TAG", no_trunc ? 64 : 12, "IMAGE ID",
            "CREATED", "SIZE");
  int64_t now = pt_now_ns ();
  for (size_t i = l.n; i-- > 0;)
    {
      if (l.v[i].names[0] == NULL || quiet)
        print_row (&l.v[i], NULL, now, quiet, no_trunc);
      else
        for (size_t j = 0; l.v[i].names[j]; j++)
          print_row (&l.v[i], l.v[i].names[j], now, quiet, no_trunc);
    }
  pt_image_list_free (&l);
  return 0;
}

const struct pt_cmd pt_cmd_images = {
  .name = "images",
  .usage = "[-q] [-a] [--no-trunc] [--format json]",
  .summary = "List images in local storage",
  .exec = images_exec,
};

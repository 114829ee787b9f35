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
  cleanup_free char *human = pt_human_duration ((now - img->created_ns) / 1000000000);
  cleanup_free char *ago = img->created_ns ? xasprintf ("%s ago", human) : xstrdup ("");
  cleanup_free char *size = pt_human_size (img->size);
  printf ("%-40s  %-10s  %-*.*s  %-16s  %s\n", repo ? repo : "<none>", tag ? tag : "<none>",
          no_trunc ? 64 : 12, no_trunc ? 64 : 12, img->id, ago, size);
}

/* What {{.Field}} sees, one row per name as in the table. */
static json_t *
template_item (const struct pt_image *img, const char *name, int64_t now, bool no_trunc)
{
  cleanup_free char *repo = NULL, *tag = NULL;
  if (name)
    pt_ref_split (name, &repo, &tag);
  cleanup_free char *human = pt_human_duration ((now - img->created_ns) / 1000000000);
  cleanup_free char *ago = xasprintf ("%s ago", human);
  cleanup_free char *created = pt_format_time_ns (img->created_ns);
  cleanup_free char *size = pt_human_size (img->size);
  cleanup_free char *id = xstrndup (img->id, no_trunc ? 64 : 12);
  return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "ID", id, "Id", img->id,
                    "Repository", repo ? repo : "<none>", "Tag", tag ? tag : "<none>", "Created",
                    ago, "CreatedAt", created, "Size", size, "VirtualSize", (json_int_t)img->size);
}

static const char *
images_header (const char *field)
{
  if (strcmp (field, "ID") == 0 || strcmp (field, "Id") == 0)
    return "IMAGE ID";
  if (strcmp (field, "CreatedAt") == 0)
    return "CREATED AT";
  return NULL;
}

static int
print_template (const char *tmpl, struct pt_image_list *l, bool no_trunc, pt_error_t *err)
{
  json_t *rows = json_array ();
  int64_t now = pt_now_ns ();
  for (size_t i = l->n; i-- > 0;)
    {
      if (l->v[i].names[0] == NULL)
        json_array_append_new (rows, template_item (&l->v[i], NULL, now, no_trunc));
      for (size_t j = 0; l->v[i].names[j]; j++)
        json_array_append_new (rows, template_item (&l->v[i], l->v[i].names[j], now, no_trunc));
    }
  int r = pt_cli_format (tmpl, rows, images_header, err);
  json_decref (rows);
  pt_image_list_free (l);
  return r;
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
    pt_cli_print_json (all);
  json_decref (all);
  pt_image_list_free (l);
  return r;
}

enum
{
  OPT_FORMAT = 256,
  OPT_NO_TRUNC,
  OPT_DIGESTS,
  OPT_HISTORY,
  OPT_SORT,
  OPT_FILTER,
};

static const struct pt_flag images_flags[] = {
  { 'a', "all", 'a', NULL, "Show intermediate images too (podtool keeps none: the same list)" },
  { OPT_DIGESTS, "digests", 0, NULL, "Show digests", PT_FLAG_NO_EFFECT,
    "images from archives carry no registry digest yet" },
  { 'f', "filter", 'f', "FILTER", "Filter the output", PT_FLAG_REFUSED,
    "not yet: use --format and grep" },
  { OPT_FORMAT, "format", 0, "FORMAT", "Go template, or json" },
  { OPT_HISTORY, "history", 0, NULL, "Show the image's earlier names", PT_FLAG_NO_EFFECT,
    "podtool keeps no name history" },
  { OPT_NO_TRUNC, "no-trunc", 0, NULL, "Do not truncate the image ID" },
  { 'n', "noheading", 'n', NULL, "Do not print the header" },
  { 'q', "quiet", 'q', NULL, "Print only image IDs" },
  { OPT_SORT, "sort", 0, "KEY", "Sort by created (default), id, repository, size or tag",
    PT_FLAG_NO_EFFECT, "the list is always newest first" },
  { 0, NULL, 0, NULL, NULL },
};

static int
images_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool quiet = false, no_trunc = false, json = false, heading = true;
  const char *tmpl = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_images, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': quiet = pt_cli_optbool; break;
      case OPT_NO_TRUNC: no_trunc = pt_cli_optbool; break;
      case 'n': heading = !pt_cli_optbool; break;
      case 'a': break; /* no intermediate images are kept: -a lists the same */
      case OPT_FORMAT:
        if (strcmp (optarg, "json") == 0)
          json = true;
        else
          tmpl = optarg;
        break;
      default: return -1;
      }
  struct pt_store *s = pt_global_store (g, err);
  struct pt_image_list l;
  if (s == NULL || pt_image_list_read (s, &l, err) < 0)
    return -1;
  if (json)
    return print_json (s, &l, err);
  if (tmpl)
    return print_template (tmpl, &l, no_trunc, err);
  if (!quiet && heading)
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
  .usage = "[options] [IMAGE]",
  .summary = "List images in local storage",
  .flags = images_flags,
  .exec = images_exec,
};

const struct pt_cmd pt_cmd_image_ls = {
  .name = "ls",
  .alias = "list",
  .usage = "[options] [IMAGE]",
  .summary = "List images in local storage",
  .flags = images_flags,
  .exec = images_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool images: list stored images, one line per name. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "cmd.h"
#include "cmd-images.h"
#include "lib/image.h"
#include "lib/reference.h"
#include "lib/util.h"

static void
print_row (const struct pt_image *img, const char *name, const char *digest, int64_t now,
           bool quiet, bool no_trunc)
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
  printf ("%-40s  %-10s  ", repo ? repo : "<none>", tag ? tag : "<none>");
  if (digest)
    printf ("%-71s  ", digest);
  printf ("%-*.*s  %-16s  %s\n", no_trunc ? 64 : 12, no_trunc ? 64 : 12, img->id, ago, size);
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

/* One line of the list: an image and one of its names (NULL: it has none). */
struct row
{
  const struct pt_image *img;
  const char *name;
  size_t order; /* the store's, newest last: ties keep it */
};

static const char *sort_key = "created";

static int
compare_rows (const void *pa, const void *pb)
{
  const struct row *a = pa, *b = pb;
  int c = 0;
  cleanup_free char *ra = NULL, *ta = NULL, *rb = NULL, *tb = NULL;
  if (strcmp (sort_key, "id") == 0)
    c = strcmp (a->img->id, b->img->id);
  else if (strcmp (sort_key, "size") == 0)
    c = (a->img->size > b->img->size) - (a->img->size < b->img->size);
  else if (strcmp (sort_key, "repository") == 0 || strcmp (sort_key, "tag") == 0)
    {
      if (a->name)
        pt_ref_split (a->name, &ra, &ta);
      if (b->name)
        pt_ref_split (b->name, &rb, &tb);
      bool repo = sort_key[0] == 'r';
      c = strcmp ((repo ? ra : ta) ?: "<none>", (repo ? rb : tb) ?: "<none>");
    }
  else
    c = (a->img->created_ns < b->img->created_ns) - (a->img->created_ns > b->img->created_ns);
  return c ? c : (a->order < b->order) - (a->order > b->order);
}

/* The rows --filter and the operand keep, sorted by --sort. */
static struct row *
select_rows (struct pt_store *s, const struct pt_image_list *l,
             const struct pt_cli_image_filter *f, size_t *n)
{
  struct row *rows = xzalloc ((l->n + 1) * sizeof *rows);
  size_t cap = l->n + 1;
  *n = 0;
  for (size_t i = 0; i < l->n; i++)
    {
      const struct pt_image *img = &l->v[i];
      if (!pt_cli_image_filter_image (f, s, img))
        continue;
      for (size_t j = 0; j == 0 || img->names[j]; j++)
        {
          const char *name = img->names[j];
          if (name && !pt_cli_image_filter_name (f, name))
            continue;
          if (*n + 1 >= cap)
            rows = xrealloc (rows, (cap *= 2) * sizeof *rows);
          rows[(*n)++] = (struct row){ img, name, i };
          if (name == NULL)
            break;
        }
    }
  qsort (rows, *n, sizeof *rows, compare_rows);
  return rows;
}

/* Was this row's image on an earlier row? (-q and json list an image once.) */
static bool
seen_before (const struct row *rows, size_t i)
{
  for (size_t k = 0; k < i; k++)
    if (rows[k].img == rows[i].img)
      return true;
  return false;
}

static int
print_template (struct pt_store *s, const char *tmpl, const struct row *rows, size_t n,
                bool no_trunc, pt_error_t *err)
{
  json_t *items = json_array ();
  int64_t now = pt_now_ns ();
  for (size_t i = 0; i < n; i++)
    {
      json_t *item = template_item (rows[i].img, rows[i].name, now, no_trunc);
      if (strstr (tmpl, "Digest"))
        {
          cleanup_free char *d = pt_image_digest (s, rows[i].img);
          json_object_set_new (item, "Digest", json_string (d));
        }
      json_array_append_new (items, item);
    }
  int r = pt_cli_format (tmpl, items, images_header, err);
  json_decref (items);
  return r;
}

static int
print_json (struct pt_store *s, const struct row *rows, size_t n, pt_error_t *err)
{
  json_t *all = json_array ();
  int r = 0;
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      if (seen_before (rows, i))
        continue;
      json_t *j = pt_image_summary (s, rows[i].img, err);
      if (j == NULL)
        r = -1;
      else
        json_array_append_new (all, j);
    }
  if (r == 0)
    pt_cli_print_json (all);
  json_decref (all);
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
  { OPT_DIGESTS, "digests", 0, NULL, "Show each image's digest (the registry's, when pulled)" },
  { 'f', "filter", 'f', "FILTER",
    "Only images that match: before=, since=, until=, dangling=, label=, label!=, reference=, id=" },
  { OPT_FORMAT, "format", 0, "FORMAT", "Go template, or json" },
  { OPT_HISTORY, "history", 0, NULL, "Show the image's earlier names", PT_FLAG_NO_EFFECT,
    "podtool keeps no name history" },
  { OPT_NO_TRUNC, "no-trunc", 0, NULL, "Do not truncate the image ID" },
  { 'n', "noheading", 'n', NULL, "Do not print the header" },
  { 'q', "quiet", 'q', NULL, "Print only image IDs" },
  { OPT_SORT, "sort", 0, "KEY", "Sort by created (default, newest first), id, repository, size or tag" },
  { 0, NULL, 0, NULL, NULL },
};

static int
images_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool quiet = false, no_trunc = false, json = false, heading = true, digests = false;
  const char *tmpl = NULL;
  __attribute__ ((cleanup (pt_cli_image_filter_free))) struct pt_cli_image_filter f
      = { .dangling = -1 };
  struct pt_store *s = NULL;
  int c;
  sort_key = "created";
  while ((c = pt_cli_getopt (&pt_cmd_images, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': quiet = pt_cli_optbool; break;
      case OPT_NO_TRUNC: no_trunc = pt_cli_optbool; break;
      case OPT_DIGESTS: digests = pt_cli_optbool; break;
      case 'n': heading = !pt_cli_optbool; break;
      case 'a': break; /* no intermediate images are kept: -a lists the same */
      case 'f':
        if ((s == NULL && (s = pt_global_store (g, err)) == NULL)
            || pt_cli_image_filter_add (&f, s, optarg, err) < 0)
          return -1;
        break;
      case OPT_SORT:
        if (strcmp (optarg, "created") && strcmp (optarg, "id") && strcmp (optarg, "repository")
            && strcmp (optarg, "size") && strcmp (optarg, "tag"))
          return pt_make_error (err, 0,
                                "\"%s\" is not a valid field for sorting. Choose from: created, "
                                "id, repository, size, tag",
                                optarg);
        sort_key = optarg;
        break;
      case OPT_FORMAT:
        if (strcmp (optarg, "json") == 0)
          json = true;
        else
          tmpl = optarg;
        break;
      default: return -1;
      }
  if (argc - optind > 1)
    return pt_cli_need_args (&pt_cmd_images, argc - optind, 0, 1, err);
  if (optind < argc)
    pt_strv_append (&f.refs, argv[optind]);
  if (s == NULL && (s = pt_global_store (g, err)) == NULL)
    return -1;
  struct pt_image_list l;
  if (pt_image_list_read (s, &l, err) < 0)
    return -1;
  size_t n;
  cleanup_free struct row *rows = select_rows (s, &l, &f, &n);
  int r = 0;
  if (json)
    r = print_json (s, rows, n, err);
  else if (tmpl)
    r = print_template (s, tmpl, rows, n, no_trunc, err);
  else
    {
      if (!quiet && heading)
        {
          printf ("%-40s  %-10s  ", "REPOSITORY", "TAG");
          if (digests)
            printf ("%-71s  ", "DIGEST");
          printf ("%-*s  %-16s  %s\n", no_trunc ? 64 : 12, "IMAGE ID", "CREATED", "SIZE");
        }
      int64_t now = pt_now_ns ();
      for (size_t i = 0; i < n; i++)
        if (!quiet || !seen_before (rows, i))
          {
            cleanup_free char *d = digests && !quiet ? pt_image_digest (s, rows[i].img) : NULL;
            print_row (rows[i].img, quiet ? NULL : rows[i].name, d, now, quiet, no_trunc);
          }
    }
  pt_image_list_free (&l);
  return r;
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

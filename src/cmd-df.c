/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool system df: what images, containers and volumes take on disk. */
#include <config.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/du.h"
#include "lib/image.h"
#include "lib/image-tree.h"
#include "lib/reference.h"
#include "lib/util.h"

static const struct pt_flag df_flags[] = {
  { 'f', "format", 0, "FORMAT",
    "Go template ({{.Type}} {{.Total}} {{.Active}} {{.Size}} {{.Reclaimable}}), or json" },
  { 'v', "verbose", 'v', NULL, "One line an image and a container" },
  { 0, NULL, 0, NULL, NULL },
};

/* A container as df sees it: its spec, whether it runs, its layer's bytes. */
struct ctr
{
  struct pt_ctr_spec spec;
  bool read, alive;
  enum pt_ctr_status status;
  uint64_t size;
};

struct usage
{
  struct pt_image_list images;
  struct ctr *ctrs;
  size_t n_ctrs;
};

static int
gather (struct pt_store *s, const struct pt_idmap *m, struct usage *u, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_ctr_list (s, &ids, err) < 0 || pt_image_list_read (s, &u->images, err) < 0)
    return -1;
  u->n_ctrs = pt_strv_len (ids);
  u->ctrs = xzalloc ((u->n_ctrs + 1) * sizeof *u->ctrs);
  cleanup_strv char **dirs = xzalloc (sizeof (char *));
  for (size_t i = 0; ids[i]; i++)
    {
      struct ctr *c = &u->ctrs[i];
      struct pt_ctr_state st;
      pt_error_t e = NULL;
      cleanup_free char *upper = pt_store_path (s, "containers/%s/upper", ids[i]);
      pt_strv_append (&dirs, upper);
      c->read = pt_ctr_spec_read (s, ids[i], &c->spec, &e) == 0;
      pt_error_release (&e);
      if (pt_ctr_state (s, ids[i], &st, &e) == 0)
        c->alive = pt_ctr_alive (&st), c->status = st.status;
      pt_error_release (&e);
    }
  uint64_t *sizes = xzalloc ((u->n_ctrs + 1) * sizeof *sizes);
  int r = pt_du (m, dirs, sizes, err);
  for (size_t i = 0; r == 0 && i < u->n_ctrs; i++)
    u->ctrs[i].size = sizes[i];
  free (sizes);
  return r;
}

static void
usage_free (struct usage *u)
{
  for (size_t i = 0; i < u->n_ctrs; i++)
    if (u->ctrs[i].read)
      pt_ctr_spec_free (&u->ctrs[i].spec);
  free (u->ctrs);
  pt_image_list_free (&u->images);
}

static size_t
containers_of (const struct usage *u, const char *image_id)
{
  size_t n = 0;
  for (size_t i = 0; i < u->n_ctrs; i++)
    n += u->ctrs[i].read && strcmp (u->ctrs[i].spec.image_id, image_id) == 0;
  return n;
}

static char *
percent (uint64_t part, uint64_t whole)
{
  cleanup_free char *h = pt_human_size (part);
  return xasprintf ("%s (%d%%)", h, whole ? (int)(part * 100 / whole) : 0);
}

static json_t *
row (const char *type, size_t total, size_t active, uint64_t size, uint64_t reclaimable)
{
  cleanup_free char *h = pt_human_size (size), *r = percent (reclaimable, size);
  return json_pack ("{s:s, s:i, s:i, s:s, s:s, s:I, s:I}", "Type", type, "Total", (int)total,
                    "Active", (int)active, "Size", h, "Reclaimable", r, "RawSize", (json_int_t)size,
                    "RawReclaimable", (json_int_t)reclaimable);
}

static json_t *
summary (const struct usage *u)
{
  uint64_t ctr_size = 0, ctr_free = 0, img_size = 0, img_free = 0;
  size_t running = 0, img_active = 0;
  for (size_t i = 0; i < u->n_ctrs; i++)
    {
      ctr_size += u->ctrs[i].size;
      running += u->ctrs[i].alive;
      if (!u->ctrs[i].alive)
        ctr_free += u->ctrs[i].size;
    }
  /* Images: in use when a container was made from them. */
  for (size_t i = 0; i < u->images.n; i++)
    {
      bool in_use = containers_of (u, u->images.v[i].id) > 0;
      img_size += u->images.v[i].size;
      img_active += in_use;
      if (!in_use)
        img_free += u->images.v[i].size;
    }
  return json_pack ("[o, o, o]", row ("Images", u->images.n, img_active, img_size, img_free),
                    row ("Containers", u->n_ctrs, running, ctr_size, ctr_free),
                    row ("Local Volumes", 0, 0, 0, 0));
}

/* The bytes of img's layers that another image has too. */
static uint64_t
shared_size (struct pt_store *s, const struct usage *u, const struct pt_image *img)
{
  uint64_t shared = 0;
  for (size_t k = 0; img->layers[k]; k++)
    {
      bool other = false;
      for (size_t i = 0; i < u->images.n && !other; i++)
        for (size_t j = 0; &u->images.v[i] != img && u->images.v[i].layers[j] && !other; j++)
          other = strcmp (u->images.v[i].layers[j], img->layers[k]) == 0;
      if (other)
        shared += pt_layer_size (s, img->layers[k]);
    }
  return shared;
}

static void
print_verbose (struct pt_store *s, const struct usage *u)
{
  int64_t now = pt_now_ns ();
  printf ("Images space usage:\n\n%-40s  %-10s  %-12s  %-16s  %-10s  %-11s  %-11s  %s\n",
          "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE",
          "CONTAINERS");
  for (size_t i = u->images.n; i-- > 0;)
    {
      const struct pt_image *img = &u->images.v[i];
      uint64_t shared = shared_size (s, u, img);
      cleanup_free char *repo = NULL, *tag = NULL;
      if (img->names[0])
        pt_ref_split (img->names[0], &repo, &tag);
      cleanup_free char *d = pt_human_duration ((now - img->created_ns) / 1000000000);
      cleanup_free char *ago = xasprintf ("%s ago", d);
      cleanup_free char *size = pt_human_size (img->size), *sh = pt_human_size (shared),
                        *un = pt_human_size (img->size - shared);
      printf ("%-40s  %-10s  %.12s  %-16s  %-10s  %-11s  %-11s  %zu\n", repo ? repo : "<none>",
              tag ? tag : "<none>", img->id, ago, size, sh, un, containers_of (u, img->id));
    }
  printf ("\nContainers space usage:\n\n%-12s  %-26s  %-20s  %-13s  %-10s  %-16s  %-10s  %s\n",
          "CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED", "STATUS",
          "NAMES");
  for (size_t i = u->n_ctrs; i-- > 0;)
    {
      const struct ctr *c = &u->ctrs[i];
      if (!c->read)
        continue;
      cleanup_free char *cmd = pt_strv_join (c->spec.argv, " ");
      cleanup_free char *d = pt_human_duration ((now - c->spec.created_ns) / 1000000000);
      cleanup_free char *ago = xasprintf ("%s ago", d);
      cleanup_free char *size = pt_human_size (c->size);
      printf ("%.12s  %-26s  %-20.20s  %-13d  %-10s  %-16s  %-10s  %s\n", c->spec.id, c->spec.image,
              cmd, 0, size, ago, pt_ctr_status_name (c->status), c->spec.name);
    }
  printf ("\nLocal Volumes space usage:\n\n%-12s  %-6s  %s\n", "VOLUME NAME", "LINKS", "SIZE");
}

static int
df_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  bool verbose = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_system_df, argc, argv, err)) != -1)
    if (c == 'f')
      format = optarg;
    else if (c == 'v')
      verbose = pt_cli_optbool;
    else
      return -1;
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_system_df, argc - optind, 0, 0, err);
  if (verbose && format)
    return pt_make_error (err, 0, "cannot combine --format and --verbose flags");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  struct usage u = { 0 };
  if (m == NULL || gather (s, m, &u, err) < 0)
    {
      usage_free (&u);
      return -1;
    }
  int r = 0;
  json_t *rows = summary (&u);
  if (verbose)
    print_verbose (s, &u);
  else if (format && strcmp (format, "json") == 0)
    pt_cli_print_json (rows);
  else if (format)
    r = pt_cli_format (format, rows, NULL, err);
  else
    {
      size_t i;
      json_t *o;
      printf ("%-15s%-12s%-12s%-12s%s\n", "TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
      json_array_foreach (rows, i, o)
          printf ("%-15s%-12d%-12d%-12s%s\n", json_string_value (json_object_get (o, "Type")),
                  (int)json_integer_value (json_object_get (o, "Total")),
                  (int)json_integer_value (json_object_get (o, "Active")),
                  json_string_value (json_object_get (o, "Size")),
                  json_string_value (json_object_get (o, "Reclaimable")));
    }
  json_decref (rows);
  usage_free (&u);
  return r;
}

const struct pt_cmd pt_cmd_system_df = {
  .name = "df",
  .usage = "[options]",
  .summary = "Show what images, containers and volumes take on disk",
  .flags = df_flags,
  .exec = df_exec,
};

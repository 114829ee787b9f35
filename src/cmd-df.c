/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool system df: what images, containers and volumes take on disk. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/image.h"
#include "lib/util.h"

static const struct pt_flag df_flags[] = {
  { 'f', "format", 0, "FORMAT",
    "Go template ({{.Type}} {{.Total}} {{.Active}} {{.Size}} {{.Reclaimable}}), or json" },
  { 'v', "verbose", 'v', NULL, "One line an image and a container", PT_FLAG_REFUSED, "not yet" },
  { 0, NULL, 0, NULL, NULL },
};

static uint64_t walked;

static int
add_size (const char *path, const struct stat *st, int type, struct FTW *ftw)
{
  (void)path, (void)ftw;
  if (type == FTW_F || type == FTW_SL)
    walked += st->st_size;
  return 0;
}

struct sizes
{
  char **dirs;
  int out; /* the parent's end of a pipe: one uint64_t a directory */
};

/* In the user namespace, where every file of a writable layer can be seen. */
static int
measure (void *data, pt_error_t *err)
{
  struct sizes *z = data;
  (void)err;
  for (size_t i = 0; z->dirs[i]; i++)
    {
      walked = 0;
      nftw (z->dirs[i], add_size, 16, FTW_PHYS);
      if (write (z->out, &walked, sizeof walked) != sizeof walked)
        return -1;
    }
  return 0;
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

static int
df_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_system_df, argc, argv, err)) != -1)
    if (c == 'f')
      format = optarg;
    else
      return -1;
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_system_df, argc - optind, 0, 0, err);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  struct pt_image_list l;
  cleanup_strv char **ids = NULL;
  if (m == NULL || pt_ctr_list (s, &ids, err) < 0 || pt_image_list_read (s, &l, err) < 0)
    return -1;
  /* Containers: their writable layers, measured where their owners are. */
  cleanup_strv char **dirs = xzalloc (sizeof (char *)), **used = xzalloc (sizeof (char *));
  size_t running = 0;
  bool *alive = xzalloc ((pt_strv_len (ids) + 1) * sizeof *alive);
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      struct pt_ctr_state st;
      pt_error_t e = NULL;
      cleanup_free char *upper = pt_store_path (s, "containers/%s/upper", ids[i]);
      pt_strv_append (&dirs, upper);
      if (pt_ctr_spec_read (s, ids[i], &spec, &e) == 0)
        {
          pt_strv_append (&used, spec.image_id);
          pt_ctr_spec_free (&spec);
        }
      pt_error_release (&e);
      if (pt_ctr_state (s, ids[i], &st, &e) == 0 && pt_ctr_alive (&st))
        alive[i] = true, running++;
      pt_error_release (&e);
    }
  uint64_t ctr_size = 0, ctr_free = 0;
  int p[2];
  if (pipe2 (p, O_CLOEXEC) < 0)
    return pt_make_error (err, errno, "pipe");
  struct sizes z = { dirs, p[1] };
  int r = dirs[0] ? pt_userns_run (m, measure, &z, err) : 0;
  close (p[1]);
  for (size_t i = 0; r == 0 && dirs[i]; i++)
    {
      uint64_t n = 0;
      if (read (p[0], &n, sizeof n) != sizeof n)
        break;
      ctr_size += n;
      if (!alive[i])
        ctr_free += n;
    }
  close (p[0]);
  free (alive);
  /* Images: in use when a container was made from them. */
  uint64_t img_size = 0, img_free = 0;
  size_t img_active = 0;
  for (size_t i = 0; i < l.n; i++)
    {
      bool in_use = false;
      for (size_t k = 0; used[k] && !in_use; k++)
        in_use = strcmp (used[k], l.v[i].id) == 0;
      img_size += l.v[i].size;
      img_active += in_use;
      if (!in_use)
        img_free += l.v[i].size;
    }
  json_t *rows = json_pack ("[o, o, o]", row ("Images", l.n, img_active, img_size, img_free),
                            row ("Containers", pt_strv_len (ids), running, ctr_size, ctr_free),
                            row ("Local Volumes", 0, 0, 0, 0));
  pt_image_list_free (&l);
  if (r == 0 && format && strcmp (format, "json") == 0)
    pt_cli_print_json (rows);
  else if (r == 0 && format)
    r = pt_cli_format (format, rows, NULL, err);
  else if (r == 0)
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
  return r;
}

const struct pt_cmd pt_cmd_system_df = {
  .name = "df",
  .usage = "[options]",
  .summary = "Show what images, containers and volumes take on disk",
  .flags = df_flags,
  .exec = df_exec,
};

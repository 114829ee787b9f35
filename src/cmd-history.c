/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool history: the steps an image was built in, from its config. */
#include <config.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "lib/image.h"
#include "lib/util.h"

enum
{
  OPT_FORMAT = 256,
  OPT_NO_TRUNC,
};

static const struct pt_flag history_flags[] = {
  { OPT_FORMAT, "format", 0, "FORMAT", "Go template, or json" },
  { 'H', "human", 'H', NULL, "Human-readable times (default true)", PT_FLAG_NO_EFFECT,
    "times are always shown so" },
  { OPT_NO_TRUNC, "no-trunc", 0, NULL, "Do not truncate IDs and commands" },
  { 'q', "quiet", 'q', NULL, "Print only IDs" },
  { 0, NULL, 0, NULL, NULL },
};

static const char *
header_of (const char *field)
{
  static const char *const map[][2] = { { "ID", "ID" },
                                        { "Created", "CREATED" },
                                        { "CreatedBy", "CREATED BY" },
                                        { "Comment", "COMMENT" } };
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp (map[i][0], field) == 0)
      return map[i][1];
  return NULL;
}

/* Newest step first, as Podman lists them; the top one has the image's id. */
static json_t *
steps (const struct pt_image *img, json_t *root, bool no_trunc)
{
  json_t *hist = json_object_get (root, "history"), *out = json_array ();
  int64_t now = pt_now_ns () / 1000000000;
  size_t n = json_array_size (hist);
  json_t *made = NULL;
  if (n == 0)
    {
      /* No history recorded (an import): one step a layer, of the image's date. */
      hist = made = json_array ();
      for (size_t i = 0; img->layers[i]; i++)
        json_array_append_new (made,
                               json_pack ("{s:O?}", "created", json_object_get (root, "created")));
      n = json_array_size (hist);
    }
  for (size_t i = n; i-- > 0;)
    {
      json_t *h = json_array_get (hist, i);
      const char *by = json_string_value (json_object_get (h, "created_by"));
      const char *comment = json_string_value (json_object_get (h, "comment"));
      const char *created = json_string_value (json_object_get (h, "created"));
      int64_t when = created ? pt_parse_time (created) / 1000000000 : 0;
      cleanup_free char *ago = when > 0 ? pt_human_duration (now - when) : xstrdup ("unknown");
      cleanup_free char *ago_text = xasprintf ("%s ago", ago);
      cleanup_free char *id
          = i == n - 1 ? xstrndup (img->id, no_trunc ? 64 : 12) : xstrdup ("<missing>");
      json_array_append_new (out,
                             json_pack ("{s:s, s:s, s:s, s:s, s:s}", "ID", id, "Created", ago_text,
                                        "CreatedAt", created ? created : "", "CreatedBy",
                                        by ? by : "", "Comment", comment ? comment : ""));
    }
  json_decref (made);
  return out;
}

static int
history_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  bool quiet = false, no_trunc = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_history, argc, argv, err)) != -1)
    switch (c)
      {
      case OPT_FORMAT: format = optarg; break;
      case OPT_NO_TRUNC: no_trunc = pt_cli_optbool; break;
      case 'q': quiet = pt_cli_optbool; break;
      default: return -1;
      }
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_history, argc - optind, 1, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  struct pt_image img;
  if (s == NULL || pt_image_lookup (s, argv[optind], &img, err) < 0)
    return -1;
  json_t *root = pt_image_read_config (s, img.id, err);
  json_t *rows = root ? steps (&img, root, no_trunc) : NULL;
  int r = rows ? 0 : -1;
  size_t i;
  json_t *row;
  if (rows && format && strcmp (format, "json") == 0)
    pt_cli_print_json (rows);
  else if (rows && format)
    r = pt_cli_format (format, rows, header_of, err);
  else if (rows && quiet)
    json_array_foreach (rows, i, row)
        printf ("%s\n", json_string_value (json_object_get (row, "ID")));
  else if (rows)
    {
      printf ("%-12s  %-16s  %-45s  %s\n", "ID", "CREATED", "CREATED BY", "COMMENT");
      json_array_foreach (rows, i, row)
      {
        const char *by = json_string_value (json_object_get (row, "CreatedBy"));
        printf ("%-12s  %-16s  %-45.*s  %s\n", json_string_value (json_object_get (row, "ID")),
                json_string_value (json_object_get (row, "Created")),
                no_trunc ? (int)strlen (by) : 45, by,
                json_string_value (json_object_get (row, "Comment")));
      }
    }
  json_decref (rows);
  json_decref (root);
  pt_image_free (&img);
  return r;
}

const struct pt_cmd pt_cmd_history = {
  .name = "history",
  .usage = "[options] IMAGE",
  .summary = "Show the steps an image was made in",
  .flags = history_flags,
  .exec = history_exec,
};

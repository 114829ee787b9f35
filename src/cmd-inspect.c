/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool inspect: containers (or, failing that, images) as JSON. */
#include <config.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/image.h"
#include "lib/util.h"

static json_t *
inspect_one (struct pt_store *s, const char *ref, const char *type, pt_error_t *err)
{
  cleanup_free char *id = NULL;
  pt_error_t miss = NULL;
  if (strcmp (type, "image") != 0 && pt_ctr_resolve (s, ref, &id, &miss) == 0)
    return pt_ctr_inspect (s, id, err);
  if (strcmp (type, "container") == 0)
    {
      *err = miss;
      return NULL;
    }
  pt_error_release (&miss);
  struct pt_image img = { 0 };
  if (pt_image_lookup (s, ref, &img, &miss) < 0)
    {
      pt_error_release (&miss);
      pt_make_error (err, 0, "no such object: \"%s\"", ref);
      return NULL;
    }
  json_t *j = pt_image_inspect (s, &img, err);
  pt_image_free (&img);
  return j;
}

static const struct pt_flag inspect_flags[] = {
  { 'f', "format", 'f', "FORMAT", "Go template, or json" },
  PT_FLAG_LATEST,
  { 's', "size", 's', NULL, "Show sizes", PT_FLAG_NO_EFFECT, "podtool does not compute sizes" },
  { 't', "type", 't', "TYPE", "container, image or all (default)" },
  { 0, NULL, 0, NULL, NULL },
};

static int
inspect_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *type = "all", *tmpl = NULL;
  bool latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_inspect, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f':
        if (strcmp (optarg, "json") != 0)
          tmpl = optarg;
        break;
      case 't':
        if (strcmp (optarg, "container") && strcmp (optarg, "image") && strcmp (optarg, "all"))
          return pt_make_error (err, 0, "invalid --type `%s`: container, image or all", optarg);
        type = optarg;
        break;
      case 'l': latest = pt_cli_optbool; break;
      default: return -1;
      }
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  cleanup_strv char **names = pt_cli_names (s, argv + optind, latest, err);
  if (names == NULL)
    return -1;
  if (names[0] == NULL)
    return pt_cli_need_args (&pt_cmd_inspect, 0, 1, -1, err);
  argv = names, argc = pt_strv_len (names), optind = 0;
  json_t *all = json_array ();
  int r = 0;
  for (int i = optind; r == 0 && i < argc; i++)
    {
      json_t *j = inspect_one (s, argv[i], type, err);
      if (j == NULL)
        r = -1;
      else
        json_array_append_new (all, j);
    }
  if (r == 0 && tmpl)
    r = pt_cli_format (tmpl, all, NULL, err);
  else if (r == 0)
    pt_cli_print_json (all);
  json_decref (all);
  return r;
}

const struct pt_cmd pt_cmd_inspect = {
  .name = "inspect",
  .usage = "[options] NAME [NAME...]",
  .summary = "Show containers or images as JSON",
  .flags = inspect_flags,
  .exec = inspect_exec,
};

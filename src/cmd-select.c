/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which containers a verb acts on: CONTAINER..., --all, --latest,
   --cidfile, --ignore (see cmd.h). */
#include <config.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

int
pt_cli_select_flag (int c, struct pt_cli_select *sel, pt_error_t *err)
{
  switch (c)
    {
    case 'a': sel->all = pt_cli_optbool; return 1;
    case 'l': sel->latest = pt_cli_optbool; return 1;
    case 'i': sel->ignore = pt_cli_optbool; return 1;
    case PT_OPT_FILTER:
      if (sel->filters == NULL)
        {
          sel->filters = xmalloc (sizeof *sel->filters);
          pt_cli_filters_init (sel->filters);
        }
      return pt_cli_filters_add (sel->filters, optarg, err) < 0 ? -1 : 1;
    case PT_OPT_CIDFILE:
      if (sel->cidfiles == NULL)
        sel->cidfiles = xzalloc (sizeof (char *));
      pt_strv_append (&sel->cidfiles, optarg);
      return 1;
    }
  return 0;
}

void
pt_cli_select_free (struct pt_cli_select *sel)
{
  pt_strv_free (sel->cidfiles);
  sel->cidfiles = NULL;
  if (sel->filters)
    pt_cli_filters_free (sel->filters);
  free (sel->filters);
  sel->filters = NULL;
}

int
pt_cli_latest (struct pt_store *s, char **id, pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_ctr_list (s, &ids, err) < 0)
    return -1;
  int64_t best = -1;
  *id = NULL;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      pt_error_t e = NULL;
      if (pt_ctr_spec_read (s, ids[i], &spec, &e) < 0)
        {
          pt_error_release (&e);
          continue;
        }
      if (spec.created_ns > best)
        {
          best = spec.created_ns;
          free (*id);
          *id = xstrdup (ids[i]);
        }
      pt_ctr_spec_free (&spec);
    }
  if (*id == NULL)
    return pt_make_error (err, 0, "no containers to act on: --latest found none");
  return 0;
}

char **
pt_cli_names (struct pt_store *s, char **args, bool latest, pt_error_t *err)
{
  char **names = pt_strv_dup (args);
  cleanup_free char *id = NULL;
  if (latest && pt_cli_latest (s, &id, err) < 0)
    {
      pt_strv_free (names);
      return NULL;
    }
  if (id)
    pt_strv_append (&names, id);
  return names;
}

char **
pt_cli_store_names (struct pt_global *g, const struct pt_cmd *cmd, char **args, bool latest,
                    struct pt_store **s, pt_error_t *err)
{
  if ((*s = pt_global_store (g, err)) == NULL)
    return NULL;
  char **names = pt_cli_names (*s, args, latest, err);
  if (names && names[0] == NULL)
    {
      pt_strv_free (names);
      pt_cli_need_args (cmd, 0, 1, -1, err);
      return NULL;
    }
  return names;
}

/* The id a --cidfile holds. */
static int
read_cidfile (const char *path, char **id, pt_error_t *err)
{
  if (pt_read_file (AT_FDCWD, path, id, NULL, err) < 0)
    return pt_error_wrap (err, "reading CIDFile");
  (*id)[strcspn (*id, " \t\r\n")] = '\0';
  return 0;
}

/* --filter: each container that matches, as --all takes them (fn passes
   by those its verb does not apply to). */
static int
each_filtered (struct pt_store *s, struct pt_cli_filters *f, pt_ctr_fn fn, void *data,
               pt_error_t *err)
{
  cleanup_strv char **ids = NULL;
  if (pt_cli_filters_resolve (s, f, err) < 0 || pt_ctr_list (s, &ids, err) < 0)
    return -1;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_spec spec = { 0 };
      struct pt_ctr_state st;
      pt_error_t e = NULL;
      if (pt_ctr_spec_read (s, ids[i], &spec, &e) < 0 || pt_ctr_state (s, ids[i], &st, &e) < 0)
        {
          pt_error_release (&e);
          pt_ctr_spec_free (&spec);
          continue;
        }
      bool match = pt_cli_filters_match (f, &spec, &st);
      pt_ctr_spec_free (&spec);
      if (!match)
        continue;
      int r = fn (s, ids[i], true, data, err);
      if (r < 0)
        return -1;
      if (r == 0)
        printf ("%s\n", ids[i]);
    }
  return 0;
}

int
pt_cli_each_selected (struct pt_global *g, const struct pt_cli_select *sel, char **args,
                      pt_ctr_fn fn, void *data, pt_error_t *err)
{
  size_t n = 0;
  while (args[n])
    n++;
  bool filtered = pt_cli_filters_any (sel->filters);
  if (!sel->all && !sel->latest && !sel->cidfiles && !filtered && n == 0)
    return pt_cli_need_args (NULL, 0, 1, -1, err);
  if ((sel->all || sel->latest || filtered) && n > 0)
    return pt_make_error (err, 0,
                          "--all, --latest, --filter and arguments cannot be used together");
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  if (filtered)
    return each_filtered (s, sel->filters, fn, data, err);
  if (sel->all)
    {
      char *none[] = { NULL };
      return pt_cli_each_container (g, none, true, fn, data, err);
    }
  cleanup_strv char **names = pt_strv_dup (args);
  if (sel->latest)
    {
      cleanup_free char *id = NULL;
      if (pt_cli_latest (s, &id, err) < 0)
        return -1;
      pt_strv_append (&names, id);
    }
  for (size_t i = 0; sel->cidfiles && sel->cidfiles[i]; i++)
    {
      cleanup_free char *id = NULL;
      if (read_cidfile (sel->cidfiles[i], &id, err) < 0)
        return -1;
      pt_strv_append (&names, id);
    }
  /* Each one, as Podman goes on past a failed one: its error printed,
     the exit status 125 at the end (a missing one passed by with --ignore). */
  for (size_t i = 0; names[i]; i++)
    {
      cleanup_free char *id = NULL;
      pt_error_t e = NULL;
      if (pt_ctr_resolve (s, names[i], &id, &e) < 0)
        {
          if (!sel->ignore)
            pt_cli_print_error (e);
          if (!sel->ignore)
            g->exit_code = sel->missing_code ? sel->missing_code : 125;
          pt_error_release (&e);
          continue;
        }
      if (e == NULL && fn (s, id, false, data, &e) == 0)
        {
          printf ("%s\n", names[i]);
          continue;
        }
      if (e)
        {
          pt_cli_print_error (e);
          g->exit_code = e->exit_code ? e->exit_code : 125;
          pt_error_release (&e);
        }
    }
  return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one list of verbs: --help, the man page check and dispatch read it. */
#include <config.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include "cmd.h"
#include "cmd-pod.h"
#include "cmd-kube.h"
#include "lib/container.h"
#include "lib/events.h"
#include "lib/image.h"
#include "lib/template.h"
#include "lib/util.h"

const struct pt_cmd *const pt_cmd_table[] = {
  &pt_cmd_attach,
  &pt_cmd_commit,
  &pt_cmd_completion,
  &pt_cmd_container,
  &pt_cmd_cp,
  &pt_cmd_create,
  &pt_cmd_diff,
  &pt_cmd_events,
  &pt_cmd_exec,
  &pt_cmd_export,
  &pt_cmd_healthcheck,
  &pt_cmd_help,
  &pt_cmd_history,
  &pt_cmd_image,
  &pt_cmd_images,
  &pt_cmd_import,
  &pt_cmd_info,
  &pt_cmd_init,
  &pt_cmd_inspect,
  &pt_cmd_kill,
  &pt_cmd_load,
  &pt_cmd_login,
  &pt_cmd_logout,
  &pt_cmd_logs,
  &pt_cmd_pause,
  &pt_cmd_port,
  &pt_cmd_ps,
  &pt_cmd_pull,
  &pt_cmd_push,
  &pt_cmd_rename,
  &pt_cmd_restart,
  &pt_cmd_rm,
  &pt_cmd_rmi,
  &pt_cmd_run,
  &pt_cmd_save,
  &pt_cmd_search,
  &pt_cmd_start,
  &pt_cmd_stats,
  &pt_cmd_stop,
  &pt_cmd_system,
  &pt_cmd_tag,
  &pt_cmd_top,
  &pt_cmd_unpause,
  &pt_cmd_unshare,
  &pt_cmd_untag,
  &pt_cmd_update,
  &pt_cmd_version,
  &pt_cmd_volume,
  &pt_cmd_pod,
  &pt_cmd_kube,
  &pt_cmd_wait,
  NULL,
};

/* name is one of the comma-separated names of list. */
static bool
names_one (const char *list, const char *name)
{
  size_t n = strlen (name);
  for (const char *p = list; p && *p; p += strcspn (p, ",") + (p[strcspn (p, ",")] == ','))
    if (strncmp (p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
      return true;
  return false;
}

const struct pt_cmd *
pt_cmd_find_in (const struct pt_cmd *group, const char *name)
{
  for (size_t i = 0; group->subs && group->subs[i]; i++)
    if (strcmp (group->subs[i]->name, name) == 0)
      return group->subs[i];
  for (size_t i = 0; group->subs && group->subs[i]; i++)
    if (names_one (group->subs[i]->alias, name))
      return group->subs[i];
  return NULL;
}

const struct pt_cmd *
pt_cmd_find (const char *name)
{
  return pt_cmd_find_in (&pt_cmd_podtool, name);
}

int
pt_cmd_bad_option (const struct pt_cmd *cmd, pt_error_t *err)
{
  return pt_make_error (err, 0, "usage: podtool %s %s", cmd->name, cmd->usage);
}

void
pt_cli_print_json (json_t *j)
{
  char *text = json_dumps (j, JSON_INDENT (4) | JSON_PRESERVE_ORDER);
  printf ("%s\n", text);
  free (text);
}

int
pt_cli_confirm (bool force, const char *warning, pt_error_t *err)
{
  if (force)
    return 1;
  /* Asked on any stdin, as Podman does: a script that pipes nothing in
     gets an error, never a silent yes. */
  fprintf (stderr, "WARNING! %s\nAre you sure you want to continue? [y/N] ", warning);
  fflush (stderr);
  char answer[16] = "";
  if (fgets (answer, sizeof answer, stdin) == NULL)
    {
      fputc ('\n', stderr);
      return pt_make_error (err, 0,
                            "no answer on stdin (EOF): nothing was removed; use --force "
                            "to remove without asking");
    }
  return answer[0] == 'y' || answer[0] == 'Y';
}

bool
pt_cli_wants_help (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || (i == 1 && strcmp (argv[i], "-h") == 0))
        return true;
      if (strcmp (argv[i], "--") == 0 || argv[i][0] != '-')
        return false; /* what follows may be a container's command */
    }
  return false;
}

int
pt_cli_format (const char *format, json_t *items, const char *(*header_of) (const char *field),
               pt_error_t *err)
{
  struct pt_template *t = NULL;
  if (pt_template_parse (format, &t, err) < 0)
    return -1;
  char **lines = xzalloc (sizeof (char *));
  int r = 0;
  if (pt_template_is_table (t))
    {
      char *h = pt_template_header (t, header_of);
      pt_strv_append (&lines, h);
      free (h);
    }
  size_t i;
  json_t *item;
  json_array_foreach (items, i, item)
  {
    char *out = NULL;
    if ((r = pt_template_render (t, item, &out, err)) < 0)
      break;
    pt_strv_append (&lines, out);
    free (out);
  }
  if (r == 0 && pt_template_is_table (t))
    {
      char *aligned = pt_template_align (lines);
      fputs (aligned, stdout);
      free (aligned);
    }
  else if (r == 0)
    for (size_t k = 0; lines[k]; k++)
      printf ("%s\n", lines[k]);
  pt_strv_free (lines);
  pt_template_free (t);
  return r;
}

void
pt_cli_print_error (pt_error_t err)
{
  cleanup_free char *msg = pt_error_string (err);
  fflush (stdout);
  /* One line, whatever a name or a file put in it: control bytes escaped. */
  fputs ("Error: ", stderr);
  for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      fprintf (stderr, "\\x%02x", *p);
    else
      fputc (*p, stderr);
  fputc ('\n', stderr);
}

int
pt_cli_each_container (struct pt_global *g, char **args, bool all, pt_ctr_fn fn, void *data,
                       pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  if (s == NULL || (all && pt_ctr_list (s, &ids, err) < 0))
    return -1;
  for (size_t i = 0; all && ids[i]; i++)
    {
      int r = fn (s, ids[i], true, data, err);
      if (r < 0)
        return -1;
      if (r == 0)
        printf ("%s\n", ids[i]);
    }
  for (size_t i = 0; !all && args[i]; i++)
    {
      cleanup_free char *id = NULL;
      if (pt_ctr_resolve (s, args[i], &id, err) < 0 || fn (s, id, false, data, err) < 0)
        return -1;
      printf ("%s\n", args[i]);
    }
  return 0;
}

/* "K=V" as given; a bare "K" takes the value from podtool's own environment. */
int
pt_cli_env_add (char ***env, const char *item, const char *origin, pt_error_t *err)
{
  if (*item == '\0' || *item == '=')
    return pt_make_error (err, 0, "invalid environment variable `%s` in %s", item, origin);
  if (strchr (item, '='))
    {
      pt_env_set (env, item);
      return 0;
    }
  const char *v = getenv (item);
  if (v)
    {
      cleanup_free char *kv = xasprintf ("%s=%s", item, v);
      pt_env_set (env, kv);
    }
  return 0;
}

int
pt_cli_env_file (char ***env, const char *path, pt_error_t *err)
{
  cleanup_free char *data = NULL;
  if (pt_read_file (AT_FDCWD, path, &data, NULL, err) < 0)
    return pt_error_wrap (err, "--env-file");
  cleanup_free char *origin = xasprintf ("--env-file `%s`", path);
  for (char *save = NULL, *line = strtok_r (data, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      line[strcspn (line, "\r")] = '\0';
      while (*line == ' ' || *line == '\t')
        line++;
      if (*line == '\0' || *line == '#')
        continue;
      if (pt_cli_env_add (env, line, origin, err) < 0)
        return -1;
    }
  return 0;
}

void
pt_cli_image_event (struct pt_store *s, const char *status, const char *ref, const char *name)
{
  struct pt_image img;
  pt_error_t e = NULL;
  if (pt_image_lookup (s, ref, &img, &e) < 0)
    {
      pt_error_release (&e);
      pt_event (s, "image", status, ref, name ? name : ref, NULL, NULL);
      return;
    }
  pt_event (s, "image", status, img.id, name ? name : ref, NULL, NULL);
  pt_image_free (&img);
}

/* --since/--until: a timestamp, or a duration back from now (10s, 5m, 2h). */
int
pt_cli_parse_when (const char *s, int64_t *out, pt_error_t *err)
{
  char *end;
  double v = strtod (s, &end);
  int64_t unit = 0;
  if (end != s && (strcmp (end, "s") == 0 || *end == '\0'))
    unit = 1000000000LL;
  else if (end != s && strcmp (end, "m") == 0)
    unit = 60 * 1000000000LL;
  else if (end != s && strcmp (end, "h") == 0)
    unit = 3600 * 1000000000LL;
  if (unit && (*end != '\0' || strchr (s, '-') == NULL))
    {
      *out = pt_now_ns () - (int64_t)(v * unit);
      return 0;
    }
  *out = pt_parse_time (s);
  if (*out == 0)
    return pt_make_error (err, 0, "invalid time `%s`: use RFC 3339 or a duration like 10m", s);
  return 0;
}

int
pt_cli_prune_filter (struct pt_cli_prune_filter *f, const char *arg, pt_error_t *err)
{
  if (pt_str_has_prefix (arg, "until="))
    return pt_cli_parse_when (arg + 6, &f->until, err);
  bool neg = pt_str_has_prefix (arg, "label!=");
  if (neg || pt_str_has_prefix (arg, "label="))
    {
      char ***list = neg ? &f->not_labels : &f->labels;
      if (*list == NULL)
        *list = xzalloc (sizeof (char *));
      pt_strv_append (list, arg + (neg ? 7 : 6));
      return 0;
    }
  return pt_make_error (err, 0,
                        "invalid filter \"%s\": until=TIMESTAMP, label=KEY[=VALUE] or "
                        "label!=KEY[=VALUE]",
                        arg);
}

/* KEY holds when the label is there, KEY=VALUE when it has that value. */
static bool
has_label (char **labels, const char *want)
{
  size_t k = strcspn (want, "=");
  for (size_t i = 0; labels && labels[i]; i++)
    if (strncmp (labels[i], want, k) == 0 && labels[i][k] == '='
        && (want[k] == '\0' || strcmp (labels[i] + k + 1, want + k + 1) == 0))
      return true;
  return false;
}

bool
pt_cli_prune_matches (const struct pt_cli_prune_filter *f, int64_t created_ns, char **labels)
{
  if (f == NULL)
    return true;
  if (f->until && created_ns > f->until)
    return false;
  for (size_t i = 0; f->labels && f->labels[i]; i++)
    if (!has_label (labels, f->labels[i]))
      return false;
  for (size_t i = 0; f->not_labels && f->not_labels[i]; i++)
    if (has_label (labels, f->not_labels[i]))
      return false;
  return true;
}

void
pt_cli_prune_filter_free (struct pt_cli_prune_filter *f)
{
  pt_strv_free (f->labels);
  pt_strv_free (f->not_labels);
  memset (f, 0, sizeof *f);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool export: a container's root as a tar; podtool diff (container
   diff): what its writable layer changed. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/export.h"
#include "lib/jsonutil.h"
#include "lib/util.h"

static const struct pt_flag export_flags[] = {
  { 'o', "output", 'o', "FILE", "Write the tar to FILE, not stdout" },
  { 0, NULL, 0, NULL, NULL },
};

static int
export_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *output = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_export, argc, argv, err)) != -1)
    if (c == 'o')
      output = optarg;
    else
      return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_export, argc - optind, 1, 1, err);
  if (output == NULL && isatty (STDOUT_FILENO))
    return pt_make_error (err, 0, "refusing to export to terminal. Use -o flag or redirect");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_free char *id = NULL;
  if (m == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0)
    return -1;
  /* A file appears whole or not at all: a temporary name, then rename. */
  cleanup_free char *tmp = output ? xasprintf ("%s.tmp-%d", output, (int)getpid ()) : NULL;
  int fd = output ? open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : STDOUT_FILENO;
  if (fd < 0)
    return pt_make_error (err, errno, "open `%s`", output);
  fflush (stdout);
  int r = pt_ctr_export (s, m, id, fd, err);
  if (output)
    {
      if (close (fd) < 0 && r == 0)
        r = pt_make_error (err, errno, "write `%s`", output);
      if (r == 0 && rename (tmp, output) < 0)
        r = pt_make_error (err, errno, "rename `%s`", tmp);
      if (r < 0)
        unlink (tmp);
    }
  return r;
}

const struct pt_cmd pt_cmd_export = {
  .name = "export",
  .usage = "[options] CONTAINER",
  .summary = "Export a container's root filesystem as a tar",
  .flags = export_flags,
  .exec = export_exec,
};

static const struct pt_flag diff_flags[] = {
  { 'f', "format", 0, "FORMAT",
    "json: {\"changed\": [...], \"added\": [...], \"deleted\": [...]}" },
  PT_FLAG_LATEST,
  { 0, NULL, 0, NULL, NULL },
};

static int
diff_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  bool latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_diff, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': format = optarg; break;
      case 'l': latest = pt_cli_optbool; break;
      default: return -1;
      }
  if (format && strcmp (format, "json") != 0)
    return pt_make_error (err, 0, "invalid --format `%s`: json is the one there is", format);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **refs = m ? pt_cli_names (s, argv + optind, latest, err) : NULL;
  if (refs == NULL)
    return -1;
  if (pt_strv_len (refs) != 1)
    return pt_cli_need_args (&pt_cmd_diff, pt_strv_len (refs), 1, 1, err);
  cleanup_free char *id = NULL;
  pt_error_t e = NULL;
  if (pt_ctr_resolve (s, refs[0], &id, &e) < 0)
    {
      pt_error_release (&e);
      return pt_make_error (err, 0,
                            "%s: no container of that name or ID (podtool diffs "
                            "containers; an image's layers are its history)",
                            refs[0]);
    }
  struct pt_change *ch = NULL;
  size_t n = 0;
  if (pt_ctr_diff (s, m, id, &ch, &n, err) < 0)
    return -1;
  json_t *j = json_pack ("{s:[], s:[], s:[]}", "changed", "added", "deleted");
  for (size_t i = 0; i < n; i++)
    {
      if (format)
        json_array_append_new (json_object_get (j, ch[i].kind == 'C'   ? "changed"
                                                   : ch[i].kind == 'A' ? "added"
                                                                       : "deleted"),
                               pt_json_text (ch[i].path));
      else
        printf ("%c %s\n", ch[i].kind, ch[i].path);
      free (ch[i].path);
    }
  free (ch);
  if (format)
    pt_cli_print_json (j);
  json_decref (j);
  return 0;
}

const struct pt_cmd pt_cmd_diff = {
  .name = "diff",
  .usage = "[options] CONTAINER",
  .summary = "Show what a container changed: A added, C changed, D deleted",
  .flags = diff_flags,
  .exec = diff_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool volume: create, ls, inspect, rm, prune, exists, export, import. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/util.h"
#include "lib/volume.h"

enum
{
  OPT_FORMAT = 256,
  OPT_IGNORE,
  OPT_DRIVER,
  OPT_NOHEADING,
};

static int
create_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  cleanup_strv char **labels = xzalloc (sizeof (char *)), **opts = xzalloc (sizeof (char *));
  bool ignore = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_volume_create, argc, argv, err)) != -1)
    switch (c)
      {
      case 'l': pt_strv_append (&labels, optarg); break;
      case 'o': pt_strv_append (&opts, optarg); break;
      case OPT_IGNORE: ignore = pt_cli_optbool; break;
      case 'd':
        if (strcmp (optarg, "local") != 0)
          return pt_make_error (err, 0, "volume driver `%s`: podtool has only the local driver",
                                optarg);
        break;
      default: return -1;
      }
  if (argc - optind > 1)
    return pt_cli_need_args (&pt_cmd_volume_create, argc - optind, 0, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  struct pt_volume v;
  if (s == NULL
      || pt_volume_create (s, optind < argc ? argv[optind] : NULL, labels, opts, false, ignore, &v,
                           err)
             < 0)
    return -1;
  printf ("%s\n", v.name);
  pt_volume_free (&v);
  return 0;
}

/* name=, label=, driver=, dangling= (Podman's volume ls filters). */
static bool
matches (struct pt_store *s, const struct pt_volume *v, char **filters)
{
  for (size_t i = 0; filters && filters[i]; i++)
    {
      const char *f = filters[i], *val = strchr (f, '=') + 1;
      if (pt_str_has_prefix (f, "name="))
        {
          regex_t re;
          bool ok = regcomp (&re, val, REG_EXTENDED | REG_NOSUB) == 0
                    && regexec (&re, v->name, 0, NULL, 0) == 0;
          regfree (&re);
          if (!ok)
            return false;
        }
      else if (pt_str_has_prefix (f, "label="))
        {
          bool found = false;
          size_t k = strcspn (val, "=");
          for (size_t j = 0; v->labels[j] && !found; j++)
            found = strncmp (v->labels[j], val, k) == 0 && v->labels[j][k] == '='
                    && (val[k] == '\0' || strcmp (v->labels[j] + k + 1, val + k + 1) == 0);
          if (!found)
            return false;
        }
      else if (pt_str_has_prefix (f, "driver=") && strcmp (val, "local") != 0)
        return false;
      else if (pt_str_has_prefix (f, "dangling="))
        {
          cleanup_strv char **users = pt_volume_users (s, v->name);
          if ((users[0] == NULL) != (strcmp (val, "true") == 0))
            return false;
        }
    }
  return true;
}

static int
check_filter (const char *f, pt_error_t *err)
{
  static const char *const keys[] = { "name=", "label=", "driver=", "dangling=" };
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (pt_str_has_prefix (f, keys[i]))
      return 0;
  return pt_make_error (err, 0,
                        "invalid volume filter `%s`: name=, label=, driver= or dangling=", f);
}

static const char *
ls_header (const char *field)
{
  return strcmp (field, "Name") == 0 ? "VOLUME NAME" : NULL;
}

static int
ls_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  cleanup_strv char **filters = xzalloc (sizeof (char *));
  const char *format = NULL;
  bool quiet = false, heading = true;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_volume_ls, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f':
        if (check_filter (optarg, err) < 0)
          return -1;
        pt_strv_append (&filters, optarg);
        break;
      case OPT_FORMAT: format = optarg; break;
      case 'q': quiet = pt_cli_optbool; break;
      case 'n': heading = !pt_cli_optbool; break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_volume_ls, argc - optind, 0, 0, err);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **names = NULL;
  if (s == NULL || pt_volume_list (s, &names, err) < 0)
    return -1;
  json_t *rows = json_array ();
  for (size_t i = 0; names[i]; i++)
    {
      struct pt_volume v;
      pt_error_t e = NULL;
      if (pt_volume_lookup (s, names[i], &v, &e) < 0)
        {
          pt_error_release (&e); /* removed meanwhile */
          continue;
        }
      if (matches (s, &v, filters))
        json_array_append_new (rows, pt_volume_json (&v, s));
      pt_volume_free (&v);
    }
  int r = 0;
  size_t i;
  json_t *row;
  if (format && strcmp (format, "json") == 0)
    pt_cli_print_json (rows);
  else if (format)
    r = pt_cli_format (format, rows, ls_header, err);
  else
    {
      if (heading && !quiet)
        printf ("%-12s%s\n", "DRIVER", "VOLUME NAME");
      json_array_foreach (rows, i, row)
      {
        const char *name = json_string_value (json_object_get (row, "Name"));
        if (quiet)
          printf ("%s\n", name);
        else
          printf ("%-12s%s\n", "local", name);
      }
    }
  json_decref (rows);
  return r;
}

static int
inspect_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  bool all = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_volume_inspect, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': format = optarg; break;
      case 'a': all = pt_cli_optbool; break;
      default: return -1;
      }
  if (!all && optind >= argc)
    return pt_cli_need_args (&pt_cmd_volume_inspect, 0, 1, -1, err);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **names = NULL;
  if (s == NULL)
    return -1;
  if (all && pt_volume_list (s, &names, err) < 0)
    return -1;
  char **list = all ? names : argv + optind;
  json_t *rows = json_array ();
  int r = 0;
  for (size_t i = 0; r == 0 && list[i]; i++)
    {
      struct pt_volume v;
      if (pt_volume_lookup (s, list[i], &v, err) < 0)
        r = -1;
      else
        json_array_append_new (rows, pt_volume_json (&v, s));
      pt_volume_free (&v);
    }
  if (r == 0 && format && strcmp (format, "json") != 0)
    r = pt_cli_format (format, rows, NULL, err);
  else if (r == 0)
    pt_cli_print_json (rows);
  json_decref (rows);
  return r;
}

static int
rm_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool force = false, all = false;
  int c;
  long t;
  while ((c = pt_cli_getopt (&pt_cmd_volume_rm, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': force = pt_cli_optbool; break;
      case 'a': all = pt_cli_optbool; break;
      case 't':
        if (pt_parse_long (optarg, -1, 86400, &t) < 0)
          return pt_make_error (err, 0, "invalid argument \"%s\" for \"-t, --time\" flag", optarg);
        break;
      default: return -1;
      }
  if (!all && optind >= argc)
    return pt_cli_need_args (&pt_cmd_volume_rm, 0, 1, -1, err);
  if (all && optind < argc)
    return pt_make_error (err, 0, "choose either one or more volumes or all");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **names = NULL;
  if (m == NULL || (all && pt_volume_list (s, &names, err) < 0))
    return -1;
  char **list = all ? names : argv + optind;
  int failed = 0;
  for (size_t i = 0; list[i]; i++)
    {
      pt_error_t e = NULL;
      struct pt_volume v;
      /* Podman: 1 for a volume that is not there, 2 for one in use. */
      int code = pt_volume_lookup (s, list[i], &v, &e) < 0 ? 1 : 0;
      pt_volume_free (&v);
      if (code == 0 && pt_volume_remove (s, m, list[i], force, &e) == 0)
        {
          printf ("%s\n", list[i]);
          continue;
        }
      cleanup_free char *msg = pt_error_string (e);
      fprintf (stderr, "Error: %s\n", msg);
      failed = failed ? failed : code ? code : e->exit_code;
      pt_error_release (&e);
    }
  g->exit_code = failed;
  return 0;
}

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  cleanup_strv char **filters = xzalloc (sizeof (char *));
  bool force = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_volume_prune, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': force = pt_cli_optbool; break;
      case OPT_FORMAT:
        if (check_filter (optarg, err) < 0)
          return -1;
        pt_strv_append (&filters, optarg);
        break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_volume_prune, argc - optind, 0, 0, err);
  int yes = pt_cli_confirm (force,
                            "WARNING! This will remove all volumes not used by at least "
                            "one container. The following volumes will be removed:",
                            err);
  if (yes <= 0)
    return yes;
  return pt_cli_prune_volumes (g, filters, err);
}

int
pt_cli_prune_volumes (struct pt_global *g, char **filters, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **names = NULL;
  if (m == NULL || pt_volume_list (s, &names, err) < 0)
    return -1;
  for (size_t i = 0; names[i]; i++)
    {
      struct pt_volume v;
      pt_error_t e = NULL;
      cleanup_strv char **users = pt_volume_users (s, names[i]);
      if (users[0] || pt_volume_lookup (s, names[i], &v, &e) < 0)
        {
          pt_error_release (&e);
          continue;
        }
      bool take = matches (s, &v, filters);
      pt_volume_free (&v);
      if (take && pt_volume_remove (s, m, names[i], false, &e) == 0)
        printf ("%s\n", names[i]);
      pt_error_release (&e); /* taken into use meanwhile: it stays */
    }
  return 0;
}

static int
exists_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  while (pt_cli_getopt (&pt_cmd_volume_exists, argc, argv, err) != -1)
    return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_volume_exists, argc - optind, 1, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  struct pt_volume v;
  pt_error_t e = NULL;
  if (s == NULL)
    return -1;
  g->exit_code = pt_volume_lookup (s, argv[optind], &v, &e) == 0 ? 0 : 1;
  pt_volume_free (&v);
  pt_error_release (&e);
  return 0;
}

static int
export_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *out = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_volume_export, argc, argv, err)) != -1)
    if (c == 'o')
      out = optarg;
    else
      return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_volume_export, argc - optind, 1, 1, err);
  if (out == NULL && isatty (1))
    return pt_make_error (err, 0,
                          "refusing to write a tar to a terminal: use -o FILE or redirect stdout");
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  cleanup_free char *tmp = out ? xasprintf ("%s.tmp-%d", out, (int)getpid ()) : NULL;
  int fd = out ? open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;
  if (fd < 0)
    return pt_make_error (err, errno, "open `%s`", out);
  int r = pt_volume_export (s, m, argv[optind], fd, err);
  if (out)
    {
      close (fd);
      if (r == 0 && rename (tmp, out) < 0)
        r = pt_make_error (err, errno, "rename `%s`", tmp);
      if (r < 0)
        unlink (tmp);
    }
  return r;
}

static int
import_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  while (pt_cli_getopt (&pt_cmd_volume_import, argc, argv, err) != -1)
    return -1;
  if (argc - optind != 2)
    return pt_cli_need_args (&pt_cmd_volume_import, argc - optind, 2, 2, err);
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  const char *tar = argv[optind + 1];
  if (strcmp (tar, "-") == 0)
    tar = "/dev/stdin";
  else if (access (tar, R_OK) < 0)
    return pt_make_error (err, errno, "open `%s`", tar);
  return pt_volume_import (s, m, argv[optind], tar, err);
}

/* volume mount: a local volume is a directory already; its path is the
   mount (Podman prints the same). unmount has nothing to undo. */
static int
mount_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool unmount = pt_cmd_path && strstr (pt_cmd_path, "unmount");
  const struct pt_cmd *cmd = unmount ? &pt_cmd_volume_unmount : &pt_cmd_volume_mount;
  while (pt_cli_getopt (cmd, argc, argv, err) != -1)
    return -1;
  if (argc - optind < 1)
    return pt_cli_need_args (cmd, 0, 1, -1, err);
  struct pt_store *s = pt_global_store (g, err);
  for (int i = optind; s && i < argc; i++)
    {
      struct pt_volume v;
      if (pt_volume_lookup (s, argv[i], &v, err) < 0)
        return -1;
      printf ("%s\n", unmount ? v.name : v.mountpoint);
      pt_volume_free (&v);
    }
  return s ? 0 : -1;
}

static const struct pt_flag create_flags[] = {
  { 'd', "driver", 'd', "DRIVER", "Volume driver: local (the one podtool has)" },
  { OPT_IGNORE, "ignore", 0, NULL, "A volume of that name already there is no error" },
  { 'l', "label", 'l', "KEY=VALUE", "Set a label (repeatable)" },
  { 'o', "opt", 'o', "KEY=VALUE", "Driver option: type=, o=, device= (kept, shown by inspect)" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag ls_flags[] = {
  { 'f', "filter", 'f', "FILTER",
    "name=REGEX, label=KEY[=VALUE], driver=local, dangling=true|false" },
  { OPT_FORMAT, "format", 0, "FORMAT",
    "Go template ({{.Name}} {{.Driver}} {{.Mountpoint}} ...), or json" },
  { 'n', "noheading", 'n', NULL, "Do not print the header" },
  { 'q', "quiet", 'q', NULL, "Print only the names" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag inspect_flags[] = {
  { 'a', "all", 'a', NULL, "Inspect every volume" },
  { 'f', "format", 'f', "FORMAT", "Go template, or json" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag rm_flags[] = {
  { 'a', "all", 'a', NULL, "Remove every volume" },
  { 'f', "force", 'f', NULL, "Remove the containers that use it too" },
  { 't', "time", 't', "SECONDS", "Seconds to wait for those containers to stop", PT_FLAG_NO_EFFECT,
    "-f kills them at once" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag prune_flags[] = {
  { OPT_FORMAT, "filter", 0, "FILTER", "Only those that match: label=KEY[=VALUE], name=REGEX" },
  { 'f', "force", 'f', NULL, "Do not ask for confirmation" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag export_flags[] = {
  { 'o', "output", 'o', "FILE", "Write to FILE, not stdout" },
  { 0, NULL, 0, NULL, NULL },
};

const struct pt_cmd pt_cmd_volume_create = { .name = "create",
                                             .usage = "[options] [NAME]",
                                             .summary = "Create a volume",
                                             .flags = create_flags,
                                             .exec = create_exec };
const struct pt_cmd pt_cmd_volume_ls = { .name = "ls",
                                         .alias = "list",
                                         .usage = "[options]",
                                         .summary = "List volumes",
                                         .flags = ls_flags,
                                         .exec = ls_exec };
const struct pt_cmd pt_cmd_volume_inspect = { .name = "inspect",
                                              .usage = "[options] VOLUME [VOLUME...]",
                                              .summary = "Show volumes' details as JSON",
                                              .flags = inspect_flags,
                                              .exec = inspect_exec };
const struct pt_cmd pt_cmd_volume_rm = { .name = "rm",
                                         .alias = "remove",
                                         .usage = "[options] VOLUME [VOLUME...]",
                                         .summary = "Remove volumes",
                                         .flags = rm_flags,
                                         .exec = rm_exec };
const struct pt_cmd pt_cmd_volume_prune = { .name = "prune",
                                            .usage = "[options]",
                                            .summary = "Remove every volume no container uses",
                                            .flags = prune_flags,
                                            .exec = prune_exec };
const struct pt_cmd pt_cmd_volume_exists = { .name = "exists",
                                             .usage = "VOLUME",
                                             .summary = "Exit 0 if the volume exists, 1 if not",
                                             .exec = exists_exec };
const struct pt_cmd pt_cmd_volume_export = { .name = "export",
                                             .usage = "[options] VOLUME",
                                             .summary = "Write a volume's files as a tar",
                                             .flags = export_flags,
                                             .exec = export_exec };
const struct pt_cmd pt_cmd_volume_import = { .name = "import",
                                             .usage = "VOLUME TARBALL",
                                             .summary = "Unpack a tar (- for stdin) into a volume",
                                             .exec = import_exec };

const struct pt_cmd pt_cmd_volume_mount
    = { .name = "mount",
        .usage = "VOLUME [VOLUME...]",
        .summary = "Print where a volume's files are (a local volume needs no mount)",
        .exec = mount_exec };
const struct pt_cmd pt_cmd_volume_unmount
    = { .name = "unmount",
        .alias = "umount",
        .usage = "VOLUME [VOLUME...]",
        .summary = "Nothing to undo for a local volume: prints its name",
        .exec = mount_exec };

static const struct pt_cmd *const volume_verbs[] = {
  &pt_cmd_volume_create,
  &pt_cmd_volume_exists,
  &pt_cmd_volume_export,
  &pt_cmd_volume_import,
  &pt_cmd_volume_inspect,
  &pt_cmd_volume_ls,
  &pt_cmd_volume_mount,
  &pt_cmd_volume_prune,
  &pt_cmd_volume_rm,
  &pt_cmd_volume_unmount,
  NULL,
};

const struct pt_cmd pt_cmd_volume = {
  .name = "volume",
  .usage = "create|exists|export|import|inspect|ls|mount|prune|rm|unmount [ARG...]",
  .summary = "Manage volumes",
  .subs = volume_verbs,
};

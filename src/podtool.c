/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main(): global options, verb lookup, the one place errors are printed. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/log.h"
#include "lib/util.h"

struct pt_store *
pt_global_store (struct pt_global *g, pt_error_t *err)
{
  if (!g->store_open)
    {
      if (pt_store_open (&g->store, g->root, g->runroot, err) < 0)
        return NULL;
      g->store_open = true;
    }
  return &g->store;
}

const struct pt_idmap *
pt_global_idmap (struct pt_global *g, pt_error_t *err)
{
  if (!g->idmap_loaded)
    {
      struct pt_store *s = pt_global_store (g, err);
      cleanup_free char *cache = s ? pt_store_runpath (s, "idmap.json") : NULL;
      if (cache == NULL || pt_idmap_load (&g->idmap, cache, err) < 0)
        return NULL;
      g->idmap_loaded = true;
    }
  return &g->idmap;
}

static void
print_help (FILE *out)
{
  fprintf (out,
           "Usage: podtool [--root DIR] [--runroot DIR] [--log-level LEVEL] [--storage-driver D]\n"
           "               COMMAND [ARG...]\n\n"
           "A daemonless, rootless container tool.\n\nCommands:\n");
  for (size_t i = 0; pt_cmd_table[i]; i++)
    fprintf (out, "  %-10s %s\n", pt_cmd_table[i]->name, pt_cmd_table[i]->summary);
  fprintf (out, "\nGlobal options:\n"
                "  --root DIR         storage (default $XDG_DATA_HOME/podtool)\n"
                "  --runroot DIR      runtime state (default $XDG_RUNTIME_DIR/podtool)\n"
                "  --log-level LEVEL  error, warn, info or debug\n"
                "  --storage-driver D overlay (default; a copy where the kernel refuses) or vfs\n"
                "  -h, --help         this help; `podtool COMMAND --help` for one command\n"
                "  -v, --version      print the version\n");
}

static int
report (pt_error_t err)
{
  pt_cli_print_error (err);
  int code = err->exit_code ? err->exit_code : 125;
  pt_error_release (&err);
  return code;
}

int
main (int argc, char **argv)
{
  static const struct option longopts[] = {
    { "root", required_argument, NULL, 'r' },
    { "runroot", required_argument, NULL, 'R' },
    { "log-level", required_argument, NULL, 'l' },
    { "help", no_argument, NULL, 'h' },
    { "storage-driver", required_argument, NULL, 's' },
    { "version", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  struct pt_global g = { 0 };
  pt_error_t err = NULL;
  int c, level;
  setvbuf (stdout, NULL, _IOFBF, 0);
  while ((c = getopt_long (argc, argv, "+hv", longopts, NULL)) != -1)
    switch (c)
      {
      case 'r': g.root = optarg; break;
      case 'R': g.runroot = optarg; break;
      case 'l':
        if ((level = pt_log_parse_level (optarg)) < 0)
          {
            pt_make_error (&err, 0, "invalid log level `%s`: use error, warn, info or debug",
                           optarg);
            return report (err);
          }
        pt_log_set_level (level);
        break;
      case 's':
        if (strcmp (optarg, "overlay") != 0 && strcmp (optarg, "vfs") != 0)
          {
            pt_make_error (&err, 0, "unknown storage driver `%s`: use overlay or vfs", optarg);
            return report (err);
          }
        g.storage_driver = optarg;
        break;
      case 'h': print_help (stdout); return 0;
      case 'v': return pt_cmd_version.exec (&g, 1, argv, &err);
      default: print_help (stderr); return 125;
      }
  if (optind >= argc)
    {
      print_help (stderr);
      return 125;
    }
  const struct pt_cmd *cmd = pt_cmd_find (argv[optind]);
  if (cmd == NULL)
    {
      pt_make_error (&err, 0, "unrecognized command `podtool %s`: try `podtool --help`",
                     argv[optind]);
      return report (err);
    }
  if (pt_cli_wants_help (argc - optind, argv + optind))
    {
      pt_cmd_print_usage (cmd, stdout);
      return 0;
    }
  argv += optind;
  argc -= optind;
  optind = 0;
  int r = cmd->exec (&g, argc, argv, &err);
  fflush (stdout);
  if (r < 0)
    return report (err);
  return g.exit_code;
}

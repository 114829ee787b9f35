/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main(): global flags, the verb (and a group's verb) from the table, the
   one place errors are printed. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

enum
{
  G_ROOT = 256,
  G_RUNROOT,
  G_LOG_LEVEL,
  G_STORAGE_DRIVER,
  G_NOOUT,
  G_EVENTS_BACKEND,
  G_TMPDIR,
  G_CGROUP_MANAGER,
  G_STORAGE_OPT,
  G_VOLUMEPATH,
  G_RUNTIME,
  G_RUNTIME_FLAG,
  G_CONMON,
  G_URL,
  G_CONNECTION,
  G_IDENTITY,
  G_SSH,
  G_SYSLOG,
  G_NAMESPACE,
  G_HOOKS_DIR,
  G_NETWORK_CMD_PATH,
  G_NETWORK_CONFIG_DIR,
  G_CNI_CONFIG_DIR,
  G_TRACE,
};

#define NO_SERVICE "podtool has no service: it runs containers itself, on this machine"

static const struct pt_flag global_flags[] = {
  { G_ROOT, "root", 0, "DIR",
    "Storage: images, layers, containers (default $XDG_DATA_HOME/podtool)" },
  { G_RUNROOT, "runroot", 0, "DIR", "Runtime state (default $XDG_RUNTIME_DIR/podtool)" },
  { G_LOG_LEVEL, "log-level", 0, "LEVEL",
    "trace, debug, info, warn (warning), error, fatal or panic (default warn)" },
  { G_STORAGE_DRIVER, "storage-driver", 0, "DRIVER", "overlay (default) or vfs" },
  { G_NOOUT, "noout", 0, NULL, "Do not print to stdout" },
  { G_EVENTS_BACKEND, "events-backend", 0, "BACKEND", "file (default) or none" },
  { G_TMPDIR, "tmpdir", 0, "DIR", "Where temporary files go (TMPDIR)" },
  { G_CGROUP_MANAGER, "cgroup-manager", 0, "MANAGER",
    "cgroupfs: podtool manages its cgroups itself" },
  { 'v', "version", 'v', NULL, "Print the version" },
  { G_STORAGE_OPT, "storage-opt", 0, "OPTION", "Storage driver options", PT_FLAG_NO_EFFECT,
    "podtool's drivers have none" },
  { G_VOLUMEPATH, "volumepath", 0, "DIR", "Where named volumes live", PT_FLAG_NO_EFFECT,
    "volumes live under --root" },
  { G_RUNTIME, "runtime", 0, "PATH", "The OCI runtime", PT_FLAG_NO_EFFECT,
    "podtool is its own runtime" },
  { G_RUNTIME_FLAG, "runtime-flag", 0, "FLAG", "A flag for the OCI runtime", PT_FLAG_NO_EFFECT,
    "podtool is its own runtime" },
  { G_CONMON, "conmon", 0, "PATH", "The monitor's binary", PT_FLAG_NO_EFFECT,
    "podtool's monitor is its own, beside it" },
  { G_SYSLOG, "syslog", 0, NULL, "Log to syslog", PT_FLAG_NO_EFFECT, "podtool logs to stderr" },
  { G_HOOKS_DIR, "hooks-dir", 0, "DIR", "OCI hooks", PT_FLAG_NO_EFFECT,
    "podtool runs no OCI hooks" },
  { G_NETWORK_CMD_PATH, "network-cmd-path", 0, "PATH", "slirp4netns's binary", PT_FLAG_NO_EFFECT,
    "podtool's network helper is its own" },
  { G_NETWORK_CONFIG_DIR, "network-config-dir", 0, "DIR", "Network configurations",
    PT_FLAG_NO_EFFECT, "rootless podtool has no named networks" },
  { G_CNI_CONFIG_DIR, "cni-config-dir", 0, "DIR", "CNI configurations", PT_FLAG_NO_EFFECT,
    "rootless podtool has no named networks" },
  { G_TRACE, "trace", 0, NULL, "Tracing", PT_FLAG_NO_EFFECT, "podtool has no tracing" },
  { G_URL, "url", 0, "URL", "A Podman service to talk to", PT_FLAG_REFUSED, NO_SERVICE },
  { G_URL, "remote", 'r', NULL, "Talk to a Podman service", PT_FLAG_REFUSED, NO_SERVICE },
  { G_CONNECTION, "connection", 'c', "NAME", "A service connection", PT_FLAG_REFUSED, NO_SERVICE },
  { G_IDENTITY, "identity", 0, "PATH", "An ssh identity for a service", PT_FLAG_REFUSED,
    NO_SERVICE },
  { G_SSH, "ssh", 0, "VALUE", "ssh mode for a service", PT_FLAG_REFUSED, NO_SERVICE },
  { G_NAMESPACE, "namespace", 0, "NAME", "A libpod namespace", PT_FLAG_REFUSED,
    "podtool has no libpod namespaces" },
  { 0, NULL, 0, NULL, NULL },
};

const struct pt_cmd pt_cmd_podtool = {
  .name = "podtool",
  .usage = "[options] COMMAND",
  .summary = "A daemonless, rootless container tool.",
  .flags = global_flags,
  .subs = pt_cmd_table,
  .stop_at_operand = true,
};

static int
report (pt_error_t err)
{
  pt_cli_print_error (err);
  int code = err->exit_code ? err->exit_code : 125;
  pt_error_release (&err);
  return code;
}

static int
global_flag (struct pt_global *g, int c, pt_error_t *err)
{
  int level;
  switch (c)
    {
    case G_ROOT: g->root = optarg; return 0;
    case G_RUNROOT: g->runroot = optarg; return 0;
    case G_LOG_LEVEL:
      if ((level = pt_log_parse_level (optarg)) < 0)
        return pt_make_error (err, 0,
                              "invalid log level \"%s\": trace, debug, info, warn, warning, error, "
                              "fatal or panic",
                              optarg);
      pt_log_set_level (level);
      return 0;
    case G_STORAGE_DRIVER:
      if (strcmp (optarg, "overlay") != 0 && strcmp (optarg, "vfs") != 0)
        return pt_make_error (err, 0, "unknown storage driver `%s`: use overlay or vfs", optarg);
      g->storage_driver = optarg;
      return 0;
    case G_NOOUT:
      if (pt_cli_optbool)
        {
          int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);
          if (null < 0 || dup2 (null, STDOUT_FILENO) < 0)
            return pt_make_error (err, errno, "--noout: /dev/null");
          close (null);
        }
      return 0;
    case G_EVENTS_BACKEND:
      if (strcmp (optarg, "file") != 0 && strcmp (optarg, "none") != 0)
        return pt_make_error (err, 0,
                              "--events-backend %s: not supported by podtool: it has file "
                              "(the default) and none%s",
                              optarg,
                              strcmp (optarg, "journald") == 0 ? " (no journal of its own)" : "");
      g->events_none = strcmp (optarg, "none") == 0;
      /* The library and the monitors it starts see it there (lib/events.h). */
      if (g->events_none)
        setenv ("PODTOOL_EVENTS_BACKEND", "none", 1);
      return 0;
    case G_TMPDIR: setenv ("TMPDIR", optarg, 1); return 0;
    case G_CGROUP_MANAGER:
      if (strcmp (optarg, "cgroupfs") != 0)
        return pt_make_error (err, 0,
                              "--cgroup-manager %s: not supported by podtool: it manages its "
                              "cgroups itself, as cgroupfs",
                              optarg);
      return 0;
    }
  return 0;
}

/* Edit distance with transpositions (rnu is one step from run), for a
   hint on a mistyped verb. */
static size_t
distance (const char *a, const char *b)
{
  size_t la = strlen (a), lb = strlen (b), d[32][32];
  if (la >= 31 || lb >= 31)
    return 99;
  for (size_t i = 0; i <= la; i++)
    d[i][0] = i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++)
      {
        size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
        if (d[i - 1][j] + 1 < best)
          best = d[i - 1][j] + 1;
        if (d[i][j - 1] + 1 < best)
          best = d[i][j - 1] + 1;
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
            && d[i - 2][j - 2] + 1 < best)
          best = d[i - 2][j - 2] + 1;
        d[i][j] = best;
      }
  return d[la][lb];
}

static int
unknown_verb (const struct pt_cmd *group, const char *path, const char *name, pt_error_t *err)
{
  const char *best = NULL;
  size_t d = 3;
  for (size_t i = 0; group->subs[i]; i++)
    {
      size_t k = distance (name, group->subs[i]->name);
      if (k < d || (strncmp (group->subs[i]->name, name, strlen (name)) == 0 && *name && d > 1))
        d = k < d ? k : 1, best = group->subs[i]->name;
    }
  if (best)
    return pt_make_error (err, 0,
                          "unrecognized command `podtool %s%s%s`: did you mean `%s`? Try "
                          "'podtool %s%s--help'",
                          path, *path ? " " : "", name, best, path, *path ? " " : "");
  return pt_make_error (err, 0, "unrecognized command `podtool %s%s%s`: try 'podtool %s%s--help'",
                        path, *path ? " " : "", name, path, *path ? " " : "");
}

int
main (int argc, char **argv)
{
  struct pt_global g = { 0 };
  pt_error_t err = NULL;
  int c;
  setvbuf (stdout, NULL, _IOFBF, 0);
  optind = 1;
  while ((c = pt_cli_getopt (&pt_cmd_podtool, argc, argv, &err)) != -1)
    {
      if (c == -2 || global_flag (&g, c, &err) < 0)
        return report (err);
      if (c == 'v')
        return pt_cmd_version.exec (&g, 1, argv, &err) < 0 ? report (err) : 0;
    }
  if (optind >= argc)
    {
      pt_cmd_print_usage (&pt_cmd_podtool, stderr);
      pt_make_error (&err, 0, "missing command 'podtool COMMAND'");
      return report (err);
    }
  /* A group's verb: `podtool container rm` is `podtool rm`. */
  const struct pt_cmd *cmd = &pt_cmd_podtool;
  char path[256] = "";
  while (cmd->subs && optind < argc)
    {
      const char *name = argv[optind];
      const struct pt_cmd *next = pt_cmd_find_in (cmd, name);
      if (next == NULL && cmd != &pt_cmd_podtool
          && (strcmp (name, "--help") == 0 || strcmp (name, "-h") == 0))
        {
          pt_cmd_print_usage (cmd, stdout);
          return 0;
        }
      if (next == NULL)
        return report ((unknown_verb (cmd, path, name, &err), err));
      snprintf (path + strlen (path), sizeof path - strlen (path), "%s%s", *path ? " " : "",
                next->name);
      cmd = next;
      pt_cmd_path = path;
      optind++;
      if (cmd->exec)
        break;
    }
  if (cmd->exec == NULL)
    {
      pt_make_error (&err, 0, "missing command 'podtool %s COMMAND': try 'podtool %s --help'", path,
                     path);
      return report (err);
    }
  argv += optind - 1;
  argc -= optind - 1;
  optind = 0;
  int r = cmd->exec (&g, argc, argv, &err);
  fflush (stdout);
  if (r < 0)
    return report (err);
  return g.exit_code;
}

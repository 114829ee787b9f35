/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool stats: what running containers use, read from their cgroups
   (and their network namespace's counters), as `podman stats` shows it. */
#include <config.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/sysinfo.h>
#include "cmd.h"
#include "cmd-pod.h"
#include "lib/cgroup.h"
#include "lib/container.h"
#include "lib/pod.h"
#include "lib/util.h"

/* One container's sample, and the one before it for the CPU % of a stream. */
struct sample
{
  char *id, *name;
  struct pt_cgroup_stats cg;
  uint64_t net_rx, net_tx;
  int64_t at_ns, started_ns;
};

static void
sample_free (struct sample *s)
{
  free (s->id);
  free (s->name);
}

/* Bytes in and out of every interface but lo, from /proc/PID/net/dev. */
static void
read_net (pid_t pid, uint64_t *rx, uint64_t *tx)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/net/dev", (int)pid);
  cleanup_file FILE *f = fopen (path, "re");
  char line[512];
  *rx = *tx = 0;
  while (f && fgets (line, sizeof line, f))
    {
      char *colon = strchr (line, ':');
      char name[64];
      unsigned long long v[9];
      if (colon == NULL || sscanf (line, " %63[^:]", name) != 1 || strcmp (name, "lo") == 0)
        continue;
      if (sscanf (colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                  &v[3], &v[4], &v[5], &v[6], &v[7], &v[8])
          == 9)
        {
          *rx += v[0];
          *tx += v[8];
        }
    }
}

/* With all, a container that does not run is a row of zeros, as Podman
   shows it. */
static int
take_sample (struct pt_store *s, const char *id, bool all, struct sample *out, pt_error_t *err)
{
  struct pt_ctr_state st;
  struct pt_ctr_spec spec;
  if (pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (!pt_ctr_alive (&st) && all)
    {
      if (pt_ctr_spec_read (s, id, &spec, err) < 0)
        return -1;
      *out = (struct sample){ .id = xstrdup (id), .name = xstrdup (spec.name), .at_ns = pt_now_ns () };
      pt_ctr_spec_free (&spec);
      return 0;
    }
  if (!pt_ctr_alive (&st))
    return pt_make_error (err, 0, "container %s is not running", id);
  if (st.cgroup[0] == '\0')
    {
      cleanup_free char *why = pt_cgroup_why_none ();
      return pt_make_error (
          err, 0, "stats needs the container in a cgroup of its own, and %s has none: %s", id, why);
    }
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  *out = (struct sample){ .id = xstrdup (id),
                          .name = xstrdup (spec.name),
                          .at_ns = pt_now_ns (),
                          .started_ns = st.started_ns };
  pt_ctr_spec_free (&spec);
  read_net (st.pid, &out->net_rx, &out->net_tx);
  return pt_cgroup_read_stats (st.cgroup, &out->cg, err);
}

/* podman stats prints sizes as "1.065MB". */
static char *
size4 (uint64_t bytes)
{
  return pt_human_size_precision (bytes, 4, "");
}

static uint64_t
host_memory (void)
{
  struct sysinfo si;
  return sysinfo (&si) == 0 ? (uint64_t)si.totalram * si.mem_unit : 0;
}

/* CPU % over [before, now]: since the start for the first sample, as Podman. */
static double
cpu_percent (const struct sample *now, const struct sample *before)
{
  int64_t wall = now->at_ns - (before ? before->at_ns : now->started_ns);
  uint64_t used = now->cg.cpu_usec - (before ? before->cg.cpu_usec : 0);
  return wall > 0 ? 100.0 * used * 1000.0 / wall : 0;
}

static char *
go_duration_us (uint64_t usec)
{
  if (usec < 1000)
    return xasprintf ("%lluµs", (unsigned long long)usec);
  if (usec < 1000000)
    return xasprintf ("%gms", usec / 1000.0);
  return xasprintf ("%gs", usec / 1e6);
}

static json_t *
sample_json (const struct sample *now, const struct sample *before)
{
  uint64_t limit = now->cg.memory_max ? now->cg.memory_max : host_memory ();
  cleanup_free char *cpu = xasprintf ("%.2f%%", cpu_percent (now, before));
  cleanup_free char *avg = xasprintf ("%.2f%%", cpu_percent (now, NULL));
  cleanup_free char *mu = size4 (now->cg.memory), *ml = size4 (limit);
  cleanup_free char *mem = xasprintf ("%s / %s", mu, ml);
  cleanup_free char *memp = xasprintf ("%.2f%%", limit ? 100.0 * now->cg.memory / limit : 0.0);
  cleanup_free char *rx = size4 (now->net_rx), *tx = size4 (now->net_tx);
  cleanup_free char *net = xasprintf ("%s / %s", rx, tx);
  cleanup_free char *br = size4 (now->cg.io_read), *bw = size4 (now->cg.io_write);
  cleanup_free char *blk = xasprintf ("%s / %s", br, bw);
  cleanup_free char *pids = xasprintf ("%llu", (unsigned long long)now->cg.pids);
  cleanup_free char *cpu_time = go_duration_us (now->cg.cpu_usec);
  cleanup_free char *short_id = xstrndup (now->id, 12);
  return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "ID", short_id,
                    "Name", now->name, "CPUPerc", cpu, "AVGCPU", avg, "MemUsage", mem,
                    "MemUsageBytes", (json_int_t)now->cg.memory, "MemLimit", (json_int_t)limit,
                    "MemPerc", memp, "NetIO", net, "BlockIO", blk, "PIDS", pids, "CPU", cpu_time);
}

static const char *
stats_header (const char *field)
{
  static const char *const map[][2] = {
    { "CPUPerc", "CPU %" }, { "AVGCPU", "AVG CPU %" }, { "MemUsage", "MEM USAGE / LIMIT" },
    { "MemPerc", "MEM %" }, { "NetIO", "NET IO" },     { "BlockIO", "BLOCK IO" },
    { "CPU", "CPU TIME" },
  };
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp (map[i][0], field) == 0)
      return map[i][1];
  return NULL;
}

#define DEFAULT_TABLE                                                                              \
  "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}"  \
  "\t{{.PIDS}}\t{{.CPU}}\t{{.AVGCPU}}"

struct stats_options
{
  bool stream, json, all;
  const char *format;
  long interval;
  char **pods; /* pod stats: each row's pod (short id), beside ids */
};

/* A row of `podman pod stats`: the pod, and the container's figures under
   the names Podman gives them there. */
static json_t *
pod_row (json_t *c, const char *pod)
{
  static const char *const names[][2] = {
    { "CID", "ID" },          { "Name", "Name" },     { "CPU", "CPUPerc" },
    { "MemUsage", "MemUsage" }, { "MemUsageBytes", "MemUsageBytes" }, { "Mem", "MemPerc" },
    { "NetIO", "NetIO" },     { "BlockIO", "BlockIO" }, { "PIDS", "PIDS" },
  };
  json_t *row = json_pack ("{s:s}", "Pod", pod);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    json_object_set (row, names[i][0], json_object_get (c, names[i][1]));
  json_decref (c);
  return row;
}

static const char *
pod_stats_header (const char *field)
{
  static const char *const map[][2] = {
    { "CPU", "CPU %" }, { "MemUsage", "MEM USAGE/ LIMIT" }, { "Mem", "MEM %" },
    { "NetIO", "NET IO" }, { "BlockIO", "BLOCK IO" },
  };
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp (map[i][0], field) == 0)
      return map[i][1];
  return NULL;
}

#define POD_TABLE                                                                                  \
  "table {{.Pod}}\t{{.CID}}\t{{.Name}}\t{{.CPU}}\t{{.MemUsage}}\t{{.Mem}}\t{{.NetIO}}\t"          \
  "{{.BlockIO}}\t{{.PIDS}}"

/* The containers to show: those named, or every running one (every one with all). */
static int
pick (struct pt_store *s, char **args, bool all_states, char ***ids, pt_error_t *err)
{
  *ids = xzalloc (sizeof (char *));
  if (args[0] == NULL)
    {
      cleanup_strv char **all = NULL;
      if (pt_ctr_list (s, &all, err) < 0)
        return -1;
      for (size_t i = 0; all[i]; i++)
        {
          struct pt_ctr_state st;
          if (pt_ctr_state (s, all[i], &st, err) < 0)
            return -1;
          if (all_states || pt_ctr_alive (&st))
            pt_strv_append (ids, all[i]);
        }
      return 0;
    }
  for (size_t i = 0; args[i]; i++)
    {
      cleanup_free char *id = NULL;
      if (pt_ctr_resolve (s, args[i], &id, err) < 0)
        return -1;
      pt_strv_append (ids, id);
    }
  return 0;
}

static int
show (const struct stats_options *o, struct sample *now, struct sample *before, size_t n,
      pt_error_t *err)
{
  json_t *arr = json_array ();
  for (size_t i = 0; i < n; i++)
    {
      json_t *c = sample_json (&now[i], before ? &before[i] : NULL);
      json_array_append_new (arr, o->pods ? pod_row (c, o->pods[i]) : c);
    }
  int r = 0;
  if (o->json)
    pt_cli_print_json (arr);
  else if (o->pods)
    r = pt_cli_format (o->format ? o->format : POD_TABLE, arr, pod_stats_header, err);
  else
    r = pt_cli_format (o->format ? o->format : DEFAULT_TABLE, arr, stats_header, err);
  json_decref (arr);
  fflush (stdout);
  return r;
}

static int
run_stats (struct pt_store *s, const struct stats_options *o, char **ids, pt_error_t *err)
{
  size_t n = pt_strv_len (ids);
  struct sample *now = xzalloc ((n + 1) * sizeof *now), *before = NULL;
  int r = 0;
  for (bool first = true; r == 0; first = false)
    {
      for (size_t i = 0; r == 0 && i < n; i++)
        r = take_sample (s, ids[i], o->all, &now[i], err);
      if (r == 0 && o->stream && isatty (STDOUT_FILENO))
        fputs ("\033[2J\033[H", stdout);
      if (r == 0)
        r = show (o, now, first ? NULL : before, n, err);
      if (r < 0 || !o->stream)
        break;
      if (before)
        for (size_t i = 0; i < n; i++)
          sample_free (&before[i]);
      free (before);
      before = now;
      now = xzalloc ((n + 1) * sizeof *now);
      sleep (o->interval);
    }
  for (size_t i = 0; i < n; i++)
    {
      sample_free (&now[i]);
      if (before)
        sample_free (&before[i]);
    }
  free (now);
  free (before);
  return r;
}

/* The flags stats and pod stats share (pod stats has no --interval). */
static int
parse_options (const struct pt_cmd *cmd, int argc, char **argv, struct stats_options *o,
               bool *latest, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    switch (c)
      {
      case 'n': o->stream = !pt_cli_optbool; break;
      case 'r': break;
      case 'a': o->all = pt_cli_optbool; break;
      case 'l': *latest = pt_cli_optbool; break;
      case 'f':
        o->json = strcmp (optarg, "json") == 0;
        o->format = o->json ? NULL : optarg;
        break;
      case 'i':
        if (pt_parse_long (optarg, 1, 3600, &o->interval) < 0)
          return pt_make_error (err, 0, "invalid --interval `%s`: seconds, 1 to 3600", optarg);
        break;
      default: return -1;
      }
  return 0;
}

static const struct pt_flag stats_flags[] = {
  { 'a', "all", 'a', NULL, "All containers: those that do not run show zeros" },
  { 'f', "format", 0, "FORMAT", "Go template, or json" },
  { 'i', "interval", 'i', "SECONDS", "Seconds between samples (default 5)" },
  PT_FLAG_LATEST,
  { 'r', "no-reset", 0, NULL, "Do not clear the screen between samples" },
  { 'n', "no-stream", 0, NULL, "Print one sample and exit" },
  { 't', "no-trunc", 0, NULL, "Do not truncate IDs", PT_FLAG_NO_EFFECT,
    "the table shows 12-character IDs; --format {{.ID}} has the whole" },
  { 0, NULL, 0, NULL, NULL },
};

static int
stats_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct stats_options o = { .stream = true, .interval = 5 };
  bool latest = false;
  if (parse_options (&pt_cmd_stats, argc, argv, &o, &latest, err) < 0)
    return -1;
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  cleanup_strv char **refs = s ? pt_cli_names (s, argv + optind, latest, err) : NULL;
  if (refs == NULL || pick (s, refs, o.all, &ids, err) < 0)
    return -1;
  return run_stats (s, &o, ids, err);
}

const struct pt_cmd pt_cmd_stats = {
  .name = "stats",
  .usage = "[options] [CONTAINER...]",
  .summary = "Show what running containers use, from their cgroups",
  .flags = stats_flags,
  .exec = stats_exec,
};

/* ---- podman pod stats: the containers of pods, a row each ---- */

static const struct pt_flag pod_stats_flags[] = {
  { 'a', "all", 'a', NULL, "Every pod, not only those with a running container" },
  { 'f', "format", 0, "FORMAT", "Go template, or json" },
  { 'l', "latest", 'l', NULL, "The pod created last" },
  { 'r', "no-reset", 0, NULL, "Do not clear the screen between samples" },
  { 'n', "no-stream", 0, NULL, "Print one sample and exit" },
  { 0, NULL, 0, NULL, NULL },
};

/* The containers of the pods named (every pod without names), infra
   first; only running ones unless all. */
static int
pod_rows (struct pt_store *s, char **names, bool all, char ***ids, char ***pods, pt_error_t *err)
{
  cleanup_strv char **refs = names[0] ? pt_strv_dup (names) : NULL;
  if (refs == NULL && pt_pod_list (s, &refs, err) < 0)
    return -1;
  *ids = xzalloc (sizeof (char *));
  *pods = xzalloc (sizeof (char *));
  for (size_t i = 0; refs[i]; i++)
    {
      struct pt_pod p;
      cleanup_strv char **members = NULL;
      if (pt_pod_lookup (s, refs[i], &p, err) < 0)
        return -1;
      int r = pt_pod_members (s, p.id, true, &members, err);
      cleanup_free char *short_id = xstrndup (p.id, 12);
      pt_pod_free (&p);
      if (r < 0)
        return -1;
      for (size_t k = 0; members[k]; k++)
        {
          struct pt_ctr_state st;
          if (pt_ctr_state (s, members[k], &st, err) < 0)
            return -1;
          if (all || pt_ctr_alive (&st))
            {
              pt_strv_append (ids, members[k]);
              pt_strv_append (pods, short_id);
            }
        }
    }
  return 0;
}

static int
pod_stats_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct stats_options o = { .stream = true, .interval = 5 };
  bool latest = false;
  if (parse_options (&pt_cmd_pod_stats, argc, argv, &o, &latest, err) < 0)
    return -1;
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  if (o.all && (latest || optind < argc))
    return pt_make_error (err, 0, "--all, --latest and pod names cannot be used together");
  cleanup_strv char **names = pt_strv_dup (argv + optind);
  if (latest)
    {
      cleanup_strv char **every = NULL;
      if (pt_pod_list (s, &every, err) < 0)
        return -1;
      if (every[0] == NULL)
        return pt_make_error (err, 0, "no pods to act on: --latest found none");
      pt_strv_append (&names, every[pt_strv_len (every) - 1]);
    }
  cleanup_strv char **ids = NULL, **pods = NULL;
  if (pod_rows (s, names, o.all, &ids, &pods, err) < 0)
    return -1;
  o.pods = pods;
  return run_stats (s, &o, ids, err);
}

const struct pt_cmd pt_cmd_pod_stats = {
  .name = "stats",
  .usage = "[options] [POD...]",
  .summary = "Show what the containers of pods use, from their cgroups",
  .flags = pod_stats_flags,
  .exec = pod_stats_exec,
};

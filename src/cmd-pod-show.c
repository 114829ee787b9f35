/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pod ps, inspect, exists, logs, top and prune: what there is of
   pods (lib/pod.c). */
#include <config.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-pod.h"
#include "lib/container.h"
#include "lib/jsonutil.h"
#include "lib/util.h"

enum
{
  POD_OPT_FORMAT = 256,
  POD_OPT_NO_TRUNC,
  POD_OPT_NOHEADING,
  PASS_FIRST = 300, /* from here: options passed on as they were given */
};

/* ---- what pods there are: ps, inspect, exists, prune ---- */

static const char *
pod_status (struct pt_store *s, const struct pt_pod *p)
{
  cleanup_strv char **ids = NULL;
  pt_error_t tmp = NULL;
  if (pt_pod_members (s, p->id, true, &ids, &tmp) < 0)
    return pt_error_release (&tmp), "Unknown";
  size_t running = 0, created = 0, n = pt_strv_len (ids);
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_ctr_state st;
      if (pt_ctr_state (s, ids[i], &st, &tmp) < 0)
        pt_error_release (&tmp);
      else if (pt_ctr_alive (&st))
        running++;
      else if (st.status == PT_CTR_CREATED || st.status == PT_CTR_INITIALIZED)
        created++;
    }
  if (n == 0 || created == n)
    return "Created";
  return running == n ? "Running" : running ? "Degraded" : "Exited";
}

static json_t *
pod_json (struct pt_store *s, const struct pt_pod *p)
{
  cleanup_strv char **ids = NULL;
  pt_error_t tmp = NULL;
  if (pt_pod_members (s, p->id, true, &ids, &tmp) < 0)
    pt_error_release (&tmp);
  json_t *ctrs = json_array ();
  for (size_t i = 0; ids && ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      struct pt_ctr_state st;
      if (pt_ctr_spec_read (s, ids[i], &spec, &tmp) < 0 || pt_ctr_state (s, ids[i], &st, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      json_array_append_new (ctrs, json_pack ("{s:s, s:s, s:s}", "Id", spec.id, "Name", spec.name,
                                              "State", pt_ctr_status_name (st.status)));
      pt_ctr_spec_free (&spec);
    }
  cleanup_free char *created = pt_format_time_ns (p->created_ns);
  json_t *labels = json_object ();
  for (size_t i = 0; p->labels && p->labels[i]; i++)
    {
      const char *eq = strchr (p->labels[i], '=');
      cleanup_free char *k = eq ? xstrndup (p->labels[i], eq - p->labels[i]) : xstrdup (p->labels[i]);
      json_object_set_new (labels, k, json_string (eq ? eq + 1 : ""));
    }
  return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:s, s:o, s:I, s:o}", "Id", p->id, "Name",
                    p->name, "Created", created, "State", pod_status (s, p), "Hostname",
                    p->hostname, "Labels", labels, "CreateInfra", *p->infra_id != '\0',
                    "InfraContainerID", p->infra_id, "SharedNamespaces",
                    pt_strv_json (p->share), "NumContainers", (json_int_t)json_array_size (ctrs),
                    "Containers", ctrs);
}

static const struct pt_flag inspect_flags[] = {
  { 'f', "format", 'f', "TEMPLATE", "A Go template, or json" },
  { 0, NULL, 0, NULL, NULL },
};

static int
inspect_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_inspect, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': format = optarg; break;
      default: return -1;
      }
  if (optind >= argc)
    return pt_cli_need_args (&pt_cmd_pod_inspect, 0, 1, -1, err);
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  json_t *all = json_array ();
  int r = 0;
  for (int i = optind; r == 0 && i < argc; i++)
    {
      struct pt_pod p;
      if ((r = pt_pod_lookup (s, argv[i], &p, err)) == 0)
        {
          json_array_append_new (all, pod_json (s, &p));
          pt_pod_free (&p);
        }
    }
  if (r == 0 && format && strcmp (format, "json") != 0)
    r = pt_cli_format (format, all, NULL, err);
  else if (r == 0)
    pt_cli_print_json (json_array_size (all) == 1 ? json_array_get (all, 0) : all);
  json_decref (all);
  return r;
}

static int
exists_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (pt_cli_getopt (&pt_cmd_pod_exists, argc, argv, err) != -1)
    return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_pod_exists, argc - optind, 1, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  g->exit_code = pt_pod_exists (s, argv[optind]) ? 0 : 1;
  return 0;
}

static const struct pt_flag ps_flags[] = {
  { 'f', "filter", 'f', "KEY=VALUE",
    "Only pods that match: id, name, label, status, ctr-ids, ctr-names, ctr-status, ctr-number" },
  { POD_OPT_FORMAT, "format", 0, "TEMPLATE", "A Go template, or json" },
  { 'l', "latest", 'l', NULL, "Only the pod created last" },
  { POD_OPT_NOHEADING, "noheading", 0, NULL, "No header line" },
  { POD_OPT_NO_TRUNC, "no-trunc", 0, NULL, "Full ids" },
  { 'q', "quiet", 'q', NULL, "Only the ids" },
  { 0, NULL, 0, NULL, NULL },
};

static const char *
ps_header (const char *field)
{
  static const char *const names[][2]
      = { { "ID", "POD ID" },         { "Name", "NAME" },         { "Status", "STATUS" },
          { "Created", "CREATED" },   { "InfraID", "INFRA ID" },  { "NumberOfContainers", "# OF CONTAINERS" } };
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp (names[i][0], field) == 0)
      return names[i][1];
  return NULL;
}

/* pod ps --format json: Podman's keys (Id, InfraId, Containers...). */
static json_t *
ps_json_row (struct pt_store *s, const struct pt_pod *p, char **members)
{
  json_t *ctrs = json_array (), *labels = json_object ();
  for (size_t i = 0; members && members[i]; i++)
    {
      struct pt_ctr_spec spec;
      struct pt_ctr_state st;
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, members[i], &spec, &tmp) < 0
          || pt_ctr_state (s, members[i], &st, &tmp) < 0)
        {
          pt_error_release (&tmp);
          continue;
        }
      json_array_append_new (ctrs, json_pack ("{s:s, s:s, s:s}", "Id", spec.id, "Names",
                                              spec.name, "Status",
                                              pt_ctr_status_name (st.status)));
      pt_ctr_spec_free (&spec);
    }
  for (size_t i = 0; p->labels && p->labels[i]; i++)
    {
      const char *eq = strchr (p->labels[i], '=');
      cleanup_free char *k = eq ? xstrndup (p->labels[i], eq - p->labels[i]) : xstrdup (p->labels[i]);
      json_object_set_new (labels, k, json_string (eq ? eq + 1 : ""));
    }
  cleanup_free char *created = pt_format_time_ns (p->created_ns);
  return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "Id", p->id, "Name", p->name, "Status",
                    pod_status (s, p), "Created", created, "InfraId", p->infra_id, "Labels",
                    labels, "Containers", ctrs);
}

static int
ps_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  bool quiet = false, no_trunc = false, heading = true, latest = false;
  __attribute__ ((cleanup (pt_cli_pod_filter_free))) struct pt_cli_pod_filter f = { 0 };
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_ps, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f':
        if (pt_cli_pod_filter_add (&f, optarg, err) < 0)
          return -1;
        break;
      case 'l': latest = pt_cli_optbool; break;
      case POD_OPT_NOHEADING: heading = !pt_cli_optbool; break;
      case POD_OPT_FORMAT: format = optarg; break;
      case POD_OPT_NO_TRUNC: no_trunc = pt_cli_optbool; break;
      case 'q': quiet = pt_cli_optbool; break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_pod_ps, argc - optind, 0, 0, err);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  if (s == NULL || pt_pod_list (s, &ids, err) < 0)
    return -1;
  size_t n_ids = pt_strv_len (ids);
  if (latest && n_ids > 1)
    {
      /* The one made last: the list is oldest first. */
      char *last = ids[n_ids - 1];
      for (size_t i = 0; i + 1 < n_ids; i++)
        free (ids[i]);
      ids[0] = last;
      ids[1] = NULL;
    }
  int64_t now = pt_now_ns ();
  json_t *rows = json_array (), *json_rows = json_array ();
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_pod p;
      pt_error_t e = NULL;
      if (pt_pod_lookup (s, ids[i], &p, &e) < 0)
        {
          pt_error_release (&e);
          continue;
        }
      cleanup_strv char **members = NULL;
      if (pt_pod_members (s, p.id, true, &members, &e) < 0)
        pt_error_release (&e);
      if (!pt_cli_pod_filter_match (s, &f, &p, pod_status (s, &p), members))
        {
          pt_pod_free (&p);
          continue;
        }
      cleanup_free char *human = pt_human_duration ((now - p.created_ns) / 1000000000);
      cleanup_free char *ago = xasprintf ("%s ago", human);
      json_array_append_new (
          rows, json_pack ("{s:s, s:s, s:s, s:s, s:s, s:I}", "ID", p.id, "Name", p.name, "Status",
                           pod_status (s, &p), "Created", ago, "InfraID", p.infra_id,
                           "NumberOfContainers", (json_int_t)pt_strv_len (members)));
      json_array_append_new (json_rows, ps_json_row (s, &p, members));
      pt_pod_free (&p);
    }
  int r = 0;
  size_t i;
  json_t *row;
  int w = no_trunc ? 64 : 12;
  if (format && strcmp (format, "json") == 0)
    pt_cli_print_json (json_rows);
  else if (format)
    r = pt_cli_format (format, rows, ps_header, err);
  else
    {
      if (!quiet && heading)
        printf ("%-*s  %-20s  %-10s  %-16s  %-*s  %s\n", w, "POD ID", "NAME", "STATUS", "CREATED",
                w, "INFRA ID", "# OF CONTAINERS");
      json_array_foreach (rows, i, row)
      {
        const char *id = json_string_value (json_object_get (row, "ID"));
        if (quiet)
          {
            printf ("%.*s\n", w, id);
            continue;
          }
        printf ("%-*.*s  %-20s  %-10s  %-16s  %-*.*s  %lld\n", w, w, id,
                json_string_value (json_object_get (row, "Name")),
                json_string_value (json_object_get (row, "Status")),
                json_string_value (json_object_get (row, "Created")), w, w,
                json_string_value (json_object_get (row, "InfraID")),
                (long long)json_integer_value (json_object_get (row, "NumberOfContainers")));
      }
    }
  json_decref (rows);
  json_decref (json_rows);
  return r;
}

static const struct pt_flag logs_flags[] = {
  { 'c', "container", 'c', "CONTAINER", "Only this container's log" },
  { PASS_FIRST + 10, "follow", 'f', NULL, "Follow the logs" },
  { PASS_FIRST + 11, "names", 'n', NULL, "Start each line with its container's name" },
  { PASS_FIRST + 12, "since", 0, "TIMESTAMP", "Show the logs since TIMESTAMP" },
  { PASS_FIRST + 13, "tail", 0, "LINES", "The last LINES lines of each" },
  { PASS_FIRST + 14, "timestamps", 't', NULL, "Show timestamps" },
  { PASS_FIRST + 15, "until", 0, "TIMESTAMP", "Show the logs until TIMESTAMP" },
  { 0, NULL, 0, NULL, NULL },
};

/* The logs of the pod's containers (not its infra's), through `logs`:
   each line with its container's name when there are several. */
static int
logs_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *only = NULL;
  cleanup_strv char **v = xzalloc (sizeof (char *));
  pt_strv_append (&v, "logs");
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_logs, argc, argv, err)) != -1)
    switch (c)
      {
      case 'c': only = optarg; break;
      default:
        if (c < PASS_FIRST)
          return -1;
        pt_cli_pass_on (logs_flags, c, &v);
      }
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_pod_logs, argc - optind, 1, 1, err);
  struct pt_store *s = pt_global_store (g, err);
  struct pt_pod p;
  if (s == NULL || pt_pod_lookup (s, argv[optind], &p, err) < 0)
    return -1;
  cleanup_strv char **ids = NULL;
  int r = pt_pod_members (s, p.id, false, &ids, err);
  if (r == 0 && only)
    {
      char *id = NULL;
      r = pt_ctr_resolve (s, only, &id, err);
      bool ours = false;
      for (size_t i = 0; r == 0 && ids[i]; i++)
        ours |= strcmp (ids[i], id) == 0;
      if (r == 0 && !ours)
        r = pt_make_error (err, 0, "container %s is not in pod %s", only, p.name);
      pt_strv_free (ids);
      ids = xzalloc (sizeof (char *));
      if (r == 0)
        pt_strv_append (&ids, id);
      free (id);
    }
  if (r == 0 && ids[0] == NULL)
    r = pt_make_error (err, 0, "pod %s has no containers", p.name);
  pt_pod_free (&p);
  if (r < 0)
    return -1;
  if (ids[1])
    pt_strv_append (&v, "--names");
  for (size_t i = 0; ids[i]; i++)
    pt_strv_append (&v, ids[i]);
  optind = 0;
  return pt_cmd_logs.exec (g, pt_strv_len (v), v, err);
}

/* The processes of the pod's running containers, its infra's too, in one table. */
static int
top_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_top, argc, argv, err)) != -1)
    return -1;
  if (optind >= argc)
    return pt_cli_need_args (&pt_cmd_pod_top, 0, 1, -1, err);
  struct pt_store *s = pt_global_store (g, err);
  struct pt_pod p;
  if (s == NULL || pt_pod_lookup (s, argv[optind], &p, err) < 0)
    return -1;
  cleanup_strv char **ids = NULL, **running = xzalloc (sizeof (char *));
  int r = pt_pod_members (s, p.id, true, &ids, err);
  for (size_t i = 0; r == 0 && ids[i]; i++)
    {
      struct pt_ctr_state st;
      if ((r = pt_ctr_state (s, ids[i], &st, err)) == 0 && pt_ctr_alive (&st))
        pt_strv_append (&running, ids[i]);
    }
  if (r == 0 && running[0] == NULL)
    r = pt_make_error (err, 0, "pod %s has no running containers", p.name);
  pt_pod_free (&p);
  return r < 0 ? -1 : pt_cli_top_ids (g, running, argv + optind + 1, err);
}

static const struct pt_flag prune_flags[] = {
  { 'f', "force", 'f', NULL, "Do not ask" },
  { 0, NULL, 0, NULL, NULL },
};

static int
prune_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool force = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_prune, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': force = pt_cli_optbool; break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_pod_prune, argc - optind, 0, 0, err);
  int yes = pt_cli_confirm (force, "WARNING! This will remove all stopped/exited pods..", err);
  if (yes <= 0)
    return yes;
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  cleanup_strv char **ids = NULL;
  if (m == NULL || pt_pod_list (s, &ids, err) < 0)
    return -1;
  for (size_t i = 0; ids[i]; i++)
    {
      struct pt_pod p;
      size_t running, all;
      if (pt_pod_lookup (s, ids[i], &p, err) < 0)
        return -1;
      int r = 0;
      if (!pt_pod_running (s, &p, &running, &all))
        {
          r = pt_pod_rm (s, m, &p, false, -1, err);
          if (r == 0)
            printf ("%s\n", p.id);
        }
      pt_pod_free (&p);
      if (r < 0)
        return -1;
    }
  return 0;
}

const struct pt_cmd pt_cmd_pod_inspect = { .name = "inspect",
                                                  .usage = "[options] POD [POD...]",
                                                  .summary = "A pod's configuration and state",
                                                  .flags = inspect_flags,
                                                  .exec = inspect_exec };
const struct pt_cmd pt_cmd_pod_exists = { .name = "exists",
                                                 .usage = "POD",
                                                 .summary = "Exit 0 if the pod exists, 1 if not",
                                                 .exec = exists_exec };
const struct pt_cmd pt_cmd_pod_ps = { .name = "ps",
                                             .alias = "ls,list",
                                             .usage = "[options]",
                                             .summary = "List pods",
                                             .flags = ps_flags,
                                             .exec = ps_exec };
const struct pt_cmd pt_cmd_pod_prune = { .name = "prune",
                                                .usage = "[options]",
                                                .summary = "Remove pods none of whose containers run",
                                                .flags = prune_flags,
                                                .exec = prune_exec };

const struct pt_cmd pt_cmd_pod_logs = { .name = "logs",
                                               .usage = "[options] POD",
                                               .summary = "The logs of a pod's containers",
                                               .flags = logs_flags,
                                               .exec = logs_exec };

const struct pt_cmd pt_cmd_pod_top = { .name = "top",
                                              .usage = "POD [DESCRIPTOR...]",
                                              .summary = "The processes of a pod's containers",
                                              .stop_at_operand = true,
                                              .exec = top_exec };


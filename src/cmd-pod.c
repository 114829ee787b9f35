/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pod: create, start, stop, restart, kill, pause, unpause, rm,
   prune, ps, inspect, exists (lib/pod.c, lib/pod-run.c). */
#include <config.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-pod.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/jsonutil.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

enum
{
  POD_OPT_INFRA = 256,
  POD_OPT_SHARE,
  POD_OPT_HOSTNAME,
  POD_OPT_FORMAT,
  POD_OPT_NO_TRUNC,
  POD_OPT_ALL,
  PASS_FIRST = 300, /* from here: options passed on as they were given */
};

/* Option id of table as --NAME=VALUE (a boolean's value its own) onto v. */
static void
pass_on (const struct pt_flag *table, int id, char ***v)
{
  for (; table->name; table++)
    if (table->id == id)
      {
        cleanup_free char *a = table->arg ? xasprintf ("--%s=%s", table->name, optarg)
                                          : xasprintf ("--%s=%s", table->name,
                                                       pt_cli_optbool ? "true" : "false");
        pt_strv_append (v, a);
        return;
      }
}

static const struct pt_cmd pt_cmd_pod_create, pt_cmd_pod_start, pt_cmd_pod_stop,
    pt_cmd_pod_restart, pt_cmd_pod_kill, pt_cmd_pod_rm, pt_cmd_pod_pause, pt_cmd_pod_unpause,
    pt_cmd_pod_inspect, pt_cmd_pod_exists, pt_cmd_pod_ps, pt_cmd_pod_prune, pt_cmd_pod_logs,
    pt_cmd_pod_top;

int
pt_cli_pod_make (struct pt_global *g, const struct pt_cli_pod_make *how, struct pt_pod *out,
                 pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  char *dflt[] = { (char *)"ipc", (char *)"net", (char *)"uts", NULL };
  if (m == NULL
      || pt_pod_create (s, how->name, how->hostname, how->labels, how->share ? how->share : dflt,
                        out, err)
             < 0)
    return -1;
  if (!how->infra)
    return 0;
  int r = pt_pod_pause_image (s, m, err);
  cleanup_strv char **argv = xzalloc (sizeof (char *));
  cleanup_free char *name = xasprintf ("%.12s-infra", out->id);
  char *head[] = { (char *)"create", (char *)"--name", name, (char *)"--hostname", out->hostname,
                   NULL };
  for (size_t i = 0; head[i]; i++)
    pt_strv_append (&argv, head[i]);
  for (size_t i = 0; how->infra_args && how->infra_args[i]; i++)
    pt_strv_append (&argv, how->infra_args[i]);
  pt_strv_append (&argv, PT_PAUSE_IMAGE);
  struct pt_ctr_spec spec = { 0 };
  struct pt_cli_run_how run_how;
  if (r == 0)
    {
      /* run --pod new: calls us with its own operands still to read. */
      int saved = optind;
      pt_cli_pod_infra.infra_of = out->id;
      optind = 0;
      r = pt_cli_create_container (g, &pt_cmd_create, pt_strv_len (argv), argv, &run_how, &spec,
                                   err);
      pt_cli_pod_infra.infra_of = NULL;
      optind = saved;
    }
  if (r == 0)
    r = pt_pod_set_infra (s, out->id, spec.id, err);
  if (r == 0)
    {
      free (out->infra_id);
      out->infra_id = xstrdup (spec.id);
    }
  else
    {
      /* Nothing half made: the infra (if it came to be) and the record go. */
      pt_error_t tmp = NULL;
      if (spec.id && pt_ctr_remove (s, m, spec.id, true, &tmp) < 0)
        pt_error_release (&tmp);
      if (pt_pod_remove (s, out->id, &tmp) < 0)
        pt_error_release (&tmp);
      pt_pod_free (out);
    }
  pt_ctr_spec_free (&spec);
  return r;
}

/* ---- create ---- */

static const struct pt_flag create_flags[] = {
  { PASS_FIRST, "add-host", 0, "HOST:IP", "Add a line to the pod's /etc/hosts" },
  { PASS_FIRST + 1, "dns", 0, "IP", "A DNS server for the pod" },
  { PASS_FIRST + 2, "dns-option", 0, "OPTION", "A resolv.conf option for the pod" },
  { PASS_FIRST + 3, "dns-search", 0, "DOMAIN", "A DNS search domain for the pod" },
  { POD_OPT_HOSTNAME, "hostname", 0, "NAME", "The pod's host name (its name by default)" },
  { POD_OPT_INFRA, "infra", 0, NULL, "Make an infra container to hold the namespaces (true)" },
  { 'l', "label", 'l', "KEY=VALUE", "A label on the pod" },
  { 'n', "name", 'n', "NAME", "The pod's name" },
  { PASS_FIRST + 4, "network", 0, "MODE", "The pod's network (slirp4netns, none, host, ns:PATH)" },
  { PASS_FIRST + 5, "no-hosts", 0, NULL, "Do not write the pod's /etc/hosts" },
  { 'p', "publish", 'p', "[IP:][HOST:]CTR[/PROTO]", "Publish a port of the pod" },
  { POD_OPT_SHARE, "share", 0, "NS[,NS...]", "The namespaces shared: ipc, net, pid, uts (ipc,net,uts)" },
  { 0, NULL, 0, NULL, NULL },
};

static int
parse_share (const char *arg, char ***share, pt_error_t *err)
{
  pt_strv_free (*share);
  *share = xzalloc (sizeof (char *));
  cleanup_free char *copy = xstrdup (arg);
  for (char *save = NULL, *ns = strtok_r (copy, ",", &save); ns; ns = strtok_r (NULL, ",", &save))
    {
      if (strcmp (ns, "ipc") != 0 && strcmp (ns, "net") != 0 && strcmp (ns, "uts") != 0
          && strcmp (ns, "pid") != 0)
        return pt_make_error (err, 0,
                              "invalid --share `%s`: podtool pods share ipc, net, pid and uts", ns);
      pt_strv_append (share, ns);
    }
  return 0;
}

static int
create_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct pt_cli_pod_make how = { .infra = true };
  cleanup_strv char **labels = xzalloc (sizeof (char *)), **args = xzalloc (sizeof (char *));
  cleanup_strv char **share = NULL;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_create, argc, argv, err)) != -1)
    switch (c)
      {
      case 'n': how.name = optarg; break;
      case POD_OPT_HOSTNAME: how.hostname = optarg; break;
      case 'l': pt_strv_append (&labels, optarg); break;
      case POD_OPT_INFRA: how.infra = pt_cli_optbool; break;
      case POD_OPT_SHARE:
        if (parse_share (optarg, &share, err) < 0)
          return -1;
        break;
      case 'p':
        pt_strv_append (&args, "-p");
        pt_strv_append (&args, optarg);
        break;
      default:
        if (c < PASS_FIRST)
          return -1;
        pass_on (create_flags, c, &args); /* the infra's create parses them */
        break;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_pod_create, argc - optind, 0, 0, err);
  if (!how.infra && args[0])
    return pt_make_error (err, 0, "a pod without infra has no network of its own: --publish, "
                                  "--network and the DNS options need --infra");
  how.labels = labels;
  how.share = share;
  how.infra_args = args;
  struct pt_pod pod;
  if (pt_cli_pod_make (g, &how, &pod, err) < 0)
    return -1;
  printf ("%s\n", pod.id);
  pt_pod_free (&pod);
  return 0;
}

/* ---- the verbs that act on pods by name ---- */

typedef int (*pod_fn) (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err);

/* fn for each pod named (or every one with all); each prints its id. */
static int
each_pod (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv, bool all,
          pod_fn fn, void *data, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  cleanup_strv char **refs = NULL;
  if (all)
    {
      if (optind < argc)
        return pt_make_error (err, 0, "--all and pod names cannot be used together");
      if (pt_pod_list (s, &refs, err) < 0)
        return -1;
    }
  else
    {
      if (optind >= argc)
        return pt_cli_need_args (cmd, 0, 1, -1, err);
      refs = pt_strv_dup (argv + optind);
    }
  for (size_t i = 0; refs[i]; i++)
    {
      struct pt_pod p;
      if (pt_pod_lookup (s, refs[i], &p, err) < 0)
        return -1;
      int r = fn (g, &p, data, err);
      if (r == 0)
        printf ("%s\n", p.id);
      pt_pod_free (&p);
      if (r < 0)
        return -1;
    }
  return 0;
}

struct stop_how
{
  long timeout;
  int sig;
  bool force;
};

static int
start_one (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err)
{
  (void)data;
  return pt_pod_start (&g->store, p, err);
}

static int
stop_one (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err)
{
  const struct stop_how *h = data;
  return pt_pod_stop (&g->store, p, (int)h->timeout, err);
}

static int
restart_one (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err)
{
  return stop_one (g, p, data, err) < 0 ? -1 : pt_pod_start (&g->store, p, err);
}

static int
kill_one (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err)
{
  const struct stop_how *h = data;
  return pt_pod_kill (&g->store, p, h->sig, err);
}

static int
rm_one (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err)
{
  const struct stop_how *h = data;
  const struct pt_idmap *m = pt_global_idmap (g, err);
  return m ? pt_pod_rm (&g->store, m, p, h->force, (int)h->timeout, err) : -1;
}

static int
pause_one (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err)
{
  const bool *pause = data;
  cleanup_strv char **ids = NULL;
  if (pt_pod_members (&g->store, p->id, true, &ids, err) < 0)
    return -1;
  for (size_t i = 0; ids[i]; i++)
    if (pt_ctr_pause (&g->store, ids[i], *pause, err) < 0)
      return pt_error_wrap (err, "pod %s", p->name);
  return 0;
}

static const struct pt_flag all_flags[] = {
  { 'a', "all", 'a', NULL, "Every pod" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag stop_flags[] = {
  { 'a', "all", 'a', NULL, "Every pod" },
  { 't', "time", 't', "SECONDS", "Seconds to wait for each container before killing it" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag kill_flags[] = {
  { 'a', "all", 'a', NULL, "Every pod" },
  { 's', "signal", 's', "SIGNAL", "The signal to send (KILL)" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag rm_flags[] = {
  { 'a', "all", 'a', NULL, "Every pod" },
  { 'f', "force", 'f', NULL, "Stop the pod's running containers first" },
  { 'i', "ignore", 'i', NULL, "No error for a pod that is not there" },
  { 't', "time", 't', "SECONDS", "Seconds to wait for each container before killing it" },
  { 0, NULL, 0, NULL, NULL },
};

/* The verbs that take POD... or --all, and what their flags set. */
static int
pods_exec (const struct pt_cmd *cmd, pod_fn fn, struct pt_global *g, int argc, char **argv,
           pt_error_t *err)
{
  struct stop_how h = { .timeout = -1, .sig = SIGKILL };
  bool all = false, ignore = false, pause = strcmp (cmd->name, "pause") == 0;
  int c;
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'f': h.force = pt_cli_optbool; break;
      case 'i': ignore = pt_cli_optbool; break;
      case 't':
        if (pt_parse_long (optarg, 0, 1 << 30, &h.timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`", optarg);
        break;
      case 's':
        if ((h.sig = pt_parse_signal (optarg)) <= 0)
          return pt_make_error (err, 0, "invalid signal: %s", optarg);
        break;
      default: return -1;
      }
  void *data = fn == pause_one ? (void *)&pause : (void *)&h;
  if (ignore && !all)
    {
      /* rm -i: the pods that are not there are passed by. */
      struct pt_store *s = pt_global_store (g, err);
      if (s == NULL)
        return -1;
      cleanup_strv char **there = xzalloc (sizeof (char *));
      for (int i = optind; i < argc; i++)
        if (pt_pod_exists (s, argv[i]))
          pt_strv_append (&there, argv[i]);
      if (there[0] == NULL)
        return 0;
      optind = 0;
      return each_pod (g, cmd, pt_strv_len (there), there, false, fn, data, err);
    }
  return each_pod (g, cmd, argc, argv, all, fn, data, err);
}

#define POD_VERB(verb, fn)                                                                         \
  static int verb##_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)             \
  {                                                                                                \
    return pods_exec (&pt_cmd_pod_##verb, fn, g, argc, argv, err);                                 \
  }
POD_VERB (start, start_one)
POD_VERB (stop, stop_one)
POD_VERB (restart, restart_one)
POD_VERB (kill, kill_one)
POD_VERB (rm, rm_one)
POD_VERB (pause, pause_one)
POD_VERB (unpause, pause_one)

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
  { POD_OPT_FORMAT, "format", 0, "TEMPLATE", "A Go template, or json" },
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

static int
ps_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  const char *format = NULL;
  bool quiet = false, no_trunc = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_ps, argc, argv, err)) != -1)
    switch (c)
      {
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
  int64_t now = pt_now_ns ();
  json_t *rows = json_array ();
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
      cleanup_free char *human = pt_human_duration ((now - p.created_ns) / 1000000000);
      cleanup_free char *ago = xasprintf ("%s ago", human);
      json_array_append_new (
          rows, json_pack ("{s:s, s:s, s:s, s:s, s:s, s:I}", "ID", p.id, "Name", p.name, "Status",
                           pod_status (s, &p), "Created", ago, "InfraID", p.infra_id,
                           "NumberOfContainers", (json_int_t)pt_strv_len (members)));
      pt_pod_free (&p);
    }
  int r = 0;
  size_t i;
  json_t *row;
  int w = no_trunc ? 64 : 12;
  if (format && strcmp (format, "json") == 0)
    pt_cli_print_json (rows);
  else if (format)
    r = pt_cli_format (format, rows, ps_header, err);
  else
    {
      if (!quiet)
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
        pass_on (logs_flags, c, &v);
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

static const struct pt_cmd pt_cmd_pod_create = { .name = "create",
                                                 .usage = "[options]",
                                                 .summary = "Create a pod",
                                                 .flags = create_flags,
                                                 .exec = create_exec };
static const struct pt_cmd pt_cmd_pod_start = { .name = "start",
                                                .usage = "[options] POD [POD...]",
                                                .summary = "Start pods: the infra, then the others",
                                                .flags = all_flags,
                                                .exec = start_exec };
static const struct pt_cmd pt_cmd_pod_stop
    = { .name = "stop",
        .usage = "[options] POD [POD...]",
        .summary = "Stop pods: the last started first, the infra last",
        .flags = stop_flags,
        .exec = stop_exec };
static const struct pt_cmd pt_cmd_pod_restart = { .name = "restart",
                                                  .usage = "[options] POD [POD...]",
                                                  .summary = "Stop pods, then start them",
                                                  .flags = all_flags,
                                                  .exec = restart_exec };
static const struct pt_cmd pt_cmd_pod_kill = { .name = "kill",
                                               .usage = "[options] POD [POD...]",
                                               .summary = "Send a signal to a pod's containers",
                                               .flags = kill_flags,
                                               .exec = kill_exec };
static const struct pt_cmd pt_cmd_pod_rm = { .name = "rm",
                                             .usage = "[options] POD [POD...]",
                                             .summary = "Remove pods and their containers",
                                             .flags = rm_flags,
                                             .exec = rm_exec };
static const struct pt_cmd pt_cmd_pod_pause = { .name = "pause",
                                                .usage = "[options] POD [POD...]",
                                                .summary = "Pause a pod's containers",
                                                .flags = all_flags,
                                                .exec = pause_exec };
static const struct pt_cmd pt_cmd_pod_unpause = { .name = "unpause",
                                                  .usage = "[options] POD [POD...]",
                                                  .summary = "Unpause a pod's containers",
                                                  .flags = all_flags,
                                                  .exec = unpause_exec };
static const struct pt_cmd pt_cmd_pod_inspect = { .name = "inspect",
                                                  .usage = "[options] POD [POD...]",
                                                  .summary = "A pod's configuration and state",
                                                  .flags = inspect_flags,
                                                  .exec = inspect_exec };
static const struct pt_cmd pt_cmd_pod_exists = { .name = "exists",
                                                 .usage = "POD",
                                                 .summary = "Exit 0 if the pod exists, 1 if not",
                                                 .exec = exists_exec };
static const struct pt_cmd pt_cmd_pod_ps = { .name = "ps",
                                             .alias = "ls,list",
                                             .usage = "[options]",
                                             .summary = "List pods",
                                             .flags = ps_flags,
                                             .exec = ps_exec };
static const struct pt_cmd pt_cmd_pod_prune = { .name = "prune",
                                                .usage = "[options]",
                                                .summary = "Remove pods none of whose containers run",
                                                .flags = prune_flags,
                                                .exec = prune_exec };

static const struct pt_cmd pt_cmd_pod_logs = { .name = "logs",
                                               .usage = "[options] POD",
                                               .summary = "The logs of a pod's containers",
                                               .flags = logs_flags,
                                               .exec = logs_exec };

static const struct pt_cmd pt_cmd_pod_top = { .name = "top",
                                              .usage = "POD [DESCRIPTOR...]",
                                              .summary = "The processes of a pod's containers",
                                              .stop_at_operand = true,
                                              .exec = top_exec };

static const struct pt_cmd *const pod_verbs[] = {
  &pt_cmd_pod_top,
  &pt_cmd_pod_logs,
  &pt_cmd_pod_create, &pt_cmd_pod_exists,  &pt_cmd_pod_inspect, &pt_cmd_pod_kill,
  &pt_cmd_pod_pause,  &pt_cmd_pod_prune,   &pt_cmd_pod_ps,      &pt_cmd_pod_restart,
  &pt_cmd_pod_rm,     &pt_cmd_pod_start,   &pt_cmd_pod_stop,    &pt_cmd_pod_unpause,
  NULL,
};

const struct pt_cmd pt_cmd_pod = {
  .name = "pod",
  .usage = "create|exists|inspect|kill|logs|pause|prune|ps|restart|rm|start|stop|top|unpause [ARG...]",
  .summary = "Manage pods",
  .subs = pod_verbs,
};

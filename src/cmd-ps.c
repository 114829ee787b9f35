/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool ps: list containers, with the state checked against /proc. */
#include <config.h>
#include <getopt.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/reference.h"
#include "lib/jsonutil.h"
#include "lib/util.h"

static char *
status_text (const struct pt_ctr_state *st, int64_t now)
{
  if (st->status == PT_CTR_CREATED)
    return xstrdup ("Created");
  if (st->status == PT_CTR_PAUSED)
    return xstrdup ("Paused");
  if (st->status == PT_CTR_RUNNING)
    {
      cleanup_free char *d = pt_human_duration ((now - st->started_ns) / 1000000000);
      return xasprintf ("Up %s", d);
    }
  if (st->exit_code < 0)
    return xstrdup ("Exited (unknown)");
  int64_t when = st->finished_ns ? st->finished_ns : st->started_ns;
  cleanup_free char *d = pt_human_duration ((now - when) / 1000000000);
  return xasprintf ("Exited (%d) %s ago", st->exit_code, d);
}

static json_t *
ps_json (const struct pt_ctr_spec *spec, const struct pt_ctr_state *st, const char *status)
{
  json_t *cmd = json_array ();
  for (size_t i = 0; spec->argv[i]; i++)
    json_array_append_new (cmd, pt_json_text (spec->argv[i]));
  cleanup_free char *created = pt_format_time_ns (spec->created_ns);
  json_t *j = json_pack (
      "{s:b, s:o, s:s, s:b, s:I, s:i, s:s, s:s, s:s, s:[o], s:i, s:I, s:s, s:s, s:I}", "AutoRemove",
      spec->rm, "Command", cmd, "CreatedAt", created, "Exited", st->status == PT_CTR_EXITED,
      "ExitedAt", (json_int_t)(st->finished_ns / 1000000000), "ExitCode",
      st->exit_code < 0 ? 0 : st->exit_code, "Id", spec->id, "Image", spec->image, "ImageID",
      spec->image_id, "Names", pt_json_text (spec->name), "Pid", (int)st->pid, "StartedAt",
      (json_int_t)(st->started_ns / 1000000000), "State", pt_ctr_status_name (st->status), "Status",
      status, "Created", (json_int_t)(spec->created_ns / 1000000000));
  json_object_set_new (j, "Labels", pt_ctr_labels_json (spec));
  json_t *ports = json_array ();
  for (size_t i = 0; i < spec->net.n_ports; i++)
    json_array_append_new (ports, json_pack ("{s:s, s:i, s:i, s:i, s:s}", "host_ip",
                                             spec->net.ports[i].host_ip, "container_port",
                                             spec->net.ports[i].ctr_port, "host_port",
                                             spec->net.ports[i].host_port, "range", 1, "protocol",
                                             spec->net.ports[i].udp ? "udp" : "tcp"));
  json_object_set_new (j, "Ports", ports);
  return j;
}

/* What {{.Field}} sees: Podman's ps template fields. */
static json_t *
ps_template_item (const struct pt_ctr_spec *spec, const struct pt_ctr_state *st, const char *status,
                  int64_t now, bool no_trunc)
{
  cleanup_free char *cmd = pt_strv_join (spec->argv, " ");
  cleanup_free char *human = pt_human_duration ((now - spec->created_ns) / 1000000000);
  cleanup_free char *ago = xasprintf ("%s ago", human);
  cleanup_free char *created = pt_format_time_ns (spec->created_ns);
  cleanup_free char *id = xstrndup (spec->id, no_trunc ? 64 : 12);
  cleanup_free char *ports = pt_net_ports_text (&spec->net);
  return json_pack (
      "{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:b, s:b, s:o, s:s}", "ID", id,
      "Image", spec->image, "ImageID", spec->image_id, "Command", pt_json_text (cmd), "CreatedAt",
      created, "Created", ago, "RunningFor", ago, "Status", status, "State",
      pt_ctr_status_name (st->status), "Names", pt_json_text (spec->name), "Pid", (int)st->pid,
      "ExitCode", st->exit_code < 0 ? 0 : st->exit_code, "Exited", st->status == PT_CTR_EXITED,
      "AutoRemove", spec->rm, "Labels", pt_ctr_labels_json (spec), "Ports", ports);
}

static const char *
ps_header (const char *field)
{
  static const char *const map[][2]
      = { { "ID", "CONTAINER ID" },      { "Created", "CREATED" },  { "RunningFor", "CREATED" },
          { "CreatedAt", "CREATED AT" }, { "ImageID", "IMAGE ID" }, { "ExitCode", "EXIT CODE" } };
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcmp (map[i][0], field) == 0)
      return map[i][1];
  return NULL;
}

enum
{
  OPT_FORMAT = 256,
  OPT_NO_TRUNC,
  OPT_NOHEADING,
  OPT_EXTERNAL,
  OPT_NS,
  OPT_SORT,
  OPT_SYNC,
};

static const struct pt_flag ps_flags[] = {
  { 'a', "all", 'a', NULL, "Show all containers, not only the running ones" },
  { OPT_EXTERNAL, "external", 0, NULL, "Show containers of other tools in the store too",
    PT_FLAG_NO_EFFECT, "podtool's store holds only its own" },
  { 'f', "filter", 'f', "FILTER",
    "Filter: id, name, label, status, exited, ancestor, network, restart-policy, before, since, "
    "until (KEY=VALUE, repeatable)" },
  { OPT_FORMAT, "format", 0, "FORMAT", "Go template, or json" },
  { 'n', "last", 'n', "N", "Show the N last created containers, in any state" },
  { 'l', "latest", 'l', NULL, "Show the last created container, in any state" },
  { OPT_NO_TRUNC, "no-trunc", 0, NULL, "Do not truncate the container ID" },
  { OPT_NOHEADING, "noheading", 0, NULL, "Do not print the header" },
  { OPT_NS, "ns", 0, NULL, "Show the namespaces of each container", PT_FLAG_REFUSED, "not yet" },
  { 'p', "pod", 'p', NULL, "Show the pod of each container", PT_FLAG_REFUSED,
    "podtool has no pods yet" },
  { 'q', "quiet", 'q', NULL, "Print only container IDs" },
  { 's', "size", 's', NULL, "Show sizes", PT_FLAG_NO_EFFECT, "podtool does not compute sizes" },
  { OPT_SORT, "sort", 0, "KEY", "Sort by created (default), id, image, names, runningfor or status",
    PT_FLAG_NO_EFFECT, "the list is always newest first" },
  { OPT_SYNC, "sync", 0, NULL, "Sync the state with the runtime", PT_FLAG_NO_EFFECT,
    "the state is checked against /proc each time" },
  { 'w', "watch", 'w', "SECONDS", "Refresh every SECONDS", PT_FLAG_REFUSED, "run ps in watch(1)" },
  { 0, NULL, 0, NULL, NULL },
};

static int
ps_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool all = false, quiet = false, no_trunc = false, json = false, heading = true;
  long last = -1;
  const char *tmpl = NULL;
  __attribute__ ((cleanup (pt_cli_filters_free))) struct pt_cli_filters f;
  pt_cli_filters_init (&f);
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_ps, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'q': quiet = pt_cli_optbool; break;
      case OPT_NO_TRUNC: no_trunc = pt_cli_optbool; break;
      case OPT_NOHEADING: heading = !pt_cli_optbool; break;
      case 'l': last = 1; break;
      case 'n':
        if (pt_parse_long (optarg, -1, 1L << 30, &last) < 0)
          return pt_make_error (err, 0, "invalid argument \"%s\" for \"-n, --last\" flag", optarg);
        break;
      case 'f':
        if (pt_cli_filters_add (&f, optarg, err) < 0)
          return -1;
        break;
      case OPT_FORMAT:
        if (strcmp (optarg, "json") == 0)
          json = true;
        else
          tmpl = optarg;
        break;
      default: return -1;
      }
  /* A status or exited filter implies --all, as in Podman. */
  if (f.status[0] || f.exited[0] || last >= 0)
    all = true;
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  if (s == NULL || pt_cli_filters_resolve (s, &f, err) < 0 || pt_ctr_list (s, &ids, err) < 0)
    return -1;
  int idw = no_trunc ? 64 : 12;
  json_t *arr = json || tmpl ? json_array () : NULL;
  if (!quiet && !json && !tmpl && heading)
    printf ("%-*s  %-26s  %-20s  %-22s  %-24s  %-10s  %s\n", idw, "CONTAINER ID", "IMAGE",
            "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
  int64_t now = pt_now_ns ();
  /* Newest first, as Podman lists them. */
  for (size_t i = pt_strv_len (ids); i-- > 0 && last != 0;)
    {
      struct pt_ctr_spec spec;
      struct pt_ctr_state st;
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, ids[i], &spec, &tmp) < 0 || pt_ctr_state (s, ids[i], &st, &tmp) < 0)
        {
          pt_error_release (&tmp); /* removed while we looked */
          pt_ctr_spec_free (&spec);
          continue;
        }
      bool shown = (all || st.status == PT_CTR_RUNNING) && pt_cli_filters_match (&f, &spec, &st);
      if (shown && last > 0)
        last--;
      cleanup_free char *stat = shown ? status_text (&st, now) : NULL;
      if (shown && tmpl)
        json_array_append_new (arr, ps_template_item (&spec, &st, stat, now, no_trunc));
      else if (shown && json)
        json_array_append_new (arr, ps_json (&spec, &st, stat));
      else if (shown && quiet)
        printf ("%.*s\n", idw, spec.id);
      else if (shown)
        {
          cleanup_free char *cmd = pt_strv_join (spec.argv, " ");
          cleanup_free char *created = pt_human_duration ((now - spec.created_ns) / 1000000000);
          cleanup_free char *ago = xasprintf ("%s ago", created);
          cleanup_free char *ports = pt_net_ports_text (&spec.net);
          printf ("%-*.*s  %-26s  %-20.20s  %-22s  %-24s  %-10s  %s\n", idw, idw, spec.id,
                  spec.image, cmd, ago, stat, ports, spec.name);
        }
      pt_ctr_spec_free (&spec);
    }
  if (tmpl)
    {
      int r = pt_cli_format (tmpl, arr, ps_header, err);
      json_decref (arr);
      return r;
    }
  if (json)
    {
      pt_cli_print_json (arr);
      json_decref (arr);
    }
  return 0;
}

const struct pt_cmd pt_cmd_ps = {
  .name = "ps",
  .usage = "[options]",
  .summary = "List containers",
  .flags = ps_flags,
  .exec = ps_exec,
};

const struct pt_cmd pt_cmd_container_ls = {
  .name = "ls",
  .alias = "list,ps",
  .usage = "[options]",
  .summary = "List containers",
  .flags = ps_flags,
  .exec = ps_exec,
};

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

/* --filter KEY=VALUE: values of one key are alternatives, except label,
   where every one must hold, as in Podman. */
struct filters
{
  char **status, **name, **id, **label, **exited, **ancestor, **network, **restart;
  char *before, *since;                  /* before=/since= a container: made before/after it */
  int64_t before_ns, since_ns, until_ns; /* resolved; 0: none */
};

static void
filters_free (struct filters *f)
{
  pt_strv_free (f->status);
  pt_strv_free (f->name);
  pt_strv_free (f->id);
  pt_strv_free (f->label);
  pt_strv_free (f->exited);
  pt_strv_free (f->ancestor);
  pt_strv_free (f->network);
  pt_strv_free (f->restart);
  free (f->before);
  free (f->since);
}

/* before= and since= name containers: their creation times bound the list. */
static int
resolve_times (struct pt_store *s, struct filters *f, pt_error_t *err)
{
  char *refs[2] = { f->before, f->since };
  int64_t *out[2] = { &f->before_ns, &f->since_ns };
  for (int i = 0; i < 2; i++)
    {
      cleanup_free char *id = NULL;
      struct pt_ctr_spec spec;
      if (refs[i] == NULL)
        continue;
      if (pt_ctr_resolve (s, refs[i], &id, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
        return -1;
      *out[i] = spec.created_ns;
      pt_ctr_spec_free (&spec);
    }
  return 0;
}

static bool
any_match (char **values, bool (*match) (const char *want, const char *have), const char *have)
{
  if (values[0] == NULL)
    return true;
  for (size_t i = 0; values[i]; i++)
    if (match (values[i], have))
      return true;
  return false;
}

static bool
same (const char *want, const char *have)
{
  return strcmp (want, have) == 0;
}

static bool
prefix (const char *want, const char *have)
{
  return pt_str_has_prefix (have, want);
}

/* name= is a regular expression, as in Podman. */
static bool
regex (const char *want, const char *have)
{
  regex_t re;
  if (regcomp (&re, want, REG_EXTENDED | REG_NOSUB) != 0)
    return false;
  bool m = regexec (&re, have, 0, NULL, 0) == 0;
  regfree (&re);
  return m;
}

/* ancestor= names the image as any of its names do, or by id prefix. */
static bool
image_match (const char *want, const char *have)
{
  cleanup_free char *norm = pt_ref_normalize (want);
  return norm && pt_ref_matches (have, norm);
}

/* label=KEY holds when the label is there, label=KEY=VALUE when it has that value. */
static bool
labels_match (char **wanted, char **labels)
{
  for (size_t i = 0; wanted[i]; i++)
    {
      bool found = false;
      size_t klen = strcspn (wanted[i], "=");
      for (size_t k = 0; labels && labels[k] && !found; k++)
        found = strncmp (labels[k], wanted[i], klen) == 0 && labels[k][klen] == '='
                && (wanted[i][klen] == '\0'
                    || strcmp (labels[k] + klen + 1, wanted[i] + klen + 1) == 0);
      if (!found)
        return false;
    }
  return true;
}

static bool
filters_match (const struct filters *f, const struct pt_ctr_spec *spec,
               const struct pt_ctr_state *st)
{
  char code[16];
  snprintf (code, sizeof code, "%d", st->exit_code);
  return any_match (f->status, same, pt_ctr_status_name (st->status))
         && any_match (f->name, regex, spec->name) && any_match (f->id, prefix, spec->id)
         && labels_match (f->label, spec->labels)
         && (f->exited[0] == NULL
             || (st->status == PT_CTR_EXITED && any_match (f->exited, same, code)))
         && (any_match (f->ancestor, image_match, spec->image)
             || any_match (f->ancestor, prefix, spec->image_id))
         && any_match (f->network, same, spec->network ? spec->network : "")
         && any_match (f->restart, same,
                       spec->restart_policy && *spec->restart_policy ? spec->restart_policy : "no")
         && (!f->before_ns || spec->created_ns < f->before_ns)
         && (!f->since_ns || spec->created_ns > f->since_ns)
         && (!f->until_ns || spec->created_ns <= f->until_ns);
}

static int
add_filter (struct filters *f, const char *arg, pt_error_t *err)
{
  static const char *const states[] = { "created", "running", "paused", "exited", NULL };
  const char *eq = strchr (arg, '=');
  if (eq == NULL)
    return pt_make_error (err, 0, "invalid filter `%s`: use KEY=VALUE", arg);
  size_t k = eq - arg;
  const char *v = eq + 1;
  long n;
  regex_t re;
  if (k == 6 && strncmp (arg, "status", 6) == 0)
    {
      size_t i = 0;
      while (states[i] && strcmp (states[i], v) != 0)
        i++;
      if (states[i] == NULL)
        return pt_make_error (err, 0,
                              "invalid status filter `%s`: created, running, paused or exited", v);
      pt_strv_append (&f->status, v);
    }
  else if (k == 4 && strncmp (arg, "name", 4) == 0)
    {
      if (regcomp (&re, v, REG_EXTENDED | REG_NOSUB) != 0)
        return pt_make_error (err, 0, "invalid name filter `%s`: not a regular expression", v);
      regfree (&re);
      pt_strv_append (&f->name, v);
    }
  else if (k == 2 && strncmp (arg, "id", 2) == 0)
    pt_strv_append (&f->id, v);
  else if (k == 5 && strncmp (arg, "label", 5) == 0 && *v)
    pt_strv_append (&f->label, v);
  else if (k == 6 && strncmp (arg, "exited", 6) == 0)
    {
      if (pt_parse_long (v, 0, 255, &n) < 0)
        return pt_make_error (err, 0, "invalid exited filter `%s`: an exit code, 0 to 255", v);
      pt_strv_append (&f->exited, v);
    }
  else if (k == 8 && strncmp (arg, "ancestor", 8) == 0 && *v)
    pt_strv_append (&f->ancestor, v);
  else if (k == 7 && strncmp (arg, "network", 7) == 0 && *v)
    pt_strv_append (&f->network, v);
  else if (k == 14 && strncmp (arg, "restart-policy", 14) == 0 && *v)
    pt_strv_append (&f->restart, v);
  else if ((k == 6 && strncmp (arg, "before", 6) == 0)
           || (k == 5 && strncmp (arg, "since", 5) == 0))
    {
      char **slot = arg[0] == 'b' ? &f->before : &f->since;
      free (*slot);
      *slot = xstrdup (v);
    }
  else if (k == 5 && strncmp (arg, "until", 5) == 0)
    return pt_cli_parse_when (v, &f->until_ns, err);
  else if ((k == 3 && strncmp (arg, "pod", 3) == 0) || (k == 6 && strncmp (arg, "volume", 6) == 0)
           || (k == 6 && strncmp (arg, "health", 6) == 0))
    return pt_make_error (err, 0, "filter %.*s: not supported by podtool: it has no %s yet", (int)k,
                          arg,
                          arg[0] == 'p'   ? "pods"
                          : arg[0] == 'v' ? "volumes"
                                          : "healthchecks");
  else
    return pt_make_error (err, 0,
                          "unsupported filter `%.*s`: status, name, id, label, exited, ancestor, "
                          "network, restart-policy, before, since or until",
                          (int)k, arg);
  return 0;
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
  __attribute__ ((cleanup (filters_free))) struct filters f = {
    xzalloc (sizeof (char *)), xzalloc (sizeof (char *)), xzalloc (sizeof (char *)),
    xzalloc (sizeof (char *)), xzalloc (sizeof (char *)), xzalloc (sizeof (char *)),
    xzalloc (sizeof (char *)), xzalloc (sizeof (char *)),
  };
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
        if (add_filter (&f, optarg, err) < 0)
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
  if (s == NULL || resolve_times (s, &f, err) < 0 || pt_ctr_list (s, &ids, err) < 0)
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
      bool shown = (all || st.status == PT_CTR_RUNNING) && filters_match (&f, &spec, &st);
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

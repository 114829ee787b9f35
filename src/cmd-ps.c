/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool ps: list containers, with the state checked against /proc. */
#include <config.h>
#include <getopt.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/pod.h"
#include "lib/container.h"
#include "lib/du.h"
#include "lib/health.h"
#include "lib/image.h"
#include "lib/reference.h"
#include "lib/jsonutil.h"
#include "lib/util.h"

static char *
status_text (const struct pt_ctr_state *st, int64_t now)
{
  if (st->status == PT_CTR_CREATED)
    return xstrdup ("Created");
  if (st->status == PT_CTR_INITIALIZED)
    return xstrdup ("Initialized");
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
  { OPT_NS, "ns", 0, NULL, "Show the namespaces of each container" },
  { 'p', "pod", 'p', NULL, "Show the pod of each container" },
  { 'q', "quiet", 'q', NULL, "Print only container IDs" },
  { 's', "size", 's', NULL, "Show each container's writable layer size (and with its image)" },
  { OPT_SORT, "sort", 0, "KEY",
    "Sort by created (default, newest first), command, id, image, names, runningfor, size or "
    "status" },
  { OPT_SYNC, "sync", 0, NULL, "Sync the state with the runtime", PT_FLAG_NO_EFFECT,
    "the state is checked against /proc each time" },
  { 'w', "watch", 'w', "SECONDS", "Refresh every SECONDS", PT_FLAG_REFUSED, "run ps in watch(1)" },
  { 0, NULL, 0, NULL, NULL },
};

/* One container of the list, with what --size and --ns add. */
struct ps_row
{
  struct pt_ctr_spec spec;
  struct pt_ctr_state st;
  uint64_t rw, rootfs; /* --size */
  size_t order;        /* newest first: 0 */
};

static const char *ps_sort = "created";

static int
compare_rows (const void *pa, const void *pb)
{
  const struct ps_row *a = pa, *b = pb;
  int c = 0;
  if (strcmp (ps_sort, "id") == 0)
    c = strcmp (a->spec.id, b->spec.id);
  else if (strcmp (ps_sort, "image") == 0)
    c = strcmp (a->spec.image, b->spec.image);
  else if (strcmp (ps_sort, "names") == 0)
    c = strcmp (a->spec.name, b->spec.name);
  else if (strcmp (ps_sort, "status") == 0)
    c = strcmp (pt_ctr_status_name (a->st.status), pt_ctr_status_name (b->st.status));
  else if (strcmp (ps_sort, "size") == 0)
    c = (a->rw > b->rw) - (a->rw < b->rw);
  else if (strcmp (ps_sort, "command") == 0)
    c = strcmp (a->spec.argv[0] ? a->spec.argv[0] : "", b->spec.argv[0] ? b->spec.argv[0] : "");
  return c ? c : (a->order > b->order) - (a->order < b->order);
}

static int
parse_sort (const char *key, pt_error_t *err)
{
  static const char *const keys[]
      = { "command", "created", "id", "image", "names", "runningfor", "size", "status" };
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (strcmp (keys[i], key) == 0)
      {
        ps_sort = keys[i];
        return 0;
      }
  return pt_make_error (err, 0,
                        "invalid option for --sort, options are: [command created id image names "
                        "runningfor size status]");
}

/* --size: each container's writable layer, and that plus its image. */
static int
measure_rows (struct pt_global *g, struct ps_row *rows, size_t n, pt_error_t *err)
{
  const struct pt_idmap *m = pt_global_idmap (g, err);
  if (m == NULL)
    return -1;
  cleanup_strv char **dirs = xzalloc (sizeof (char *));
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *upper = pt_store_path (&g->store, "containers/%s/upper", rows[i].spec.id);
      pt_strv_append (&dirs, upper);
    }
  uint64_t *sizes = xzalloc ((n + 1) * sizeof *sizes);
  struct pt_image_list l = { 0 };
  pt_error_t e = NULL;
  int r = pt_du (m, dirs, sizes, err);
  /* The images read once, not once a container. */
  if (r == 0 && pt_image_list_read (&g->store, &l, &e) < 0)
    pt_error_release (&e);
  for (size_t i = 0; r == 0 && i < n; i++)
    {
      rows[i].rw = rows[i].rootfs = sizes[i];
      for (size_t k = 0; k < l.n; k++)
        if (strcmp (l.v[k].id, rows[i].spec.image_id) == 0)
          rows[i].rootfs += l.v[k].size;
    }
  pt_image_list_free (&l);
  free (sizes);
  return r;
}

/* --ns: the inode numbers of the container's namespaces, as Podman shows them. */
static json_t *
namespaces (const struct pt_ctr_state *st)
{
  static const char *const ns[][2]
      = { { "Cgroup", "cgroup" }, { "IPC", "ipc" },     { "MNT", "mnt" }, { "NET", "net" },
          { "PIDNS", "pid" },     { "User", "user" },   { "UTS", "uts" } };
  json_t *o = json_object ();
  for (size_t i = 0; i < sizeof ns / sizeof *ns; i++)
    {
      char link[64] = "";
      if (pt_ctr_alive (st))
        {
          cleanup_free char *path = xasprintf ("/proc/%d/ns/%s", (int)st->pid, ns[i][1]);
          ssize_t k = readlink (path, link, sizeof link - 1);
          link[k > 0 ? k : 0] = '\0';
        }
      char *open = strchr (link, '['), *close = strchr (link, ']');
      if (open && close)
        *close = '\0';
      json_object_set_new (o, ns[i][0], json_string (open && close ? open + 1 : ""));
    }
  return o;
}

static char *
size_text (const struct ps_row *r)
{
  cleanup_free char *rw = pt_human_size (r->rw), *v = pt_human_size (r->rootfs);
  return xasprintf ("%s (virtual %s)", rw, v);
}

struct ps_opts
{
  bool quiet, no_trunc, json, heading, size, ns, pod;
  const char *tmpl;
  struct pt_store *store;
};

/* "Up 5 seconds (healthy)", as Podman adds a running container's health. */
static char *
row_status (const struct ps_opts *o, const struct ps_row *r, int64_t now)
{
  char *text = status_text (&r->st, now);
  json_t *h = r->st.status == PT_CTR_RUNNING ? pt_health_state (o->store, &r->spec) : NULL;
  if (h)
    {
      char *more = xasprintf ("%s (%s)", text, json_string_value (json_object_get (h, "Status")));
      free (text);
      text = more;
      json_decref (h);
    }
  return text;
}

/* The pod's name of a container of one, or "". */
static char *
pod_name (struct pt_store *s, const struct pt_ctr_spec *spec)
{
  struct pt_pod p;
  pt_error_t tmp = NULL;
  if (spec->pod == NULL || pt_pod_lookup (s, spec->pod, &p, &tmp) < 0)
    return pt_error_release (&tmp), xstrdup ("");
  char *name = xstrdup (p.name);
  pt_pod_free (&p);
  return name;
}

static void
print_table (const struct ps_opts *o, const struct ps_row *rows, size_t n)
{
  int idw = o->no_trunc ? 64 : 12;
  int64_t now = pt_now_ns ();
  if (o->heading && o->ns)
    printf ("%-*s  %-20s  %-8s  %-10s  %-10s  %-10s  %-10s  %-10s  %-10s  %s\n", idw,
            "CONTAINER ID", "NAMES", "PID", "CGROUPNS", "IPC", "MNT", "NET", "PIDNS", "USERNS",
            "UTS");
  else if (o->heading)
    printf ("%-*s  %-26s  %-20s  %-22s  %-24s  %-10s  %s%s%s\n", idw, "CONTAINER ID", "IMAGE",
            "COMMAND", "CREATED", "STATUS", "PORTS",
            o->size || o->pod ? "NAMES                 " : "NAMES", o->size ? "SIZE" : "",
            o->pod ? (o->size ? "  POD ID        PODNAME" : "POD ID        PODNAME") : "");
  for (size_t i = 0; i < n; i++)
    {
      const struct ps_row *r = &rows[i];
      if (o->ns)
        {
          json_t *j = namespaces (&r->st);
          const char *k[] = { "Cgroup", "IPC", "MNT", "NET", "PIDNS", "User", "UTS" };
          printf ("%-*.*s  %-20s  %-8d", idw, idw, r->spec.id, r->spec.name, (int)r->st.pid);
          for (size_t x = 0; x < 7; x++)
            printf (x == 6 ? "  %s\n" : "  %-10s", json_string_value (json_object_get (j, k[x])));
          json_decref (j);
          continue;
        }
      cleanup_free char *stat = row_status (o, r, now);
      cleanup_free char *cmd = pt_strv_join (r->spec.argv, " ");
      cleanup_free char *created = pt_human_duration ((now - r->spec.created_ns) / 1000000000);
      cleanup_free char *ago = xasprintf ("%s ago", created);
      cleanup_free char *ports = pt_net_ports_text (&r->spec.net);
      cleanup_free char *size = o->size ? size_text (r) : xstrdup ("");
      printf ("%-*.*s  %-26s  %-20.20s  %-22s  %-24s  %-10s  ", idw, idw, r->spec.id,
              r->spec.image, cmd, ago, stat, ports);
      if (o->size || o->pod)
        printf ("%-20s  %s", r->spec.name, size);
      else
        printf ("%s", r->spec.name);
      if (o->pod)
        {
          cleanup_free char *pn = pod_name (o->store, &r->spec);
          printf ("%s%-12.12s  %s", o->size ? "  " : "", r->spec.pod ? r->spec.pod : "", pn);
        }
      printf ("\n");
    }
}

static int
print_rows (const struct ps_opts *o, const struct ps_row *rows, size_t n, pt_error_t *err)
{
  if (!o->json && !o->tmpl && !o->quiet)
    {
      print_table (o, rows, n);
      return 0;
    }
  if (o->quiet)
    {
      for (size_t i = 0; i < n; i++)
        printf ("%.*s\n", o->no_trunc ? 64 : 12, rows[i].spec.id);
      return 0;
    }
  json_t *arr = json_array ();
  int64_t now = pt_now_ns ();
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *stat = row_status (o, &rows[i], now);
      json_t *j = o->tmpl ? ps_template_item (&rows[i].spec, &rows[i].st, stat, now, o->no_trunc)
                          : ps_json (&rows[i].spec, &rows[i].st, stat);
      json_object_set_new (j, "Namespaces", namespaces (&rows[i].st));
      json_object_set_new (j, "Pod", json_string (rows[i].spec.pod ? rows[i].spec.pod : ""));
      cleanup_free char *pn = pod_name (o->store, &rows[i].spec);
      json_object_set_new (j, "PodName", json_string (pn));
      cleanup_free char *size = o->size ? size_text (&rows[i]) : NULL;
      if (o->size)
        json_object_set_new (j, "Size",
                             o->tmpl ? json_string (size)
                                     : json_pack ("{s:I, s:I}", "rootFsSize",
                                                  (json_int_t)rows[i].rootfs, "rwSize",
                                                  (json_int_t)rows[i].rw));
      json_array_append_new (arr, j);
    }
  int r = 0;
  if (o->tmpl)
    r = pt_cli_format (o->tmpl, arr, ps_header, err);
  else
    pt_cli_print_json (arr);
  json_decref (arr);
  return r;
}

static int
ps_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct ps_opts o = { .heading = true };
  bool all = false;
  long last = -1;
  __attribute__ ((cleanup (pt_cli_filters_free))) struct pt_cli_filters f;
  pt_cli_filters_init (&f);
  ps_sort = "created";
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_ps, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'q': o.quiet = pt_cli_optbool; break;
      case 's': o.size = pt_cli_optbool; break;
      case OPT_NS: o.ns = pt_cli_optbool; break;
      case 'p': o.pod = pt_cli_optbool; break;
      case OPT_NO_TRUNC: o.no_trunc = pt_cli_optbool; break;
      case OPT_NOHEADING: o.heading = !pt_cli_optbool; break;
      case OPT_SORT:
        if (parse_sort (optarg, err) < 0)
          return -1;
        break;
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
          o.json = true;
        else
          o.tmpl = optarg;
        break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_ps, argc - optind, 0, 0, err);
  /* A status or exited filter implies --all, as in Podman. */
  if (f.status[0] || f.exited[0] || last >= 0)
    all = true;
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  if (s == NULL || pt_cli_filters_resolve (s, &f, err) < 0 || pt_ctr_list (s, &ids, err) < 0)
    return -1;
  struct ps_row *rows = xzalloc ((pt_strv_len (ids) + 1) * sizeof *rows);
  size_t n = 0;
  /* Newest first, as Podman lists them. */
  for (size_t i = pt_strv_len (ids); i-- > 0 && last != 0;)
    {
      struct ps_row *r = &rows[n];
      pt_error_t tmp = NULL;
      if (pt_ctr_spec_read (s, ids[i], &r->spec, &tmp) < 0
          || pt_ctr_state (s, ids[i], &r->st, &tmp) < 0)
        {
          pt_error_release (&tmp); /* removed while we looked */
          pt_ctr_spec_free (&r->spec);
          continue;
        }
      if ((all || r->st.status == PT_CTR_RUNNING) && pt_cli_filters_match (&f, &r->spec, &r->st))
        {
          r->order = n++;
          if (last > 0)
            last--;
        }
      else
        pt_ctr_spec_free (&r->spec);
    }
  o.store = s;
  int ret = o.size ? measure_rows (g, rows, n, err) : 0;
  if (ret == 0)
    {
      qsort (rows, n, sizeof *rows, compare_rows);
      ret = print_rows (&o, rows, n, err);
    }
  for (size_t i = 0; i < n; i++)
    pt_ctr_spec_free (&rows[i].spec);
  free (rows);
  return ret;
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

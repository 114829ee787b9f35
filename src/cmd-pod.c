/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool pod: create, start, stop, restart, kill, pause, unpause, rm
   (lib/pod.c, lib/pod-run.c); what there is to see of pods is in
   cmd-pod-show.c. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
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
  POD_OPT_ID_FILE,
  POD_OPT_REPLACE,
  POD_OPT_INFRA_NAME,
  PASS_FIRST = 300, /* from here: options passed on as they were given */
};

void
pt_cli_pass_on (const struct pt_flag *table, int id, char ***v)
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
    pt_cmd_pod_restart, pt_cmd_pod_kill, pt_cmd_pod_rm, pt_cmd_pod_pause, pt_cmd_pod_unpause;

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
  cleanup_free char *name
      = how->infra_name ? xstrdup (how->infra_name) : xasprintf ("%.12s-infra", out->id);
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
  { POD_OPT_INFRA_NAME, "infra-name", 0, "NAME", "The infra container's name (POD-ID-infra)" },
  { 'l', "label", 'l', "KEY=VALUE", "A label on the pod" },
  { 'n', "name", 'n', "NAME", "The pod's name" },
  { PASS_FIRST + 4, "network", 0, "MODE", "The pod's network (slirp4netns, none, host, ns:PATH)" },
  { PASS_FIRST + 5, "no-hosts", 0, NULL, "Do not write the pod's /etc/hosts" },
  { POD_OPT_ID_FILE, "pod-id-file", 0, "FILE", "Write the pod's id to FILE" },
  { 'p', "publish", 'p', "[IP:][HOST:]CTR[/PROTO]", "Publish a port of the pod" },
  { POD_OPT_REPLACE, "replace", 0, NULL, "Remove a pod of the same name first (and its containers)" },
  { POD_OPT_SHARE, "share", 0, "NS[,NS...]", "The namespaces shared: ipc, net, pid, uts (ipc,net,uts)" },
  { 0, NULL, 0, NULL, NULL },
};

/* --replace: the pod of that name goes first, its containers stopped. */
static int
replace_pod (struct pt_global *g, const char *name, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  struct pt_pod old;
  pt_error_t miss = NULL;
  if (pt_pod_lookup (s, name, &old, &miss) < 0)
    return pt_error_release (&miss), 0;
  int r = strcmp (old.name, name) == 0 ? pt_pod_rm (s, m, &old, true, -1, err) : 0;
  pt_pod_free (&old);
  return r;
}

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
  const char *id_file = NULL;
  bool replace = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_pod_create, argc, argv, err)) != -1)
    switch (c)
      {
      case 'n': how.name = optarg; break;
      case POD_OPT_ID_FILE: id_file = optarg; break;
      case POD_OPT_REPLACE: replace = pt_cli_optbool; break;
      case POD_OPT_INFRA_NAME: how.infra_name = optarg; break;
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
        pt_cli_pass_on (create_flags, c, &args); /* the infra's create parses them */
        break;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_pod_create, argc - optind, 0, 0, err);
  if (!how.infra && args[0])
    return pt_make_error (err, 0, "a pod without infra has no network of its own: --publish, "
                                  "--network and the DNS options need --infra");
  if (replace && how.name && replace_pod (g, how.name, err) < 0)
    return -1;
  how.labels = labels;
  how.share = share;
  how.infra_args = args;
  struct pt_pod pod;
  if (pt_cli_pod_make (g, &how, &pod, err) < 0)
    return -1;
  /* The id alone, no newline, as Podman writes it. */
  int r = id_file ? pt_write_file_atomic (AT_FDCWD, id_file, pod.id, strlen (pod.id), 0644, 0, err)
                  : 0;
  if (r == 0)
    printf ("%s\n", pod.id);
  pt_pod_free (&pod);
  return r;
}

/* ---- the verbs that act on pods by name ---- */

typedef int (*pod_fn) (struct pt_global *g, struct pt_pod *p, void *data, pt_error_t *err);

/* fn for each pod named (or every one with all); each prints its id. As
   Podman, every name is looked up first: one that is no pod is the error
   and nothing is done (exit 1 for rm, as Podman's); then a pod that fails
   has its error printed and the others go on (125 at the end). */
static int
each_pod (struct pt_global *g, const struct pt_cmd *cmd, char **names, bool all, pod_fn fn,
          void *data, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  cleanup_strv char **refs = NULL;
  if (all)
    {
      if (names[0])
        return pt_make_error (err, 0, "--all, --latest and pod names cannot be used together");
      if (pt_pod_list (s, &refs, err) < 0)
        return -1;
    }
  else
    {
      if (names[0] == NULL)
        return pt_cli_need_args (cmd, 0, 1, -1, err);
      refs = pt_strv_dup (names);
    }
  size_t n = pt_strv_len (refs);
  struct pt_pod *pods = xzalloc ((n + 1) * sizeof *pods);
  size_t found = 0;
  int ret = 0;
  for (; found < n && ret == 0; found++)
    if ((ret = pt_pod_lookup (s, refs[found], &pods[found], err)) < 0 && strcmp (cmd->name, "rm") == 0)
      (*err)->exit_code = 1;
  if (ret < 0)
    found--;
  for (size_t i = 0; ret == 0 && i < n; i++)
    {
      pt_error_t e = NULL;
      if (fn (g, &pods[i], data, &e) == 0)
        printf ("%s\n", pods[i].id);
      else
        {
          pt_cli_print_error (e);
          g->exit_code = 125;
          pt_error_release (&e);
        }
    }
  for (size_t i = 0; i < found; i++)
    pt_pod_free (&pods[i]);
  free (pods);
  return ret;
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

#define POD_ALL { 'a', "all", 'a', NULL, "Every pod" }
#define POD_LATEST { 'l', "latest", 'l', NULL, "The pod created last" }
#define POD_ID_FILE { POD_OPT_ID_FILE, "pod-id-file", 0, "FILE", "The pod whose id FILE holds" }
#define POD_TIME { 't', "time", 't', "SECONDS", "Seconds to wait for each container before killing it" }
#define POD_IGNORE { 'i', "ignore", 'i', NULL, "No error for a pod that is not there" }
static const struct pt_flag all_flags[] = {
  POD_ALL,
  POD_LATEST,
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag start_flags[] = {
  POD_ALL,
  POD_LATEST,
  POD_ID_FILE,
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag stop_flags[] = {
  POD_ALL, POD_IGNORE, POD_LATEST, POD_ID_FILE, POD_TIME, { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag kill_flags[] = {
  POD_ALL,
  POD_LATEST,
  { 's', "signal", 's', "SIGNAL", "The signal to send (KILL)" },
  { 0, NULL, 0, NULL, NULL },
};
static const struct pt_flag rm_flags[] = {
  POD_ALL,
  { 'f', "force", 'f', NULL, "Stop the pod's running containers first" },
  POD_IGNORE,
  POD_LATEST,
  POD_ID_FILE,
  POD_TIME,
  { 0, NULL, 0, NULL, NULL },
};

/* The names, the pod created last (--latest) and those --pod-id-file
   files hold; with ignore, only the ones there are. */
static int
pods_named (struct pt_global *g, char **args, bool latest, char **id_files, bool ignore,
            char ***out, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  cleanup_strv char **names = pt_strv_dup (args);
  if (latest)
    {
      cleanup_strv char **ids = NULL;
      if (pt_pod_list (s, &ids, err) < 0)
        return -1;
      size_t n = pt_strv_len (ids);
      if (n == 0)
        return pt_make_error (err, 0, "no pods to act on: --latest found none");
      pt_strv_append (&names, ids[n - 1]);
    }
  for (size_t i = 0; id_files && id_files[i]; i++)
    {
      cleanup_free char *id = NULL;
      if (pt_read_file (AT_FDCWD, id_files[i], &id, NULL, err) < 0)
        return pt_error_wrap (err, "reading pod ID file");
      id[strcspn (id, " \t\r\n")] = '\0';
      pt_strv_append (&names, id);
    }
  *out = xzalloc (sizeof (char *));
  for (size_t i = 0; names[i]; i++)
    if (!ignore || pt_pod_exists (s, names[i]))
      pt_strv_append (out, names[i]);
  return 0;
}

/* The verbs that take POD... or --all, and what their flags set. */
static int
pods_exec (const struct pt_cmd *cmd, pod_fn fn, struct pt_global *g, int argc, char **argv,
           pt_error_t *err)
{
  struct stop_how h = { .timeout = -1, .sig = SIGKILL };
  bool all = false, ignore = false, latest = false, pause = strcmp (cmd->name, "pause") == 0;
  cleanup_strv char **id_files = xzalloc (sizeof (char *));
  int c;
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    switch (c)
      {
      case 'a': all = pt_cli_optbool; break;
      case 'l': latest = pt_cli_optbool; break;
      case POD_OPT_ID_FILE: pt_strv_append (&id_files, optarg); break;
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
  if (all && (latest || id_files[0]))
    return pt_make_error (err, 0, "--all, --latest and pod names cannot be used together");
  cleanup_strv char **names = NULL;
  if (pods_named (g, argv + optind, latest, id_files, ignore, &names, err) < 0)
    return -1;
  /* rm -i, stop -i: nothing there is nothing to do. */
  if (ignore && !all && names[0] == NULL && (optind < argc || latest || id_files[0]))
    return 0;
  int r = each_pod (g, cmd, names, all, fn, data, err);
  /* pod rm --pod-id-file: the file goes with its pod, as in Podman. */
  for (size_t i = 0; r == 0 && g->exit_code == 0 && fn == rm_one && id_files[i]; i++)
    unlink (id_files[i]);
  return r;
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

static const struct pt_cmd pt_cmd_pod_create = { .name = "create",
                                                 .usage = "[options]",
                                                 .summary = "Create a pod",
                                                 .flags = create_flags,
                                                 .exec = create_exec };
static const struct pt_cmd pt_cmd_pod_start = { .name = "start",
                                                .usage = "[options] POD [POD...]",
                                                .summary = "Start pods: the infra, then the others",
                                                .flags = start_flags,
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
static const struct pt_cmd *const pod_verbs[] = {
  &pt_cmd_pod_create,  &pt_cmd_pod_exists, &pt_cmd_pod_inspect, &pt_cmd_pod_kill,
  &pt_cmd_pod_logs,    &pt_cmd_pod_pause,  &pt_cmd_pod_prune,   &pt_cmd_pod_ps,
  &pt_cmd_pod_restart, &pt_cmd_pod_rm,     &pt_cmd_pod_start,   &pt_cmd_pod_stats,
  &pt_cmd_pod_stop,    &pt_cmd_pod_top,     &pt_cmd_pod_unpause, NULL,
};

const struct pt_cmd pt_cmd_pod = {
  .name = "pod",
  .usage = "create|exists|inspect|kill|logs|pause|prune|ps|restart|rm|start|stats|stop|top|unpause [ARG...]",
  .summary = "Manage pods",
  .subs = pod_verbs,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool run: create a container from an image, start it under its monitor,
   relay its output in the foreground and exit with its exit code. */
#include <config.h>
#include "lib/jsonutil.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include "cmd-run.h"
#include "lib/attach.h"
#include "lib/caps.h"
#include "lib/container.h"
#include "lib/create.h"
#include "lib/image.h"
#include "lib/log.h"
#include "lib/monitor.h"
#include "lib/reference.h"
#include "lib/util.h"
#include "lib/volume.h"

struct run_options
{
  bool rm, env_host, unsetenv_all, replace;
  char **unsetenv; /* --unsetenv, names */
  const char *tz;  /* --tz */
  const char *cidfile;
  char **env;       /* -e, in order */
  char **env_files; /* --env-file, in order */
  char **labels;    /* --label, in order */
  const char *workdir, *user, *hostname, *entrypoint, *name;
  struct pt_cli_net net;
  struct pt_health_opts health;
};

/* --entrypoint takes a JSON array or one string, as Podman's does. */
static int
parse_entrypoint (const char *s, char ***out, pt_error_t *err)
{
  *out = xzalloc (sizeof (char *));
  if (*s == '\0')
    return 0;
  if (*s != '[')
    {
      pt_strv_append (out, s);
      return 0;
    }
  json_t *j = json_loads (s, 0, NULL);
  if (!json_is_array (j))
    {
      json_decref (j);
      return pt_make_error (err, 0, "invalid --entrypoint `%s`: not a JSON array of strings", s);
    }
  pt_strv_free (*out);
  *out = pt_json_strv (j);
  json_decref (j);
  return 0;
}

/* The environment the options add, in Podman's order (least to most):
   --env-host, --tz, --env-file, --env; a bare -e K takes podtool's K. */
static int
option_env (struct run_options *o, char ***env, pt_error_t *err)
{
  *env = xzalloc (sizeof (char *));
  extern char **environ;
  for (size_t i = 0; o->env_host && environ[i]; i++)
    if (strchr (environ[i], '=') && environ[i][0] != '=')
      pt_env_set (env, environ[i]);
  if (o->tz)
    {
      cleanup_free char *tz = xasprintf ("TZ=%s", o->tz);
      pt_env_set (env, tz);
    }
  for (size_t i = 0; o->env_files && o->env_files[i]; i++)
    if (pt_cli_env_file (env, o->env_files[i], err) < 0)
      return -1;
  for (size_t i = 0; o->env && o->env[i]; i++)
    if (pt_cli_env_add (env, o->env[i], "-e", err) < 0)
      return -1;
  return 0;
}

/* The options as the library takes them (lib/create.h), and the spec. */
static int
build_spec (struct pt_global *g, struct run_options *o, const char *ref, char **args,
            struct pt_ctr_spec *spec, pt_error_t *err)
{
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **env = NULL, **entrypoint = NULL;
  if (s == NULL || option_env (o, &env, err) < 0
      || (o->entrypoint && parse_entrypoint (o->entrypoint, &entrypoint, err) < 0))
    return -1;
  struct pt_create_opts c = {
    .name = o->name,
    .hostname = o->hostname,
    .workdir = o->workdir,
    .user = o->user,
    .entrypoint = entrypoint,
    .env = env,
    .unsetenv = o->unsetenv,
    .unsetenv_all = o->unsetenv_all,
    .labels = o->labels,
    .rm = o->rm,
    .storage = g->storage_driver,
    .expose = o->net.expose,
    .publish_all = o->net.publish_all,
    .health = o->health,
  };
  c.net = o->net.net;
  pt_net_init (&o->net.net);
  return pt_ctr_build (s, &c, ref, args, spec, err);
}

/* -v, --mount, --tmpfs, appended to the spec's mounts in order. */
static int
parse_mount_option (int c, const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  struct pt_mount m;
  int r = c == 'v'         ? pt_mount_parse_volume (arg, &m, err)
          : c == OPT_MOUNT ? pt_mount_parse_mount (arg, &m, err)
          : c == OPT_TMPFS ? pt_mount_parse_tmpfs (arg, &m, err)
          : c == OPT_DEVICE ? pt_mount_parse_device (arg, &m, err)
                           : 1;
  if (r != 0)
    return r;
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (strcmp (spec->mounts[i].destination, m.destination) == 0)
      {
        r = pt_make_error (err, 0, "%s: duplicate mount destination", m.destination);
        pt_mount_free (&m);
        return r;
      }
  spec->mounts = xrealloc (spec->mounts, (spec->n_mounts + 1) * sizeof *spec->mounts);
  spec->mounts[spec->n_mounts++] = m;
  return 0;
}

/* --tz: Area/City as the host's zoneinfo has it, UTC, or local (the host's). */
static int
check_tz (const char *tz, const char **out, pt_error_t *err)
{
  static char local[128];
  if (strcmp (tz, "local") == 0)
    {
      char target[256];
      ssize_t n = readlink ("/etc/localtime", target, sizeof target - 1);
      const char *zi = n > 0 ? (target[n] = '\0', strstr (target, "zoneinfo/")) : NULL;
      snprintf (local, sizeof local, "%s", zi ? zi + 9 : "UTC");
      *out = local;
      return 0;
    }
  cleanup_free char *path = xasprintf ("/usr/share/zoneinfo/%s", tz);
  if (*tz == '\0' || *tz == '/' || strstr (tz, "..") || access (path, R_OK) < 0)
    return pt_make_error (err, 0, "running --tz with %s: unknown time zone %s", tz, tz);
  *out = tz;
  return 0;
}

/* --label-file: KEY=VALUE lines, # comments. */
static int
read_label_file (const char *path, char ***labels, pt_error_t *err)
{
  cleanup_free char *data = NULL;
  if (pt_read_file (AT_FDCWD, path, &data, NULL, err) < 0)
    return pt_error_wrap (err, "--label-file");
  for (char *save = NULL, *line = strtok_r (data, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save))
    {
      line[strcspn (line, "\r")] = '\0';
      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '=')
        return pt_make_error (err, 0, "invalid label `%s` in --label-file `%s`: KEY=VALUE", line,
                              path);
      pt_strv_append (labels, line);
    }
  return 0;
}

/* --restart no|on-failure[:N]|always|unless-stopped: the monitor starts the
   container again as it says (not at boot: there is no service for that). */
static int
parse_restart (const char *arg, struct pt_ctr_spec *spec, pt_error_t *err)
{
  long max = 0;
  const char *colon = strchr (arg, ':');
  size_t n = colon ? (size_t)(colon - arg) : strlen (arg);
  bool on_failure = n == 10 && strncmp (arg, "on-failure", 10) == 0;
  if (colon && (!on_failure || pt_parse_long (colon + 1, 0, 1L << 30, &max) < 0))
    return pt_make_error (err, 0,
                          "invalid restart policy \"%s\": a retry count goes only with "
                          "on-failure (on-failure:N)",
                          arg);
  if (!on_failure && strcmp (arg, "no") != 0 && strcmp (arg, "always") != 0
      && strcmp (arg, "unless-stopped") != 0)
    return pt_make_error (err, 0,
                          "invalid restart policy \"%s\": no, on-failure[:N], always or "
                          "unless-stopped",
                          arg);
  free (spec->restart_policy);
  spec->restart_policy = xstrndup (arg, n);
  spec->restart_max = (int)max;
  return 0;
}

/* --replace: the container of that name goes first, whatever its state. */
static void
free_health (struct pt_health_opts **h)
{
  pt_cli_health_free (*h);
}

/* --rmi and --preserve-fds, which act on this run, not on the container. */
static int
run_only_option (const struct pt_cmd *cmd, int c, const char *arg, struct pt_cli_run_how *how,
                 pt_error_t *err)
{
  const char *name = c == OPT_RMI ? "rmi" : "preserve-fds";
  if (cmd != &pt_cmd_run)
    return pt_make_error (err, 0, "--%s: only podtool run takes it", name);
  if (c == OPT_RMI)
    {
      how->rmi = pt_cli_optbool;
      return 0;
    }
  return pt_cli_preserve_fds (arg, &how->preserve_fds, err);
}

int
pt_cli_preserve_fds (const char *arg, int *n, pt_error_t *err)
{
  long v;
  if (pt_parse_long (arg, 0, 1 << 16, &v) < 0)
    return pt_make_error (err, 0, "invalid argument \"%s\" for \"--preserve-fds\" flag", arg);
  /* They must be ours to pass: inherited, open. */
  for (int fd = 3; fd < 3 + v; fd++)
    if (fcntl (fd, F_GETFD) < 0)
      return pt_make_error (err, 0,
                            "file descriptor %d is not available - the preserve-fds option "
                            "requires that file descriptors must be passed",
                            fd);
  *n = v;
  return 0;
}

static int
replace_named (struct pt_store *s, const char *name, pt_error_t *err)
{
  cleanup_free char *id = NULL;
  pt_error_t e = NULL;
  if (pt_ctr_resolve (s, name, &id, &e) < 0)
    {
      pt_error_release (&e); /* none by that name: nothing to replace */
      return 0;
    }
  return pt_ctr_remove (s, NULL, id, true, err);
}

static void
pod_free (struct pt_cli_pod *p)
{
  free (p->id);
  free (p->hostname);
}

int
pt_cli_create_container (struct pt_global *g, const struct pt_cmd *cmd, int argc, char **argv,
                         struct pt_cli_run_how *how, struct pt_ctr_spec *spec, pt_error_t *err)
{
  struct run_options o = { 0 };
  __attribute__ ((cleanup (pod_free))) struct pt_cli_pod pod = pt_cli_pod_infra;
  __attribute__ ((cleanup (pt_cli_pull_free))) struct pt_cli_pull pull;
  pt_cli_pull_init (&pull);
  __attribute__ ((cleanup (free_health))) struct pt_health_opts *health = &o.health;
  pt_net_init (&o.net.net);
  o.net.expose = xzalloc (sizeof (char *));
  cleanup_strv char **env = xzalloc (sizeof (char *));
  cleanup_strv char **env_files = xzalloc (sizeof (char *));
  cleanup_strv char **labels = xzalloc (sizeof (char *));
  int c;
  memset (spec, 0, sizeof *spec);
  memset (how, 0, sizeof *how);
  bool rm_set = false;
  int systemd = PT_SYSTEMD_TRUE;
  cleanup_free char *sdnotify = NULL;
  cleanup_strv char **volumes_from = xzalloc (sizeof (char *));
  bool interactive = false, tty = false;
  int64_t log_max = 0;
  /* The cgroup, mount and process options, until make_spec. */
  __attribute__ ((cleanup (pt_ctr_spec_free))) struct pt_ctr_spec options = { .stop_timeout = 10 };
  cleanup_strv char **unsetenv = xzalloc (sizeof (char *));
  while ((c = pt_cli_getopt (cmd, argc, argv, err)) != -1)
    switch (c)
      {
      case OPT_RM:
        o.rm = pt_cli_optbool;
        rm_set = true;
        break;
      case 'i': interactive = pt_cli_optbool; break;
      case 't': tty = pt_cli_optbool; break;
      case 'd': how->detach = pt_cli_optbool; break;
      case OPT_VOLUMES_FROM: pt_strv_append (&volumes_from, optarg); break;
      case OPT_SDNOTIFY:
        if (pt_cli_sdnotify_parse (optarg, &sdnotify, err) < 0)
          return -1;
        break;
      case OPT_SYSTEMD:
        if (pt_cli_systemd_parse (optarg, &systemd, err) < 0)
          return -1;
        break;
      case OPT_RMI:
      case OPT_PRESERVE_FDS:
        if (run_only_option (cmd, c, optarg, how, err) < 0)
          return -1;
        break;
      case 'e': pt_strv_append (&env, optarg); break;
      case OPT_ENV_FILE: pt_strv_append (&env_files, optarg); break;
      case OPT_ENV_HOST: o.env_host = pt_cli_optbool; break;
      case OPT_UNSETENV: pt_strv_append (&unsetenv, optarg); break;
      case OPT_UNSETENV_ALL: o.unsetenv_all = pt_cli_optbool; break;
      case OPT_REPLACE: o.replace = pt_cli_optbool; break;
      case OPT_CIDFILE: o.cidfile = optarg; break;
      case OPT_TZ:
        if (check_tz (optarg, &o.tz, err) < 0)
          return -1;
        break;
      case OPT_LABEL_FILE:
        if (read_label_file (optarg, &labels, err) < 0)
          return -1;
        break;
      case OPT_LOG_DRIVER:
        if (strcmp (optarg, "k8s-file") != 0)
          return pt_make_error (
              err, 0,
              "--log-driver %s: not supported by podtool: its monitor "
              "keeps a k8s-file log%s",
              optarg, strcmp (optarg, "journald") == 0 ? " (there is no journal of its own)" : "");
        break;
      case OPT_RESTART:
        if (parse_restart (optarg, &options, err) < 0)
          return -1;
        break;
      case 'l':
        if (*optarg == '\0' || *optarg == '=')
          return pt_make_error (err, 0, "invalid --label `%s`: KEY=VALUE", optarg);
        pt_strv_append (&labels, optarg);
        break;
      case OPT_POD: pod.ref = optarg; break;
      case 'w': o.workdir = optarg; break;
      case 'u': o.user = optarg; break;
      case OPT_HOSTNAME: o.hostname = optarg; break;
      case OPT_ENTRYPOINT: o.entrypoint = optarg; break;
      case OPT_NAME: o.name = optarg; break;
      case OPT_LOG_OPT:
        if (!pt_str_has_prefix (optarg, "max-size=") || (log_max = pt_parse_size (optarg + 9)) <= 0)
          return pt_make_error (err, 0, "invalid --log-opt `%s`: max-size=SIZE is the one option",
                                optarg);
        break;
      default:
        {
          int r = pt_cli_net_option (c, optarg, &o.net, err);
          if (r > 0)
            r = pt_cli_cgroup_option (c, optarg, &options, err);
          if (r > 0)
            r = parse_mount_option (c, optarg, &options, err);
          if (r > 0)
            r = pt_cli_process_option (c, optarg, &options, err);
          if (r > 0)
            r = pt_cli_health_option (c, optarg, &o.health, err);
          if (r > 0)
            r = pt_cli_security_option (c, optarg, &options, err);
          if (r > 0)
            r = pt_cli_pull_option (c, optarg, &pull, err);
          if (r != 0)
            {
              pt_net_free (&o.net.net);
              pt_strv_free (o.net.expose);
              return r < 0 || c < 0 ? -1 : pt_make_error (err, 0, "flag %d not handled", c);
            }
        }
      }
  if (how->rmi && rm_set && !o.rm)
    return pt_make_error (err, 0, "the --rmi option does not work without --rm");
  o.rm |= how->rmi;
  if (pt_cli_check_cgroup_options (&options, err) < 0)
    return -1;
  if (optind >= argc)
    return pt_cli_need_args (cmd, 0, 1, -1, err);
  if (o.cidfile && access (o.cidfile, F_OK) == 0)
    return pt_make_error (err, 0,
                          "container id file exists. Ensure another container is not using "
                          "it or delete %s",
                          o.cidfile);
  if (o.replace && o.name && pt_global_store (g, err) && replace_named (&g->store, o.name, err) < 0)
    return -1;
  if (o.hostname && (*o.hostname == '\0' || strlen (o.hostname) > 64))
    return pt_make_error (err, 0, "invalid --hostname `%s`", o.hostname);
  if (pt_cli_pod_apply (g, &pod, &o.net, &options, &o.hostname, err) < 0)
    return -1;
  o.env = env;
  o.unsetenv = unsetenv;
  o.env_files = env_files;
  o.labels = labels;
  cleanup_free char *resolved = NULL;
  int made = pt_cli_pull_for_run (g, &pull, argv[optind], &resolved, err);
  if (made == 0)
    made = build_spec (g, &o, resolved ? resolved : argv[optind], argv + optind + 1, spec, err);
  pt_net_free (&o.net.net);
  pt_strv_free (o.net.expose);
  if (made < 0)
    return -1;
  spec->interactive = interactive;
  spec->limits = options.limits;
  spec->cgroup_parent = xstrdup (options.cgroup_parent ? options.cgroup_parent : "");
  spec->cgroups_disabled = options.cgroups_disabled;
  spec->cap_add = steal_pointer (&options.cap_add);
  spec->cap_drop = steal_pointer (&options.cap_drop);
  spec->read_only = options.read_only;
  spec->read_only_no_tmpfs = options.read_only_no_tmpfs;
  spec->annotations = steal_pointer (&options.annotations);
  spec->ulimits = steal_pointer (&options.ulimits);
  spec->sysctls = steal_pointer (&options.sysctls);
  spec->pid_mode = steal_pointer (&options.pid_mode);
  spec->privileged = options.privileged;
  spec->no_new_privs = options.no_new_privs;
  spec->seccomp_unconfined = options.seccomp_unconfined;
  spec->seccomp_profile = steal_pointer (&options.seccomp_profile);
  spec->masks = steal_pointer (&options.masks);
  spec->unmasks = steal_pointer (&options.unmasks);
  spec->security_opts = steal_pointer (&options.security_opts);
  spec->group_add = steal_pointer (&options.group_add);
  spec->userns = steal_pointer (&options.userns);
  spec->passwd_entry = steal_pointer (&options.passwd_entry);
  spec->host_users = steal_pointer (&options.host_users);
  spec->no_passwd = options.no_passwd;
  if (pt_cli_userns_apply (g, spec, o.user != NULL, err) < 0)
    return -1;
  spec->ipc_mode = steal_pointer (&options.ipc_mode);
  spec->uts_mode = steal_pointer (&options.uts_mode);
  pt_cli_pod_spec (&pod, spec);
  spec->umask = steal_pointer (&options.umask);
  spec->oom_score_adj = steal_pointer (&options.oom_score_adj);
  spec->pidfile = steal_pointer (&options.pidfile);
  spec->conmon_pidfile = steal_pointer (&options.conmon_pidfile);
  spec->shm_size = options.shm_size;
  spec->timeout = options.timeout;
  spec->restart_policy = steal_pointer (&options.restart_policy);
  spec->restart_max = options.restart_max;
  spec->requires = steal_pointer (&options.requires);
  if (pt_cli_resolve_requires (&g->store, spec->requires, err) < 0)
    return -1;
  if (spec->rm && spec->restart_policy && strcmp (spec->restart_policy, "no") != 0)
    return pt_make_error (err, 0,
                          "the --rm option conflicts with --restart, when the restartPolicy "
                          "is not \"\" and \"no\"");
  for (size_t i = 0; spec->sysctls && spec->sysctls[i]; i++)
    {
      const char *k = spec->sysctls[i];
      bool ipc = pt_str_has_prefix (k, "kernel.shm") || pt_str_has_prefix (k, "kernel.msg")
                 || pt_str_has_prefix (k, "kernel.sem") || pt_str_has_prefix (k, "fs.mqueue.");
      bool uts = pt_str_has_prefix (k, "kernel.hostname") || pt_str_has_prefix (k, "kernel.domainname");
      if ((pt_str_has_prefix (k, "net.") && spec->net.mode != PT_NET_SLIRP
           && spec->net.mode != PT_NET_NONE)
          || (ipc && spec->ipc_mode && *spec->ipc_mode) || (uts && spec->uts_mode && *spec->uts_mode))
        return pt_make_error (err, 0,
                              "sysctl \"%s\" is not allowed: the container shares a "
                              "namespace it does not own",
                              k);
    }
  spec->init = options.init;
  if (options.stop_signal > 0)
    spec->stop_signal = options.stop_signal;
  spec->stop_timeout = options.stop_timeout;
  spec->mounts = steal_pointer (&options.mounts);
  spec->n_mounts = options.n_mounts;
  options.n_mounts = 0;
  spec->log_max = log_max;
  spec->tty = tty;
  if (pt_cli_volumes_from (&g->store, volumes_from, spec, err) < 0)
    return -1;
  spec->sdnotify = steal_pointer (&sdnotify);
  if (pt_cli_systemd_apply (systemd, options.stop_signal > 0, spec, err) < 0
      || pt_cli_sdnotify_create (spec, err) < 0)
    return -1;
  const struct pt_idmap *m = NULL;
  if (spec->userns && pt_str_has_prefix (spec->userns, "auto")
      && (m = pt_global_idmap (g, err)) == NULL)
    return -1;
  if (pt_ctr_volumes_prepare (&g->store, spec, err) < 0
      || pt_ctr_create (&g->store, m, spec, err) < 0)
    {
      pt_ctr_volumes_remove_anonymous (&g->store, NULL, spec);
      return -1;
    }
  cleanup_free char *line = xasprintf ("%s\n", spec->id);
  if (o.cidfile
      && pt_write_file_atomic (AT_FDCWD, o.cidfile, line, strlen (line) - 1, 0644, 0, err) < 0)
    return pt_error_wrap (err, "--cidfile");
  return 0;
}

/* --rmi: the image goes unless another container uses it (a warning then,
   as Podman gives). */
static void
remove_image (struct pt_global *g, const char *image)
{
  pt_error_t e = NULL;
  const struct pt_idmap *m = pt_global_idmap (g, &e);
  cleanup_strv char **untagged = NULL;
  cleanup_free char *deleted = NULL;
  if (m == NULL || pt_image_remove (&g->store, m, image, false, &untagged, &deleted, &e) < 0)
    {
      cleanup_free char *msg = pt_error_string (e);
      pt_warn ("Failed to remove image: %s", msg);
      pt_error_release (&e);
    }
}

static int
run_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct pt_ctr_spec spec;
  struct pt_cli_run_how how;
  int fd = -1, code = 0;
  pid_t pid = 0;
  int r = pt_cli_create_container (g, &pt_cmd_run, argc, argv, &how, &spec, err);
  if (r == 0)
    r = pt_monitor_start_needed (&g->store, &spec, err) < 0
            ? -1
            : pt_monitor_start (&g->store, spec.id, how.preserve_fds, &fd, &pid, err);
  if (r == 0)
    pt_cli_sdnotify_started (&g->store, &spec);
  if (r == 0 && how.detach)
    {
      /* The monitor keeps the output in the log; nobody reads it live. */
      close (fd);
      printf ("%s\n", spec.id);
    }
  else if (r == 0)
    {
      r = pt_cli_relay (fd, pid, spec.interactive, spec.tty, &code, err);
      close (fd);
    }
  /* The monitor removes a --rm container too; removal is idempotent, and
     doing it here as well means it is gone when `run` returns. */
  if (spec.dir && spec.rm && !(r == 0 && how.detach))
    {
      pt_error_t tmp = NULL;
      if (pt_ctr_remove (&g->store, NULL, spec.id, false, r < 0 ? &tmp : err) < 0 && r == 0)
        r = -1;
      pt_error_release (&tmp);
    }
  if (spec.dir && how.rmi && !how.detach)
    remove_image (g, spec.image);
  pt_ctr_spec_free (&spec);
  if (r == 0)
    g->exit_code = code;
  return r;
}

const struct pt_cmd pt_cmd_run = {
  .name = "run",
  .usage = "[options] IMAGE [COMMAND [ARG...]]",
  .summary = "Run a command in a new container",
  .flags = pt_cli_create_flags,
  .stop_at_operand = true,
  .exec = run_exec,
};

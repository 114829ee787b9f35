/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool kube play and kube down: Kubernetes YAML (Pod, Deployment,
   PersistentVolumeClaim, ConfigMap) made into pods, containers and
   volumes through the same paths as pod create, create and volume create.
   Every document is checked before anything is made, and what a failure
   leaves half made is removed. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cmd.h"
#include "cmd-kube.h"
#include "cmd-kube-play.h"
#include "cmd-pod.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/log.h"
#include "lib/pod.h"
#include "lib/util.h"
#include "lib/volume.h"
#include "lib/yaml.h"


/* ---- reading and checking ---- */

void
pt_kube_warn_unknown (json_t *obj, const char *where, const char *const *known)
{
  const char *k;
  json_t *v;
  json_object_foreach (obj, k, v)
  {
    bool ok = false;
    for (size_t i = 0; known[i] && !ok; i++)
      ok = strcmp (known[i], k) == 0;
    if (!ok)
      pt_warn ("%s.%s is not honoured by podtool: ignored", where, k);
  }
}

const char *
pt_kube_str (json_t *o, const char *key)
{
  return json_string_value (json_object_get (o, key));
}

/* A Deployment's pod template as a Pod named NAME-pod, as Podman names it;
   *meta (when asked) the pod's metadata (the template's). */
static json_t *
pod_meta_of_doc (json_t *doc, char **name, json_t **meta_out)
{
  const char *kind = pt_kube_str (doc, "kind");
  json_t *meta = json_object_get (doc, "metadata"), *spec = json_object_get (doc, "spec");
  const char *n = pt_kube_str (meta, "name");
  if (kind && strcmp (kind, "Deployment") == 0)
    {
      json_int_t replicas = json_integer_value (json_object_get (spec, "replicas"));
      if (replicas > 1)
        pt_warn ("Deployment %s: %lld replicas asked for, podtool makes one", n ? n : "",
                 (long long)replicas);
      json_t *tmpl = json_object_get (spec, "template");
      *name = xasprintf ("%s-pod", n ? n : "deployment");
      if (meta_out)
        *meta_out = json_object_get (tmpl, "metadata");
      return json_object_get (tmpl, "spec");
    }
  *name = xstrdup (n ? n : "");
  if (meta_out)
    *meta_out = meta;
  return spec;
}

static json_t *
pod_of_doc (json_t *doc, char **name)
{
  return pod_meta_of_doc (doc, name, NULL);
}

static int
check_pod (json_t *doc, size_t line, pt_error_t *err)
{
  cleanup_free char *name = NULL;
  json_t *spec = pod_of_doc (doc, &name);
  json_t *cs = json_object_get (spec, "containers"), *c;
  if (*name == '\0')
    return pt_make_error (err, 0, "document at line %zu: metadata.name is missing", line);
  if (!json_is_array (cs) || json_array_size (cs) == 0)
    return pt_make_error (err, 0, "document at line %zu (%s): spec.containers is missing or empty",
                          line, name);
  size_t i;
  json_array_foreach (cs, i, c)
  if (!pt_kube_str (c, "name") || !pt_kube_str (c, "image"))
    return pt_make_error (err, 0,
                          "document at line %zu (%s): container %zu has no name or no image", line,
                          name, i);
  return 0;
}

static int
check_docs (struct play *p, size_t *lines, pt_error_t *err)
{
  size_t i;
  json_t *d;
  json_array_foreach (p->docs, i, d)
  {
    if (json_is_null (d))
      continue;
    const char *kind = pt_kube_str (d, "kind");
    if (!json_is_object (d) || kind == NULL)
      return pt_make_error (err, 0, "document at line %zu: not a Kubernetes object (no kind)",
                            lines[i]);
    if (strcmp (kind, "Pod") == 0 || strcmp (kind, "Deployment") == 0)
      {
        if (check_pod (d, lines[i], err) < 0)
          return -1;
      }
    else if (strcmp (kind, "ConfigMap") == 0)
      {
        const char *n = pt_kube_str (json_object_get (d, "metadata"), "name");
        if (n == NULL)
          return pt_make_error (err, 0, "document at line %zu: a ConfigMap without a name",
                                lines[i]);
        json_object_set_new (p->configmaps, n,
                         json_object_get (d, "data") ? json_incref (json_object_get (d, "data"))
                                                     : json_object ());
      }
    else if (strcmp (kind, "PersistentVolumeClaim") == 0)
      {
        if (pt_kube_str (json_object_get (d, "metadata"), "name") == NULL)
          return pt_make_error (err, 0, "document at line %zu: a PersistentVolumeClaim without "
                                        "a name", lines[i]);
      }
    else if (strcmp (kind, "Service") != 0)
      return pt_make_error (err, 0,
                            "document at line %zu: kind %s is not one podtool plays (Pod, "
                            "Deployment, PersistentVolumeClaim, ConfigMap, Service)",
                            lines[i], kind);
  }
  return 0;
}


static int
play_pod (struct play *p, json_t *doc, json_t *out, pt_error_t *err)
{
  cleanup_free char *name = NULL;
  json_t *meta = NULL;
  json_t *spec = pod_meta_of_doc (doc, &name, &meta);
  struct pt_store *s = &p->g->store;
  /* Podman's generate writes the last two, false: what podtool does anyway. */
  static const char *const known[] = { "containers", "restartPolicy", "hostname", "volumes",
                                       "automountServiceAccountToken", "enableServiceLinks", NULL };
  pt_kube_warn_unknown (spec, "spec", known);
  if (pt_pod_exists (s, name))
    {
      if (!p->replace)
        return pt_make_error (err, 0, "pod %s exists already: remove it, or give --replace",
                              name);
      struct pt_pod old;
      const struct pt_idmap *m = pt_global_idmap (p->g, err);
      if (m == NULL || pt_pod_lookup (s, name, &old, err) < 0)
        return -1;
      int r = pt_pod_rm (s, m, &old, true, 0, err);
      pt_pod_free (&old);
      if (r < 0)
        return -1;
    }
  /* Ports with a hostPort are the pod's, published once. */
  cleanup_strv char **infra = xzalloc (sizeof (char *));
  size_t i, k;
  json_t *c, *port;
  json_array_foreach (json_object_get (spec, "containers"), i, c)
  json_array_foreach (json_object_get (c, "ports"), k, port)
  {
    json_int_t hp = json_integer_value (json_object_get (port, "hostPort"));
    json_int_t cp = json_integer_value (json_object_get (port, "containerPort"));
    const char *proto = pt_kube_str (port, "protocol");
    if (hp <= 0 || cp <= 0)
      continue;
    cleanup_free char *pub = xasprintf ("%lld:%lld%s", (long long)hp, (long long)cp,
                                        proto && strcmp (proto, "UDP") == 0 ? "/udp" : "");
    pt_kube_arg2 (&infra, "-p", pub);
  }
  if (p->network)
    pt_kube_arg2 (&infra, "--network", p->network);
  cleanup_strv char **labels = xzalloc (sizeof (char *));
  const char *lk;
  json_t *lv;
  json_object_foreach (json_object_get (meta, "labels"), lk, lv)
  {
    cleanup_free char *kv = xasprintf ("%s=%s", lk, json_string_value (lv) ?: "");
    pt_strv_append (&labels, kv);
  }
  struct pt_cli_pod_make how
      = { .name = name, .hostname = pt_kube_str (spec, "hostname"), .infra = true, .labels = labels,
          .infra_args = infra };
  struct pt_pod pod;
  if (pt_cli_pod_make (p->g, &how, &pod, err) < 0)
    return -1;
  pt_strv_append (&p->made, pod.id);
  json_t *ids = json_array ();
  int r = 0;
  json_array_foreach (json_object_get (spec, "containers"), i, c)
  {
    char *id = NULL;
    if ((r = pt_kube_make_container (p, &pod, spec, c, &id, err)) < 0)
      break;
    json_array_append_new (ids, json_string (id));
    free (id);
  }
  if (r == 0 && p->start)
    r = pt_pod_start (s, &pod, err);
  json_array_append_new (out, json_pack ("{s:s, s:o}", "pod", pod.id, "containers", ids));
  pt_pod_free (&pod);
  return r;
}

static int
make_claims (struct play *p, pt_error_t *err)
{
  size_t i;
  json_t *d;
  json_array_foreach (p->docs, i, d)
  {
    const char *kind = pt_kube_str (d, "kind");
    if (kind == NULL || strcmp (kind, "PersistentVolumeClaim") != 0)
      continue;
    struct pt_volume v;
    const char *name = pt_kube_str (json_object_get (d, "metadata"), "name");
    if (pt_volume_create (&p->g->store, name, NULL, NULL, false, true, &v, err) < 0)
      return -1;
    pt_volume_free (&v);
  }
  return 0;
}

static int
read_docs (const char *file, json_t **docs, size_t **lines, pt_error_t *err)
{
  cleanup_free char *text = NULL;
  size_t len;
  if (pt_read_file (AT_FDCWD, strcmp (file, "-") == 0 ? "/dev/stdin" : file, &text, &len, err)
      < 0)
    return -1;
  if (pt_yaml_parse_lines (text, len, docs, lines, err) < 0)
    return pt_error_wrap (err, "%s", file);
  return 0;
}

/* --configmap FILE: its ConfigMaps, for the play's references. */
static int
read_configmaps (struct play *p, const char *file, pt_error_t *err)
{
  json_t *docs;
  cleanup_free size_t *lines = NULL;
  if (read_docs (file, &docs, &lines, err) < 0)
    return -1;
  size_t i;
  json_t *d;
  int r = 0;
  json_array_foreach (docs, i, d)
  {
    const char *kind = pt_kube_str (d, "kind"), *n = pt_kube_str (json_object_get (d, "metadata"), "name");
    if (kind == NULL || strcmp (kind, "ConfigMap") != 0 || n == NULL)
      {
        r = pt_make_error (err, 0, "--configmap %s: document at line %zu is not a named ConfigMap",
                           file, lines[i]);
        break;
      }
    json_object_set_new (p->configmaps, n,
                         json_object_get (d, "data") ? json_incref (json_object_get (d, "data"))
                                                     : json_object ());
  }
  json_decref (docs);
  return r;
}

static const struct pt_flag play_flags[] = {
  { 'q', "quiet", 'q', NULL, "Print nothing but errors" },
  { 259, "build", 0, NULL, "Build images the YAML names", PT_FLAG_NO_EFFECT,
    "podtool builds no images: they must be stored or pullable" },
  { 260, "configmap", 0, "FILE", "Read ConfigMaps from FILE too (repeatable)" },
  { 261, "log-driver", 0, "DRIVER", "The containers' log driver: k8s-file (the one)" },
  { 256, "network", 0, "MODE", "The pods' network (as pod create --network)" },
  { 257, "replace", 0, NULL, "Remove a pod of the same name first" },
  { 258, "start", 0, NULL, "Start the pods (true)" },
  /* Passed on to the pull of each image a pod lacks (262 and up). */
  { 262, "authfile", 0, "FILE", "Read the registry's credentials from FILE alone" },
  { 263, "cert-dir", 0, "DIR", "Trust the CA certificates (*.crt) in DIR" },
  { 264, "creds", 0, "USER[:PASS]", "Credentials for the registry" },
  { 265, "tls-verify", 0, NULL,
    "Require HTTPS and verify certificates (default true; false also allows plain HTTP)" },
  { 0, NULL, 0, NULL, NULL },
};

static int
play_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct play p = { .g = g, .start = true, .pull_args = xzalloc (sizeof (char *)) };
  cleanup_strv char **cm_files = xzalloc (sizeof (char *));
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_kube_play, argc, argv, err)) != -1)
    switch (c)
      {
      case 'q': p.quiet = pt_cli_optbool; break;
      case 256: p.network = optarg; break;
      case 257: p.replace = pt_cli_optbool; break;
      case 258: p.start = pt_cli_optbool; break;
      case 260: pt_strv_append (&cm_files, optarg); break;
      case 261:
        if (strcmp (optarg, "k8s-file") != 0)
          return pt_make_error (err, 0,
                                "--log-driver %s: not supported by podtool: its monitor keeps a "
                                "k8s-file log",
                                optarg);
        break;
      default:
        if (c < 262)
          return -1;
        pt_cli_pass_on (play_flags, c, &p.pull_args);
        break;
      }
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_kube_play, argc - optind, 1, 1, err);
  cleanup_free size_t *lines = NULL;
  if (pt_global_store (g, err) == NULL || read_docs (argv[optind], &p.docs, &lines, err) < 0)
    return -1;
  p.configmaps = json_object ();
  p.made = xzalloc (sizeof (char *));
  json_t *out = json_array ();
  int r = 0;
  for (size_t k = 0; r == 0 && cm_files[k]; k++)
    r = read_configmaps (&p, cm_files[k], err);
  if (r == 0)
    r = check_docs (&p, lines, err);
  if (r == 0)
    r = make_claims (&p, err);
  size_t i;
  json_t *d;
  json_array_foreach (p.docs, i, d)
  {
    const char *kind = pt_kube_str (d, "kind");
    if (r == 0 && kind && (strcmp (kind, "Pod") == 0 || strcmp (kind, "Deployment") == 0))
      r = play_pod (&p, d, out, err);
  }
  if (r < 0)
    {
      /* Nothing half made: the pods of this play go. */
      const struct pt_idmap *m = pt_global_idmap (g, NULL);
      for (size_t k = 0; m && p.made[k]; k++)
        {
          struct pt_pod pod;
          pt_error_t tmp = NULL;
          if (pt_pod_lookup (&g->store, p.made[k], &pod, &tmp) == 0)
            {
              if (pt_pod_rm (&g->store, m, &pod, true, 0, &tmp) < 0)
                pt_error_release (&tmp);
              pt_pod_free (&pod);
            }
          pt_error_release (&tmp);
        }
    }
  json_t *o;
  json_array_foreach (out, i, o)
  if (r == 0 && !p.quiet)
    {
      json_t *ids = json_object_get (o, "containers"), *x;
      size_t k;
      printf ("Pod:\n%s\n%s:\n", pt_kube_str (o, "pod"),
              json_array_size (ids) == 1 ? "Container" : "Containers");
      json_array_foreach (ids, k, x) printf ("%s\n", json_string_value (x));
      printf ("\n");
    }
  json_decref (out);
  json_decref (p.docs);
  json_decref (p.configmaps);
  pt_strv_free (p.made);
  pt_strv_free (p.pull_args);
  return r;
}

const struct pt_cmd pt_cmd_kube_play = {
  .name = "play",
  .usage = "[options] FILE|-",
  .summary = "Make pods, containers and volumes of Kubernetes YAML, and start them",
  .flags = play_flags,
  .exec = play_exec,
};

/* ---- down ---- */

static int
down_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  if (pt_cli_getopt (&pt_cmd_kube_down, argc, argv, err) != -1)
    return -1;
  if (argc - optind != 1)
    return pt_cli_need_args (&pt_cmd_kube_down, argc - optind, 1, 1, err);
  json_t *docs = NULL;
  cleanup_free size_t *lines = NULL;
  struct pt_store *s = pt_global_store (g, err);
  const struct pt_idmap *m = s ? pt_global_idmap (g, err) : NULL;
  if (m == NULL || read_docs (argv[optind], &docs, &lines, err) < 0)
    return -1;
  cleanup_strv char **gone = xzalloc (sizeof (char *));
  size_t i;
  json_t *d;
  int r = 0;
  json_array_foreach (docs, i, d)
  {
    const char *kind = pt_kube_str (d, "kind");
    if (r < 0 || kind == NULL || (strcmp (kind, "Pod") != 0 && strcmp (kind, "Deployment") != 0))
      continue;
    cleanup_free char *name = NULL;
    pod_of_doc (d, &name);
    struct pt_pod pod;
    pt_error_t tmp = NULL;
    if (pt_pod_lookup (s, name, &pod, &tmp) < 0)
      {
        pt_error_release (&tmp); /* not there: nothing to take down */
        continue;
      }
    if ((r = pt_pod_rm (s, m, &pod, true, -1, err)) == 0)
      pt_strv_append (&gone, pod.id);
    pt_pod_free (&pod);
  }
  json_decref (docs);
  if (r == 0 && gone[0])
    {
      printf ("Pods stopped:\n");
      for (size_t k = 0; gone[k]; k++)
        printf ("%s\n", gone[k]);
      printf ("Pods removed:\n");
      for (size_t k = 0; gone[k]; k++)
        printf ("%s\n", gone[k]);
    }
  return r;
}

const struct pt_cmd pt_cmd_kube_down = {
  .name = "down",
  .usage = "FILE|-",
  .summary = "Remove the pods a Kubernetes YAML file made",
  .exec = down_exec,
};

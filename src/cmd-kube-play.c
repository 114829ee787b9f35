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
#include "cmd-pod.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/log.h"
#include "lib/pod.h"
#include "lib/util.h"
#include "lib/volume.h"
#include "lib/yaml.h"

struct play
{
  struct pt_global *g;
  json_t *docs;
  json_t *configmaps; /* name: its data */
  const char *network;
  bool start, quiet, replace;
  char **made; /* pod ids, for the undoing of a failure */
};

/* ---- reading and checking ---- */

static void
warn_unknown (json_t *obj, const char *where, const char *const *known)
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

static const char *
str_at (json_t *o, const char *key)
{
  return json_string_value (json_object_get (o, key));
}

/* A Deployment's pod template as a Pod named NAME-pod, as Podman names it;
   *meta (when asked) the pod's metadata (the template's). */
static json_t *
pod_meta_of_doc (json_t *doc, char **name, json_t **meta_out)
{
  const char *kind = str_at (doc, "kind");
  json_t *meta = json_object_get (doc, "metadata"), *spec = json_object_get (doc, "spec");
  const char *n = str_at (meta, "name");
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
  if (!str_at (c, "name") || !str_at (c, "image"))
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
    const char *kind = str_at (d, "kind");
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
        const char *n = str_at (json_object_get (d, "metadata"), "name");
        if (n == NULL)
          return pt_make_error (err, 0, "document at line %zu: a ConfigMap without a name",
                                lines[i]);
        json_object_set_new (p->configmaps, n,
                         json_object_get (d, "data") ? json_incref (json_object_get (d, "data"))
                                                     : json_object ());
      }
    else if (strcmp (kind, "PersistentVolumeClaim") == 0)
      {
        if (str_at (json_object_get (d, "metadata"), "name") == NULL)
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

/* ---- one container's create arguments ---- */

static void
arg2 (char ***v, const char *flag, const char *value)
{
  pt_strv_append (v, flag);
  pt_strv_append (v, value);
}

/* 128Mi, 1G, 500000: bytes. */
static long long
memory_bytes (const char *q)
{
  char *end;
  double n = strtod (q, &end);
  static const struct
  {
    const char *sfx;
    double mul;
  } u[] = { { "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
            { "Ti", 1099511627776.0 }, { "k", 1e3 }, { "K", 1e3 }, { "M", 1e6 },
            { "G", 1e9 }, { "T", 1e12 }, { "", 1 } };
  for (size_t i = 0; i < sizeof u / sizeof *u; i++)
    if (strcmp (end, u[i].sfx) == 0)
      return (long long)(n * u[i].mul);
  return -1;
}

static int
env_args (struct play *p, json_t *c, char ***v, pt_error_t *err)
{
  size_t i;
  json_t *e;
  json_array_foreach (json_object_get (c, "env"), i, e)
  {
    const char *n = str_at (e, "name"), *val = str_at (e, "value");
    json_t *ref = json_object_get (json_object_get (e, "valueFrom"), "configMapKeyRef");
    if (n == NULL)
      return pt_make_error (err, 0, "container %s: an env entry without a name", str_at (c, "name"));
    if (ref)
      {
        json_t *data = json_object_get (p->configmaps, str_at (ref, "name") ?: "");
        val = str_at (data, str_at (ref, "key") ?: "");
        if (val == NULL && !json_is_true (json_object_get (ref, "optional")))
          return pt_make_error (err, 0, "container %s: env %s: no key %s in ConfigMap %s",
                                str_at (c, "name"), n, str_at (ref, "key") ?: "",
                                str_at (ref, "name") ?: "");
      }
    if (val == NULL && json_object_get (e, "value") == NULL && ref == NULL)
      pt_warn ("container %s: env %s: only value and configMapKeyRef are honoured",
               str_at (c, "name"), n);
    if (val)
      {
        cleanup_free char *kv = xasprintf ("%s=%s", n, val);
        arg2 (v, "-e", kv);
      }
  }
  json_array_foreach (json_object_get (c, "envFrom"), i, e)
  {
    const char *cm = str_at (json_object_get (e, "configMapRef"), "name");
    json_t *data = json_object_get (p->configmaps, cm ?: "");
    if (data == NULL)
      return pt_make_error (err, 0, "container %s: envFrom: no ConfigMap %s", str_at (c, "name"),
                            cm ?: "(unnamed)");
    const char *k;
    json_t *x;
    json_object_foreach (data, k, x)
    {
      cleanup_free char *kv = xasprintf ("%s=%s", k, json_string_value (x) ?: "");
      arg2 (v, "-e", kv);
    }
  }
  return 0;
}

static void
security_args (json_t *c, char ***v)
{
  json_t *sc = json_object_get (c, "securityContext"), *x;
  size_t i;
  if (sc == NULL)
    return;
  static const char *const known[] = { "runAsUser", "runAsGroup", "capabilities", "privileged",
                                       "readOnlyRootFilesystem", "allowPrivilegeEscalation",
                                       NULL };
  warn_unknown (sc, "securityContext", known);
  json_t *uid = json_object_get (sc, "runAsUser"), *gid = json_object_get (sc, "runAsGroup");
  if (json_is_integer (uid))
    {
      cleanup_free char *u = json_is_integer (gid)
                                 ? xasprintf ("%lld:%lld", (long long)json_integer_value (uid),
                                              (long long)json_integer_value (gid))
                                 : xasprintf ("%lld", (long long)json_integer_value (uid));
      arg2 (v, "-u", u);
    }
  json_array_foreach (json_object_get (json_object_get (sc, "capabilities"), "add"), i, x)
  if (json_string_value (x))
    arg2 (v, "--cap-add", json_string_value (x));
  json_array_foreach (json_object_get (json_object_get (sc, "capabilities"), "drop"), i, x)
  if (json_string_value (x))
    arg2 (v, "--cap-drop", json_string_value (x));
  if (json_is_true (json_object_get (sc, "privileged")))
    pt_strv_append (v, "--privileged");
  if (json_is_true (json_object_get (sc, "readOnlyRootFilesystem")))
    pt_strv_append (v, "--read-only");
  if (json_is_false (json_object_get (sc, "allowPrivilegeEscalation")))
    arg2 (v, "--security-opt", "no-new-privileges");
}

static int
resource_args (json_t *c, char ***v, pt_error_t *err)
{
  json_t *lim = json_object_get (json_object_get (c, "resources"), "limits");
  const char *mem = str_at (lim, "memory");
  json_t *cpu = json_object_get (lim, "cpu");
  if (mem)
    {
      long long b = memory_bytes (mem);
      if (b <= 0)
        return pt_make_error (err, 0, "container %s: resources.limits.memory `%s` is not a "
                                      "quantity", str_at (c, "name"), mem);
      cleanup_free char *m = xasprintf ("%lld", b);
      arg2 (v, "-m", m);
    }
  if (cpu)
    {
      const char *s = json_string_value (cpu);
      double n = s ? strtod (s, NULL) : json_number_value (cpu);
      if (s && s[0] && s[strlen (s) - 1] == 'm')
        n /= 1000;
      if (n <= 0)
        return pt_make_error (err, 0, "container %s: resources.limits.cpu is not a quantity",
                              str_at (c, "name"));
      cleanup_free char *cpus = xasprintf ("%g", n);
      arg2 (v, "--cpus", cpus);
    }
  return 0;
}

/* A configMap volume: its keys as files in the pod's record, bound read-only. */
static char *
configmap_dir (struct play *p, const char *pod_id, const char *vol, const char *cm,
               pt_error_t *err)
{
  json_t *data = json_object_get (p->configmaps, cm ? cm : "");
  if (data == NULL)
    {
      pt_make_error (err, 0, "volume %s: no ConfigMap %s in the file", vol, cm ? cm : "");
      return NULL;
    }
  char *dir = pt_store_path (&p->g->store, "pods/%s/configmaps/%s", pod_id, vol);
  if (pt_mkdir_p (dir, 0755, err) < 0)
    return free (dir), NULL;
  const char *k;
  json_t *x;
  json_object_foreach (data, k, x)
  {
    if (strchr (k, '/') || strcmp (k, "..") == 0 || strcmp (k, ".") == 0)
      {
        pt_make_error (err, 0, "ConfigMap %s: key `%s` is not a file name", cm, k);
        return free (dir), NULL;
      }
    cleanup_free char *f = xasprintf ("%s/%s", dir, k);
    const char *text = json_string_value (x) ?: "";
    if (pt_write_file_atomic (AT_FDCWD, f, text, strlen (text), 0644, 0, err) < 0)
      return free (dir), NULL;
  }
  return dir;
}

static int
mount_args (struct play *p, const char *pod_id, json_t *pod_spec, json_t *c, char ***v,
            pt_error_t *err)
{
  size_t i, k;
  json_t *m, *vol;
  json_array_foreach (json_object_get (c, "volumeMounts"), i, m)
  {
    const char *name = str_at (m, "name"), *path = str_at (m, "mountPath");
    bool ro = json_is_true (json_object_get (m, "readOnly"));
    json_t *found = NULL;
    json_array_foreach (json_object_get (pod_spec, "volumes"), k, vol)
    if (name && str_at (vol, "name") && strcmp (str_at (vol, "name"), name) == 0)
      found = vol;
    if (found == NULL || path == NULL)
      return pt_make_error (err, 0, "container %s: volumeMount %s names no volume of the pod",
                            str_at (c, "name"), name ? name : "(unnamed)");
    cleanup_free char *arg = NULL;
    json_t *hp = json_object_get (found, "hostPath"), *pvc = json_object_get (found, "persistentVolumeClaim");
    json_t *ed = json_object_get (found, "emptyDir"), *cm = json_object_get (found, "configMap");
    if (hp)
      arg = xasprintf ("%s:%s%s", str_at (hp, "path") ?: "", path, ro ? ":ro" : "");
    else if (pvc)
      arg = xasprintf ("%s:%s%s", str_at (pvc, "claimName") ?: "", path, ro ? ":ro" : "");
    else if (ed && str_at (ed, "medium") && strcmp (str_at (ed, "medium"), "Memory") == 0)
      {
        arg2 (v, "--tmpfs", path);
        continue;
      }
    else if (ed)
      arg = xstrdup (path); /* an anonymous volume, as Podman makes it */
    else if (cm)
      {
        cleanup_free char *dir = configmap_dir (p, pod_id, name, str_at (cm, "name"), err);
        if (dir == NULL)
          return -1;
        arg = xasprintf ("%s:%s:ro", dir, path);
      }
    else
      return pt_make_error (err, 0,
                            "volume %s: podtool plays hostPath, persistentVolumeClaim, emptyDir "
                            "and configMap volumes",
                            name);
    arg2 (v, "-v", arg);
  }
  return 0;
}

static const char *
pull_policy (json_t *c)
{
  const char *p = str_at (c, "imagePullPolicy");
  return p && strcmp (p, "Always") == 0 ? "always" : p && strcmp (p, "Never") == 0 ? "never"
                                                                                   : "missing";
}

static const char *
restart_of (json_t *pod_spec)
{
  const char *r = str_at (pod_spec, "restartPolicy");
  return r && strcmp (r, "Never") == 0 ? "no" : r && strcmp (r, "OnFailure") == 0 ? "on-failure"
                                                                                   : "always";
}

static int
make_container (struct play *p, const struct pt_pod *pod, json_t *pod_spec, json_t *c,
                char **id, pt_error_t *err)
{
  static const char *const known[]
      = { "name",    "image",           "command",   "args",         "env",
          "envFrom", "workingDir",      "ports",     "resources",    "securityContext",
          "tty",     "stdin",           "volumeMounts", "imagePullPolicy", "terminationMessagePath",
          "terminationMessagePolicy", NULL };
  cleanup_free char *where = xasprintf ("spec.containers[%s]", str_at (c, "name"));
  warn_unknown (c, where, known);
  cleanup_strv char **v = xzalloc (sizeof (char *));
  cleanup_free char *name = xasprintf ("%s-%s", pod->name, str_at (c, "name"));
  pt_strv_append (&v, "create");
  arg2 (&v, "--pod", pod->id);
  arg2 (&v, "--name", name);
  arg2 (&v, "--pull", pull_policy (c));
  arg2 (&v, "--restart", restart_of (pod_spec));
  if (p->quiet)
    pt_strv_append (&v, "-q");
  if (env_args (p, c, &v, err) < 0 || resource_args (c, &v, err) < 0
      || mount_args (p, pod->id, pod_spec, c, &v, err) < 0)
    return -1;
  security_args (c, &v);
  if (str_at (c, "workingDir"))
    arg2 (&v, "-w", str_at (c, "workingDir"));
  if (json_is_true (json_object_get (c, "tty")))
    pt_strv_append (&v, "-t");
  if (json_is_true (json_object_get (c, "stdin")))
    pt_strv_append (&v, "-i");
  json_t *cmd = json_object_get (c, "command");
  if (json_is_array (cmd))
    {
      cleanup_free char *ep = json_dumps (cmd, JSON_COMPACT);
      arg2 (&v, "--entrypoint", ep);
    }
  pt_strv_append (&v, str_at (c, "image"));
  size_t i;
  json_t *a;
  json_array_foreach (json_object_get (c, "args"), i, a)
  pt_strv_append (&v, json_is_string (a) ? json_string_value (a) : "");
  struct pt_ctr_spec spec = { 0 };
  struct pt_cli_run_how how;
  int saved = optind;
  optind = 0;
  int r = pt_cli_create_container (p->g, &pt_cmd_create, pt_strv_len (v), v, &how, &spec, err);
  optind = saved;
  if (r == 0)
    *id = xstrdup (spec.id);
  pt_ctr_spec_free (&spec);
  return r < 0 ? pt_error_wrap (err, "container %s", str_at (c, "name")) : 0;
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
  warn_unknown (spec, "spec", known);
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
    const char *proto = str_at (port, "protocol");
    if (hp <= 0 || cp <= 0)
      continue;
    cleanup_free char *pub = xasprintf ("%lld:%lld%s", (long long)hp, (long long)cp,
                                        proto && strcmp (proto, "UDP") == 0 ? "/udp" : "");
    arg2 (&infra, "-p", pub);
  }
  if (p->network)
    arg2 (&infra, "--network", p->network);
  cleanup_strv char **labels = xzalloc (sizeof (char *));
  const char *lk;
  json_t *lv;
  json_object_foreach (json_object_get (meta, "labels"), lk, lv)
  {
    cleanup_free char *kv = xasprintf ("%s=%s", lk, json_string_value (lv) ?: "");
    pt_strv_append (&labels, kv);
  }
  struct pt_cli_pod_make how
      = { .name = name, .hostname = str_at (spec, "hostname"), .infra = true, .labels = labels,
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
    if ((r = make_container (p, &pod, spec, c, &id, err)) < 0)
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
    const char *kind = str_at (d, "kind");
    if (kind == NULL || strcmp (kind, "PersistentVolumeClaim") != 0)
      continue;
    struct pt_volume v;
    const char *name = str_at (json_object_get (d, "metadata"), "name");
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
    const char *kind = str_at (d, "kind"), *n = str_at (json_object_get (d, "metadata"), "name");
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
  { 0, NULL, 0, NULL, NULL },
};

static int
play_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct play p = { .g = g, .start = true };
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
      default: return -1;
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
    const char *kind = str_at (d, "kind");
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
      printf ("Pod:\n%s\n%s:\n", str_at (o, "pod"),
              json_array_size (ids) == 1 ? "Container" : "Containers");
      json_array_foreach (ids, k, x) printf ("%s\n", json_string_value (x));
      printf ("\n");
    }
  json_decref (out);
  json_decref (p.docs);
  json_decref (p.configmaps);
  pt_strv_free (p.made);
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
    const char *kind = str_at (d, "kind");
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

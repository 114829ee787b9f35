/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kube play's containers: a Kubernetes container as the arguments of
   podtool create (env and ConfigMaps, securityContext, resources, volume
   mounts, pull and restart policies), and created (cmd-kube-play.h). */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "cmd-kube-play.h"
#include "cmd-run.h"
#include "lib/container.h"
#include "lib/log.h"
#include "lib/util.h"


void
pt_kube_arg2 (char ***v, const char *flag, const char *value)
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
    const char *n = pt_kube_str (e, "name"), *val = pt_kube_str (e, "value");
    json_t *ref = json_object_get (json_object_get (e, "valueFrom"), "configMapKeyRef");
    if (n == NULL)
      return pt_make_error (err, 0, "container %s: an env entry without a name", pt_kube_str (c, "name"));
    if (ref)
      {
        json_t *data = json_object_get (p->configmaps, pt_kube_str (ref, "name") ?: "");
        val = pt_kube_str (data, pt_kube_str (ref, "key") ?: "");
        if (val == NULL && !json_is_true (json_object_get (ref, "optional")))
          return pt_make_error (err, 0, "container %s: env %s: no key %s in ConfigMap %s",
                                pt_kube_str (c, "name"), n, pt_kube_str (ref, "key") ?: "",
                                pt_kube_str (ref, "name") ?: "");
      }
    if (val == NULL && json_object_get (e, "value") == NULL && ref == NULL)
      pt_warn ("container %s: env %s: only value and configMapKeyRef are honoured",
               pt_kube_str (c, "name"), n);
    if (val)
      {
        cleanup_free char *kv = xasprintf ("%s=%s", n, val);
        pt_kube_arg2 (v, "-e", kv);
      }
  }
  json_array_foreach (json_object_get (c, "envFrom"), i, e)
  {
    const char *cm = pt_kube_str (json_object_get (e, "configMapRef"), "name");
    json_t *data = json_object_get (p->configmaps, cm ?: "");
    if (data == NULL)
      return pt_make_error (err, 0, "container %s: envFrom: no ConfigMap %s", pt_kube_str (c, "name"),
                            cm ?: "(unnamed)");
    const char *k;
    json_t *x;
    json_object_foreach (data, k, x)
    {
      cleanup_free char *kv = xasprintf ("%s=%s", k, json_string_value (x) ?: "");
      pt_kube_arg2 (v, "-e", kv);
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
  pt_kube_warn_unknown (sc, "securityContext", known);
  json_t *uid = json_object_get (sc, "runAsUser"), *gid = json_object_get (sc, "runAsGroup");
  if (json_is_integer (uid))
    {
      cleanup_free char *u = json_is_integer (gid)
                                 ? xasprintf ("%lld:%lld", (long long)json_integer_value (uid),
                                              (long long)json_integer_value (gid))
                                 : xasprintf ("%lld", (long long)json_integer_value (uid));
      pt_kube_arg2 (v, "-u", u);
    }
  json_array_foreach (json_object_get (json_object_get (sc, "capabilities"), "add"), i, x)
  if (json_string_value (x))
    pt_kube_arg2 (v, "--cap-add", json_string_value (x));
  json_array_foreach (json_object_get (json_object_get (sc, "capabilities"), "drop"), i, x)
  if (json_string_value (x))
    pt_kube_arg2 (v, "--cap-drop", json_string_value (x));
  if (json_is_true (json_object_get (sc, "privileged")))
    pt_strv_append (v, "--privileged");
  if (json_is_true (json_object_get (sc, "readOnlyRootFilesystem")))
    pt_strv_append (v, "--read-only");
  if (json_is_false (json_object_get (sc, "allowPrivilegeEscalation")))
    pt_kube_arg2 (v, "--security-opt", "no-new-privileges");
}

static int
resource_args (json_t *c, char ***v, pt_error_t *err)
{
  json_t *lim = json_object_get (json_object_get (c, "resources"), "limits");
  const char *mem = pt_kube_str (lim, "memory");
  json_t *cpu = json_object_get (lim, "cpu");
  if (mem)
    {
      long long b = memory_bytes (mem);
      if (b <= 0)
        return pt_make_error (err, 0, "container %s: resources.limits.memory `%s` is not a "
                                      "quantity", pt_kube_str (c, "name"), mem);
      cleanup_free char *m = xasprintf ("%lld", b);
      pt_kube_arg2 (v, "-m", m);
    }
  if (cpu)
    {
      const char *s = json_string_value (cpu);
      double n = s ? strtod (s, NULL) : json_number_value (cpu);
      if (s && s[0] && s[strlen (s) - 1] == 'm')
        n /= 1000;
      if (n <= 0)
        return pt_make_error (err, 0, "container %s: resources.limits.cpu is not a quantity",
                              pt_kube_str (c, "name"));
      cleanup_free char *cpus = xasprintf ("%g", n);
      pt_kube_arg2 (v, "--cpus", cpus);
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
    const char *name = pt_kube_str (m, "name"), *path = pt_kube_str (m, "mountPath");
    bool ro = json_is_true (json_object_get (m, "readOnly"));
    json_t *found = NULL;
    json_array_foreach (json_object_get (pod_spec, "volumes"), k, vol)
    if (name && pt_kube_str (vol, "name") && strcmp (pt_kube_str (vol, "name"), name) == 0)
      found = vol;
    if (found == NULL || path == NULL)
      return pt_make_error (err, 0, "container %s: volumeMount %s names no volume of the pod",
                            pt_kube_str (c, "name"), name ? name : "(unnamed)");
    cleanup_free char *arg = NULL;
    json_t *hp = json_object_get (found, "hostPath"), *pvc = json_object_get (found, "persistentVolumeClaim");
    json_t *ed = json_object_get (found, "emptyDir"), *cm = json_object_get (found, "configMap");
    if (hp)
      arg = xasprintf ("%s:%s%s", pt_kube_str (hp, "path") ?: "", path, ro ? ":ro" : "");
    else if (pvc)
      arg = xasprintf ("%s:%s%s", pt_kube_str (pvc, "claimName") ?: "", path, ro ? ":ro" : "");
    else if (ed && pt_kube_str (ed, "medium") && strcmp (pt_kube_str (ed, "medium"), "Memory") == 0)
      {
        pt_kube_arg2 (v, "--tmpfs", path);
        continue;
      }
    else if (ed)
      arg = xstrdup (path); /* an anonymous volume, as Podman makes it */
    else if (cm)
      {
        cleanup_free char *dir = configmap_dir (p, pod_id, name, pt_kube_str (cm, "name"), err);
        if (dir == NULL)
          return -1;
        arg = xasprintf ("%s:%s:ro", dir, path);
      }
    else
      return pt_make_error (err, 0,
                            "volume %s: podtool plays hostPath, persistentVolumeClaim, emptyDir "
                            "and configMap volumes",
                            name);
    pt_kube_arg2 (v, "-v", arg);
  }
  return 0;
}

static const char *
pull_policy (json_t *c)
{
  const char *p = pt_kube_str (c, "imagePullPolicy");
  return p && strcmp (p, "Always") == 0 ? "always" : p && strcmp (p, "Never") == 0 ? "never"
                                                                                   : "missing";
}

static const char *
restart_of (json_t *pod_spec)
{
  const char *r = pt_kube_str (pod_spec, "restartPolicy");
  return r && strcmp (r, "Never") == 0 ? "no" : r && strcmp (r, "OnFailure") == 0 ? "on-failure"
                                                                                   : "always";
}

int
pt_kube_make_container (struct play *p, const struct pt_pod *pod, json_t *pod_spec, json_t *c,
                char **id, pt_error_t *err)
{
  static const char *const known[]
      = { "name",    "image",           "command",   "args",         "env",
          "envFrom", "workingDir",      "ports",     "resources",    "securityContext",
          "tty",     "stdin",           "volumeMounts", "imagePullPolicy", "terminationMessagePath",
          "terminationMessagePolicy", NULL };
  cleanup_free char *where = xasprintf ("spec.containers[%s]", pt_kube_str (c, "name"));
  pt_kube_warn_unknown (c, where, known);
  cleanup_strv char **v = xzalloc (sizeof (char *));
  cleanup_free char *name = xasprintf ("%s-%s", pod->name, pt_kube_str (c, "name"));
  pt_strv_append (&v, "create");
  pt_kube_arg2 (&v, "--pod", pod->id);
  pt_kube_arg2 (&v, "--name", name);
  pt_kube_arg2 (&v, "--pull", pull_policy (c));
  for (size_t k = 0; p->pull_args && p->pull_args[k]; k++)
    pt_strv_append (&v, p->pull_args[k]);
  pt_kube_arg2 (&v, "--restart", restart_of (pod_spec));
  if (p->quiet)
    pt_strv_append (&v, "-q");
  if (env_args (p, c, &v, err) < 0 || resource_args (c, &v, err) < 0
      || mount_args (p, pod->id, pod_spec, c, &v, err) < 0)
    return -1;
  security_args (c, &v);
  if (pt_kube_str (c, "workingDir"))
    pt_kube_arg2 (&v, "-w", pt_kube_str (c, "workingDir"));
  if (json_is_true (json_object_get (c, "tty")))
    pt_strv_append (&v, "-t");
  if (json_is_true (json_object_get (c, "stdin")))
    pt_strv_append (&v, "-i");
  json_t *cmd = json_object_get (c, "command");
  if (json_is_array (cmd))
    {
      cleanup_free char *ep = json_dumps (cmd, JSON_COMPACT);
      pt_kube_arg2 (&v, "--entrypoint", ep);
    }
  pt_strv_append (&v, pt_kube_str (c, "image"));
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
  return r < 0 ? pt_error_wrap (err, "container %s", pt_kube_str (c, "name")) : 0;
}

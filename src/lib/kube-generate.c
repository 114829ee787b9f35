/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podman kube generate: containers and pods as Kubernetes YAML (kube.h). */
#include <config.h>
#include "kube.h"
#include "container.h"
#include "image.h"
#include "jsonutil.h"
#include "pod.h"
#include "util.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool
strv_eq (char **a, char **b)
{
  size_t i = 0;
  for (; a && b && a[i] && b[i]; i++)
    if (strcmp (a[i], b[i]) != 0)
      return false;
  return (a == NULL || a[i] == NULL) && (b == NULL || b[i] == NULL);
}

static bool
is_dir (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

/* Kubernetes names: lower case, digits and '-'. */
static char *
kube_name (const char *n)
{
  char *s = xstrdup (n);
  for (char *p = s; *p; p++)
    *p = isalnum ((unsigned char)*p) ? (char)tolower ((unsigned char)*p) : '-';
  return s;
}

/* command and args: what differs from the image's entrypoint and cmd. */
static void
add_command (json_t *c, const struct pt_ctr_spec *spec, json_t *cfg)
{
  cleanup_strv char **ep = pt_json_strv (json_object_get (cfg, "Entrypoint"));
  cleanup_strv char **cmd = pt_json_strv (json_object_get (cfg, "Cmd"));
  size_t n = pt_strv_len (ep), k = 0;
  for (; k < n && spec->argv[k] && strcmp (spec->argv[k], ep[k]) == 0; k++)
    ;
  if (k < n)
    {
      json_object_set_new (c, "command", pt_strv_json (spec->argv));
      return;
    }
  if (!strv_eq (spec->argv + n, cmd))
    json_object_set_new (c, "args", pt_strv_json (spec->argv + n));
}

/* env beyond what the image and podtool's defaults set. */
static void
add_env (json_t *c, const struct pt_ctr_spec *spec, json_t *cfg)
{
  cleanup_strv char **img = pt_json_strv (json_object_get (cfg, "Env"));
  json_t *env = json_array ();
  for (size_t i = 0; spec->env && spec->env[i]; i++)
    {
      const char *e = spec->env[i], *eq = strchr (e, '=');
      bool known = eq == NULL || pt_str_has_prefix (e, "container=")
                   || pt_str_has_prefix (e, "HOSTNAME=") || pt_str_has_prefix (e, "TERM=")
                   || pt_str_has_prefix (e, "HOME=");
      for (size_t k = 0; !known && img && img[k]; k++)
        known = strcmp (img[k], e) == 0;
      if (strcmp (e, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") == 0)
        known = true;
      if (known)
        continue;
      cleanup_free char *name = xstrndup (e, eq - e);
      json_array_append_new (env, json_pack ("{s:s, s:s}", "name", name, "value", eq + 1));
    }
  if (json_array_size (env))
    json_object_set_new (c, "env", env);
  else
    json_decref (env);
}

static void
add_security (json_t *c, const struct pt_ctr_spec *spec)
{
  json_t *sc = json_object ();
  if (spec->privileged)
    json_object_set_new (sc, "privileged", json_true ());
  if (spec->read_only)
    json_object_set_new (sc, "readOnlyRootFilesystem", json_true ());
  json_t *caps = json_object ();
  const char *which[] = { "add", "drop" };
  char **lists[] = { spec->cap_add, spec->cap_drop };
  for (int w = 0; w < 2; w++)
    if (lists[w] && lists[w][0])
      {
        json_t *a = json_array ();
        for (size_t i = 0; lists[w][i]; i++)
          json_array_append_new (a, json_string (pt_str_has_prefix (lists[w][i], "CAP_")
                                                     ? lists[w][i] + 4
                                                     : lists[w][i]));
        json_object_set_new (caps, which[w], a);
      }
  if (json_object_size (caps))
    json_object_set_new (sc, "capabilities", caps);
  else
    json_decref (caps);
  /* -u UID[:GID], numeric: runAsUser, runAsGroup. */
  if (spec->user && *spec->user && isdigit ((unsigned char)*spec->user))
    {
      char *end;
      long uid = strtol (spec->user, &end, 10);
      if (*end == '\0' || *end == ':')
        json_object_set_new (sc, "runAsUser", json_integer (uid));
      if (*end == ':' && isdigit ((unsigned char)end[1]))
        json_object_set_new (sc, "runAsGroup", json_integer (strtol (end + 1, NULL, 10)));
    }
  if (json_object_size (sc))
    json_object_set_new (c, "securityContext", sc);
  else
    json_decref (sc);
}

static void
add_resources (json_t *c, const struct pt_ctr_spec *spec)
{
  json_t *limits = json_object ();
  if (spec->limits.memory > 0)
    {
      cleanup_free char *m = xasprintf ("%lld", (long long)spec->limits.memory);
      json_object_set_new (limits, "memory", json_string (m));
    }
  if (spec->limits.cpu_quota > 0)
    {
      /* cpu_quota: µs per 100 ms; millicores. */
      cleanup_free char *cpu = xasprintf ("%lldm", (long long)spec->limits.cpu_quota / 100);
      json_object_set_new (limits, "cpu", json_string (cpu));
    }
  if (json_object_size (limits))
    json_object_set_new (c, "resources", json_pack ("{s:o}", "limits", limits));
  else
    json_decref (limits);
}

/* volumeMounts, and the pod's volumes they name (added once). */
static void
add_mounts (json_t *c, json_t *volumes, const struct pt_ctr_spec *spec)
{
  json_t *vm = json_array ();
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const struct pt_mount *m = &spec->mounts[i];
      json_t *vol = NULL;
      cleanup_free char *name = NULL;
      if (strcmp (m->type, "bind") == 0)
        {
          cleanup_free char *base = kube_name (m->source + (m->source[1] ? 1 : 0));
          name = xasprintf ("%s-host-%zu", base, i);
          vol = json_pack ("{s:s, s:{s:s, s:s}}", "name", name, "hostPath", "path", m->source,
                           "type", is_dir (m->source) ? "Directory" : "File");
        }
      else if (strcmp (m->type, "volume") == 0 && m->volume && *m->volume && !m->anonymous)
        {
          cleanup_free char *base = kube_name (m->volume);
          name = xasprintf ("%s-pvc", base);
          vol = json_pack ("{s:s, s:{s:s}}", "name", name, "persistentVolumeClaim", "claimName",
                           m->volume);
        }
      else if (strcmp (m->type, "tmpfs") == 0)
        {
          cleanup_free char *base = kube_name (m->destination + 1);
          name = xasprintf ("%s-tmpfs-%zu", base, i);
          vol = json_pack ("{s:s, s:{s:s}}", "name", name, "emptyDir", "medium", "Memory");
        }
      else
        continue;
      json_t *one = json_pack ("{s:s, s:s}", "mountPath", m->destination, "name", name);
      if (m->readonly)
        json_object_set_new (one, "readOnly", json_true ());
      json_array_append_new (vm, one);
      json_array_append_new (volumes, vol);
    }
  if (json_array_size (vm))
    json_object_set_new (c, "volumeMounts", vm);
  else
    json_decref (vm);
}

static void
add_ports (json_t *c, const struct pt_net *net)
{
  json_t *ports = json_array ();
  for (size_t i = 0; i < net->n_ports; i++)
    {
      const struct pt_port *p = &net->ports[i];
      json_t *one = json_pack ("{s:i}", "containerPort", p->ctr_port);
      if (p->host_port)
        json_object_set_new (one, "hostPort", json_integer (p->host_port));
      if (p->host_ip[0])
        json_object_set_new (one, "hostIP", json_string (p->host_ip));
      if (p->udp)
        json_object_set_new (one, "protocol", json_string ("UDP"));
      json_array_append_new (ports, one);
    }
  if (json_array_size (ports))
    json_object_set_new (c, "ports", ports);
  else
    json_decref (ports);
}

/* cfg: the "config" of the container's image. */
static json_t *
container_json (const struct pt_ctr_spec *spec, json_t *cfg, const struct pt_net *ports,
                json_t *volumes)
{
  cleanup_free char *name = kube_name (spec->name);
  json_t *c = json_pack ("{s:s, s:s}", "name", name, "image", spec->image);
  add_command (c, spec, cfg);
  add_env (c, spec, cfg);
  const char *wd = json_string_value (json_object_get (cfg, "WorkingDir"));
  if (spec->cwd && *spec->cwd && strcmp (spec->cwd, wd ? wd : "/") != 0
      && !(wd == NULL && strcmp (spec->cwd, "/") == 0))
    json_object_set_new (c, "workingDir", json_string (spec->cwd));
  if (ports)
    add_ports (c, ports);
  add_resources (c, spec);
  add_security (c, spec);
  add_mounts (c, volumes, spec);
  if (spec->tty)
    json_object_set_new (c, "tty", json_true ());
  if (spec->interactive)
    json_object_set_new (c, "stdin", json_true ());
  return c;
}

static const char *
restart_policy (const struct pt_ctr_spec *spec)
{
  const char *r = spec->restart_policy ? spec->restart_policy : "";
  return strcmp (r, "always") == 0 || strcmp (r, "unless-stopped") == 0 ? "Always"
         : strcmp (r, "on-failure") == 0                                   ? "OnFailure"
                                                                           : "Never";
}

static void
add_kv (json_t *meta, const char *key, char **kv)
{
  json_t *o = json_object ();
  for (size_t i = 0; kv && kv[i]; i++)
    {
      const char *eq = strchr (kv[i], '=');
      cleanup_free char *k = eq ? xstrndup (kv[i], eq - kv[i]) : xstrdup (kv[i]);
      json_object_set_new (o, k, json_string (eq ? eq + 1 : ""));
    }
  if (json_object_size (o))
    json_object_set_new (meta, key, o);
  else
    json_decref (o);
}

/* The container's own labels (--label), not those it has of its image. */
static void
add_labels (const struct pt_ctr_spec *spec, json_t *cfg, json_t *labels)
{
  json_t *img = json_object_get (cfg, "Labels");
  for (size_t k = 0; spec->labels && spec->labels[k]; k++)
    {
      const char *eq = strchr (spec->labels[k], '=');
      cleanup_free char *key
          = eq ? xstrndup (spec->labels[k], eq - spec->labels[k]) : xstrdup (spec->labels[k]);
      const char *val = eq ? eq + 1 : "", *had = json_string_value (json_object_get (img, key));
      if (had == NULL || strcmp (had, val) != 0)
        json_object_set_new (labels, key, json_string (val));
    }
}

/* The containers of one Pod: a pod's members, or the containers named. */
static int
pod_of (struct pt_store *s, char **ids, const char *pod_name, const struct pt_net *pod_ports,
        json_t **out, pt_error_t *err)
{
  json_t *containers = json_array (), *volumes = json_array ();
  cleanup_free char *name = kube_name (pod_name);
  json_t *meta = json_pack ("{s:s, s:{s:s}}", "name", name, "labels", "app", name);
  cleanup_free char *created = pt_format_time_ns (pt_now_ns ());
  json_object_set_new (meta, "creationTimestamp", json_string (created));
  const char *restart = "Never";
  int r = 0;
  for (size_t i = 0; r == 0 && ids[i]; i++)
    {
      struct pt_ctr_spec spec;
      if ((r = pt_ctr_spec_read (s, ids[i], &spec, err)) < 0)
        break;
      json_t *root = pt_image_read_config (s, spec.image_id, err);
      json_t *cfg = json_object_get (root, "config");
      if (root == NULL)
        r = -1;
      else
        json_array_append_new (containers,
                               container_json (&spec, cfg,
                                               pod_ports ? (i == 0 ? pod_ports : NULL) : &spec.net,
                                               volumes));
      restart = restart_policy (&spec);
      if (r == 0 && i == 0)
        {
          add_labels (&spec, cfg, json_object_get (meta, "labels"));
          add_kv (meta, "annotations", spec.annotations);
        }
      json_decref (root);
      pt_ctr_spec_free (&spec);
    }
  if (r < 0)
    {
      json_decref (containers);
      json_decref (volumes);
      json_decref (meta);
      return -1;
    }
  json_t *spec = json_pack ("{s:o, s:s}", "containers", containers, "restartPolicy", restart);
  if (json_array_size (volumes))
    json_object_set_new (spec, "volumes", volumes);
  else
    json_decref (volumes);
  *out = json_pack ("{s:s, s:s, s:o, s:o}", "apiVersion", "v1", "kind", "Pod", "metadata", meta,
                    "spec", spec);
  return 0;
}

static json_t *
service_of (json_t *pod)
{
  json_t *meta = json_object_get (pod, "metadata");
  const char *name = json_string_value (json_object_get (meta, "name"));
  json_t *ports = json_array (), *c;
  size_t i, k;
  json_array_foreach (json_object_get (json_object_get (pod, "spec"), "containers"), i, c)
  {
    json_t *p;
    json_array_foreach (json_object_get (c, "ports"), k, p)
    {
      json_int_t port = json_integer_value (json_object_get (p, "containerPort"));
      cleanup_free char *pn = xasprintf ("%lld", (long long)port);
      const char *proto = json_string_value (json_object_get (p, "protocol"));
      json_array_append_new (ports, json_pack ("{s:s, s:I, s:s, s:I}", "name", pn, "port", port,
                                               "protocol", proto ? proto : "TCP", "targetPort",
                                               port));
    }
  }
  return json_pack ("{s:s, s:s, s:{s:s, s:{s:s}}, s:{s:o, s:{s:s}, s:s}}", "apiVersion", "v1",
                    "kind", "Service", "metadata", "name", name, "labels", "app", name, "spec",
                    "ports", ports, "selector", "app", name, "type", "NodePort");
}

int
pt_kube_generate (struct pt_store *s, char **refs, bool service, json_t **docs, pt_error_t *err)
{
  *docs = json_array ();
  cleanup_strv char **loose = xzalloc (sizeof (char *));
  for (size_t i = 0; refs[i]; i++)
    {
      struct pt_pod pod;
      pt_error_t tmp = NULL;
      json_t *doc = NULL;
      int r = 0;
      if (pt_pod_lookup (s, refs[i], &pod, &tmp) == 0)
        {
          cleanup_strv char **ids = NULL;
          struct pt_ctr_spec infra = { 0 };
          r = pt_pod_members (s, pod.id, false, &ids, err);
          if (r == 0 && *pod.infra_id)
            r = pt_ctr_spec_read (s, pod.infra_id, &infra, err);
          if (r == 0 && ids[0] == NULL)
            r = pt_make_error (err, 0, "pod %s has no containers to generate", pod.name);
          if (r == 0)
            r = pod_of (s, ids, pod.name, *pod.infra_id ? &infra.net : NULL, &doc, err);
          if (r == 0 && doc)
            json_object_set_new (json_object_get (doc, "spec"), "hostname",
                                 json_string (pod.hostname));
          pt_ctr_spec_free (&infra);
          pt_pod_free (&pod);
        }
      else
        {
          pt_error_release (&tmp);
          char *id;
          if ((r = pt_ctr_resolve (s, refs[i], &id, err)) == 0)
            {
              pt_strv_append (&loose, id);
              free (id);
            }
        }
      if (r < 0)
        {
          json_decref (*docs);
          return -1;
        }
      if (doc)
        json_array_append_new (*docs, doc);
    }
  /* Containers named: one Pod of them all, named after the first. */
  if (loose[0])
    {
      struct pt_ctr_spec first;
      json_t *doc;
      if (pt_ctr_spec_read (s, loose[0], &first, err) < 0)
        return json_decref (*docs), -1;
      cleanup_free char *name = xasprintf ("%s-pod", first.name);
      pt_ctr_spec_free (&first);
      if (pod_of (s, loose, name, NULL, &doc, err) < 0)
        return json_decref (*docs), -1;
      json_array_append_new (*docs, doc);
    }
  size_t n = json_array_size (*docs);
  for (size_t i = 0; service && i < n; i++)
    json_array_append_new (*docs, service_of (json_array_get (*docs, i)));
  return 0;
}

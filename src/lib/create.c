/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's spec from an image and the options of run/create: see create.h. */
#include <config.h>
#include "create.h"
#include "image.h"
#include "jsonutil.h"
#include "reference.h"
#include "util.h"
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PATH "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int
build_command (const struct pt_create_opts *o, json_t *cfg, char **args, char ***argv,
               pt_error_t *err)
{
  cleanup_strv char **entry = o->entrypoint ? pt_strv_dup (o->entrypoint)
                                            : pt_json_strv (json_object_get (cfg, "Entrypoint"));
  *argv = pt_strv_dup (entry);
  if (args[0])
    for (size_t i = 0; args[i]; i++)
      pt_strv_append (argv, args[i]);
  else if (!o->entrypoint)
    {
      cleanup_strv char **cmd = pt_json_strv (json_object_get (cfg, "Cmd"));
      for (size_t i = 0; cmd[i]; i++)
        pt_strv_append (argv, cmd[i]);
    }
  if ((*argv)[0] == NULL)
    return pt_make_error (err, 0,
                          "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
  return 0;
}

static void
build_env (const struct pt_create_opts *o, json_t *cfg, const char *hostname, char ***env)
{
  *env = xzalloc (sizeof (char *));
  cleanup_strv char **image_env = pt_json_strv (json_object_get (cfg, "Env"));
  cleanup_free char *h = xasprintf ("HOSTNAME=%s", hostname);
  /* Least to most: the defaults, the image's, then the options' (Podman's order). */
  if (!o->unsetenv_all)
    {
      pt_env_set (env, DEFAULT_PATH);
      pt_env_set (env, "TERM=xterm");
      pt_env_set (env, "container=podtool");
      pt_env_set (env, h);
      for (size_t i = 0; image_env[i]; i++)
        if (strchr (image_env[i], '='))
          pt_env_set (env, image_env[i]);
    }
  for (size_t i = 0; o->unsetenv && o->unsetenv[i]; i++)
    pt_env_unset (*env, o->unsetenv[i]);
  for (size_t i = 0; o->env && o->env[i]; i++)
    pt_env_set (env, o->env[i]);
}

static char *
display_name (const struct pt_image *img, const char *ref)
{
  cleanup_free char *norm = pt_ref_normalize (ref);
  for (size_t i = 0; norm && img->names[i]; i++)
    if (pt_ref_matches (img->names[i], norm))
      return xstrdup (img->names[i]);
  return xstrdup (img->names[0] ? img->names[0] : img->id);
}

/* The image's labels, then --label's over them, as Podman merges them. */
static char **
build_labels (const struct pt_create_opts *o, json_t *cfg)
{
  char **labels = xzalloc (sizeof (char *));
  const char *key;
  json_t *v;
  json_object_foreach (json_object_get (cfg, "Labels"), key, v)
  {
    cleanup_free char *kv = xasprintf ("%s=%s", key, json_string_value (v) ?: "");
    pt_env_set (&labels, kv);
  }
  for (size_t i = 0; o->labels && o->labels[i]; i++)
    {
      cleanup_free char *kv
          = strchr (o->labels[i], '=') ? xstrdup (o->labels[i]) : xasprintf ("%s=", o->labels[i]);
      pt_env_set (&labels, kv);
    }
  return labels;
}

/* The image's Healthcheck, with the options over it. */
static void
build_health (struct pt_create_opts *o, json_t *cfg, struct pt_ctr_spec *spec)
{
  json_t *h = json_object_get (cfg, "Healthcheck");
  if (o->health.disable)
    {
      spec->health_test = xzalloc (2 * sizeof (char *));
      spec->health_test[0] = xstrdup ("NONE");
      return;
    }
  spec->health_test = o->health.test ? pt_strv_dup (o->health.test)
                                     : pt_json_strv (json_object_get (h, "Test"));
  if (spec->health_test && spec->health_test[0] == NULL)
    {
      pt_strv_free (spec->health_test);
      spec->health_test = NULL;
    }
  spec->health_interval = o->health.interval
                              ? o->health.interval
                              : json_integer_value (json_object_get (h, "Interval"));
  spec->health_timeout = o->health.timeout ? o->health.timeout
                                           : json_integer_value (json_object_get (h, "Timeout"));
  spec->health_start_period = o->health.start_period < 0 ? 0
                              : o->health.start_period
                                  ? o->health.start_period
                                  : json_integer_value (json_object_get (h, "StartPeriod"));
  spec->health_retries = o->health.retries
                             ? o->health.retries
                             : (int)json_integer_value (json_object_get (h, "Retries"));
}

int
pt_ctr_build (struct pt_store *s, struct pt_create_opts *o, const char *ref, char **args,
              struct pt_ctr_spec *spec, pt_error_t *err)
{
  struct pt_image img = { 0 };
  memset (spec, 0, sizeof *spec);
  if (pt_image_lookup (s, ref, &img, err) < 0)
    {
      pt_net_free (&o->net);
      pt_net_init (&o->net);
      return -1;
    }
  json_t *root = pt_image_read_config (s, img.id, err);
  int r = root ? 0 : -1;
  json_t *cfg = json_object_get (root, "config");
  spec->id = pt_random_id ();
  spec->name = xstrdup (o->name ? o->name : "");
  spec->image = display_name (&img, ref);
  spec->image_id = xstrdup (img.id);
  spec->hostname = o->hostname ? xstrdup (o->hostname) : xstrndup (spec->id, 12);
  /* The network and its ports: -P takes the image's ExposedPorts. */
  spec->net = o->net;
  pt_net_init (&o->net);
  if (r == 0)
    r = pt_net_prepare (s, &spec->net, json_object_get (cfg, "ExposedPorts"), o->expose,
                        o->publish_all, err);
  spec->network = pt_net_mode_name (&spec->net);
  spec->storage = xstrdup (o->storage ? o->storage : "overlay");
  spec->rm = o->rm;
  spec->created_ns = pt_now_ns ();
  spec->cwd_explicit = o->workdir != NULL;
  const char *wd = json_string_value (json_object_get (cfg, "WorkingDir"));
  spec->cwd = xstrdup (o->workdir ? o->workdir : (wd && *wd ? wd : "/"));
  int sig = pt_parse_signal (json_string_value (json_object_get (cfg, "StopSignal")));
  spec->stop_signal = sig > 0 ? sig : SIGTERM;
  const char *user = json_string_value (json_object_get (cfg, "User"));
  spec->user = xstrdup (o->user ? o->user : (user ? user : ""));
  spec->layers = xzalloc (sizeof (char *));
  for (size_t i = 0; img.layers[i]; i++)
    {
      cleanup_free char *p = pt_store_path (s, "layers/%s", img.layers[i]);
      pt_strv_append (&spec->layers, p);
    }
  if (r == 0 && spec->cwd[0] != '/')
    r = pt_make_error (err, 0, "invalid workdir `%s`: it must be an absolute path", spec->cwd);
  if (r == 0)
    r = build_command (o, cfg, args, &spec->argv, err);
  if (r == 0)
    build_env (o, cfg, spec->hostname, &spec->env);
  spec->labels = build_labels (o, cfg);
  build_health (o, cfg, spec);
  json_decref (root);
  pt_image_free (&img);
  return r;
}

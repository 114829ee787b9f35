/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dockerfile instructions onto an image config: see image-change.h. */
#include <config.h>
#include "image-change.h"
#include "util.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A JSON array of strings, or NULL if text is not one. */
static json_t *
json_strings (const char *text)
{
  json_t *j = json_loads (text, 0, NULL);
  size_t i;
  json_t *v;
  if (!json_is_array (j))
    {
      json_decref (j);
      return NULL;
    }
  json_array_foreach (j, i, v) if (!json_is_string (v))
  {
    json_decref (j);
    return NULL;
  }
  return j;
}

/* The words of a line, "quotes" taken off. */
static char **
words (const char *text)
{
  char **out = xzalloc (sizeof (char *));
  const char *p = text;
  while (*p)
    {
      while (isspace ((unsigned char)*p))
        p++;
      if (*p == '\0')
        break;
      char *w = xzalloc (strlen (p) + 1), *o = w;
      char quote = 0;
      for (; *p && (quote || !isspace ((unsigned char)*p)); p++)
        if (quote && *p == quote)
          quote = 0;
        else if (!quote && (*p == '"' || *p == '\''))
          quote = *p;
        else
          *o++ = *p;
      pt_strv_append (&out, w);
      free (w);
    }
  return out;
}

static json_t *
object_in (json_t *cfg, const char *key)
{
  json_t *o = json_object_get (cfg, key);
  if (!json_is_object (o))
    {
      o = json_object ();
      json_object_set_new (cfg, key, o);
    }
  return o;
}

/* K=V words into an object (LABEL) or an env array (ENV, replacing K). */
static int
pairs (json_t *cfg, const char *what, const char *args, pt_error_t *err)
{
  cleanup_strv char **w = words (args);
  bool env = strcmp (what, "ENV") == 0;
  /* The old single form: ENV K V. */
  if (w[0] && w[1] && !strchr (w[0], '=') && env)
    {
      const char *v = args + strspn (args, " \t");
      v += strcspn (v, " \t");
      v += strspn (v, " \t");
      cleanup_free char *kv = xasprintf ("%s=%s", w[0], v);
      pt_strv_free (w);
      w = xzalloc (2 * sizeof (char *));
      w[0] = xstrdup (kv);
    }
  if (w[0] == NULL)
    return pt_make_error (err, 0, "invalid change \"%s %s\": %s needs KEY=VALUE", what, args, what);
  json_t *arr = env ? json_object_get (cfg, "Env") : NULL;
  if (env && !json_is_array (arr))
    json_object_set_new (cfg, "Env", arr = json_array ());
  for (size_t i = 0; w[i]; i++)
    {
      char *eq = strchr (w[i], '=');
      if (eq == NULL || eq == w[i])
        return pt_make_error (err, 0, "invalid change \"%s %s\": `%s` is no KEY=VALUE", what, args,
                              w[i]);
      *eq = '\0';
      if (!env)
        {
          json_object_set_new (object_in (cfg, "Labels"), w[i], json_string (eq + 1));
          continue;
        }
      size_t k, n = strlen (w[i]);
      json_t *v;
      json_array_foreach (arr, k, v)
      {
        const char *s = json_string_value (v);
        if (s && strncmp (s, w[i], n) == 0 && s[n] == '=')
          {
            json_array_remove (arr, k);
            break;
          }
      }
      *eq = '=';
      json_array_append_new (arr, json_string (w[i]));
    }
  return 0;
}

int
pt_image_apply_change (json_t *image_config, const char *change, pt_error_t *err)
{
  static const char *const known[]
      = { "CMD",        "ENTRYPOINT", "ENV",    "EXPOSE",  "LABEL", "ONBUILD",
          "STOPSIGNAL", "USER",       "VOLUME", "WORKDIR", NULL };
  size_t n = strcspn (change, " \t=");
  char what[16] = "";
  const char *args = change + n + (change[n] ? 1 : 0);
  args += strspn (args, " \t");
  for (size_t i = 0; n < sizeof what && known[i]; i++)
    if (strlen (known[i]) == n && strncasecmp (change, known[i], n) == 0)
      strcpy (what, known[i]);
  if (*what == '\0')
    return pt_make_error (err, 0,
                          "invalid change \"%s\": the instructions are CMD, ENTRYPOINT, ENV, "
                          "EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME and WORKDIR",
                          change);
  json_t *cfg = object_in (image_config, "config");
  if (strcmp (what, "CMD") == 0 || strcmp (what, "ENTRYPOINT") == 0)
    {
      json_t *arr = json_strings (args);
      if (arr == NULL)
        arr = json_pack ("[s, s, s]", "/bin/sh", "-c", args);
      json_object_set_new (cfg, strcmp (what, "CMD") == 0 ? "Cmd" : "Entrypoint", arr);
      return 0;
    }
  if (strcmp (what, "ENV") == 0 || strcmp (what, "LABEL") == 0)
    return pairs (cfg, what, args, err);
  if (strcmp (what, "EXPOSE") == 0 || strcmp (what, "VOLUME") == 0)
    {
      bool expose = what[0] == 'E';
      json_t *arr = expose ? NULL : json_strings (args);
      cleanup_strv char **w = arr ? NULL : words (args);
      json_t *o = object_in (cfg, expose ? "ExposedPorts" : "Volumes");
      size_t i;
      json_t *v;
      if (arr)
        json_array_foreach (arr, i, v)
            json_object_set_new (o, json_string_value (v), json_object ());
      for (i = 0; w && w[i]; i++)
        {
          long port;
          cleanup_free char *key
              = expose && !strchr (w[i], '/') ? xasprintf ("%s/tcp", w[i]) : xstrdup (w[i]);
          char *slash = strchr (key, '/');
          if (expose && slash)
            *slash = '\0';
          if (expose && pt_parse_long (key, 1, 65535, &port) < 0)
            return pt_make_error (err, 0, "invalid change \"%s\": `%s` is no port", change, w[i]);
          if (expose && slash)
            *slash = '/';
          if (!expose && w[i][0] != '/')
            return pt_make_error (err, 0, "invalid change \"%s\": `%s` is no absolute path", change,
                                  w[i]);
          json_object_set_new (o, key, json_object ());
        }
      json_decref (arr);
      return 0;
    }
  if (*args == '\0')
    return pt_make_error (err, 0, "invalid change \"%s\": %s needs a value", change, what);
  if (strcmp (what, "ONBUILD") == 0)
    {
      json_t *arr = json_object_get (cfg, "OnBuild");
      if (!json_is_array (arr))
        json_object_set_new (cfg, "OnBuild", arr = json_array ());
      json_array_append_new (arr, json_string (args));
      return 0;
    }
  const char *key = strcmp (what, "STOPSIGNAL") == 0 ? "StopSignal"
                    : strcmp (what, "USER") == 0     ? "User"
                                                     : "WorkingDir";
  json_object_set_new (cfg, key, json_string (args));
  return 0;
}

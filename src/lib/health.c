/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Healthchecks: the test, its timing, and what its runs found. */
#include <config.h>
#include "health.h"
#include "jsonutil.h"
#include "util.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int64_t
pt_parse_go_duration (const char *s)
{
  static const struct
  {
    const char *unit;
    int64_t ns;
  } units[] = { { "ns", 1 },
                { "us", 1000 },
                { "µs", 1000 },
                { "ms", 1000000 },
                { "s", 1000000000 },
                { "m", INT64_C (60000000000) },
                { "h", INT64_C (3600000000000) } };
  if (s == NULL || *s == '\0')
    return -1;
  if (strcmp (s, "0") == 0)
    return 0;
  double total = 0;
  const char *p = s;
  while (*p)
    {
      char *end;
      if (!isdigit ((unsigned char)*p) && *p != '.')
        return -1;
      double v = strtod (p, &end);
      if (end == p)
        return -1;
      p = end;
      size_t best = 0, len = 0;
      for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        {
          size_t l = strlen (units[i].unit);
          if (strncmp (p, units[i].unit, l) == 0 && l > len)
            best = i, len = l;
        }
      if (len == 0)
        return -1;
      total += v * (double)units[best].ns;
      p += len;
    }
  return total > 9.2e18 ? -1 : (int64_t)total;
}

bool
pt_health_defined (const struct pt_ctr_spec *spec)
{
  char **t = spec->health_test;
  return t && t[0] && strcmp (t[0], "NONE") != 0 && t[1] && *t[1];
}

char **
pt_health_argv (const struct pt_ctr_spec *spec)
{
  char **t = spec->health_test, **argv = xzalloc (sizeof (char *));
  if (strcmp (t[0], "CMD-SHELL") == 0)
    {
      pt_strv_append (&argv, "/bin/sh");
      pt_strv_append (&argv, "-c");
      pt_strv_append (&argv, t[1]);
    }
  else
    for (size_t i = 1; t[i]; i++)
      pt_strv_append (&argv, t[i]);
  return argv;
}

static char *
state_path (struct pt_store *s, const struct pt_ctr_spec *spec)
{
  return pt_store_path (s, "containers/%s/healthcheck.json", spec->id);
}

json_t *
pt_health_state (struct pt_store *s, const struct pt_ctr_spec *spec)
{
  if (!pt_health_defined (spec))
    return NULL;
  cleanup_free char *path = state_path (s, spec);
  json_t *j = json_load_file (path, 0, NULL);
  if (!json_is_object (j) || !json_is_string (json_object_get (j, "Status")))
    {
      json_decref (j);
      j = json_pack ("{s:s, s:i, s:[]}", "Status", "starting", "FailingStreak", 0, "Log");
    }
  return j;
}

void
pt_health_reset (struct pt_store *s, const struct pt_ctr_spec *spec)
{
  cleanup_free char *path = state_path (s, spec);
  unlink (path);
}

int
pt_health_record (struct pt_store *s, const struct pt_ctr_spec *spec, int exit_code,
                  const char *output, int64_t start_ns, int64_t end_ns, bool in_start_period,
                  char **status, pt_error_t *err)
{
  int lock = pt_store_lock_container (s, spec->id, err);
  if (lock < 0)
    return -1;
  json_t *j = pt_health_state (s, spec);
  json_int_t streak = json_integer_value (json_object_get (j, "FailingStreak"));
  const char *now = json_string_value (json_object_get (j, "Status"));
  const char *next = now;
  if (exit_code == 0)
    next = "healthy", streak = 0;
  else if (!in_start_period)
    {
      int retries = spec->health_retries > 0 ? spec->health_retries : PT_HEALTH_DEFAULT_RETRIES;
      if (++streak >= retries)
        next = "unhealthy";
    }
  cleanup_free char *start = pt_format_time_ns (start_ns), *end = pt_format_time_ns (end_ns);
  json_t *log = json_object_get (j, "Log");
  json_array_append_new (log, json_pack ("{s:s, s:s, s:i, s:o}", "Start", start, "End", end,
                                         "ExitCode", exit_code, "Output", pt_json_text (output)));
  while (json_array_size (log) > 5)
    json_array_remove (log, 0);
  *status = xstrdup (next);
  json_object_set_new (j, "Status", json_string (next));
  json_object_set_new (j, "FailingStreak", json_integer (streak));
  cleanup_free char *text = json_dumps (j, JSON_INDENT (1));
  cleanup_free char *path = state_path (s, spec);
  int r = pt_write_file_atomic (AT_FDCWD, path, text, strlen (text), 0600, 0, err);
  json_decref (j);
  pt_store_unlock_container (lock);
  return r;
}

json_t *
pt_health_config_json (const struct pt_ctr_spec *spec)
{
  if (spec->health_test == NULL || spec->health_test[0] == NULL)
    return NULL;
  return json_pack (
      "{s:o, s:I, s:I, s:I, s:i}", "Test", pt_strv_json (spec->health_test), "StartPeriod",
      (json_int_t)spec->health_start_period, "Interval",
      (json_int_t)(spec->health_interval ? spec->health_interval : PT_HEALTH_DEFAULT_INTERVAL),
      "Timeout",
      (json_int_t)(spec->health_timeout ? spec->health_timeout : PT_HEALTH_DEFAULT_TIMEOUT),
      "Retries", spec->health_retries ? spec->health_retries : PT_HEALTH_DEFAULT_RETRIES);
}

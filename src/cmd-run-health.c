/* SPDX-License-Identifier: GPL-2.0-or-later */
/* run/create --health-* and --no-healthcheck (Podman's spellings). */
#include <config.h>
#include <jansson.h>
#include <string.h>
#include "cmd.h"
#include "cmd-run.h"
#include "lib/create.h"
#include "lib/health.h"
#include "lib/jsonutil.h"
#include "lib/util.h"

/* A JSON array (["CMD", "a", "b"], ["CMD-SHELL", "x"], ["NONE"]) as given;
   anything else is a shell command, "none" none at all. */
static int
parse_test (const char *arg, char ***out, pt_error_t *err)
{
  pt_strv_free (*out);
  *out = xzalloc (sizeof (char *));
  if (strcasecmp (arg, "none") == 0)
    {
      pt_strv_append (out, "NONE");
      return 0;
    }
  if (*arg != '[')
    {
      if (*arg == '\0')
        return pt_make_error (err, 0, "invalid --health-cmd ``: a command is needed");
      pt_strv_append (out, "CMD-SHELL");
      pt_strv_append (out, arg);
      return 0;
    }
  json_t *j = json_loads (arg, 0, NULL);
  char **v = json_is_array (j) ? pt_json_strv (j) : NULL;
  json_decref (j);
  if (v == NULL || v[0] == NULL
      || (strcmp (v[0], "CMD") && strcmp (v[0], "CMD-SHELL") && strcmp (v[0], "NONE"))
      || (strcmp (v[0], "NONE") && v[1] == NULL))
    {
      pt_strv_free (v);
      return pt_make_error (err, 0,
                            "invalid --health-cmd `%s`: a JSON array of strings starting with "
                            "CMD, CMD-SHELL or NONE",
                            arg);
    }
  pt_strv_free (*out);
  *out = v;
  return 0;
}

static int
duration (const char *flag, const char *arg, int64_t *out, pt_error_t *err)
{
  int64_t ns = pt_parse_go_duration (arg);
  if (ns < 0)
    return pt_make_error (err, 0, "invalid %s `%s`: a duration such as 30s, 1m30s or 500ms", flag,
                          arg);
  *out = ns;
  return 0;
}

int
pt_cli_health_option (int c, const char *arg, struct pt_health_opts *h, pt_error_t *err)
{
  long v;
  switch (c)
    {
    case OPT_HEALTH_CMD: return parse_test (arg, &h->test, err);
    case OPT_NO_HEALTHCHECK: h->disable = pt_cli_optbool; return 0;
    case OPT_HEALTH_INTERVAL:
      if (strcmp (arg, "disable") == 0)
        {
          h->interval = -1;
          return 0;
        }
      if (duration ("--health-interval", arg, &h->interval, err) < 0)
        return -1;
      if (h->interval < 1000000000)
        return pt_make_error (err, 0, "invalid --health-interval `%s`: at least 1s", arg);
      return 0;
    case OPT_HEALTH_TIMEOUT:
      if (duration ("--health-timeout", arg, &h->timeout, err) < 0)
        return -1;
      if (h->timeout < 1000000000)
        return pt_make_error (err, 0, "invalid --health-timeout `%s`: at least 1s", arg);
      return 0;
    case OPT_HEALTH_START_PERIOD:
      if (duration ("--health-start-period", arg, &h->start_period, err) < 0)
        return -1;
      if (h->start_period == 0)
        h->start_period = -1; /* given as 0: not the image's */
      return 0;
    case OPT_HEALTH_RETRIES:
      if (pt_parse_long (arg, 1, 1L << 20, &v) < 0)
        return pt_make_error (err, 0, "invalid --health-retries `%s`: 1 or more", arg);
      h->retries = v;
      return 0;
    }
  return 1;
}

void
pt_cli_health_free (struct pt_health_opts *h)
{
  pt_strv_free (h->test);
  h->test = NULL;
}

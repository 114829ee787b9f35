/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "log.h"
#include "util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The log state is process-wide by nature: one verbosity, one sink. */
static int log_level = PT_LOG_WARN;
static const char *log_prefix = "podtool";
static pt_log_sink_t log_sink;
static void *log_sink_data;

void
pt_log_set_level (int level)
{
  log_level = level;
}

int
pt_log_parse_level (const char *name)
{
  static const char *names[] = { "error", "warn", "info", "debug" };
  for (int i = 0; i < 4; i++)
    if (strcasecmp (name, names[i]) == 0)
      return i;
  /* Podman's (logrus's) other levels, onto ours. */
  if (strcasecmp (name, "warning") == 0)
    return PT_LOG_WARN;
  if (strcasecmp (name, "fatal") == 0 || strcasecmp (name, "panic") == 0)
    return PT_LOG_ERROR;
  if (strcasecmp (name, "trace") == 0)
    return PT_LOG_DEBUG;
  return -1;
}

void
pt_log_set_prefix (const char *prefix)
{
  log_prefix = prefix;
}

void
pt_log_set_sink (pt_log_sink_t sink, void *data)
{
  log_sink = sink;
  log_sink_data = data;
}

void
pt_log (int level, const char *fmt, ...)
{
  static const char *tags[] = { "error", "warning", "info", "debug" };
  if (level > log_level)
    return;
  char *msg;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    pt_oom ();
  va_end (ap);
  if (log_sink)
    log_sink (level, msg, log_sink_data);
  else
    fprintf (stderr, "%s: %s: %s\n", log_prefix, tags[level], msg);
  free (msg);
}

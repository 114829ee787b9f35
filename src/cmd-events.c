/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool events: what the verbs and monitors recorded (lib/events.h), as
   Podman's file backend shows it; --stream follows the log. */
#include <config.h>
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include "cmd.h"
#include "lib/events.h"
#include "lib/jsonutil.h"
#include "lib/template.h"
#include "lib/util.h"

enum
{
  OPT_FORMAT = 256,
  OPT_NO_TRUNC,
  OPT_SINCE,
  OPT_UNTIL,
  OPT_STREAM,
};

static const struct pt_flag events_flags[] = {
  { 'f', "filter", 'f', "FILTER", "container=, event=, image=, type= (repeatable)" },
  { OPT_FORMAT, "format", 0, "FORMAT", "Go template, or json" },
  { OPT_NO_TRUNC, "no-trunc", 0, NULL, "Do not truncate IDs (default true)" },
  { OPT_SINCE, "since", 0, "TIMESTAMP", "Events since TIMESTAMP (RFC 3339, or a duration ago)" },
  { OPT_STREAM, "stream", 0, NULL, "Go on with new events (default true)" },
  { OPT_UNTIL, "until", 0, "TIMESTAMP", "Events until TIMESTAMP: then stop" },
  { 0, NULL, 0, NULL, NULL },
};

struct events
{
  char **filters; /* KEY=VALUE */
  const char *format;
  struct pt_template *tmpl;
  bool no_trunc, stream, json;
  int64_t since, until; /* ns, 0: none */
  int rc;
  pt_error_t err;
};

static const char *
field (json_t *ev, const char *key)
{
  const char *v = json_string_value (json_object_get (ev, key));
  return v ? v : "";
}

static bool
one_matches (json_t *ev, const char *key, const char *want)
{
  if (strcmp (key, "container") == 0)
    return strcmp (field (ev, "Type"), "container") == 0
           && (strcmp (field (ev, "Name"), want) == 0
               || pt_str_has_prefix (field (ev, "ID"), want));
  if (strcmp (key, "image") == 0)
    return strcmp (field (ev, "Image"), want) == 0 || strcmp (field (ev, "Name"), want) == 0
           || (strcmp (field (ev, "Type"), "image") == 0
               && pt_str_has_prefix (field (ev, "ID"), want));
  if (strcmp (key, "event") == 0 || strcmp (key, "status") == 0)
    return strcmp (field (ev, "Status"), want) == 0;
  if (strcmp (key, "type") == 0)
    return strcmp (field (ev, "Type"), want) == 0;
  return false;
}

/* Values of one key are alternatives; keys must all hold. */
static bool
matches (const struct events *o, json_t *ev)
{
  for (size_t i = 0; o->filters[i]; i++)
    {
      size_t k = strcspn (o->filters[i], "=");
      bool any = false;
      cleanup_free char *key = xstrndup (o->filters[i], k);
      for (size_t j = 0; o->filters[j] && !any; j++)
        if (strncmp (o->filters[j], o->filters[i], k + 1) == 0)
          any = one_matches (ev, key, o->filters[j] + k + 1);
      if (!any)
        return false;
    }
  return true;
}

/* Go's time.Time.String() in UTC: 2006-01-02 15:04:05.999999999 +0000 UTC. */
static char *
go_time (int64_t ns)
{
  time_t t = ns / 1000000000;
  struct tm tm;
  gmtime_r (&t, &tm);
  char date[32], frac[16] = "";
  strftime (date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
  if (ns % 1000000000)
    {
      snprintf (frac, sizeof frac, ".%09lld", (long long)(ns % 1000000000));
      for (size_t n = strlen (frac); n > 1 && frac[n - 1] == '0'; n--)
        frac[n - 1] = '\0';
    }
  return xasprintf ("%s%s +0000 UTC", date, frac);
}

static void
print_event (json_t *ev, void *data)
{
  struct events *o = data;
  int64_t when = pt_parse_time (field (ev, "Time"));
  if (o->rc < 0 || (o->since && when < o->since) || (o->until && when > o->until)
      || !matches (o, ev))
    return;
  char id[65];
  snprintf (id, sizeof id, "%.*s", o->no_trunc ? 64 : 12, field (ev, "ID"));
  json_object_set_new (ev, "ID", json_string (id));
  if (o->json)
    {
      char *t = json_dumps (ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
      printf ("%s\n", t);
      free (t);
    }
  else if (o->tmpl)
    {
      char *out = NULL;
      if ((o->rc = pt_template_render (o->tmpl, ev, &out, &o->err)) == 0)
        printf ("%s\n", out);
      free (out);
    }
  else
    {
      cleanup_free char *t = go_time (when);
      if (strcmp (field (ev, "Type"), "container") == 0)
        {
          printf ("%s container %s %s (image=%s, name=%s", t, field (ev, "Status"), id,
                  field (ev, "Image"), field (ev, "Name"));
          const char *k;
          json_t *v;
          json_object_foreach (json_object_get (ev, "Attributes"), k, v)
          {
            cleanup_free char *text = json_is_string (v) ? xstrdup (json_string_value (v))
                                                         : json_dumps (v, JSON_ENCODE_ANY);
            printf (", %s=%s", k, text);
          }
          printf (")\n");
        }
      else
        printf ("%s %s %s %s %s\n", t, field (ev, "Type"), field (ev, "Status"), id,
                field (ev, "Name"));
    }
  fflush (stdout);
}

/* New lines as they come, until --until (or forever). */
static int
follow (struct pt_store *s, struct events *o, int64_t *pos, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_runpath (s, ".");
  cleanup_close int in = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  if (in < 0 || inotify_add_watch (in, dir, IN_MODIFY | IN_CREATE) < 0)
    return pt_make_error (err, errno, "watch `%s`", dir);
  for (;;)
    {
      if (pt_events_read (s, pos, print_event, o, err) < 0 || o->rc < 0)
        return -1;
      int64_t now = pt_now_ns ();
      if (o->until && now >= o->until)
        return 0;
      int wait = o->until ? (int)((o->until - now) / 1000000) + 1 : -1;
      struct pollfd p = { .fd = in, .events = POLLIN };
      if (poll (&p, 1, wait) > 0)
        {
          char buf[4096];
          while (read (in, buf, sizeof buf) > 0)
            ;
        }
    }
}

static int
events_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct events o = { .no_trunc = true, .stream = true };
  cleanup_strv char **filters = xzalloc (sizeof (char *));
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_events, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f':
        if (strchr (optarg, '=') == NULL || optarg[0] == '=')
          return pt_make_error (err, 0, "invalid filter \"%s\": KEY=VALUE", optarg);
        {
          size_t k = strcspn (optarg, "=");
          if (!(k == 9 && strncmp (optarg, "container", 9) == 0)
              && !(k == 5 && strncmp (optarg, "image", 5) == 0)
              && !(k == 5 && strncmp (optarg, "event", 5) == 0)
              && !(k == 6 && strncmp (optarg, "status", 6) == 0)
              && !(k == 4 && strncmp (optarg, "type", 4) == 0))
            return pt_make_error (err, 0,
                                  "%.*s is an invalid filter: container, event, image or type",
                                  (int)k, optarg);
        }
        pt_strv_append (&filters, optarg);
        break;
      case OPT_FORMAT: o.format = optarg; break;
      case OPT_NO_TRUNC: o.no_trunc = pt_cli_optbool; break;
      case OPT_STREAM: o.stream = pt_cli_optbool; break;
      case OPT_SINCE:
        if (pt_cli_parse_when (optarg, &o.since, err) < 0)
          return -1;
        break;
      case OPT_UNTIL:
        if (pt_cli_parse_when (optarg, &o.until, err) < 0)
          return -1;
        break;
      default: return -1;
      }
  if (optind < argc)
    return pt_cli_need_args (&pt_cmd_events, argc - optind, 0, 0, err);
  o.filters = filters;
  o.json = o.format && strcmp (o.format, "json") == 0;
  if (o.format && !o.json && pt_template_parse (o.format, &o.tmpl, err) < 0)
    return -1;
  struct pt_store *s = pt_global_store (g, err);
  int64_t pos = 0;
  int r = s ? pt_events_read (s, &pos, print_event, &o, err) : -1;
  if (r == 0 && o.rc == 0 && o.stream)
    r = follow (s, &o, &pos, err);
  pt_template_free (o.tmpl);
  if (r == 0 && o.rc < 0)
    {
      *err = o.err;
      return -1;
    }
  return r;
}

const struct pt_cmd pt_cmd_events = {
  .name = "events",
  .usage = "[options]",
  .summary = "Show the events containers and images went through",
  .flags = events_flags,
  .exec = events_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The events log: see events.h. */
#include <config.h>
#include "events.h"
#include "container.h"
#include "jsonutil.h"
#include "log.h"
#include "util.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *
pt_events_path (struct pt_store *s)
{
  return pt_store_runpath (s, "events.log");
}

void
pt_event (struct pt_store *s, const char *type, const char *status, const char *id,
          const char *name, const char *image, json_t *attrs)
{
  const char *backend = getenv ("PODTOOL_EVENTS_BACKEND");
  if (backend && strcmp (backend, "none") == 0)
    {
      json_decref (attrs);
      return;
    }
  cleanup_free char *when = pt_format_time_ns (pt_now_ns ());
  json_t *ev = json_object ();
  json_object_set_new (ev, "ID", pt_json_str (id ? id : ""));
  if (image && *image)
    json_object_set_new (ev, "Image", pt_json_str (image));
  if (name && *name)
    json_object_set_new (ev, "Name", pt_json_str (name));
  json_object_set_new (ev, "Status", json_string (status));
  json_object_set_new (ev, "Time", json_string (when));
  json_object_set_new (ev, "Type", json_string (type));
  if (attrs)
    json_object_set_new (ev, "Attributes", attrs);
  char *text = json_dumps (ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref (ev);
  if (text == NULL)
    return;
  cleanup_free char *line = xasprintf ("%s\n", text);
  free (text);
  cleanup_free char *path = pt_events_path (s);
  int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  size_t n = strlen (line);
  if (fd < 0 || write (fd, line, n) != (ssize_t)n)
    pt_debug ("event %s %s not recorded: %s", type, status, strerror (errno));
  if (fd >= 0)
    close (fd);
}

void
pt_event_container (struct pt_store *s, const char *status, const char *id, json_t *attrs)
{
  struct pt_ctr_spec spec;
  pt_error_t e = NULL;
  if (pt_ctr_spec_read (s, id, &spec, &e) < 0)
    {
      pt_error_release (&e);
      pt_event (s, "container", status, id, NULL, NULL, attrs);
      return;
    }
  pt_event (s, "container", status, id, spec.name, spec.image, attrs);
  pt_ctr_spec_free (&spec);
}

int
pt_events_read (struct pt_store *s, int64_t *pos, void (*fn) (json_t *ev, void *data), void *data,
                pt_error_t *err)
{
  cleanup_free char *path = pt_events_path (s);
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : pt_make_error (err, errno, "open `%s`", path);
  if (lseek (fd, *pos, SEEK_SET) < 0)
    return pt_make_error (err, errno, "seek `%s`", path);
  char buf[65536];
  size_t have = 0;
  for (;;)
    {
      ssize_t n = read (fd, buf + have, sizeof buf - have);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return pt_make_error (err, errno, "read `%s`", path);
      if (n == 0)
        return 0; /* an unfinished last line waits for its newline */
      have += n;
      char *start = buf, *nl;
      while ((nl = memchr (start, '\n', have - (start - buf))))
        {
          json_t *ev = json_loadb (start, nl - start, JSON_ALLOW_NUL, NULL);
          if (json_is_object (ev))
            fn (ev, data);
          json_decref (ev);
          *pos += nl + 1 - start;
          start = nl + 1;
        }
      have -= start - buf;
      memmove (buf, start, have);
      if (have == sizeof buf)
        {
          /* A line longer than the buffer is no event of ours: skip it. */
          *pos += have;
          have = 0;
        }
    }
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool logs: a container's output from its k8s-file log. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/logs.h"
#include "lib/util.h"

struct logs_options
{
  bool follow, timestamps;
  const char *name;     /* --names, or several containers: each line starts with it */
  int64_t since, until; /* ns, 0: none */
  long tail;            /* -1: all */
};

/* Complete lines, stdout or stderr, assembled from P records. */
struct line
{
  int stream;
  char *stamp;
  char *text;
  size_t len;
  bool open; /* the log ends before its newline: printed without one */
};

struct printer
{
  struct logs_options *o;
  struct line open[3]; /* a partial line per stream */
  struct line *lines;  /* kept for --tail */
  size_t n_lines;
  bool buffering;
};

static void
emit (struct printer *p, struct line *l)
{
  if (p->buffering)
    {
      p->lines = xrealloc (p->lines, (p->n_lines + 1) * sizeof *p->lines);
      p->lines[p->n_lines++] = *l;
      memset (l, 0, sizeof *l);
      return;
    }
  FILE *out = l->stream == 2 ? stderr : stdout;
  if (p->o->name)
    fprintf (out, "%s ", p->o->name);
  if (p->o->timestamps)
    fprintf (out, "%s ", l->stamp);
  fwrite (l->text, 1, l->len, out);
  if (!l->open)
    fputc ('\n', out);
  fflush (out);
  free (l->stamp);
  free (l->text);
  memset (l, 0, sizeof *l);
}

static void
on_record (const struct pt_log_record *r, void *data)
{
  struct printer *p = data;
  if ((p->o->since && r->ts_ns < p->o->since) || (p->o->until && r->ts_ns > p->o->until))
    return;
  struct line *l = &p->open[r->stream];
  if (l->stamp == NULL)
    {
      l->stream = r->stream;
      l->stamp = xstrndup (r->stamp, r->stamp_len);
    }
  l->text = xrealloc (l->text, l->len + r->len + 1);
  memcpy (l->text + l->len, r->text, r->len);
  l->len += r->len;
  if (!r->partial)
    emit (p, l);
}

static void
flush_tail (struct printer *p)
{
  size_t first = p->o->tail >= 0 && (size_t)p->o->tail < p->n_lines ? p->n_lines - p->o->tail : 0;
  p->buffering = false;
  for (size_t i = 0; i < p->n_lines; i++)
    {
      if (i >= first)
        emit (p, &p->lines[i]);
      free (p->lines[i].stamp);
      free (p->lines[i].text);
    }
  free (p->lines);
  p->lines = NULL;
  p->n_lines = 0;
}

static int
follow (struct pt_store *s, const char *id, int fd, off_t *pos, struct printer *p, pt_error_t *err)
{
  cleanup_free char *log = pt_store_path (s, "containers/%s/ctr.log", id);
  cleanup_close int in = inotify_init1 (IN_CLOEXEC | IN_NONBLOCK);
  if (in < 0 || inotify_add_watch (in, log, IN_MODIFY) < 0)
    return pt_make_error (err, errno, "watch `%s`", log);
  for (;;)
    {
      struct pt_ctr_state st;
      if (pt_logs_read (fd, pos, on_record, p, err) < 0 || pt_ctr_state (s, id, &st, err) < 0)
        return -1;
      if (!pt_ctr_alive (&st))
        {
          /* Its monitor drains the last output into the log, then records
             the exit: the end of the log is there once the record is. */
          for (int i = 0;
               i < 100 && st.exit_code < 0 && st.monitor_pid && pt_pid_alive (st.monitor_pid); i++)
            {
              if (pt_logs_read (fd, pos, on_record, p, err) < 0)
                return -1;
              struct timespec pause = { 0, 100 * 1000 * 1000 };
              nanosleep (&pause, NULL);
              if (pt_ctr_state (s, id, &st, err) < 0)
                return -1;
            }
          return pt_logs_read (fd, pos, on_record, p, err);
        }
      /* Wake on new output or on the container's end. */
      int pfd = syscall (SYS_pidfd_open, st.pid, 0);
      struct pollfd w[2] = { { .fd = in, .events = POLLIN }, { .fd = pfd, .events = POLLIN } };
      poll (w, pfd >= 0 ? 2 : 1, pfd >= 0 ? -1 : 1000);
      if (pfd >= 0)
        close (pfd);
      char drain[4096];
      while (read (in, drain, sizeof drain) > 0)
        ;
    }
}

enum
{
  OPT_SINCE = 256,
  OPT_UNTIL,
  OPT_TAIL
};

static const struct pt_flag logs_flags[] = {
  { 'f', "follow", 'f', NULL, "Follow the log output" },
  PT_FLAG_LATEST,
  { 'n', "names", 'n', NULL, "Start each line with the container's name" },
  { OPT_SINCE, "since", 0, "TIMESTAMP",
    "Show logs since TIMESTAMP (RFC 3339, a date, or a duration ago)" },
  { OPT_TAIL, "tail", 0, "LINES", "Number of lines to show from the end (-1: all)" },
  { 't', "timestamps", 't', NULL, "Show timestamps" },
  { OPT_UNTIL, "until", 0, "TIMESTAMP", "Show logs until TIMESTAMP" },
  { 0, NULL, 0, NULL, NULL },
};

static int logs_one (struct pt_store *s, const char *ref, struct logs_options o, bool names,
                     pt_error_t *err);

static int
logs_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  struct logs_options o = { .tail = -1 };
  bool names = false, latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_logs, argc, argv, err)) != -1)
    switch (c)
      {
      case 'f': o.follow = pt_cli_optbool; break;
      case 't': o.timestamps = pt_cli_optbool; break;
      case 'n': names = pt_cli_optbool; break;
      case 'l': latest = pt_cli_optbool; break;
      case OPT_SINCE:
        if (pt_cli_parse_when (optarg, &o.since, err) < 0)
          return -1;
        break;
      case OPT_UNTIL:
        if (pt_cli_parse_when (optarg, &o.until, err) < 0)
          return -1;
        break;
      case OPT_TAIL:
        if (pt_parse_long (optarg, -1, 1L << 30, &o.tail) < 0)
          return pt_make_error (err, 0, "invalid --tail `%s`", optarg);
        break;
      default: return -1;
      }
  struct pt_store *s;
  cleanup_strv char **refs = pt_cli_store_names (g, &pt_cmd_logs, argv + optind, latest, &s, err);
  if (refs == NULL)
    return -1;
  if (refs[1] && o.follow)
    return pt_make_error (err, 0,
                          "--follow: not supported by podtool for several containers at "
                          "once: follow one");
  for (size_t i = 0; refs[i]; i++)
    if (logs_one (s, refs[i], o, names || refs[1], err) < 0)
      return -1;
  return 0;
}

static int
logs_one (struct pt_store *s, const char *ref, struct logs_options o, bool names, pt_error_t *err)
{
  cleanup_free char *id = NULL;
  struct pt_ctr_spec spec = { 0 };
  if (pt_ctr_resolve (s, ref, &id, err) < 0 || pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  cleanup_free char *name = xstrdup (spec.name);
  pt_ctr_spec_free (&spec);
  o.name = names ? name : NULL;
  cleanup_free char *log = pt_store_path (s, "containers/%s/ctr.log", id);
  cleanup_close int fd = open (log, O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno != ENOENT)
    return pt_make_error (err, errno, "open `%s`", log);
  if (fd < 0)
    return 0; /* never started: no output yet */
  struct printer p = { .o = &o, .buffering = o.tail >= 0 };
  off_t pos = 0;
  int r = pt_logs_read (fd, &pos, on_record, &p, err);
  /* A last line without its newline still counts for --tail, unless more
     of it may come. */
  for (int i = 1; r == 0 && !o.follow && i <= 2; i++)
    if (p.open[i].stamp)
      {
        p.open[i].open = true;
        emit (&p, &p.open[i]);
      }
  if (r == 0)
    flush_tail (&p);
  if (r == 0 && o.follow)
    r = follow (s, id, fd, &pos, &p, err);
  for (int i = 1; i <= 2; i++)
    if (p.open[i].stamp && r == 0)
      {
        p.open[i].open = true;
        emit (&p, &p.open[i]);
      }
  return r;
}

const struct pt_cmd pt_cmd_logs = {
  .name = "logs",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .summary = "Show a container's output",
  .flags = logs_flags,
  .exec = logs_exec,
};

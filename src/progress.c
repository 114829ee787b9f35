/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The blobs' progress lines: see progress.h. */
#include <config.h>
#include "progress.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_BARS = 256, WIDTH = 30 };

struct bar
{
  char kind[8], d[13];
  size_t done, total;
  enum pt_bar_event state;
};

static struct bar bars[MAX_BARS];
static int n_bars, drawn;

static struct bar *
find_bar (const char *d)
{
  for (int i = 0; i < n_bars; i++)
    if (strcmp (bars[i].d, d) == 0)
      return &bars[i];
  if (n_bars == MAX_BARS)
    return NULL;
  memset (&bars[n_bars], 0, sizeof bars[n_bars]);
  snprintf (bars[n_bars].d, sizeof bars[n_bars].d, "%s", d);
  return &bars[n_bars++];
}

static void
print_line (const struct bar *b)
{
  if (b->state == PT_BAR_DONE)
    fprintf (stderr, "Copying %s %s done", b->kind, b->d);
  else if (b->state == PT_BAR_SKIPPED)
    fprintf (stderr, "Copying %s %s skipped: already exists", b->kind, b->d);
  else
    {
      int fill = b->total ? (int)((double)b->done / b->total * WIDTH) : 0;
      if (fill > WIDTH)
        fill = WIDTH;
      cleanup_free char *a = pt_human_size (b->done), *t = pt_human_size (b->total);
      fprintf (stderr, "Copying %s %s [%.*s%*s] %s / %s", b->kind, b->d, fill,
               "==============================", WIDTH - fill, "", a, t);
    }
}

/* Every line again, at most ten times a second unless something ended. */
static void
redraw (bool now)
{
  static struct timespec last;
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  if (!now && (t.tv_sec - last.tv_sec) * 1000 + (t.tv_nsec - last.tv_nsec) / 1000000 < 100)
    return;
  last = t;
  if (drawn)
    fprintf (stderr, "\033[%dA", drawn);
  for (int i = 0; i < n_bars; i++)
    {
      fputs ("\r\033[K", stderr);
      print_line (&bars[i]);
      fputc ('\n', stderr);
    }
  drawn = n_bars;
  fflush (stderr);
}

void
pt_bars_event (enum pt_bar_event ev, const char *kind, const char *digest, size_t done,
               size_t total)
{
  char d[13];
  snprintf (d, sizeof d, "%s", digest && strncmp (digest, "sha256:", 7) == 0 ? digest + 7
                               : digest                                      ? digest
                                                                             : "");
  bool tty = isatty (2);
  struct bar *b = tty ? find_bar (d) : NULL;
  if (b == NULL)
    {
      /* Not a terminal (or too many lines): only what ended. */
      struct bar plain = { .state = ev };
      snprintf (plain.kind, sizeof plain.kind, "%s", kind);
      snprintf (plain.d, sizeof plain.d, "%s", d);
      if (ev == PT_BAR_DONE || ev == PT_BAR_SKIPPED)
        print_line (&plain), fputc ('\n', stderr);
      return;
    }
  snprintf (b->kind, sizeof b->kind, "%s", kind);
  if (ev == PT_BAR_START || b->state == PT_BAR_START || b->state == PT_BAR_PROGRESS)
    b->state = ev;
  b->done = done;
  if (total)
    b->total = total;
  redraw (ev != PT_BAR_PROGRESS);
}

void
pt_bars_end (void)
{
  if (n_bars && drawn != n_bars)
    redraw (true);
  n_bars = drawn = 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PROGRESS_H
#define PT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Blobs being copied (pull, push), Podman's lines on stderr. On a
   terminal every blob has a line of its own, redrawn in place as bytes
   arrive (several at once when they download in parallel): "Copying blob
   D [====    ] 1.2MB / 3.4MB", then "... done" or "... skipped: already
   exists"; elsewhere only those last lines. */
enum pt_bar_event
{
  PT_BAR_START,
  PT_BAR_PROGRESS,
  PT_BAR_DONE,
  PT_BAR_SKIPPED,
};
void pt_bars_event (enum pt_bar_event ev, const char *kind, const char *digest, size_t done,
                    size_t total);
/* The blobs' lines are final: what is printed next goes below them. */
void pt_bars_end (void);

#endif

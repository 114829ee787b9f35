/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_EVENTS_H
#define PT_EVENTS_H

#include <jansson.h>
#include <stdint.h>
#include "store.h"

/* The events every verb records, as Podman's `file` backend keeps them:
   one JSON object a line, appended (one write(2), O_APPEND: lines of
   concurrent writers never mix) to $runroot/events.log:
     {"ID":…,"Image":…,"Name":…,"Status":"create","Time":RFC3339Nano,"Type":"container","Attributes":{…}}
   Best effort: an event that cannot be written is no error of the verb.
   PODTOOL_EVENTS_BACKEND=none (what --events-backend none sets) writes none. */
void pt_event (struct pt_store *s, const char *type, const char *status, const char *id,
               const char *name, const char *image, json_t *attrs);
/* A container's: its name and image read from its config (attrs: taken, may be NULL). */
void pt_event_container (struct pt_store *s, const char *status, const char *id, json_t *attrs);

/* Calls fn for each event in the log from byte *pos on, advancing *pos
   past complete lines; 0, or -1 with err. A missing log is empty. */
int pt_events_read (struct pt_store *s, int64_t *pos, void (*fn) (json_t *ev, void *data),
                    void *data, pt_error_t *err);
/* The log's path, for watching it. */
char *pt_events_path (struct pt_store *s);

#endif

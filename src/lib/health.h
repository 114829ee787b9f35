/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_HEALTH_H
#define PT_HEALTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "container.h"
#include "error.h"
#include "store.h"

/* Healthchecks, as Podman's (--health-*, the image's Healthcheck): the
   test and its timing live in the container's spec (health_*); what the
   runs found lives in the container's directory, healthcheck.json:
   {"Status", "FailingStreak", "Log": [the last five runs]}. */

#define PT_HEALTH_DEFAULT_INTERVAL (30 * INT64_C (1000000000))
#define PT_HEALTH_DEFAULT_TIMEOUT (30 * INT64_C (1000000000))
#define PT_HEALTH_DEFAULT_RETRIES 3

/* Go's time.ParseDuration ("1m30s", "500ms", "2h"), in ns; -1 if malformed. */
int64_t pt_parse_go_duration (const char *s);

/* Does the container have a test to run ("NONE" and none at all: no)? */
bool pt_health_defined (const struct pt_ctr_spec *spec);
/* The test as argv: CMD-SHELL's through /bin/sh -c, CMD's as given. */
char **pt_health_argv (const struct pt_ctr_spec *spec);

/* One run's result recorded under the container's lock: the status becomes
   healthy on a pass; a failure counts (unless in_start_period) and after
   retries of them in a row the status is unhealthy. *status is the new one
   ("healthy", "unhealthy", "starting"). */
int pt_health_record (struct pt_store *s, const struct pt_ctr_spec *spec, int exit_code,
                      const char *output, int64_t start_ns, int64_t end_ns, bool in_start_period,
                      char **status, pt_error_t *err);
/* What the runs found so far: {"Status": "starting", ...} before the first;
   NULL without a healthcheck. A new start begins again at "starting". */
json_t *pt_health_state (struct pt_store *s, const struct pt_ctr_spec *spec);
void pt_health_reset (struct pt_store *s, const struct pt_ctr_spec *spec);
/* Podman's Config.Healthcheck of inspect (Test, Interval, Timeout, ...). */
json_t *pt_health_config_json (const struct pt_ctr_spec *spec);

#endif

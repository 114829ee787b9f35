/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_CMD_POD_H
#define PT_CMD_POD_H

#include "cmd.h"
#include "lib/pod.h"

/* A pod made as `pod create` makes it (and run --pod new:NAME): the record,
   then its infra container through create's own path, with infra_args
   (-p, --network, --dns, --add-host ...) as its options. */
struct pt_cli_pod_make
{
  const char *name, *hostname;
  const char *infra_name; /* NULL: POD-ID(12)-infra */
  bool infra;
  char **labels, **share; /* share NULL: ipc, net, uts */
  char **infra_args;
};
int pt_cli_pod_make (struct pt_global *g, const struct pt_cli_pod_make *how, struct pt_pod *out,
                     pt_error_t *err);

/* Option id of table as --NAME=VALUE (a boolean's value its own) onto v:
   an option passed on to the verb that parses it. */
void pt_cli_pass_on (const struct pt_flag *table, int id, char ***v);

extern const struct pt_cmd pt_cmd_pod;
/* cmd-pod-show.c */
extern const struct pt_cmd pt_cmd_pod_inspect, pt_cmd_pod_exists, pt_cmd_pod_ps, pt_cmd_pod_prune,
    pt_cmd_pod_logs, pt_cmd_pod_top;
/* cmd-pod-filter.c: pod ps --filter KEY=VALUE */
#define PT_POD_FILTER_KEYS 8
struct pt_cli_pod_filter
{
  char **v[PT_POD_FILTER_KEYS]; /* id, name, label, status, ctr-ids, ctr-names, ctr-status,
                                   ctr-number: the values given of each */
};
int pt_cli_pod_filter_add (struct pt_cli_pod_filter *f, const char *arg, pt_error_t *err);
void pt_cli_pod_filter_free (struct pt_cli_pod_filter *f);
struct pt_store;
struct pt_pod;
bool pt_cli_pod_filter_match (struct pt_store *s, const struct pt_cli_pod_filter *f,
                              const struct pt_pod *p, const char *status, char **members);
/* cmd-stats.c */
extern const struct pt_cmd pt_cmd_pod_stats;

#endif

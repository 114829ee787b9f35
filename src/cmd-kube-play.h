/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What kube play's files (cmd-kube-play.c, cmd-kube-container.c) share. */
#ifndef PT_CMD_KUBE_PLAY_H
#define PT_CMD_KUBE_PLAY_H

#include <jansson.h>
#include "cmd.h"
#include "lib/pod.h"

struct play
{
  struct pt_global *g;
  json_t *docs;
  json_t *configmaps; /* name: its data */
  const char *network;
  bool start, quiet, replace;
  char **made; /* pod ids, for the undoing of a failure */
  char **pull_args; /* --tls-verify, --creds, --authfile, --cert-dir: for each image's pull */
};

/* FLAG VALUE onto an argument vector. */
void pt_kube_arg2 (char ***v, const char *flag, const char *value);
/* A key's string value, or NULL. */
const char *pt_kube_str (json_t *o, const char *key);
/* One warning line for each key of obj not in known. */
void pt_kube_warn_unknown (json_t *obj, const char *where, const char *const *known);
/* Container c of the pod (pod_spec its spec) created in it: *id. */
int pt_kube_make_container (struct play *p, const struct pt_pod *pod, json_t *pod_spec, json_t *c,
                            char **id, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_POD_H
#define PT_POD_H

#include "error.h"
#include "store.h"
#include "userns.h"
#include <stdbool.h>
#include <stdint.h>

/* A pod: containers that share the namespaces its infra container holds
   (network, IPC and UTS, as Podman shares them by default), so they reach
   each other on localhost and publish their ports once, on the pod. Kept
   as pods/ID/pod.json (by temporary name and rename, under the store's
   lock); its containers each name it in their spec (pod). */
struct pt_pod
{
  char *id, *name;
  char *infra_id; /* "" for a pod without infra */
  char *hostname;
  char **labels; /* KEY=VALUE */
  char **share;  /* "ipc", "net", "uts" */
  int64_t created_ns;
};
void pt_pod_free (struct pt_pod *p);

/* A new pod named name (NULL: a generated name), unique among pods; its
   infra container is the caller's to make (pt_pod_set_infra). */
int pt_pod_create (struct pt_store *s, const char *name, const char *hostname, char **labels,
                   char **share, struct pt_pod *out, pt_error_t *err);
int pt_pod_set_infra (struct pt_store *s, const char *id, const char *infra_id, pt_error_t *err);
/* By full id, name, or a unique prefix of the id. */
int pt_pod_lookup (struct pt_store *s, const char *ref, struct pt_pod *out, pt_error_t *err);
bool pt_pod_exists (struct pt_store *s, const char *ref);
/* Every pod's id, oldest first. */
int pt_pod_list (struct pt_store *s, char ***ids, pt_error_t *err);
/* The containers of pod id (the infra too when infra), oldest first. */
int pt_pod_members (struct pt_store *s, const char *id, bool infra, char ***ids, pt_error_t *err);
/* The pod's record gone (its containers are the caller's to remove first). */
int pt_pod_remove (struct pt_store *s, const char *id, pt_error_t *err);
/* The image the infra runs: made on first use from nothing but the
   directories a root needs (its process is podtool's sealed init). */
#define PT_PAUSE_IMAGE "localhost/podtool-pause:" PACKAGE_VERSION
int pt_pod_pause_image (struct pt_store *s, const struct pt_idmap *m, pt_error_t *err);

/* pod-run.c: the infra first, then the others in the order they were
   made; stop the other way round (timeout -1: each one's own). rm refuses
   a pod with a running container unless force (then stops it first),
   removes its containers, the infra last, then the pod. */
int pt_pod_start (struct pt_store *s, const struct pt_pod *p, pt_error_t *err);
int pt_pod_stop (struct pt_store *s, const struct pt_pod *p, int timeout, pt_error_t *err);
int pt_pod_kill (struct pt_store *s, const struct pt_pod *p, int sig, pt_error_t *err);
bool pt_pod_running (struct pt_store *s, const struct pt_pod *p, size_t *n_running, size_t *n_all);
int pt_pod_rm (struct pt_store *s, const struct pt_idmap *m, const struct pt_pod *p, bool force,
               int timeout, pt_error_t *err);

#endif

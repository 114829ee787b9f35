/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_KUBE_H
#define PT_KUBE_H

#include "error.h"
#include "store.h"
#include <jansson.h>
#include <stdbool.h>

/* podman kube generate: a v1 Pod of the containers refs name (or of each
   pod named: its containers but the infra), as Podman writes it: image,
   command and args against the image's entrypoint and cmd, env beyond the
   image's, workingDir, ports (containerPort, hostPort), resources.limits
   (memory, cpu), securityContext (capabilities, runAsUser/runAsGroup,
   readOnlyRootFilesystem, privileged), volumeMounts with their volumes
   (bind mounts hostPath, named volumes persistentVolumeClaim, tmpfs
   emptyDir medium Memory), restartPolicy, labels and annotations. With
   service, a v1 Service (NodePort) of its ports follows. The documents come
   back as a JSON array, for pt_yaml_emit. */
int pt_kube_generate (struct pt_store *s, char **refs, bool service, json_t **docs,
                      pt_error_t *err);

#endif

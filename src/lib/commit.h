/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_COMMIT_H
#define PT_COMMIT_H

#include "error.h"
#include "store.h"
#include "userns.h"

struct pt_commit_opts
{
  char *const *changes; /* --change: Dockerfile instructions (image-change.h) */
  const char *message, *author;
  const char *name; /* the new image's, or NULL */
  bool pause;       /* freeze a running container meanwhile, where it has a cgroup */
  bool squash;      /* the whole root as the one layer, no layers below */
  bool include_volumes; /* the container's volume mounts become the image's Volumes */
};

/* podman commit: a new image of the container's image and its writable
   layer as one more layer (whiteouts and opaque directories in their .wh.
   form), its config the container's: command, environment, workdir, user,
   labels, stop signal, then the changes. On the vfs driver the layer is
   the whole root, alone. *image_id is the new image's. */
int pt_ctr_commit (struct pt_store *s, const struct pt_idmap *m, const char *id,
                   const struct pt_commit_opts *o, char **image_id, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SAVE_H
#define PT_SAVE_H

#include <stdbool.h>
#include "blob-progress.h"
#include "error.h"
#include "store.h"
#include "userns.h"

enum pt_save_format
{
  PT_SAVE_DOCKER_ARCHIVE,
  PT_SAVE_OCI_ARCHIVE,
};

struct pt_save_opts
{
  enum pt_save_format format;
  bool multi;       /* -m: every ref an image (docker-archive) */
  const char *path; /* written via a temporary name; NULL: out_fd */
  int out_fd;
  const struct pt_progress *prog; /* NULL: nothing said */
};

/* podman save: write the images of refs as an archive that `podman load`
   takes. Without multi, refs[0] is the image and the other refs are more
   names for it (RepoTags). A layer two images share is written once. Each
   layer's tar is made anew from its directory (whiteouts and opaque markers
   back in their .wh. form, owners as the container sees them), so its
   diff_id and the image id change when the original tar had other bytes for
   the same files. */
int pt_image_save (struct pt_store *s, const struct pt_idmap *m, char *const *refs, size_t nrefs,
                   const struct pt_save_opts *o, pt_error_t *err);

/* One image's layers as tars made anew (as save makes them) and its config
   with their diff_ids: what push uploads. All of it lives until _free. */
struct save_set;
struct pt_tar_job;
struct pt_image_blobs
{
  const char *config; /* bytes, NUL-terminated */
  char config_hex[65];
  struct pt_tar_job **layers; /* n: ->out the tar, ->diff_id, ->size */
  char **diff_ids;            /* n: the stored layers' (the same, or not) */
  size_t n;
  char **names; /* the image's names */
  const char *id;
  const char *dir; /* a scratch directory beside the tars, removed at _free */
  struct save_set *set;
  char *tmp;
};
/* take, when given, gets each layer's tar as it is made, down the pipe fd
   (to read to its end), in order, instead of a file ->out: called here
   while the user-namespace child writes. dir is b's scratch directory. Its
   failure stops the tarring. */
typedef int (*pt_blob_take_fn) (void *data, const struct pt_tar_job *layer, int fd,
                                const char *dir, pt_error_t *err);
int pt_image_blobs_make (struct pt_store *s, const struct pt_idmap *m, const char *ref,
                         pt_blob_take_fn take, void *take_data, struct pt_image_blobs *b,
                         pt_error_t *err);
void pt_image_blobs_free (struct pt_image_blobs *b);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the image store's files (image.c, image-archive.c, image-commit.c,
   image-inspect.c) share, and nothing else includes. */
#ifndef PT_IMAGE_INTERNAL_H
#define PT_IMAGE_INTERNAL_H

#include "image.h"
#include "blob-progress.h"

#define DIGEST_PREFIX "sha256:"

/* Where one layer's bytes are: a file, or length bytes at offset of one
   (an archive's member, read in place), and the digest those bytes must
   have (an OCI blob's, 64 hex) or NULL. */
struct pt_layer_src
{
  char *path;
  uint64_t offset, length; /* length 0: the whole file */
  char *blob_digest;
};

/* One image out of an archive: its config and layers. */
struct staged_image
{
  char *config_path;
  struct pt_layer_src *layers;
  size_t n_layers;
  char **names;
};
void pt_img_layer_srcs_free (struct pt_layer_src *v, size_t n);

/* HEX of sha256:HEX (or the text as it is). */
const char *pt_img_strip_digest (const char *d);
/* images/index.json written anew (temporary name and rename). */
int pt_img_index_write (struct pt_store *s, struct pt_image_list *l, pt_error_t *err);
/* The containers made from image id. */
char **pt_img_users (struct pt_store *s, const char *id);
/* A staged image's config and the diff_ids it lists. */
int pt_img_read_staged_config (struct staged_image *si, char **config, size_t *config_len,
                               char ***expected, pt_error_t *err);
/* A staged image's layers unpacked and checked (fed through pipes by feed
   when it is not NULL), the image committed. */
int pt_img_load_staged (struct pt_store *s, const struct pt_idmap *m, struct staged_image *si,
                        const struct pt_layer_feed *feed, const struct pt_progress *prog,
                        char ***names_out, char **id_out, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_IMAGE_H
#define PT_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "blob-progress.h"
#include "error.h"
#include "store.h"
#include "userns.h"

struct pt_image
{
  char *id;      /* 64 hex: sha256 of the config blob */
  char **names;  /* full names, "localhost/busybox:latest" */
  char **layers; /* diff ids (64 hex), bottom first */
  int64_t created_ns;
  uint64_t size;
};

struct pt_image_list
{
  struct pt_image *v;
  size_t n;
};

void pt_image_list_free (struct pt_image_list *l);
int pt_image_list_read (struct pt_store *s, struct pt_image_list *l, pt_error_t *err);

/* Look an image up by name (short or full) or id prefix. *out is a copy. */
int pt_image_lookup (struct pt_store *s, const char *ref, struct pt_image *out, pt_error_t *err);
void pt_image_free (struct pt_image *img);
/* The image's digest: the registry's manifest's when it was pulled, else
   that of the manifest podtool would write for it. */
char *pt_image_digest (struct pt_store *s, const struct pt_image *img);
/* The image's config as stored (the "config" object inside, or an empty one). */
json_t *pt_image_read_config (struct pt_store *s, const char *id, pt_error_t *err);

/* podman load: docker-archive or OCI archive. *names gets what was loaded. */
/* Unpacks the archive at path into a staging directory of s and parses
   its manifest and image configs as load does, storing nothing: for the
   fuzzer of tests/fuzz and for checks. */
int pt_image_archive_check (struct pt_store *s, const char *path, pt_error_t *err);
int pt_image_load (struct pt_store *s, const struct pt_idmap *m, const char *path,
                   const struct pt_progress *prog, char ***names,
                   pt_error_t *err);
/* For pull: whether a layer (by diff id) is stored; the diff ids an image
   config lists; an image made of a config file and layers that stream in:
   once their extraction runs, feed->send gets a pipe per layer of the
   config (fds[i], -1 for one the store has) and writes each layer's blob
   (any compression) to it, closing it. A failure of send throws every
   layer of it away. Named names: *id gets its id. */
bool pt_image_layer_present (struct pt_store *s, const char *diff_id);
int pt_image_config_diff_ids (const char *config_path, char ***diff_ids, pt_error_t *err);
struct pt_layer_feed
{
  int (*send) (void *data, int *fds, size_t n, pt_error_t *err);
  void *data;
};
int pt_image_commit_streamed (struct pt_store *s, const struct pt_idmap *m,
                              const char *config_path, const struct pt_layer_feed *feed,
                              char **names, char **id, pt_error_t *err);
/* podman import: a rootfs tarball. name and o may be NULL. */
struct pt_import_opts
{
  char *const *changes; /* --change: Dockerfile instructions (image-change.h) */
  const char *message;  /* --message: the history's comment */
  const char *os, *arch, *variant;
};
int pt_image_import (struct pt_store *s, const struct pt_idmap *m, const char *path,
                     const char *name, const struct pt_import_opts *o, char **id, pt_error_t *err);
/* podman commit's storing: a new image of base_layers (diff ids) and one
   more layer from tar, with config (the whole image config: its rootfs is
   written here); named name, or none. */
int pt_image_commit (struct pt_store *s, const struct pt_idmap *m, char *const *base_layers,
                     uint64_t base_size, const char *tar, json_t *config, const char *name,
                     char **id, pt_error_t *err);
/* The bytes of the stored layer diff_id's tar (0 when not recorded). */
uint64_t pt_layer_size (struct pt_store *s, const char *diff_id);
/* podman rmi. An image with several names loses only the name given. */
int pt_image_remove (struct pt_store *s, const struct pt_idmap *m, const char *ref, bool force,
                     char ***untagged, char **deleted, pt_error_t *err);

/* podman tag: name becomes the image's (and no other image's). */
int pt_image_tag (struct pt_store *s, const char *ref, const char *name, char **full,
                  pt_error_t *err);
/* podman untag: name (every name, if NULL) no longer names the image,
   which stays; *removed lists the names taken off. */
int pt_image_untag (struct pt_store *s, const char *ref, const char *name, char ***removed,
                    pt_error_t *err);
/* podman image prune: images without a name, or with all, every image no
   container uses. *deleted lists the ids. */
int pt_image_prune (struct pt_store *s, const struct pt_idmap *m, bool all,
                    bool (*spare) (struct pt_store *s, const struct pt_image *img, void *data),
                    void *data, char ***deleted, pt_error_t *err);
/* podman image inspect, one image: Podman's JSON shape. */
json_t *pt_image_inspect (struct pt_store *s, const struct pt_image *img, pt_error_t *err);
/* podman images --format json, one entry. */
json_t *pt_image_summary (struct pt_store *s, const struct pt_image *img, pt_error_t *err);

#endif

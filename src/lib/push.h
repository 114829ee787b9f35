/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PUSH_H
#define PT_PUSH_H

#include "error.h"
#include "registry-http.h"
#include "store.h"
#include "userns.h"

enum pt_push_format
{
  PT_PUSH_OCI,
  PT_PUSH_V2S2,
};
enum pt_push_compression
{
  PT_PUSH_GZIP,
  PT_PUSH_ZSTD,
};
enum pt_push_event
{
  PT_PUSH_BLOB_START,    /* hex, and its size in done */
  PT_PUSH_BLOB_PROGRESS, /* bytes sent in done */
  PT_PUSH_BLOB_DONE,
  PT_PUSH_BLOB_SKIPPED,
  PT_PUSH_WRITING,
};
struct pt_push_opts
{
  struct pt_registry_opts reg;
  enum pt_push_format format;
  enum pt_push_compression compression;
  int level; /* 0: the format's default (gzip 5, as containers.conf; zstd 3) */
  /* Neither given: an image pulled from the destination's registry goes
     back as it was pulled (its blobs mounted, the same manifest). */
  bool as_pulled;
  void (*progress) (void *data, enum pt_push_event ev, const char *what, const char *hex,
                    size_t done, size_t total);
  void *progress_data;
};
/* Pushes the store's image to dest (a registry reference with a tag; NULL:
   the image's first name). *digest gets the manifest's "sha256:HEX". */
int pt_image_push (struct pt_store *s, const struct pt_idmap *m, const char *image, const char *dest,
                   const struct pt_push_opts *o, char digest[72], pt_error_t *err);

#endif

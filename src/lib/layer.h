/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LAYER_H
#define PT_LAYER_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"

/* One layer to unpack: a tar (plain, gzip, ... detected by magic bytes)
   into dest, a directory that must not exist yet. */
struct pt_layer_job
{
  const char *tar_path; /* opened unless from_fd; named in messages */
  /* The bytes come from fd instead (a pipe a download writes to). */
  bool from_fd;
  int fd;
  /* length > 0: only LENGTH bytes at OFFSET of the file (an archive's member). */
  uint64_t offset, length;
  const char *dest;
  /* out: sha256 of the uncompressed tar stream, its size in bytes, and
     how many device nodes were skipped. */
  char diff_id[65];
  char blob_sha[65]; /* of the bytes as read (compressed), when hash_blob */
  uint64_t done_bytes; /* read so far, for progress (written atomically) */
  bool hash_blob;
  uint64_t size;
  unsigned skipped_devices;
  /* out: the failure of the worker that unpacked this job, if any */
  int err_status;
  char err_msg[512];
};

/* Unpacks every job; meant to run as uid 0 inside the user's namespace, so
   owners land on the subordinate ids. Whiteouts become overlay whiteouts
   (0/0 char devices) and opaque markers user.overlay.opaque=y.
   Each layer is unpacked by a worker process chroot()ed into its
   destination, so no path, symlink or hard link in the tar can reach
   outside it whatever libarchive does; workers run in parallel, one per
   core (every job at once when one reads from an fd: a stream cannot wait). jobs must live in memory shared with the workers (MAP_SHARED). */
int pt_layer_extract_all (struct pt_layer_job *jobs, int n, pt_error_t *err);

#endif

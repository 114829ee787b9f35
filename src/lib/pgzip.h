/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PGZIP_H
#define PT_PGZIP_H

#include "error.h"
#include <stdint.h>

/* gzip of what in_fd holds (a file from where it stands, or a pipe) into
   out_fd, compressed on every core: the input cut into 1 MiB blocks, each
   deflated by libdeflate as a gzip member of its own (no name, no time);
   gzip readers (zlib's gunzip, Go's, libarchive's) take the members one
   after the other as one stream. Blocks are read while the ones before are
   compressed. The bytes are the same whatever the number of cores, so one
   layer always makes one blob. sha256 (hex) and size are of what was
   written. */
int pt_pgzip (int in_fd, int out_fd, int level, char sha256[65], uint64_t *size,
              pt_error_t *err);

#endif

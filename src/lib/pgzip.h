/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_PGZIP_H
#define PT_PGZIP_H

#include "error.h"
#include <stdint.h>

/* gzip of the file in_fd into out_fd, compressed on every core as pigz
   does: the input cut into 1 MiB blocks, each deflated on its own primed
   with the 32 KiB before it, the pieces one deflate stream in one gzip
   member (no name, no time). The bytes are the same whatever the number of
   cores, so one layer always makes one blob. sha256 (hex) and size are
   of what was written. */
int pt_pgzip (int in_fd, int out_fd, int level, char sha256[65], uint64_t *size,
              pt_error_t *err);

#endif

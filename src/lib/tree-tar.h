/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_TREE_TAR_H
#define PT_TREE_TAR_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"

/* A directory tree back into a tar: in name order, whiteouts and opaque
   markers in their .wh. form, hard links as links, owners and modes as they
   are (call it in a user namespace of the store's mapping, to see every file
   and the owners the container sees). */

/* The tree under dfd as one tar stream on out_fd, but the paths of skip
   (relative: "etc/hosts"; NULL for none). */
int pt_tar_tree (int dfd, int out_fd, char *const *skip, pt_error_t *err);

struct pt_tar_job
{
  const char *dir; /* the tree */
  const char *out; /* the tar file written (or, for messages, what fd is) */
  bool to_fd;      /* the tar goes down fd (closed after), not to out */
  int fd;
  char diff_id[65]; /* out: the tar's sha256 */
  uint64_t size;    /* out: its bytes */
  uint64_t done_bytes; /* written so far, for progress (atomically) */
  uint64_t expect;     /* what it should come to (the layer's recorded size) */
};

/* The tree job->dir as the file job->out (or down job->fd), hashed on
   the way; diff_id and size are set before the fd is closed. */
int pt_tar_dir_to_file (struct pt_tar_job *job, pt_error_t *err);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LOGS_H
#define PT_LOGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "error.h"

/* One line of a k8s-file log: "<RFC3339Nano> stdout|stderr F|P text". */
struct pt_log_record
{
  const char *stamp; /* as written */
  size_t stamp_len;
  int64_t ts_ns;
  int stream; /* 1 stdout, 2 stderr */
  bool partial;
  const char *text;
  size_t len;
};

/* Parses one line (without its newline); false if it is not a record. */
bool pt_log_parse_line (const char *line, size_t len, struct pt_log_record *r);

typedef void (*pt_log_fn) (const struct pt_log_record *r, void *data);
/* Reads whole lines of the log from *pos on, calls fn for each, and moves
 *pos past them (a line still being written stays for the next call). */
int pt_logs_read (int fd, off_t *pos, pt_log_fn fn, void *data, pt_error_t *err);

#endif

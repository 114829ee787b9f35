/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The last execvp of a container's command, and its failure reported as
   podtool reports it. Shared by the library and the static podtool-init. */
#include <config.h>
#include "exec-report.h"
#include "sync.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

void
pt_exec_or_report (char *const *argv, int sync_fd)
{
  pt_error_t err = NULL;
  execvp (argv[0], argv);
  int e = errno;
  if (e == ENOENT && strchr (argv[0], '/') == NULL)
    pt_make_error_code (&err, PT_EXIT_NOT_FOUND, 0, "executable file `%s` not found in $PATH",
                        argv[0]);
  else if (e == ENOENT)
    pt_make_error_code (&err, PT_EXIT_NOT_FOUND, e, "exec `%s`", argv[0]);
  else
    pt_make_error_code (&err, PT_EXIT_CANNOT_INVOKE, e, "exec `%s`", argv[0]);
  pt_sync_die (sync_fd, err);
}


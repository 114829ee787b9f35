/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_EXEC_REPORT_H
#define PT_EXEC_REPORT_H

/* execvp(argv) in the container; if it fails, the error (127 not found,
   126 cannot invoke) goes over sync_fd and the process exits. */
void pt_exec_or_report (char *const *argv, int sync_fd) __attribute__ ((noreturn));

#endif

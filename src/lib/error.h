/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_ERROR_H
#define PT_ERROR_H

#include <stdarg.h>

/* One error type, propagated up and printed once by main().
   status is an errno value or 0; exit_code is the exit status main()
   should use (125 unless a more specific code applies: 126, 127, 2). */
struct pt_error_s
{
  int status;
  int exit_code;
  char *msg;
};
typedef struct pt_error_s *pt_error_t;

#define PT_EXIT_ERROR 125
#define PT_EXIT_CANNOT_INVOKE 126
#define PT_EXIT_NOT_FOUND 127

#define UNLIKELY(x) __builtin_expect (!!(x), 0)
#define LIKELY(x) __builtin_expect (!!(x), 1)

int pt_make_error (pt_error_t *err, int status, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
int pt_make_error_code (pt_error_t *err, int exit_code, int status, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));
int pt_error_wrap (pt_error_t *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
void pt_error_release (pt_error_t *err);
/* "msg: strerror(status)" or just "msg"; caller frees. */
char *pt_error_string (pt_error_t err);

#endif

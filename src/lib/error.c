/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include "error.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
make_error_v (pt_error_t *err, int exit_code, int status, const char *fmt, va_list ap)
{
  pt_error_t e = xmalloc (sizeof *e);
  e->status = status;
  e->exit_code = exit_code;
  if (vasprintf (&e->msg, fmt, ap) < 0)
    pt_oom ();
  if (*err)
    pt_error_release (err);
  *err = e;
  return -status - 1;
}

int
pt_make_error (pt_error_t *err, int status, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int r = make_error_v (err, PT_EXIT_ERROR, status, fmt, ap);
  va_end (ap);
  return r;
}

int
pt_make_error_code (pt_error_t *err, int exit_code, int status, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int r = make_error_v (err, exit_code, status, fmt, ap);
  va_end (ap);
  return r;
}

int
pt_error_wrap (pt_error_t *err, const char *fmt, ...)
{
  char *prefix = NULL, *msg = NULL;
  va_list ap;
  if (*err == NULL)
    return -1;
  va_start (ap, fmt);
  if (vasprintf (&prefix, fmt, ap) < 0)
    pt_oom ();
  va_end (ap);
  msg = xasprintf ("%s: %s", prefix, (*err)->msg);
  free (prefix);
  free ((*err)->msg);
  (*err)->msg = msg;
  return -(*err)->status - 1;
}

void
pt_error_release (pt_error_t *err)
{
  if (err == NULL || *err == NULL)
    return;
  free ((*err)->msg);
  free (*err);
  *err = NULL;
}

char *
pt_error_string (pt_error_t err)
{
  if (err->status)
    return xasprintf ("%s: %s", err->msg, strerror (err->status));
  return xstrdup (err->msg);
}

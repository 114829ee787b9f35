/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A minimal TAP producer for the C unit tests. */
#ifndef PT_TAP_H
#define PT_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define plan(n) printf ("1..%d\n", (n))
#define ok(cond, ...)                                                                              \
  do                                                                                               \
    {                                                                                              \
      int ok_ = !!(cond);                                                                          \
      printf ("%sok %d - ", ok_ ? "" : "not ", ++tap_n);                                           \
      printf (__VA_ARGS__);                                                                        \
      printf ("\n");                                                                               \
      if (!ok_)                                                                                    \
        {                                                                                          \
          tap_failed++;                                                                            \
          printf ("# failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);                           \
        }                                                                                          \
    }                                                                                              \
  while (0)
static inline int
tap_streq (const char *got, const char *want)
{
  if (got && strcmp (got, want) == 0)
    return 1;
  printf ("# got: %s\n# expected: %s\n", got ? got : "(null)", want);
  return 0;
}
#define is_str(got, want, ...) ok (tap_streq ((got), (want)), __VA_ARGS__)
#define done_testing() (tap_failed ? 1 : 0)

#endif

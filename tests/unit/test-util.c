/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tap.h"
#include "lib/util.h"

static void
check (char *got, const char *want, const char *what)
{
  is_str (got, want, "%s = %s", what, want);
  free (got);
}

int
main (void)
{
  plan (19);
  check (pt_human_duration (0), "Less than a second", "0s");
  check (pt_human_duration (1), "1 second", "1s");
  check (pt_human_duration (59), "59 seconds", "59s");
  check (pt_human_duration (90), "About a minute", "90s");
  check (pt_human_duration (43 * 60), "43 minutes", "43m");
  check (pt_human_duration (3600 + 5), "About an hour", "1h");
  check (pt_human_duration (3 * 86400), "3 days", "3d");
  check (pt_human_size (2135552), "2.14 MB", "busybox layer");
  check (pt_human_size (999), "999 B", "bytes");
  long v = 0;
  ok (pt_parse_long ("42", 0, 100, &v) == 0 && v == 42, "parse 42");
  ok (pt_parse_long ("42x", 0, 100, &v) < 0, "reject trailing junk");
  ok (pt_parse_long ("101", 0, 100, &v) < 0, "reject out of range");
  int64_t t = pt_parse_time ("2026-11-27T04:01:02.5Z");
  char *back = pt_format_time_ns (t);
  is_str (back, "2026-11-27T04:01:02.500000000Z", "time round trip");
  free (back);
  ok (pt_parse_time ("2026-11-27T05:01:02+01:00") == pt_parse_time ("2026-11-27T04:01:02Z"),
      "time zone offset");

  char tmpl[] = "/tmp/pt-unit-XXXXXX";
  ok (mkdtemp (tmpl) != NULL, "mkdtemp");
  char *deep = xasprintf ("%s/a/b/c", tmpl);
  pt_error_t err = NULL;
  ok (pt_mkdir_p (deep, 0755, &err) == 0, "mkdir -p");
  char *locked = xasprintf ("%s/a/b", tmpl);
  chmod (locked, 0); /* like overlay's work/work */
  ok (pt_rmtree_at (AT_FDCWD, tmpl, &err) == 0, "rmtree through a mode-000 directory");
  ok (access (tmpl, F_OK) < 0, "tree is gone");
  free (deep);
  free (locked);

  /* Field 22 of /proc/self/stat, counted after the command's parenthesis. */
  char *stat = NULL;
  pt_read_file (AT_FDCWD, "/proc/self/stat", &stat, NULL, &err);
  char *p = strrchr (stat, ')') + 2; /* field 3 */
  for (int field = 3; field < 22; field++)
    p = strchr (p, ' ') + 1;
  ok (pt_pid_start_time (getpid ()) == strtoull (p, NULL, 10), "start time is field 22");
  free (stat);
  return done_testing ();
}

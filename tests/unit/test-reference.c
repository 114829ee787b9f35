/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <stdlib.h>
#include "tap.h"
#include "lib/reference.h"

static void
check_norm (const char *in, const char *want)
{
  char *got = pt_ref_normalize (in);
  if (want == NULL)
    ok (got == NULL, "normalize(%s) is invalid", in);
  else
    is_str (got, want, "normalize(%s) = %s", in, want);
  free (got);
}

int
main (void)
{
  plan (16);
  check_norm ("busybox", "busybox:latest");
  check_norm ("busybox:1.36", "busybox:1.36");
  check_norm ("localhost/busybox", "localhost/busybox:latest");
  check_norm ("localhost:5000/a/b:v1", "localhost:5000/a/b:v1");
  check_norm ("Busybox", NULL);
  check_norm ("", NULL);
  check_norm ("a b", NULL);
  ok (pt_ref_matches ("localhost/busybox:latest", "busybox:latest"), "short name finds localhost/");
  ok (pt_ref_matches ("docker.io/library/busybox:latest", "busybox:latest"),
      "short name finds docker.io/library/");
  ok (!pt_ref_matches ("localhost/busybox:1", "busybox:latest"), "tag must match");
  ok (!pt_ref_matches ("localhost/mybusybox:latest", "busybox:latest"), "whole path component");
  ok (pt_ref_matches ("localhost/busybox:latest", "localhost/busybox:latest"), "full name");
  ok (!pt_ref_matches ("quay.io/busybox:latest", "localhost/busybox:latest"), "domain must match");
  ok (pt_ref_has_domain ("localhost/x"), "localhost is a domain");
  ok (pt_ref_has_domain ("quay.io/x"), "dotted is a domain");
  ok (!pt_ref_has_domain ("library/x"), "library is not");
  return done_testing ();
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool wait: block until containers exit, print their exit codes. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static int
wait_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  if (getopt_long (argc, argv, "", longopts, NULL) != -1)
    return pt_cmd_bad_option (&pt_cmd_wait, err);
  if (optind >= argc)
    return pt_make_error (err, 0, "`podtool wait` requires at least one container");
  struct pt_store *s = pt_global_store (g, err);
  if (s == NULL)
    return -1;
  for (int i = optind; i < argc; i++)
    {
      cleanup_free char *id = NULL;
      int code = -1;
      bool running;
      if (pt_ctr_resolve (s, argv[i], &id, err) < 0
          || pt_ctr_wait (s, id, -1, &code, &running, err) < 0)
        return -1;
      printf ("%d\n", code);
      fflush (stdout);
      if (code < 0)
        fprintf (stderr,
                 "podtool: the exit code of %s is unknown: its monitor died before recording it\n",
                 argv[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_wait = {
  .name = "wait",
  .usage = "CONTAINER...",
  .summary = "Wait for containers to exit and print their exit codes",
  .exec = wait_exec,
};

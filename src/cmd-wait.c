/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool wait: block until containers exit, print their exit codes. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/lifecycle.h"
#include "lib/util.h"

enum
{
  OPT_CONDITION = 256,
};

static const struct pt_flag wait_flags[] = {
  { OPT_CONDITION, "condition", 0, "STATE", "Wait for this state: stopped (exited), the default" },
  { 'g', "ignore", 0, NULL, "A container that does not exist prints -1, no error" },
  { 'I', "interval", 'i', "DURATION", "How often to check", PT_FLAG_NO_EFFECT,
    "podtool is told of the exit, it does not poll" },
  PT_FLAG_LATEST,
  { 0, NULL, 0, NULL, NULL },
};

static int
wait_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool ignore = false, latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_wait, argc, argv, err)) != -1)
    switch (c)
      {
      case 'g': ignore = pt_cli_optbool; break;
      case 'l': latest = pt_cli_optbool; break;
      case OPT_CONDITION:
        if (strcmp (optarg, "stopped") != 0 && strcmp (optarg, "exited") != 0)
          return pt_make_error (err, 0,
                                "--condition %s: not supported by podtool: it waits for "
                                "stopped (exited) only",
                                optarg);
        break;
      default: return -1;
      }
  struct pt_store *s;
  cleanup_strv char **refs = pt_cli_store_names (g, &pt_cmd_wait, argv + optind, latest, &s, err);
  if (refs == NULL)
    return -1;
  for (size_t i = 0; refs[i]; i++)
    {
      cleanup_free char *id = NULL;
      int code = -1;
      bool running;
      pt_error_t e = NULL;
      if (ignore && pt_ctr_resolve (s, refs[i], &id, &e) < 0)
        {
          pt_error_release (&e); /* --ignore: -1, as Podman prints */
          printf ("-1\n");
          continue;
        }
      if ((!id && pt_ctr_resolve (s, refs[i], &id, err) < 0)
          || pt_ctr_wait (s, id, -1, &code, &running, err) < 0)
        return -1;
      printf ("%d\n", code);
      fflush (stdout);
      if (code < 0)
        fprintf (stderr,
                 "podtool: the exit code of %s is unknown: its monitor died before recording it\n",
                 refs[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_wait = {
  .name = "wait",
  .usage = "[options] CONTAINER [CONTAINER...]",
  .flags = wait_flags,
  .summary = "Wait for containers to exit and print their exit codes",
  .exec = wait_exec,
};

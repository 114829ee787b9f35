/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool stop: the image's stop signal, then SIGKILL after a timeout. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static int
stop_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = { { "time", required_argument, NULL, 't' },
                                            { "all", no_argument, NULL, 'a' },
                                            { NULL, 0, NULL, 0 } };
  long timeout = 10;
  bool all = false;
  int c;
  while ((c = getopt_long (argc, argv, "t:a", longopts, NULL)) != -1)
    switch (c)
      {
      case 't':
        if (pt_parse_long (optarg, 0, 86400, &timeout) < 0)
          return pt_make_error (err, 0, "invalid --time `%s`: seconds, 0 to 86400", optarg);
        break;
      case 'a': all = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_stop, err);
      }
  if (optind >= argc && !all)
    return pt_make_error (err, 0, "`podtool stop` requires at least one container, or --all");
  struct pt_store *s = pt_global_store (g, err);
  cleanup_strv char **ids = NULL;
  if (s == NULL || (all && pt_ctr_list (s, &ids, err) < 0))
    return -1;
  for (size_t i = 0; all && ids[i]; i++)
    {
      if (pt_ctr_stop (s, ids[i], timeout, err) < 0)
        return -1;
      printf ("%s\n", ids[i]);
    }
  for (int i = optind; !all && i < argc; i++)
    {
      cleanup_free char *id = NULL;
      if (pt_ctr_resolve (s, argv[i], &id, err) < 0 || pt_ctr_stop (s, id, timeout, err) < 0)
        return -1;
      printf ("%s\n", argv[i]);
    }
  return 0;
}

const struct pt_cmd pt_cmd_stop = {
  .name = "stop",
  .usage = "[-t SECONDS] [-a] CONTAINER...",
  .summary = "Stop containers: the stop signal, then SIGKILL after a timeout",
  .exec = stop_exec,
};

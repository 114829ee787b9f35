/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool exec: run a command in a running container. */
#include <config.h>
#include <getopt.h>
#include <stdlib.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/exec.h"
#include "lib/util.h"

static int
exec_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[] = {
    { "env", required_argument, NULL, 'e' },
    { "workdir", required_argument, NULL, 'w' },
    { "user", required_argument, NULL, 'u' },
    { "interactive", no_argument, NULL, 'i' },
    { NULL, 0, NULL, 0 },
  };
  struct pt_exec_options o = { 0 };
  cleanup_strv char **env = xzalloc (sizeof (char *));
  int c;
  while ((c = getopt_long (argc, argv, "+e:w:u:i", longopts, NULL)) != -1)
    switch (c)
      {
      case 'e': pt_strv_append (&env, optarg); break;
      case 'w': o.workdir = optarg; break;
      case 'u': o.user = optarg; break;
      case 'i': break; /* stdin is the container's already: it is ours */
      default: return pt_cmd_bad_option (&pt_cmd_exec, err);
      }
  if (argc - optind < 2)
    return pt_make_error (err, 0,
                          "`podtool exec` requires a container and a command: podtool exec %s",
                          pt_cmd_exec.usage);
  o.env = env;
  o.argv = argv + optind + 1;
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  int code = 0;
  if (s == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0
      || pt_exec (s, id, &o, &code, err) < 0)
    return -1;
  g->exit_code = code;
  return 0;
}

const struct pt_cmd pt_cmd_exec = {
  .name = "exec",
  .usage = "[-i] [-e K=V]... [-w DIR] [-u USER[:GROUP]] CONTAINER CMD [ARG...]",
  .summary = "Run a command in a running container",
  .exec = exec_exec,
};

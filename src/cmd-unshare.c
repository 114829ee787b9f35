/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool unshare: run a command as root of a user namespace with the
   containers' mapping, e.g. to inspect or delete files of subordinate owners. */
#include <config.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "lib/util.h"

struct unshare_args
{
  char **argv;
  struct pt_store *store;
};

static int
exec_in_userns (void *data, pt_error_t *err)
{
  struct unshare_args *a = data;
  signal (SIGINT, SIG_DFL);
  signal (SIGQUIT, SIG_DFL);
  setenv ("PODTOOL_GRAPHROOT", a->store->root, 1);
  setenv ("PODTOOL_RUNROOT", a->store->runroot, 1);
  execvp (a->argv[0], a->argv);
  return pt_make_error_code (err, errno == ENOENT ? 127 : 126, errno, "exec `%s`", a->argv[0]);
}

static const struct pt_flag unshare_flags[] = {
  { 'n', "rootless-netns", 0, NULL, "Join the rootless network namespace too", PT_FLAG_REFUSED,
    "podtool has no shared rootless network namespace: each container has its own" },
  { 0, NULL, 0, NULL, NULL },
};

static int
unshare_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_unshare, argc, argv, err)) != -1)
    return -1;
  int first = optind;
  const char *shell = getenv ("SHELL");
  char *def[] = { (char *)(shell && *shell ? shell : "/bin/sh"), NULL };
  struct unshare_args a = { .argv = first < argc ? argv + first : def };
  a.store = pt_global_store (g, err);
  const struct pt_idmap *m = a.store ? pt_global_idmap (g, err) : NULL;
  if (m == NULL)
    return -1;
  int status = 0;
  /* The terminal's signals are for the command, not for us. */
  signal (SIGINT, SIG_IGN);
  signal (SIGQUIT, SIG_IGN);
  if (pt_userns_run_status (m, exec_in_userns, &a, &status, err) < 0)
    return -1;
  g->exit_code = status;
  return 0;
}

const struct pt_cmd pt_cmd_unshare = {
  .name = "unshare",
  .usage = "[options] [COMMAND [ARG...]]",
  .summary = "Run a command in a user namespace with the containers' id mapping",
  .flags = unshare_flags,
  .stop_at_operand = true,
  .exec = unshare_exec,
};

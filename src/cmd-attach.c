/* SPDX-License-Identifier: GPL-2.0-or-later */
/* podtool attach: connect to a running container's monitor. */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "cmd.h"
#include "lib/container.h"
#include "lib/util.h"

static int
connect_attach (struct pt_store *s, const char *id, pt_error_t *err)
{
  cleanup_free char *dir = pt_store_runpath (s, "containers/%s", id);
  cleanup_close int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  snprintf (sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/attach", dfd);
  int fd = socket (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (dfd < 0 || fd < 0 || connect (fd, (struct sockaddr *)&sa, sizeof sa) < 0)
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      return pt_make_error (err, e, "attach to `%s`", id);
    }
  return fd;
}

enum
{
  OPT_NO_STDIN = 256,
  OPT_DETACH_KEYS,
  OPT_SIG_PROXY,
};

static const struct pt_flag attach_flags[] = {
  { OPT_DETACH_KEYS, "detach-keys", 0, "KEYS", "Keys that detach", PT_FLAG_NO_EFFECT,
    "podtool has no detach keys: the container goes on when podtool exits" },
  PT_FLAG_LATEST,
  { OPT_NO_STDIN, "no-stdin", 0, NULL, "Do not attach stdin" },
  { OPT_SIG_PROXY, "sig-proxy", 0, NULL, "Pass signals on (default true)", PT_FLAG_NO_EFFECT,
    "an attached podtool always passes signals on" },
  { 0, NULL, 0, NULL, NULL },
};

static int
attach_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  bool no_stdin = false, latest = false;
  int c;
  while ((c = pt_cli_getopt (&pt_cmd_attach, argc, argv, err)) != -1)
    switch (c)
      {
      case OPT_NO_STDIN: no_stdin = pt_cli_optbool; break;
      case 'l': latest = pt_cli_optbool; break;
      default: return -1;
      }
  if (argc - optind != (latest ? 0 : 1))
    return pt_cli_need_args (&pt_cmd_attach, argc - optind, latest ? 0 : 1, latest ? 0 : 1, err);
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_state st;
  struct pt_ctr_spec spec;
  if (s == NULL
      || (latest ? pt_cli_latest (s, &id, err) : pt_ctr_resolve (s, argv[optind], &id, err)) < 0
      || pt_ctr_state (s, id, &st, err) < 0)
    return -1;
  if (st.status != PT_CTR_RUNNING)
    return pt_make_error (err, 0, "you can only attach to running containers");
  if (pt_ctr_spec_read (s, id, &spec, err) < 0)
    return -1;
  bool in = spec.interactive && !no_stdin, tty = spec.tty;
  pt_ctr_spec_free (&spec);
  cleanup_close int fd = connect_attach (s, id, err);
  int code = 0;
  if (fd < 0 || pt_cli_relay (fd, st.pid, in, tty, &code, err) < 0)
    return -1;
  g->exit_code = code;
  return 0;
}

const struct pt_cmd pt_cmd_attach = {
  .name = "attach",
  .usage = "[options] CONTAINER",
  .summary = "Attach to a running container's input and output",
  .flags = attach_flags,
  .exec = attach_exec,
};

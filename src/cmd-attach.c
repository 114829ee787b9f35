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

static int
attach_exec (struct pt_global *g, int argc, char **argv, pt_error_t *err)
{
  static const struct option longopts[]
      = { { "no-stdin", no_argument, NULL, 'n' }, { NULL, 0, NULL, 0 } };
  bool no_stdin = false;
  int c;
  while ((c = getopt_long (argc, argv, "", longopts, NULL)) != -1)
    switch (c)
      {
      case 'n': no_stdin = true; break;
      default: return pt_cmd_bad_option (&pt_cmd_attach, err);
      }
  if (argc - optind != 1)
    return pt_make_error (err, 0, "`podtool attach` takes one container");
  struct pt_store *s = pt_global_store (g, err);
  cleanup_free char *id = NULL;
  struct pt_ctr_state st;
  struct pt_ctr_spec spec;
  if (s == NULL || pt_ctr_resolve (s, argv[optind], &id, err) < 0
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
  .usage = "[--no-stdin] CONTAINER",
  .summary = "Attach to a running container's input and output",
  .exec = attach_exec,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_MONITOR_STATE_H
#define PT_MONITOR_STATE_H

#include "monitor-net.h"
#include "lib/container.h"
#include "lib/error.h"
#include "lib/store.h"
#include "lib/userns.h"
#include <stdint.h>
#include <sys/types.h>

#define PT_MAX_CLIENTS 16

struct monitor
{
  struct pt_store store;
  struct pt_ctr_spec spec;
  struct pt_idmap idmap;
  int sync_fd;                 /* to podtool: the pid or the error */
  int clients[PT_MAX_CLIENTS]; /* attached clients, -1 for a free slot */
  int listen_fd;               /* the attach socket in the runtime dir */
  int out_fd, err_fd;          /* the container's output: pipes, or the pty master */
  int in_fd;                   /* its input: a pipe, the pty master, or -1 */
  int tty_fd;                  /* the pty master with -t, else -1 */
  int log_fd;
  int64_t log_size; /* bytes in the log now, for --log-opt max-size */
  int pidfd, sigfd, epfd;
  int stub_fd;           /* a sealed copy of podtool-init: the container's first exec */
  const char *self;      /* where our binary is, for podtool-init and podtool-net */
  struct pt_mon_net net; /* slirp4netns: the net helper (monitor-net.c) */
  pid_t pid;
  const char *podtool; /* runs `healthcheck run` at each interval; NULL: none */
  pid_t health_pid;    /* that run, while it goes on */
  bool joined; /* in container:X's (ns:PATH's) namespaces already */
  char *idmap_cache;
};

/* The attach socket: containers/ID/attach in the runtime dir. */
int mon_listen_attach (struct monitor *m, pt_error_t *err);
/* Until the container exits: its output to the log and the clients, the
   clients' input to it, signals passed on, the net helper watched. The
   container's exit code (128+N for signal N), or -1. monitor-loop.c. */
int mon_run_loop (struct monitor *m);
/* One message, tag + data, to every attached client. */
void mon_send_clients (struct monitor *m, int tag, const char *data, size_t len);

#endif

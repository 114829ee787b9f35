/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_NET_PORTS_H
#define PT_NET_PORTS_H

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

/* The published ports of the builtin handler (rootlesskit's): host
   sockets listen here, in the host's network namespace; each connection
   (each UDP flow) is joined to a socket made inside the container's
   network namespace by a thread that joined it, and the bytes move with
   splice(2) both ways, never through the slirp stack. */
struct ports;

/* Starts a thread in the network namespace netns (an fd of /proc/PID/ns/net;
   taken; the process is in its user namespace already), then binds each
   "tcp|udp:HOSTIP:HOSTPORT:CTRPORT"; NULL and why (one line) on failure. */
struct ports *ports_new (int netns, char **specs, int n, char *why, size_t why_len);
/* Adds its fds to pfd (from *n), and runs what poll reported. */
void ports_fill (struct ports *p, struct pollfd *pfd, int *n, int max);
void ports_run (struct ports *p, const struct pollfd *pfd, int n);
/* Closes every listener, connection and flow. */
void ports_close (struct ports *p);

#endif

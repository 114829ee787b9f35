/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_LINUX_NET_H
#define PT_LINUX_NET_H

#include "error.h"
#include "net.h"

/* In the container's new network namespace (as its root): tap0 made on
   /dev/net/tun, with slirp's address (.100 of the cidr), the MTU, up, and
   the default route through the gateway (.2); fd00::100/64 too with ipv6.
   *tap_fd is the tap's fd, for the net helper. */
int pt_linux_net_tap (const struct pt_net *n, int *tap_fd, pt_error_t *err);

#endif

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

/* In a network namespace of the container's own (slirp4netns, none):
   Podman's default sysctls (net.ipv4.ping_group_range=0 0). */
int pt_linux_net_sysctls (pt_error_t *err);

/* ns:PATH: the network namespace at path, opened, and the user namespace
   that owns it in *userns_fd. Joining it takes that user namespace's root,
   so it must be one of the user's own (another container's, or one made in
   `podtool unshare`), never the host's: one line saying which, else. */
int pt_linux_netns_open (const char *path, int *userns_fd, pt_error_t *err);

#endif

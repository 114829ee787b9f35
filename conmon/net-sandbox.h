/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_NET_SANDBOX_H
#define PT_NET_SANDBOX_H

#include <stddef.h>

/* The helper parses every frame the container sends, so it keeps as little
   as slirp4netns --enable-sandbox does: a mount namespace of its own
   pivoted to an empty tmpfs that holds only the host's /etc (read-only,
   for resolv.conf; and the directory resolv.conf links to, if elsewhere),
   then no capabilities. The calling thread must be in a user namespace of
   the user's (the container's): one that may make a mount namespace.
   0, or -1 and one line in why. */
int net_sandbox (char *why, size_t len);

#endif

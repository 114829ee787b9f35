/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_MONITOR_NET_H
#define PT_MONITOR_NET_H

#include <sys/types.h>
#include "lib/error.h"
#include "lib/net.h"
#include "lib/store.h"

/* The monitor's side of a container's network: the net helper it owns. */
struct pt_mon_net
{
  pid_t pid;           /* podtool-net, or 0 */
  int lifeline;        /* it ends when this closes */
  int ns_user, ns_net; /* the container's, opened while it is still dumpable, or -1 */
};

/* slirp4netns: starts podtool-net (beside self) on tap; 0 once its ports
   are bound, or its one-line error. */
int pt_mon_net_start (struct pt_mon_net *h, const struct pt_net *n, const char *self, int tap,
                      pt_error_t *err);
/* Ends it: its ports are free when this returns (it acknowledges their
   closing over the lifeline; one that does not within 2 s is killed). */
void pt_mon_net_stop (struct pt_mon_net *h);
/* It died on its own (its lifeline hung up): reaped, forgotten. */
void pt_mon_net_lost (struct pt_mon_net *h);
/* container:X: joins the running X's user and network namespaces. */
int pt_mon_net_join (struct pt_store *s, const char *target, int also, pt_error_t *err);

/* ns:PATH: the monitor joins PATH's network namespace and the user
   namespace that owns it, which the container then shares. */
int pt_mon_net_join_ns (const char *path, pt_error_t *err);

#endif

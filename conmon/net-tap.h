/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_NET_TAP_H
#define PT_NET_TAP_H

#include <stddef.h>

/* Frames from the stack to the container's tap0. The stack acknowledges
   every segment the container sends, one write(2) each: a third of the
   helper's system calls on a stream, and as many wake-ups of the sender.
   A pure TCP ACK (no data, no SYN/FIN/RST, IPv4 or IPv6) therefore waits
   for the end of the round and is replaced by a later one of the same
   connection that acknowledges more or moves the window; a duplicate ACK
   (same number, same window: a loss signal) is never folded, and any
   other frame first sends what waits, so the order of a connection's
   frames is kept. */
void tap_send (int fd, const void *frame, size_t len);
/* Writes what waits: before the helper sleeps in poll(2). */
void tap_flush (int fd);

#endif

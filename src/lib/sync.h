/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_SYNC_H
#define PT_SYNC_H

#include <stddef.h>
#include <sys/types.h>
#include "error.h"

/* A forked child reports its failure over a socket as {status, exit_code,
   len, msg}; the parent rebuilds the very same pt_error_t (crun's
   send_error_to_sync_socket_and_die). */
void pt_sync_send_error (int fd, pt_error_t err);
/* A one-byte message with a terminal's master fd attached (SCM_RIGHTS):
   the container child's only message that is not an error. */
#define PT_SYNC_CONSOLE 'T'
/* The same with tap0's fd: the monitor answers one byte once the net
   helper is ready, or kills the child. */
#define PT_SYNC_TAP 'N'
/* Sends the one-byte tag with fd attached; 0, or -1 with errno. */
int pt_sync_send_fd (int sock, char tag, int fd);

/* From a stream (pipe): 1 and *err set if the peer sent an error, 0 on
   EOF, < 0 on failure. Reads exactly one message. */
int pt_sync_recv_error (int fd, pt_error_t *err);
/* The same from a SOCK_SEQPACKET socket: one packet, one message. */
int pt_sync_recv_packet_error (int fd, pt_error_t *err);
/* Decodes one message already read whole (SOCK_SEQPACKET); returns 1. */
int pt_sync_parse_error (const char *buf, size_t n, pt_error_t *err);
/* One packet, and the fd it carries (SCM_RIGHTS) into *passed, if any. */
ssize_t pt_sync_recv_fd (int fd, char *buf, size_t len, int *passed);
/* Child side: report and _exit(1). */
void pt_sync_die (int fd, pt_error_t err) __attribute__ ((noreturn));

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_ATTACH_H
#define PT_ATTACH_H

/* The monitor <-> client protocol on a SOCK_SEQPACKET socket: one message
   per packet, its first byte a tag (conmon's attach socket). */
enum pt_attach_tag
{
  PT_ATTACH_STDIN = 0,  /* client -> monitor; an empty payload is EOF */
  PT_ATTACH_STDOUT = 1, /* monitor -> client */
  PT_ATTACH_STDERR = 2,
  PT_ATTACH_EXIT = 3,   /* payload: the exit code as int32 */
  PT_ATTACH_RESIZE = 4, /* client -> monitor: a struct winsize */
};

#define PT_ATTACH_MAX 65536

/* The monitor's report on its sync pipe: any number of 'W' + warning, then
   'P' + pid, or 'E' + error (warnings and errors in the sync.h wire format). */
#define PT_SYNC_PID 'P'
#define PT_SYNC_ERROR 'E'
#define PT_SYNC_WARN 'W'

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stack's frames to tap0, with pure ACKs folded: see net-tap.h. */
#include <config.h>
#include "net-tap.h"
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define MAX_WAITING 8
#define ACK_FRAME_MAX 128 /* Ethernet + IPv6 + TCP with options */
#define ETH_HLEN 14
#define TCP_ACK 0x10

struct waiting
{
  bool used;
  uint8_t key[36]; /* addresses and ports, zero-padded */
  uint32_t ack;
  uint16_t win;
  size_t len;
  uint8_t frame[ACK_FRAME_MAX];
};

static struct waiting waiting[MAX_WAITING];

static uint32_t
be32 (const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The TCP header of a pure ACK in frame, and its connection in key; NULL
   for anything else. */
static const uint8_t *
pure_ack (const uint8_t *f, size_t len, uint8_t key[36])
{
  if (len < ETH_HLEN + 40 || len > ACK_FRAME_MAX)
    return NULL;
  uint16_t type = (uint16_t)(f[12] << 8 | f[13]);
  const uint8_t *ip = f + ETH_HLEN, *tcp;
  size_t ip_payload;
  memset (key, 0, 36);
  if (type == 0x0800 && (ip[0] >> 4) == 4 && ip[9] == 6)
    {
      size_t ihl = (size_t)(ip[0] & 15) * 4, total = (size_t)(ip[2] << 8 | ip[3]);
      if (ihl < 20 || total < ihl || ETH_HLEN + total > len || (ip[6] & 0x3f) || ip[7])
        return NULL; /* a fragment is no ACK of ours to fold */
      tcp = ip + ihl;
      ip_payload = total - ihl;
      memcpy (key, ip + 12, 8);
    }
  else if (type == 0x86dd && (ip[0] >> 4) == 6 && ip[6] == 6)
    {
      tcp = ip + 40;
      ip_payload = (size_t)(ip[4] << 8 | ip[5]);
      if (ETH_HLEN + 40 + ip_payload > len)
        return NULL;
      memcpy (key, ip + 8, 32);
    }
  else
    return NULL;
  if (ip_payload < 20 || (size_t)(tcp - f) + 20 > len)
    return NULL;
  size_t thl = (size_t)(tcp[12] >> 4) * 4;
  if (thl < 20 || thl != ip_payload || tcp[13] != TCP_ACK)
    return NULL;
  memcpy (key + 32, tcp, 4);
  return tcp;
}

static void
write_frame (int fd, const void *buf, size_t len)
{
  ssize_t n;
  do
    n = write (fd, buf, len);
  while (n < 0 && errno == EINTR);
  /* A full tap queue drops the frame: TCP retransmits, as with a NIC. */
}

void
tap_flush (int fd)
{
  for (int i = 0; i < MAX_WAITING; i++)
    if (waiting[i].used)
      {
        write_frame (fd, waiting[i].frame, waiting[i].len);
        waiting[i].used = false;
      }
}

void
tap_send (int fd, const void *frame, size_t len)
{
  uint8_t key[36];
  const uint8_t *tcp = pure_ack (frame, len, key);
  if (tcp == NULL)
    {
      tap_flush (fd);
      write_frame (fd, frame, len);
      return;
    }
  uint32_t ack = be32 (tcp + 8);
  uint16_t win = (uint16_t)(tcp[14] << 8 | tcp[15]);
  struct waiting *w = NULL, *free_slot = NULL;
  for (int i = 0; i < MAX_WAITING && w == NULL; i++)
    if (waiting[i].used && memcmp (waiting[i].key, key, sizeof key) == 0)
      w = &waiting[i];
    else if (!waiting[i].used && free_slot == NULL)
      free_slot = &waiting[i];
  if (w && !((int32_t)(ack - w->ack) > 0 || (ack == w->ack && win != w->win)))
    {
      /* A duplicate (or an older one): both go, in order. */
      write_frame (fd, w->frame, w->len);
      w->used = false;
    }
  if (w == NULL || !w->used)
    w = w ? w : free_slot;
  if (w == NULL)
    {
      tap_flush (fd);
      w = &waiting[0];
    }
  w->used = true;
  memcpy (w->key, key, sizeof key);
  w->ack = ack;
  w->win = win;
  w->len = len;
  memcpy (w->frame, frame, len);
}

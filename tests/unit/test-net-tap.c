/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conmon/net-tap.c: which frames to tap0 are folded, and in what order
   the rest go. The "tap" is a datagram socketpair: one frame a message. */
#include <config.h>
#include "../../conmon/net-tap.h"
#include "tap.h"
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

static int sv[2];

/* Ethernet + IPv4 + TCP from 10.0.2.2:sport to 10.0.2.100:80. */
static size_t
frame (uint8_t *f, int sport, uint32_t ack, uint16_t win, uint8_t flags, size_t payload)
{
  memset (f, 0, 14 + 20 + 20 + payload);
  f[12] = 0x08;
  uint8_t *ip = f + 14, *tcp = ip + 20;
  ip[0] = 0x45;
  ip[2] = (uint8_t)((40 + payload) >> 8), ip[3] = (uint8_t)(40 + payload);
  ip[6] = 0x40; /* DF */
  ip[9] = 6;
  inet_pton (AF_INET, "10.0.2.2", ip + 12);
  inet_pton (AF_INET, "10.0.2.100", ip + 16);
  tcp[0] = (uint8_t)(sport >> 8), tcp[1] = (uint8_t)sport, tcp[3] = 80;
  tcp[8] = (uint8_t)(ack >> 24), tcp[9] = (uint8_t)(ack >> 16), tcp[10] = (uint8_t)(ack >> 8), tcp[11] = (uint8_t)ack;
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  tcp[14] = (uint8_t)(win >> 8), tcp[15] = (uint8_t)win;
  return 14 + 40 + payload;
}

static void
ack (int sport, uint32_t n, uint16_t win)
{
  uint8_t f[256];
  tap_send (sv[0], f, frame (f, sport, n, win, 0x10, 0));
}

/* What came out: "A<ack>" per pure ACK, "D<ack>" per frame with data, "S" else. */
static const char *
out (void)
{
  static char s[512];
  uint8_t f[256];
  ssize_t n;
  s[0] = '\0';
  while ((n = recv (sv[1], f, sizeof f, MSG_DONTWAIT)) > 0)
    {
      const uint8_t *tcp = f + 34;
      uint32_t a = (uint32_t)tcp[8] << 24 | (uint32_t)tcp[9] << 16 | (uint32_t)tcp[10] << 8 | tcp[11];
      char one[32];
      snprintf (one, sizeof one, "%s%c%u", *s ? " " : "", n > 54 ? 'D' : tcp[13] != 0x10 ? 'S' : 'A', a);
      strcat (s, one);
    }
  return s;
}

int
main (void)
{
  plan (7);
  socketpair (AF_UNIX, SOCK_DGRAM, 0, sv);
  ack (1000, 100, 512);
  ack (1000, 200, 512);
  ack (1000, 300, 512);
  is_str (out (), "", "pure ACKs wait for the end of the round");
  tap_flush (sv[0]);
  is_str (out (), "A300", "and only the last of a connection goes");
  ack (1000, 300, 512);
  ack (1000, 300, 512);
  tap_flush (sv[0]);
  is_str (out (), "A300 A300", "a duplicate ACK (a loss signal) is never folded");
  ack (1000, 400, 512);
  ack (1000, 400, 1024);
  tap_flush (sv[0]);
  is_str (out (), "A400", "a window update replaces the ACK before it");
  ack (1000, 500, 512);
  ack (2000, 600, 512);
  uint8_t f[256];
  tap_send (sv[0], f, frame (f, 1000, 700, 512, 0x18, 100));
  is_str (out (), "A500 A600 D700", "a frame with data sends what waits first, in order");
  tap_send (sv[0], f, frame (f, 1000, 800, 512, 0x11, 0));
  is_str (out (), "S800", "a FIN is never held");
  ack (1000, 900, 512);
  f[14 + 6] = 0x20; /* more fragments */
  size_t len = frame (f, 1000, 950, 512, 0x10, 0);
  f[14 + 6] = 0x20;
  tap_send (sv[0], f, len);
  is_str (out (), "A900 A950", "a fragment is not taken for an ACK");
  return done_testing ();
}

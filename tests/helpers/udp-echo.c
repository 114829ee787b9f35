/* SPDX-License-Identifier: GPL-2.0-or-later */
/* udp-echo PORT: answers each datagram with "echo: " and the datagram, on
   0.0.0.0:PORT, until killed. Built static by the network tests, for the
   busybox image (whose nc has no UDP). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int
main (int argc, char **argv)
{
  int s = socket (AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons (argc > 1 ? atoi (argv[1]) : 9000) };
  if (s < 0 || bind (s, (struct sockaddr *)&a, sizeof a) < 0)
    return perror ("bind"), 1;
  printf ("listening\n");
  fflush (stdout);
  for (;;)
    {
      char buf[2048], out[2100];
      struct sockaddr_in from;
      socklen_t fl = sizeof from;
      ssize_t n = recvfrom (s, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
      if (n < 0)
        continue;
      int m = snprintf (out, sizeof out, "echo: %.*s", (int)n, buf);
      sendto (s, out, m, 0, (struct sockaddr *)&from, fl);
    }
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A hostile container process: pushes argv[1] into the input of every
   terminal it can reach (its stdio and /dev/tty) with TIOCSTI, so that a
   host shell would run it. Prints what it reached. Built static by the
   test. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

static void
inject (int fd, const char *what, const char *text)
{
  if (!isatty (fd))
    return;
  printf ("terminal: %s\n", what);
  for (const char *c = text; *c; c++)
    if (ioctl (fd, TIOCSTI, c) < 0)
      {
        perror ("TIOCSTI");
        return;
      }
  printf ("injected through %s\n", what);
}

int
main (int argc, char **argv)
{
  const char *text = argc > 1 ? argv[1] : "true\n";
  char line[strlen (text) + 2];
  snprintf (line, sizeof line, "%s\n", text);
  inject (0, "stdin", line);
  inject (1, "stdout", line);
  inject (2, "stderr", line);
  int tty = open ("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty >= 0)
    inject (tty, "/dev/tty", line);
  printf ("tiocsti done\n");
  fflush (stdout);
  return 0;
}

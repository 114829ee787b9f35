/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The network helper's own filesystem: see net-sandbox.h. */
#include <config.h>
#include "net-sandbox.h"
#include "lib/caps.h"
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#define ROOT "/tmp"

/* The flags a read-only bind of path must keep: in a user namespace a
   remount may add restrictions, never lift the ones it found. */
static unsigned long
kept_flags (const char *path)
{
  struct statvfs st;
  unsigned long f = MS_BIND | MS_REMOUNT | MS_RDONLY;
  if (statvfs (path, &st) == 0)
    f |= (st.f_flag & ST_NOSUID ? MS_NOSUID : 0) | (st.f_flag & ST_NODEV ? MS_NODEV : 0)
         | (st.f_flag & ST_NOEXEC ? MS_NOEXEC : 0) | (st.f_flag & ST_NOATIME ? MS_NOATIME : 0)
         | (st.f_flag & ST_NODIRATIME ? MS_NODIRATIME : 0)
         | (st.f_flag & ST_RELATIME ? MS_RELATIME : 0);
  return f;
}

static int
mkdirs (char *path)
{
  for (char *p = strchr (path + 1, '/');; p = strchr (p + 1, '/'))
    {
      if (p)
        *p = '\0';
      int r = mkdir (path, 0755);
      if (p)
        *p = '/';
      if (r < 0 && errno != EEXIST)
        return -1;
      if (p == NULL)
        return 0;
    }
}

/* dir of the host, read-only at the same place under ROOT. */
static int
bind_ro (const char *dir, char *why, size_t len)
{
  char to[PATH_MAX];
  snprintf (to, sizeof to, ROOT "%s", dir);
  if (mkdirs (to) < 0 || mount (dir, to, NULL, MS_BIND | MS_REC, NULL) < 0
      || mount (NULL, to, NULL, kept_flags (dir), NULL) < 0)
    return snprintf (why, len, "sandbox the network helper: bind %s: %s", dir, strerror (errno)),
           -1;
  return 0;
}

int
net_sandbox (char *why, size_t len)
{
  /* The resolver's file may be a link out of /etc (systemd-resolved's,
     into /run): its directory comes along, so a rewrite is seen. */
  char *real = realpath ("/etc/resolv.conf", NULL);
  char *slash = real ? strrchr (real, '/') : NULL;
  if (slash)
    *slash = '\0';
  bool other = real && *real && strcmp (real, "/etc") != 0 && strncmp (real, "/etc/", 5) != 0;
  int r = -1;
  if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount ("tmpfs", ROOT, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755") < 0)
    snprintf (why, len, "sandbox the network helper: %s", strerror (errno));
  else if (bind_ro ("/etc", why, len) == 0 && (!other || bind_ro (real, why, len) == 0))
    {
      /* pivot_root(".", ".") stacks the old root on the new one: detach it. */
      if (chdir (ROOT) < 0 || syscall (SYS_pivot_root, ".", ".") < 0
          || umount2 (".", MNT_DETACH) < 0 || chdir ("/") < 0)
        snprintf (why, len, "sandbox the network helper: pivot_root: %s", strerror (errno));
      else
        r = 0;
    }
  free (real);
  if (r < 0)
    return -1;
  /* Nothing left to gain: no capability, even in its own namespaces. */
  pt_error_t err = NULL;
  if (pt_caps_drop_bounding (0, &err) < 0 || pt_caps_set (0, &err) < 0)
    {
      snprintf (why, len, "sandbox the network helper: %s", err->msg);
      pt_error_release (&err);
      return -1;
    }
  return 0;
}

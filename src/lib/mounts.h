/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PT_MOUNTS_H
#define PT_MOUNTS_H

#include <stdbool.h>
#include "error.h"

/* A mount a user asked for: -v, --mount or --tmpfs. */
struct pt_mount
{
  char *type;        /* "bind", "tmpfs" or "volume" */
  char *source;      /* bind: an absolute host path; tmpfs: "tmpfs"; volume: its _data, once made */
  char *destination; /* absolute, in the container */
  char *data;        /* tmpfs: its options ("size=64m,mode=1777"), else NULL */
  bool readonly;
  char *volume;   /* volume: its name ("" until an anonymous one is made) */
  bool nocopy;    /* volume: no copy-up of the image's files */
  bool anonymous; /* volume: made for this container (rm -v, --rm remove it) */
  bool chown;     /* :U: the source chowned to the container's user at each start */
  bool overlay;   /* :O: an overlay over the source; what is written there goes at each start */
  char *tmpfs_opts; /* a volume made with --opt type=tmpfs: its o= options ("" for none) */
};

void pt_mount_free (struct pt_mount *m);
/* -v SRC:DST[:OPTIONS]: SRC is a host path (relative ones resolve against
   the current directory, and must exist); OPTIONS ro, rw, z, Z, bind, rbind. */
int pt_mount_parse_volume (const char *arg, struct pt_mount *m, pt_error_t *err);
/* --tmpfs DST[:OPTIONS]: a tmpfs, rw,noexec,nosuid,nodev as in Podman; size=
   and mode= pass through. */
int pt_mount_parse_tmpfs (const char *arg, struct pt_mount *m, pt_error_t *err);
/* --device /dev/HOST[:/dev/CTR][:rwm]: a device the user may open, bound in
   (as rootless Podman does; no device cgroup); terminals are refused. */
int pt_mount_parse_device (const char *arg, struct pt_mount *m, pt_error_t *err);
/* --mount type=bind|tmpfs,source=...,destination=...[,ro][,tmpfs-size=...][,tmpfs-mode=...] */
int pt_mount_parse_mount (const char *arg, struct pt_mount *m, pt_error_t *err);

#endif

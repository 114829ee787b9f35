/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
#include <stdlib.h>
#include "tap.h"
#include "lib/mounts.h"

/* Parses arg with fn; on success, "TYPE SOURCE DESTINATION DATA ro|rw";
   on failure "error: MESSAGE". */
static char *
describe (int (*fn) (const char *, struct pt_mount *, pt_error_t *), const char *arg)
{
  struct pt_mount m;
  pt_error_t err = NULL;
  char *out;
  if (fn (arg, &m, &err) < 0)
    {
      char *msg = pt_error_string (err);
      if (asprintf (&out, "error: %s", msg) < 0)
        abort ();
      free (msg);
      pt_error_release (&err);
      return out;
    }
  if (m.volume
      && asprintf (&out, "volume %s %s - %s%s", *m.volume ? m.volume : "(anonymous)",
                   m.destination, m.readonly ? "ro" : "rw", m.nocopy ? " nocopy" : "")
             < 0)
    abort ();
  if (!m.volume
      && asprintf (&out, "%s %s %s %s %s", m.type, m.source, m.destination, m.data ? m.data : "-",
                   m.readonly ? "ro" : "rw")
             < 0)
    abort ();
  pt_mount_free (&m);
  return out;
}

static void
check (int (*fn) (const char *, struct pt_mount *, pt_error_t *), const char *arg,
       const char *want)
{
  char *got = describe (fn, arg);
  is_str (got, want, "%s", arg);
  free (got);
}

int
main (void)
{
  plan (21);
  check (pt_mount_parse_volume, "/tmp:/data", "bind /tmp /data - rw");
  check (pt_mount_parse_volume, "/tmp:/data:ro,Z", "bind /tmp /data - ro");
  check (pt_mount_parse_volume, "/tmp/../tmp:/d:rw", "bind /tmp /d - rw");
  check (pt_mount_parse_volume, "/tmp:data",
         "error: invalid container path `data` in volume `/tmp:data`: it must be absolute");
  check (pt_mount_parse_volume, "/tmp:/a/../b",
         "error: invalid container path `/a/../b` in volume `/tmp:/a/../b`: not a path to mount on");
  check (pt_mount_parse_volume, "/tmp:/",
         "error: invalid container path `/` in volume `/tmp:/`: not a path to mount on");
  check (pt_mount_parse_volume, "/tmp", "volume (anonymous) /tmp - rw");
  check (pt_mount_parse_volume, "myvol:/data:ro,nocopy", "volume myvol /data - ro nocopy");
  check (pt_mount_parse_volume, "my/vol:/data",
         "error: invalid volume `my/vol:/data`: `my/vol` is neither a host path (/ or ./ first) "
         "nor a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
  check (pt_mount_parse_volume, "/tmp:/d:nocopy",
         "error: invalid volume option nocopy in `/tmp:/d:nocopy`: only for volumes");
  check (pt_mount_parse_volume, "/no/such/dir:/data",
         "error: statfs /no/such/dir: No such file or directory");
  check (pt_mount_parse_volume, "/tmp:/d:shared",
         "error: invalid volume option `shared` in `/tmp:/d:shared`: ro, rw, z, Z, bind, rbind, copy, "
         "nocopy, [no]exec, [no]suid or [no]dev");
  check (pt_mount_parse_tmpfs, "/scratch", "tmpfs tmpfs /scratch  rw");
  check (pt_mount_parse_tmpfs, "/scratch:size=1m,mode=700,exec",
         "tmpfs tmpfs /scratch size=1m,mode=700,exec rw");
  check (pt_mount_parse_tmpfs, "/s:mode=999",
         "error: invalid tmpfs option `mode=999` in `/s:mode=999`: size=, mode=, ro, rw, exec");
  check (pt_mount_parse_mount, "type=bind,source=/tmp,destination=/d,ro", "bind /tmp /d - ro");
  check (pt_mount_parse_mount, "type=tmpfs,dst=/t,tmpfs-size=2m,tmpfs-mode=1777",
         "tmpfs tmpfs /t size=2m,mode=1777 rw");
  check (pt_mount_parse_mount, "type=volume,src=v,dst=/d,ro,volume-nocopy", "volume v /d - ro nocopy");
  check (pt_mount_parse_mount, "type=bind,dst=/d",
         "error: invalid --mount `type=bind,dst=/d`: a bind needs source=");
  /* Found by tests/fuzz/fuzz-mounts: a size past int64 was undefined. */
  check (pt_mount_parse_mount, "type=tmpfs,destination=/t,tmpfs-size=222222222222222222222221m",
         "error: invalid tmpfs option `size=222222222222222222222221m` in "
         "`/t:rw,size=222222222222222222222221m`: size=, mode=, ro, rw, exec");
  check (pt_mount_parse_tmpfs, "/t:size=nan", "error: invalid tmpfs option `size=nan` in `/t:size=nan`: size=, mode=, ro, rw, exec");
  return done_testing ();
}

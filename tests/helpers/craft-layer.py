#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""craft-layer.py OUT ENTRY...: write a layer tar with exactly the entries
given, hostile ones included, for the tests. Each ENTRY is TYPE:NAME[:ARG]:
  f:NAME[:TEXT]  regular file      d:NAME       directory
  l:NAME:TARGET  symlink           h:NAME:TARGET hard link
  c:NAME         char device 1,3   o:NAME:OWNER  file owned by uid=gid=OWNER
Names and targets are written as given: no stripping of ../ or /."""
import io
import sys
import tarfile

out, entries = sys.argv[1], sys.argv[2:]
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    for spec in entries:
        kind, name, *rest = spec.split(":", 2)
        arg = rest[0] if rest else ""
        info = tarfile.TarInfo(name)
        info.mtime = 0
        data = None
        if kind in ("f", "o"):
            data = (arg if kind == "f" else "owned\n").encode()
            info.size = len(data)
            info.mode = 0o644
            if kind == "o":
                info.uid = info.gid = int(arg)
        elif kind == "d":
            info.type, info.mode = tarfile.DIRTYPE, 0o755
        elif kind == "l":
            info.type, info.linkname, info.mode = tarfile.SYMTYPE, arg, 0o777
        elif kind == "h":
            info.type, info.linkname, info.mode = tarfile.LNKTYPE, arg, 0o644
        elif kind == "c":
            info.type, info.devmajor, info.devminor, info.mode = tarfile.CHRTYPE, 1, 3, 0o666
        else:
            sys.exit(f"craft-layer.py: unknown entry type in {spec}")
        t.addfile(info, io.BytesIO(data) if data is not None else None)

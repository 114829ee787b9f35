#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make-layered-image.py BASE-ROOTFS.tar OUT.tar: podtool's own equivalent
of ../shared/images' `layered` (its Containerfile.layered), with no
builder: four layers over the busybox rootfs of make-busybox-image.sh,
written with tarfile as a docker-archive named localhost/ptlayered:latest.
  A  /data content, some of it removed later
  B  whiteouts (.wh.delete-me.txt, .wh.gone-dir) and an opaque directory
  C  symlinks, a hard link, setuid, owners 1000 and 65534, mode 0600
  D  files of the user 1000, as COPY --chown writes them"""
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile

base, out = sys.argv[1], sys.argv[2]

ENTRY = '#!/bin/sh\necho "entrypoint args: $*"\nexec "$@"\n'


def layer(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            kind, name = e[0], e[1]
            opts = e[2] if len(e) > 2 else {}
            info = tarfile.TarInfo(name)
            info.mtime = 0
            info.uid = info.gid = opts.get("owner", 0)
            data = None
            if kind == "d":
                info.type, info.mode = tarfile.DIRTYPE, opts.get("mode", 0o755)
            elif kind == "f":
                data = opts.get("text", "").encode()
                info.size, info.mode = len(data), opts.get("mode", 0o644)
            elif kind == "l":
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, opts["to"], 0o777
            elif kind == "h":
                info.type, info.linkname, info.mode = tarfile.LNKTYPE, opts["to"], 0o644
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


A = layer([
    ("d", "data"), ("d", "data/keep"), ("d", "data/opaque"), ("d", "data/opaque/sub"),
    ("d", "data/gone-dir"),
    ("f", "data/keep/file.txt", {"text": "keep me\n"}),
    ("f", "data/delete-me.txt", {"text": "to be deleted\n"}),
    ("f", "data/opaque/old1.txt", {"text": "old1\n"}),
    ("f", "data/opaque/sub/old2.txt", {"text": "old2\n"}),
    ("f", "data/gone-dir/x.txt", {"text": "gone\n"}),
])
B = layer([
    ("d", "data"),
    ("f", "data/.wh.delete-me.txt"), ("f", "data/.wh.gone-dir"),
    ("d", "data/opaque"), ("f", "data/opaque/.wh..wh..opq"),
    ("f", "data/opaque/new.txt", {"text": "new\n"}),
])
C = layer([
    ("d", "data"), ("d", "home"), ("d", "home/app", {"owner": 1000}), ("d", "opt"), ("d", "opt/app"),
    ("d", "opt/app/bin"),
    ("l", "data/rel-link", {"to": "keep/file.txt"}),
    ("l", "data/abs-link", {"to": "/data/keep/file.txt"}),
    ("f", "data/hard-a.txt", {"text": "linked content\n"}),
    ("h", "data/hard-b.txt", {"to": "data/hard-a.txt"}),
    ("f", "opt/app/bin/suid-tool", {"text": "#!/bin/sh\nid\n", "mode": 0o4755}),
    ("f", "home/app/mine.txt", {"text": "owned by 1000\n", "owner": 1000}),
    ("f", "home/app/secret.txt", {"text": "secret\n", "owner": 1000, "mode": 0o600}),
    ("f", "data/nobody.txt", {"text": "nobody's file\n", "owner": 65534}),
    ("f", "data/root-0600.txt", {"text": "root only\n", "mode": 0o600}),
])
D = layer([
    ("d", "opt"), ("d", "opt/app"), ("d", "opt/app/bin"), ("d", "home"), ("d", "home/app", {"owner": 1000}),
    ("f", "opt/app/bin/entry.sh", {"text": ENTRY, "owner": 1000, "mode": 0o755}),
    ("f", "home/app/hello.txt", {"text": "hello from the build context\n", "owner": 1000}),
])

work = tempfile.mkdtemp()
try:
    blobs = [open(base, "rb").read(), A, B, C, D]
    names, diffs = [], []
    for b in blobs:
        d = hashlib.sha256(b).hexdigest()
        with open(os.path.join(work, d + ".tar"), "wb") as f:
            f.write(b)
        names.append(d + ".tar")
        diffs.append("sha256:" + d)
    config = {
        "architecture": "amd64", "os": "linux", "created": "2026-01-01T00:00:00Z",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "APP_MODE=test", "GREETING=hello world"],
            "WorkingDir": "/home/app", "User": "1000", "ExposedPorts": {"8080/tcp": {}},
            "Entrypoint": ["/opt/app/bin/entry.sh"], "Cmd": ["id"],
            "Labels": {"org.opencontainers.image.title": "layered",
                       "com.example.podtool.test": "true",
                       "com.example.podtool.multi": "a b c"},
        },
        "rootfs": {"type": "layers", "diff_ids": diffs},
        "history": [{"created": "2026-01-01T00:00:00Z", "created_by": "layer %d" % i}
                    for i in range(len(blobs))],
    }
    cfg = json.dumps(config, sort_keys=True).encode()
    cfg_name = hashlib.sha256(cfg).hexdigest() + ".json"
    with open(os.path.join(work, cfg_name), "wb") as f:
        f.write(cfg)
    manifest = [{"Config": cfg_name, "RepoTags": ["localhost/ptlayered:latest"], "Layers": names}]
    with open(os.path.join(work, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    with tarfile.open(out + ".tmp", "w") as t:
        for n in ["manifest.json", cfg_name] + names:
            t.add(os.path.join(work, n), arcname=n)
    os.rename(out + ".tmp", out)
finally:
    shutil.rmtree(work)

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `podtool load` against `podman load` of the same docker-archive: the same
# unprivileged user, a fresh store for every run, runs alternating, medians
# and their ratio. The archive is a Debian minbase made by
# bench/make-debian-image.sh (run that once as root). Beside them, the
# floor: a plain `tar -x` of the image's layers as the same user (the
# layers taken out of the archive first, outside the timing). Stores are
# wiped after all runs, not between them: deleting 100 MB just before a
# run slows the next one's writes.
#   bench/load-speed.sh [RUNS] [ARCHIVE]      (default 7 runs)
set -euo pipefail
runs=${1:-7}
top=$(cd "$(dirname "$0")/.." && pwd)
archive=${2:-$top/bench/cache/debian-docker.tar}
podtool=${PODTOOL:-$top/podtool}
[ -f "$archive" ] || { echo "no $archive: run bench/make-debian-image.sh as root first" >&2; exit 1; }
command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman)" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/var/tmp}/pt-load-bench.XXXXXX")
trap '"$podtool" --root "$scratch/u" --runroot "$scratch/u-run" unshare rm -rf "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
echo "archive: $archive ($(du -h "$archive" | cut -f1))"

python3 - "$runs" "$archive" "$podtool" "$scratch" <<'PY'
import os, statistics, subprocess, sys, time
runs, archive, podtool, scratch = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def fresh(name, i):
    return os.path.join(scratch, f"{name}-{i}")
def wipe(tool, root, run):
    # Files of subordinate owners: delete them inside each tool's namespace.
    if tool == "podtool":
        subprocess.run([podtool, "--root", root, "--runroot", run, "unshare", "rm", "-rf", root, run])
    else:
        subprocess.run(["podman", "--root", root, "--runroot", run, "unshare", "rm", "-rf", root, run],
                       stderr=subprocess.DEVNULL)
        subprocess.run(["rm", "-rf", root, run], stderr=subprocess.DEVNULL)
import json, tarfile
layers_dir = os.path.join(scratch, "layers")
os.mkdir(layers_dir)
with tarfile.open(archive) as t:
    member = lambda n: next(m for m in t.getmembers() if m.name.lstrip("./") == n.lstrip("./"))
    manifest = json.load(t.extractfile(member("manifest.json")))
    layer_tars = []
    for k, name in enumerate(manifest[0]["Layers"]):
        dst = os.path.join(layers_dir, f"{k}.tar")
        with open(dst, "wb") as f:
            f.write(t.extractfile(member(name)).read())
        layer_tars.append(dst)
times = {"podtool": [], "podman": [], "tar -x": []}
made = []
tools = ("podtool", "podman", "tar -x")
for i in range(runs):
    # Each tool first, second and third in turn: what one run leaves
    # (dirty inode tables, recently freed inodes that ext4 skips for
    # minutes) weighs on whichever comes next.
    for tool in tools[i % 3:] + tools[:i % 3]:
        if tool == "tar -x":
            dst = fresh("tar", i)
            os.mkdir(dst)
            subprocess.run(["sync"])
            t = time.perf_counter()
            for lt in layer_tars:
                subprocess.run(["tar", "-x", "--no-same-owner", "-f", lt, "-C", dst], check=True,
                               stderr=subprocess.DEVNULL)
            times[tool].append(time.perf_counter() - t)
            made.append(("tar", dst, None))
            continue
        root, run = fresh(tool, i), fresh(tool + "-run", i)
        cmd = ([podtool, "--root", root, "--runroot", run, "load", "-q", "-i", archive] if tool == "podtool"
               else ["podman", "--root", root, "--runroot", run, "--storage-driver", "overlay", "load", "-q", "-i", archive])
        subprocess.run(["sync"])
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times[tool].append(time.perf_counter() - t)
        if r.returncode:
            sys.exit(f"{tool} load failed: {r.stderr.decode().strip()}")
        made.append((tool, root, run))
for tool, root, run in made:
    if tool == "tar":
        subprocess.run(["rm", "-rf", root])
    else:
        wipe(tool, root, run)
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in times.items():
    print(f"{k:8s} median {med[k]:6.2f} s   min {min(v):6.2f}   max {max(v):6.2f}   ({len(v)} runs:"
          f" {' '.join(f'{x:.2f}' for x in v)})")
print(f"ratio podtool/podman = {med['podtool'] / med['podman']:.2f}  (target <= 0.80)")
print(f"ratio podtool/tar -x = {med['podtool'] / med['tar -x']:.2f}  (target <= 1.5)")
PY

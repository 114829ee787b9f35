#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `podtool load` against `podman load` of the same docker-archive: the same
# unprivileged user, a fresh store for every run, runs alternating, medians
# and their ratio. The archive is a Debian minbase made by
# bench/make-debian-image.sh (run that once as root).
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
times = {"podtool": [], "podman": []}
for i in range(runs):
    for tool in ("podtool", "podman"):
        root, run = fresh(tool, i), fresh(tool + "-run", i)
        cmd = ([podtool, "--root", root, "--runroot", run, "load", "-q", "-i", archive] if tool == "podtool"
               else ["podman", "--root", root, "--runroot", run, "--storage-driver", "overlay", "load", "-q", "-i", archive])
        subprocess.run(["sync"])
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times[tool].append(time.perf_counter() - t)
        if r.returncode:
            sys.exit(f"{tool} load failed: {r.stderr.decode().strip()}")
        wipe(tool, root, run)
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in times.items():
    print(f"{k:8s} median {med[k]:6.2f} s   min {min(v):6.2f}   max {max(v):6.2f}   ({len(v)} runs)")
print(f"ratio podtool/podman = {med['podtool'] / med['podman']:.2f}  (target <= 0.80)")
PY

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The cost of a volume's copy-up: `run --rm -v NEWVOL:/data IMG true` where
# the image has 100 MB in /data (100 files of 1 MiB), podtool against
# podman, a fresh volume each run (removed after, untimed), alternating,
# medians and their ratio; and the same run without the volume, for the
# part that is the copy.
#
#   bench/copyup.sh [RUNS]     (default 7), as the unprivileged user, from the
#                              build tree; Podman set up by bench/setup-podman.sh
set -euo pipefail
runs=${1:-7}
. "$(dirname "$0")/common.sh"
command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman)" >&2; exit 1; }

bench_cleanup () { podman rmi -f localhost/copyup >/dev/null 2>&1 || true; }
bench_store
"${pt[@]}" load -q -i "$archive"
"${pt[@]}" run --name mk "$image" sh -c \
  'mkdir /data; for i in $(seq 100); do head -c 1048576 /dev/urandom > /data/f$i; done'
"${pt[@]}" commit -q mk copyup >/dev/null
"${pt[@]}" rm mk >/dev/null
"${pt[@]}" save -o "$store/copyup.tar" copyup
podman load -q -i "$store/copyup.tar" >/dev/null

python3 - "$runs" "${pt[*]}" <<'PY'
import shlex, statistics, subprocess, sys, time
runs, pt = int(sys.argv[1]), shlex.split(sys.argv[2])
tools = {"podtool": pt, "podman": ["podman"]}
def run(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit(f"{' '.join(cmd)}: {r.stderr.decode().strip()}")
    return (time.perf_counter() - t) * 1000
with_vol = {k: [] for k in tools}
without = {k: [] for k in tools}
for i in range(runs + 1):  # the first round warms up, untimed
    for name, base in tools.items():
        vol = f"cu{i}{name}"
        a = run(base + ["run", "--rm", "--network", "none", "-v", f"{vol}:/data", "localhost/copyup", "true"])
        b = run(base + ["run", "--rm", "--network", "none", "localhost/copyup", "true"])
        subprocess.run(base + ["volume", "rm", "-f", vol], stdout=subprocess.DEVNULL)
        if i:
            with_vol[name].append(a)
            without[name].append(b)
for name in tools:
    w, o = statistics.median(with_vol[name]), statistics.median(without[name])
    print(f"{name:8s} run with a new 100 MB volume: median {w:7.1f} ms   without: {o:6.1f} ms   copy-up: {w - o:7.1f} ms")
r = statistics.median(with_vol["podtool"]) / statistics.median(with_vol["podman"])
c = (statistics.median(with_vol["podtool"]) - statistics.median(without["podtool"])) / \
    (statistics.median(with_vol["podman"]) - statistics.median(without["podman"]))
print(f"ratio podtool/podman: run {r:.3f}, copy-up alone {c:.3f}  ({runs} runs each, alternating)")
PY

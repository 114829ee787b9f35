#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `podtool pull` and `podtool push` against `podman pull`/`podman push` of
# the same image through the same local registry (Debian's docker-registry
# on 127.0.0.1, plain HTTP): the same unprivileged user, a fresh store for
# every pull and a fresh repository for every push, runs alternating,
# medians and their ratios. The image is the Debian minbase of
# bench/make-debian-image.sh (run that once as root), put into the registry
# by skopeo. Configure Podman first with bench/setup-podman.sh.
#   bench/pull.sh [RUNS] [ARCHIVE]      (default 5 runs)
set -euo pipefail
runs=${1:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
archive=${2:-$top/bench/cache/debian-docker.tar}
podtool=${PODTOOL:-$top/podtool}
[ -f "$archive" ] || { echo "no $archive: run bench/make-debian-image.sh as root first" >&2; exit 1; }
for t in podman skopeo docker-registry; do
  command -v $t >/dev/null || { echo "$t is not installed" >&2; exit 1; }
done
scratch=$(mktemp -d "${TMPDIR:-/var/tmp}/pt-pull-bench.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
cat > "$scratch/registry.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $scratch/registry
http:
  addr: $reg
YML
env -u REGISTRY_AUTH_FILE docker-registry serve "$scratch/registry.yml" >"$scratch/registry.log" 2>&1 &
regpid=$!
trap 'kill $regpid 2>/dev/null; "$podtool" --root "$scratch/u" --runroot "$scratch/u-run" unshare rm -rf "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
python3 - "$reg" <<'PY'
import sys, time, urllib.request
for i in range(100):
    try:
        urllib.request.urlopen("http://%s/v2/" % sys.argv[1], timeout=1); break
    except Exception:
        time.sleep(0.1)
PY
skopeo copy -q --dest-tls-verify=false "docker-archive:$archive" "docker://$reg/bench/image:1"
echo "image: $archive ($(du -h "$archive" | cut -f1)) in $reg/bench/image:1"

python3 - "$runs" "$podtool" "$scratch" "$reg" "$archive" <<'PY'
import os, statistics, subprocess, sys, time
runs, podtool, scratch, reg, archive = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
ref = reg + "/bench/image:1"

def tool_cmd(tool, root, run):
    if tool == "podtool":
        return [podtool, "--root", root, "--runroot", run]
    return ["podman", "--root", root, "--runroot", run, "--storage-driver", "overlay"]

def wipe(tool, root, run):
    subprocess.run(tool_cmd(tool, root, run) + ["unshare", "rm", "-rf", root, run],
                   stderr=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", root, run], stderr=subprocess.DEVNULL)

def timed(cmd, what):
    subprocess.run(["sync"])
    t = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode:
        sys.exit(f"{what} failed: {r.stderr.decode().strip()}")
    return time.perf_counter() - t

# Every store is kept until the end: files made just after thousands were
# deleted cost ext4 a search for inodes not recently freed (perf shows
# recently_deleted() and find_inode_bit() taking most of such a run), which
# would time the previous wipe, not the pull.
pulls = {"podtool": [], "podman": []}
made = []
for i in range(runs):
    for tool in ("podtool", "podman"):
        root, run = os.path.join(scratch, f"{tool}-{i}"), os.path.join(scratch, f"{tool}-run-{i}")
        pulls[tool].append(timed(tool_cmd(tool, root, run) + ["pull", "-q", "--tls-verify=false", ref],
                                 f"{tool} pull"))
        made.append((tool, root, run))
for tool, root, run in made:
    wipe(tool, root, run)

# Push, twice: of the image as pulled (back to its registry: blobs mounted),
# and of the image loaded from the archive (its layer compressed and sent).
# One store of each tool for each; each run to a new repository.
def push_runs(how):
    times = {"podtool": [], "podman": []}
    stores = {}
    for tool in ("podtool", "podman"):
        root, run = os.path.join(scratch, f"{tool}-{how}"), os.path.join(scratch, f"{tool}-{how}-run")
        stores[tool] = (root, run)
        get = (["pull", "-q", "--tls-verify=false", ref] if how == "pulled"
               else ["load", "-q", "-i", archive])
        subprocess.run(tool_cmd(tool, root, run) + get, check=True, stdout=subprocess.DEVNULL)
    src = ref if how == "pulled" else "localhost/debian-minbase:bookworm"
    for i in range(runs):
        for tool in ("podtool", "podman"):
            root, run = stores[tool]
            if how == "cold":
                forget_blobs()
            dest = f"{reg}/bench/{how}-{tool}-{i}:1"
            times[tool].append(timed(tool_cmd(tool, root, run) + ["push", "-q", "--tls-verify=false", src, dest],
                                     f"{tool} push"))
    for tool, (root, run) in stores.items():
        wipe(tool, root, run)
    return times

# What each tool's pulls learned of the layer's compressed blob (podtool's
# blob-info.json, Podman's blob-info cache) lets a push of the loaded image
# mount it; with that forgotten before every run, the layer is compressed
# and sent.
def forget_blobs():
    home = os.path.expanduser("~/.local/share")
    for f in ("podtool/cache/blob-info.json", "containers/cache/blob-info-cache-v1.boltdb"):
        try:
            os.unlink(os.path.join(home, f))
        except FileNotFoundError:
            pass

pushes = push_runs("pulled")
pushes_loaded = push_runs("loaded")
pushes_cold = push_runs("cold")

for name, times, target in (("pull", pulls, 0.5), ("push (as pulled)", pushes, 0.7),
                            ("push (loaded)", pushes_loaded, 0.7),
                            ("push (loaded, nothing known)", pushes_cold, 0.7)):
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{name} {k:8s} median {med[k]:6.2f} s   min {min(v):6.2f}   max {max(v):6.2f}   ({len(v)} runs)")
    print(f"{name} ratio podtool/podman = {med['podtool'] / med['podman']:.2f}  (target <= {target})")
PY

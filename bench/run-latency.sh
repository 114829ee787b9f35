#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Start-to-exit latency of `podtool run --rm IMG true` against
# `podman run --rm --network none IMG true`: the same image (the reference
# busybox docker-archive, or podtool's own test image) loaded into both,
# the same unprivileged user, runs alternating, medians and their ratio.
#
# Run it as the unprivileged user, from the build tree:
#   bench/run-latency.sh [RUNS]        (default 30)
# Podman must be installed (apt-get install podman) and configured for the
# user with cgroup_manager = "cgroupfs", events_logger = "file", runtime
# "runc" and overlay storage; bench/setup-podman.sh does that.
set -euo pipefail
runs=${1:-30}
. "$(dirname "$0")/common.sh"
command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman)" >&2; exit 1; }

bench_store
"${pt[@]}" load -q -i "$archive"
podman load -q -i "$archive" >/dev/null

# Warm both up (page cache, the idmap cache) before measuring.
for _ in 1 2 3; do
  "${pt[@]}" run --rm "$image" true
  podman run --rm --network none "$image" true
done

python3 "$top/bench/alternate.py" "$runs" "run --rm" 0.10 \
  podtool "${pt[*]} run --rm --network none $image true" \
  podman "podman run --rm --network none $image true"

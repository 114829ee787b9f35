#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The lifecycle numbers against Podman, same user and image:
#  - `exec CTR true` into a running container: alternating runs, medians, ratio;
#  - the RSS of everything a detached container costs besides itself: for
#    podtool its monitor; for Podman conmon (and any other helper the
#    container's parent has), from /proc, in kB.
#   bench/lifecycle.sh [RUNS]     (default 30)
set -euo pipefail
runs=${1:-30}
. "$(dirname "$0")/common.sh"
command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman)" >&2; exit 1; }
bench_cleanup () { podman rm -f -t 0 pt-bench >/dev/null 2>&1 || true; }
bench_store
"${pt[@]}" load -q -i "$archive"
podman load -q -i "$archive" >/dev/null
"${pt[@]}" run -d --network none --name pt-bench "$image" sleep 1000 >/dev/null
podman run -d --network none --name pt-bench "$image" sleep 1000 >/dev/null
sleep 1

rss_of_parent_side () { # the container pid: sum the RSS of its parent and the parent's other children
  local pid=$1 parent total=0 p
  parent=$(awk '{print $4}' "/proc/$pid/stat")
  for p in $parent $(cat /proc/$parent/task/*/children 2>/dev/null); do
    [ "$p" = "$pid" ] && continue
    total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status")))
  done
  echo "$total"
}
pt_pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$store"/run/containers/*/state.json)
pm_pid=$(podman inspect --format '{{.State.Pid}}' pt-bench)
echo "monitor RSS: podtool $(rss_of_parent_side "$pt_pid") kB, podman (conmon) $(rss_of_parent_side "$pm_pid") kB"

python3 "$top/bench/alternate.py" "$runs" exec 0.10 \
  podtool "${pt[*]} exec pt-bench true" podman "podman exec pt-bench true"

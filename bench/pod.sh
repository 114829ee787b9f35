#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Pods against Podman's, same user and image:
#  - what an empty running pod costs: the RSS of its infra (podtool: the
#    infra's monitor and its podtool-init --pause; Podman: conmon and
#    catatonit), from /proc, in kB;
#  - `pod create` + `pod start` + `pod rm -f` of a pod with one container
#    (`run -d --pod`), alternating runs, medians and their ratio.
#   bench/pod.sh [RUNS]     (default 10)
set -euo pipefail
runs=${1:-10}
. "$(dirname "$0")/common.sh"
command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman)" >&2; exit 1; }
command -v catatonit >/dev/null || { echo "catatonit is not installed (Podman's pod pause)" >&2; exit 1; }
bench_cleanup () { podman pod rm -f -t 0 pt-bench-pod >/dev/null 2>&1 || true; }
bench_store
"${pt[@]}" load -q -i "$archive"
podman load -q -i "$archive" >/dev/null

# The infra's side: its container's process and its monitor (the parent).
rss_infra () {
  local pid=$1 parent
  parent=$(awk '{print $4}' "/proc/$pid/stat")
  echo $(( $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") + $(awk '/^VmRSS/ {print $2}' "/proc/$parent/status") ))
}
"${pt[@]}" pod create --name pt-bench-pod --network none >/dev/null
"${pt[@]}" pod start pt-bench-pod >/dev/null
podman pod create --name pt-bench-pod --network none >/dev/null
podman pod start pt-bench-pod >/dev/null
sleep 1
pt_pid=$("${pt[@]}" inspect --format '{{.State.Pid}}' "$("${pt[@]}" pod inspect --format '{{.InfraContainerID}}' pt-bench-pod)")
pm_pid=$(podman inspect --format '{{.State.Pid}}' "$(podman pod inspect --format '{{.InfraContainerID}}' pt-bench-pod)")
a=$(rss_infra "$pt_pid") b=$(rss_infra "$pm_pid")
echo "infra RSS: podtool $a kB (monitor + podtool-init --pause), podman $b kB (conmon + catatonit), ratio $(python3 -c "print(f'{$a / $b:.2f}')")"
"${pt[@]}" pod rm -f pt-bench-pod >/dev/null
podman pod rm -f -t 0 pt-bench-pod >/dev/null

cycle () { # TOOL...: a pod with a container, made, started and removed
  "$@" pod create --name pt-bench-pod --network none >/dev/null &&
    "$@" run -d --pod pt-bench-pod "$image" sleep 100 >/dev/null &&
    "$@" pod rm -f -t 0 pt-bench-pod >/dev/null
}
export -f cycle
export image
python3 "$top/bench/alternate.py" "$runs" "pod cycle" - \
  podtool "bash -c 'cycle ${pt[*]}'" podman "bash -c 'cycle podman'"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What a container's own cgroup costs a run: `podtool run --rm IMG true`
# with a cgroup of its own (mkdir, pids.max, CLONE_INTO_CGROUP, rmdir) against
# the same with --cgroups=disabled, alternating, medians and their ratio.
# It needs a cgroup v2 subtree delegated to the user; on this dev box (hybrid
# cgroups) that is the VM, where times are TCG's (slow) but the ratio holds:
#   ../shared/vm/run-in-vm.sh -u "$(id -u)" "$PWD" -- bench/cgroup-cost.sh [RUNS]
# Podman is not in this comparison: rootless Podman with the cgroupfs manager
# (as bench/setup-podman.sh configures it) gives containers no cgroup.
set -euo pipefail
runs=${1:-20}
top=$(cd "$(dirname "$0")/.." && pwd)
podtool=${PODTOOL:-$top/podtool}
export PODTOOL_CONMON=${PODTOOL_CONMON:-$top/conmon/conmon}
bench_store
sh "$top/tests/helpers/make-busybox-image.sh" "$store/img" >/dev/null
"${pt[@]}" load -q -i "$store/img/busybox-docker.tar" >/dev/null
"${pt[@]}" run -d --name probe localhost/ptbusybox sleep 100 >/dev/null
cg=$("${pt[@]}" inspect --format '{{.State.CgroupPath}}' probe)
"${pt[@]}" rm -f probe >/dev/null
[ -n "$cg" ] || { echo "no delegated cgroup v2 subtree here: nothing to measure" >&2; exit 1; }
for _ in 1 2 3; do
  "${pt[@]}" run --rm localhost/ptbusybox true
  "${pt[@]}" run --rm --cgroups=disabled localhost/ptbusybox true
done
python3 "$top/bench/alternate.py" "$runs" "run --rm" - \
  cgroup "${pt[*]} run --rm localhost/ptbusybox true" \
  none "${pt[*]} run --rm --cgroups=disabled localhost/ptbusybox true"

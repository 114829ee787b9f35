#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Configure rootless Podman for the calling user as the benchmarks assume:
# cgroupfs, file events, runc, overlay storage.
set -eu
mkdir -p "$HOME/.config/containers"
cat > "$HOME/.config/containers/containers.conf" <<'C'
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
C
cat > "$HOME/.config/containers/storage.conf" <<'S'
[storage]
driver = "overlay"
S
echo "podman configured for $(id -un): cgroupfs, file events, runc, overlay"

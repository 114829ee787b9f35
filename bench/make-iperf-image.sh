#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make-iperf-image.sh OUT.tar: a rootfs tarball with the host's iperf3 and
# the libraries ldd lists (and busybox for a shell), for `podtool import`
# and `podman import`: no registry needed.
set -eu
out=$1
command -v iperf3 >/dev/null || { echo "iperf3 is not installed (apt-get install iperf3)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc"
cp "$(command -v iperf3)" "$root/bin/iperf3"
for lib in $(ldd "$(command -v iperf3)" | awk '/=>/ {print $3} /^\t\// {print $1}'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[ -x /bin/busybox ] && cp /bin/busybox "$root/bin/busybox" && ln -s busybox "$root/bin/sh"
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
tar -C "$root" -cf "$out" .

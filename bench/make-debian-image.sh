#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make-debian-image.sh OUT.tar: the load benchmark's large image, a Debian
# bookworm minbase (~200 MB, ~7000 entries, one layer) made with debootstrap
# from Debian's mirror, as a docker-archive. debootstrap needs root: run this
# once as root, then bench/load-speed.sh as the unprivileged user.
set -eu
out=${1:-$(dirname "$0")/cache/debian-docker.tar}
mirror=${MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "make-debian-image.sh: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
work=$(mktemp -d /var/tmp/pt-debian.XXXXXX)
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >/dev/null
rm -rf "$work/rootfs/dev/"* "$work/rootfs/var/cache/apt/archives/"*.deb
tar -C "$work/rootfs" --numeric-owner --xattrs -cf "$work/layer.tar" .
mkdir -p "$(dirname "$out")"
CMD='["/bin/bash"]' sh "$(dirname "$0")/../tests/helpers/make-docker-archive.sh" "$out" localhost/debian-minbase:bookworm "$work/layer.tar"
chmod a+r "$out"
echo "$out: $(du -h "$out" | cut -f1), $(tar -tf "$work/layer.tar" | wc -l) entries"

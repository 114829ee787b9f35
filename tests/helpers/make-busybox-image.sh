#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make-busybox-image.sh OUTDIR: build podtool's own test image from Debian's
# busybox-static, with no network:
#   OUTDIR/busybox-rootfs.tar     a rootfs tarball (for `podtool import`)
#   OUTDIR/busybox-docker.tar     the same as a one-layer docker-archive
#                                 named localhost/ptbusybox:latest
# The rootfs has busybox and its applet links in /bin, /etc/passwd and
# /etc/group with an `app` user (1000), and /home/app/owned.txt owned by 1000.
set -eu
out=$1
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "make-busybox-image.sh: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
case $(file -b "$busybox" 2>/dev/null || echo static) in
  *dynamic*) echo "make-busybox-image.sh: $busybox is not static (apt-get install busybox-static)" >&2; exit 1 ;;
esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
r=$work/rootfs
mkdir -p "$r/bin" "$r/etc" "$r/dev" "$r/proc" "$r/sys" "$r/tmp" "$r/root" "$r/home/app"
chmod 0755 "$r" "$r/bin" "$r/etc" "$r/dev" "$r/proc" "$r/sys" "$r/home" "$r/home/app"
chmod 1777 "$r/tmp"
chmod 0700 "$r/root"
cp "$busybox" "$r/bin/busybox"
chmod 0755 "$r/bin/busybox"
for a in $("$busybox" --list); do
  [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
done
cat > "$r/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app user:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$r/etc/group" <<'G'
root:x:0:
app:x:1000:
extra:x:2000:app
nogroup:x:65534:
G
echo "owned by 1000" > "$r/home/app/owned.txt"
chmod 0644 "$r/etc/passwd" "$r/etc/group" "$r/home/app/owned.txt"

# Everything root's, then the app user's files appended with their owner.
tar -C "$r" --numeric-owner --owner=0 --group=0 --exclude=./home/app --mtime=@0 -cf "$work/layer.tar" .
tar -C "$r" --numeric-owner --owner=1000 --group=1000 --mtime=@0 -rf "$work/layer.tar" ./home/app
mkdir -p "$out"
cp "$work/layer.tar" "$out/busybox-rootfs.tar.tmp"
mv "$out/busybox-rootfs.tar.tmp" "$out/busybox-rootfs.tar"

# docker-archive: manifest.json, the config, one layer named by its diff_id.
IMAGE_ENV='"PT_IMAGE=ptbusybox"' sh "$(dirname "$0")/make-docker-archive.sh" "$out/busybox-docker.tar" localhost/ptbusybox:latest "$work/layer.tar"

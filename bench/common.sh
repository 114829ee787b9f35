# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the bench scripts: the build's binaries, and the image both
# tools get: the reference busybox docker-archive of ../shared/images (or
# $PODTOOL_SHARED_IMAGES, or $ARCHIVE), else podtool's own test image.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
podtool=${PODTOOL:-$top/podtool}
export PODTOOL_CONMON=${PODTOOL_CONMON:-$top/conmon/conmon}
archive=${ARCHIVE:-${PODTOOL_SHARED_IMAGES:-$top/../shared/images}/busybox-docker.tar}
image=${IMAGE_NAME:-localhost/busybox:latest}
if [ ! -f "$archive" ]; then
  sh "$top/tests/helpers/make-busybox-image.sh" "$top/tests/cache/image" >/dev/null
  archive=$top/tests/cache/image/busybox-docker.tar
  image=localhost/ptbusybox:latest
fi

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

# A store of podtool's own for the script: $store, and ${pt[@]} the command
# that uses it. At exit the script's bench_cleanup (when it defines one)
# runs, then the store's containers and the store go.
bench_store () {
  store=$(mktemp -d)
  pt=("$podtool" --root "$store/root" --runroot "$store/run")
  trap bench_store_remove EXIT
}
bench_store_remove () {
  if declare -F bench_cleanup >/dev/null; then bench_cleanup; fi
  "${pt[@]}" rm -a -f >/dev/null 2>&1 || true
  "${pt[@]}" unshare rm -rf "$store" 2>/dev/null || true
  rm -rf "$store"
}

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make-oci-archive.sh OUT REF COMPRESSION LAYER.tar...: an OCI archive as
# `podman save --format oci-archive` writes it, each layer blob compressed
# with COMPRESSION (none, gzip or zstd). NESTED=1 puts the manifest behind an
# image index, as multi-platform images have it. REF is the
# org.opencontainers.image.ref.name annotation.
set -eu
out=$1 ref=$2 comp=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
b=$work/blobs/sha256
mkdir -p "$b"
blob () { # file -> its digest, stored as a blob
  d=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$b/$d"
  echo "$d"
}
diffs="" layers=""
for l in "$@"; do
  diff=$(sha256sum "$l" | cut -d' ' -f1)
  case $comp in
    none) cp "$l" "$work/l"; mt=application/vnd.oci.image.layer.v1.tar ;;
    gzip) gzip -n -c "$l" > "$work/l"; mt=application/vnd.oci.image.layer.v1.tar+gzip ;;
    zstd) zstd -q -c "$l" > "$work/l"; mt=application/vnd.oci.image.layer.v1.tar+zstd ;;
  esac
  d=$(blob "$work/l")
  diffs="$diffs${diffs:+,}\"sha256:$diff\""
  layers="$layers${layers:+,}{\"mediaType\":\"$mt\",\"digest\":\"sha256:$d\",\"size\":$(stat -c %s "$work/l")}"
done
printf '{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffs" > "$work/c"
cfg=$(blob "$work/c")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
  "$cfg" "$(stat -c %s "$work/c")" "$layers" > "$work/m"
man=$(blob "$work/m")
desc=$(printf '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s' "$man" "$(stat -c %s "$work/m")")
if [ "${NESTED:-0}" = 1 ]; then
  # An index with an arm64 decoy and our amd64 manifest.
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"platform":{"architecture":"arm64","os":"linux"}},%s,"platform":{"architecture":"amd64","os":"linux"}}]}' \
    "$(printf 0%.0s $(seq 64))" "$desc" > "$work/i"
  idx=$(blob "$work/i")
  desc=$(printf '{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":%s' "$idx" "$(stat -c %s "$work/i")")
fi
printf '{"imageLayoutVersion":"1.0.0"}' > "$work/oci-layout"
printf '{"schemaVersion":2,"manifests":[%s,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' "$desc" "$ref" > "$work/index.json"
tar -C "$work" -cf "$out.tmp" oci-layout index.json blobs
mv "$out.tmp" "$out"

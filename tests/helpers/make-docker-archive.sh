#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make-docker-archive.sh OUT NAME LAYER.tar...: a docker-archive as
# `podman save` writes it (manifest.json, the config, one <diff_id>.tar per
# layer), for tests that craft their own layers. A layer file may be
# compressed: its diff_id is then taken over the uncompressed stream, unless
# DIFF_IDS gives them. CMD (a JSON array) sets the config's Cmd, IMAGE_ENV
# (JSON strings, comma-separated) adds to its Env, EXPOSED (a JSON object
# such as {"80/tcp":{}}) sets its ExposedPorts.
set -eu
out=$1 name=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
diffs="" layers=""
for l in "$@"; do
  blob=$(sha256sum "$l" | cut -d' ' -f1)
  diff=$( (zcat -f "$l" 2>/dev/null || cat "$l") | sha256sum | cut -d' ' -f1)
  cp "$l" "$work/$blob.tar"
  diffs="$diffs${diffs:+,}\"sha256:$diff\""
  layers="$layers${layers:+,}\"$blob.tar\""
done
[ -z "${DIFF_IDS:-}" ] || diffs=$DIFF_IDS
printf '{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"%s],"Cmd":%s,"ExposedPorts":%s},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
  "${IMAGE_ENV:+,$IMAGE_ENV}" "${CMD:-[\"/bin/sh\"]}" "${EXPOSED:-{\}}" "$diffs" > "$work/config.json"
cfg=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/$cfg.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":[%s]}]\n' "$cfg" "$name" "$layers" > "$work/manifest.json"
tar -C "$work" -cf "$out.tmp" .
mv "$out.tmp" "$out"

#!/usr/bin/env bats
# podtool pull from a real registry (Debian's docker-registry, distribution
# v2) on 127.0.0.1, filled by skopeo as an independent client.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  command -v docker-registry >/dev/null || skip "docker-registry (Debian package docker-registry) is not installed"
  command -v skopeo >/dev/null || skip "skopeo (Debian package skopeo) is not installed"
  pt_new_store "$BATS_TEST_TMPDIR"
  start_registry "$BATS_TEST_TMPDIR/reg"
  # The test image, pushed by skopeo from an archive podtool saves.
  pt save -o "$BATS_TEST_TMPDIR/img.tar" $IMAGE
  skopeo copy -q --dest-tls-verify=false "docker-archive:$BATS_TEST_TMPDIR/img.tar" "docker://$REG/test/box:1"
}

teardown () {
  local f
  for f in "$BATS_TEST_TMPDIR/reg/pid" "$BATS_TEST_TMPDIR/hostile.pid"; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
  done
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "pull by tag into a store without the image, run it; a second pull finds its layers stored" {
  pt rmi -f $IMAGE >/dev/null
  run_podtool pull --tls-verify=false "$REG/test/box:1"
  local id=${lines[-1]}
  [[ "$id" =~ ^[0-9a-f]{64}$ ]]
  assert_output_contains "Trying to pull $REG/test/box:1..."$'\n'"Getting image source signatures"
  assert_output_contains "Writing manifest to image destination"$'\n'"Storing signatures"
  assert_output_contains "Copying blob "
  run_podtool images --format '{{.Repository}}:{{.Tag}} {{.ID}}'
  assert_output "$REG/test/box:1 ${id:0:12}"
  run_podtool run --rm "$REG/test/box:1" echo from-the-registry
  assert_output "from-the-registry"
  run_podtool pull --tls-verify=false "$REG/test/box:1"
  assert_output_contains "skipped: already exists"
  run_podtool pull -q --tls-verify=false "docker://$REG/test/box:1"
  assert_output "$id"
  # The same verbs under `podtool image`, as Podman has them.
  run_podtool image pull -q --tls-verify=false "$REG/test/box:1"
  assert_output "$id"
  run_podtool image push -q --tls-verify=false "$REG/test/box:1" "$REG/test/again:1"
  run_podtool image search --tls-verify=false --format '{{.Name}}' "$REG/again"
  assert_output "$REG/test/again"
}

@test "pull --all-tags: every tag of the repository; a tag or a short name is refused" {
  skopeo copy -q --src-tls-verify=false --dest-tls-verify=false "docker://$REG/test/box:1" "docker://$REG/test/box:2"
  pt rmi -f $IMAGE >/dev/null
  run_podtool pull -q -a --tls-verify=false "$REG/test/box"
  [ "${#lines[@]}" = 2 ]
  run_podtool images --format '{{.Repository}}:{{.Tag}}'
  assert_equal "$(printf '%s\n' "${lines[@]}" | sort)" "$REG/test/box:1"$'\n'"$REG/test/box:2"
  run_podtool 125 pull -a --tls-verify=false "$REG/test/box:1"
  assert_output_contains "without a tag or digest"
  run_podtool 125 pull -a box
  assert_output_contains "without a tag or digest"
}

@test "pull by digest: the manifest is checked against it" {
  local digest
  digest=sha256:$(skopeo inspect --raw --tls-verify=false "docker://$REG/test/box:1" | sha256sum | cut -d' ' -f1)
  run_podtool pull -q --tls-verify=false "$REG/test/box@$digest"
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  run_podtool 125 pull --tls-verify=false "$REG/test/box@sha256:$(printf '%064d' 0)"
  assert_output_contains "not found (manifest unknown)"
}

@test "pull errors: unknown tag, plain HTTP without --tls-verify=false, nothing listening, bad references" {
  run_podtool 125 pull --tls-verify=false "$REG/test/box:nope"
  assert_output_contains "Error: $REG/test/box: tag nope not found (manifest unknown)"
  run_podtool 125 pull "$REG/test/box:1"
  assert_output_contains "a plain HTTP registry needs --tls-verify=false"
  local closed
  closed=$(free_port)
  run_podtool 125 pull --tls-verify=false "127.0.0.1:$closed/test/box:1"
  assert_output_contains "Error: 127.0.0.1:$closed: Couldn't connect to server"
  run_podtool 125 pull --tls-verify=false "$REG/Test/Box"
  assert_output_contains "invalid reference format"
  run_podtool 125 pull
  assert_output_contains "requires at least 1 arg"
}

@test "a registry that serves a layer not matching its digest: nothing stored, the store still works" {
  pt rmi -f $IMAGE >/dev/null
  local layer
  layer=$(skopeo inspect --tls-verify=false "docker://$REG/test/box:1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Layers"][0][7:])')
  local data=$BATS_TEST_TMPDIR/reg/data/docker/registry/v2/blobs/sha256/${layer:0:2}/$layer/data
  [ -f "$data" ]
  printf 'not the layer' | dd of="$data" bs=1 seek=100 conv=notrunc status=none
  run_podtool 125 pull --tls-verify=false "$REG/test/box:1"
  assert_output_contains "the blob sha256:$layer the registry sent has the digest sha256:"
  assert_output_contains "nothing was stored"
  run_podtool images -q
  assert_output ""
  run_podtool load -q -i "$(pt_image_dir)/busybox-docker.tar"
  run_podtool run --rm $IMAGE echo still-works
  assert_output "still-works"
}

@test "a manifest list: this machine's platform is pulled; one it lacks is an error listing what it has" {
  local man digest size
  man=$(skopeo inspect --raw --tls-verify=false "docker://$REG/test/box:1")
  digest=sha256:$(printf '%s' "$man" | sha256sum | cut -d' ' -f1)
  size=$(printf '%s' "$man" | wc -c)
  python3 - "$REG" "$digest" "$size" <<'PY'
import json, sys, urllib.request
reg, digest, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
mt = "application/vnd.docker.distribution.manifest.v2+json"
lst = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
       "manifests": [{"mediaType": mt, "digest": digest, "size": size, "platform": {"architecture": a, "os": "linux"}}
                     for a in ("arm64", "amd64")]}
req = urllib.request.Request("http://%s/v2/test/box/manifests/multi" % reg, data=json.dumps(lst).encode(), method="PUT",
                             headers={"Content-Type": lst["mediaType"]})
urllib.request.urlopen(req)
PY
  [ "$(uname -m)" = x86_64 ] || skip "the list names amd64 and arm64; this machine is $(uname -m)"
  run_podtool pull -q --tls-verify=false "$REG/test/box:multi"
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  run_podtool pull -q --tls-verify=false --platform linux/arm64 "$REG/test/box:multi"
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  run_podtool 125 pull --tls-verify=false --platform linux/s390x "$REG/test/box:multi"
  assert_output_contains "no image for linux/s390x in the manifest list (it has: linux/arm64, linux/amd64)"
  run_podtool 125 pull --tls-verify=false --platform linux "$REG/test/box:multi"
  assert_output_contains "invalid --platform"
}

@test "a registry that lies (not JSON, v1, a list naming a path, 5 MiB, layers its config lacks): one line each, nothing stored" {
  local port
  port=$(free_port)
  python3 "$PODTOOL_SRCDIR/tests/helpers/hostile-registry.py" "$port" "$BATS_TEST_TMPDIR/leak.log" &
  echo $! > "$BATS_TEST_TMPDIR/hostile.pid"
  wait_for_v2 "$port"
  local h=127.0.0.1:$port
  run_podtool 125 pull -q --tls-verify=false "$h/bad/json:1"
  assert_output "Error: $h/bad/json: the manifest is not JSON"
  run_podtool 125 pull -q --tls-verify=false "$h/bad/v1:1"
  assert_output_contains "v1 manifest format, which podtool does not pull"
  run_podtool 125 pull -q --tls-verify=false "$h/bad/list:1"
  assert_output "Error: $h/bad/list: the manifest list names an invalid digest"
  run_podtool 125 pull -q --tls-verify=false "$h/bad/big:1"
  assert_output "Error: $h: an answer too large"
  run_podtool 125 pull -q --tls-verify=false "$h/bad/count:1"
  assert_output "Error: $h/bad/count: the manifest has 2 layers, its config 1"
  run_podtool images --format '{{.Repository}}'
  assert_output "localhost/ptbusybox"
  run_podtool run --rm $IMAGE echo still-works
  assert_output "still-works"
  # A push whose upload URL is on another host: the credentials stay here.
  run_podtool push -q --tls-verify=false --creds alice:s3cret $IMAGE "$h/leak/x:1"
  grep -q "^POST 127.0.0.1:$port /v2/leak/x/blobs/uploads/ auth$" "$BATS_TEST_TMPDIR/leak.log"
  grep -q "^PUT localhost:$port /upload/x?digest=sha256%3A[0-9a-f]* none$" "$BATS_TEST_TMPDIR/leak.log" \
    || { cat "$BATS_TEST_TMPDIR/leak.log" >&2; false; }
  ! grep -q "^[A-Z]* localhost.* auth$" "$BATS_TEST_TMPDIR/leak.log"
  # A token that would break the header it goes in; a realm that is a file.
  run_podtool 125 pull -q --tls-verify=false "$h/bad/token:1"
  assert_output "Error: token from http://$h/token: not a token (characters a header cannot hold)"
  run_podtool 125 pull -q --tls-verify=false "$h/bad/realm:1"
  assert_output_contains "token from file:///etc/passwd: "
  # A catalog over pages: each page once, the one naming itself last; a
  # next page on another host is not followed.
  run_podtool search --tls-verify=false --format '{{.Name}}' "$h/"
  assert_output "$h/bad/json
$h/page/a
$h/page/b"
  run_podtool search --tls-verify=false --list-tags --format '{{.Tag}}' "$h/page/a"
  assert_output "1"
}

@test "run and create pull a missing image (--pull missing, the default), always and newer pull again, never does not" {
  run_podtool 125 run --rm --pull never "$REG/test/box:1" true
  assert_output_contains "image not known"
  run_podtool run --rm --tls-verify=false "$REG/test/box:1" cat /home/app/owned.txt
  assert_output_contains "Trying to pull $REG/test/box:1..."
  assert_output_contains "Copying blob "
  # Stored now: no pull.
  run_podtool run --rm "$REG/test/box:1" true
  assert_output ""
  run_podtool run --rm --pull always --tls-verify=false "$REG/test/box:1" true
  assert_output_contains "Trying to pull"
  assert_output_contains "skipped: already exists"
  run_podtool create -q --pull newer --tls-verify=false --name made "$REG/test/box:1" true
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  # Without --tls-verify=false a plain-HTTP registry is an error naming the way out.
  pt rm -f made >/dev/null
  pt rmi -f "$REG/test/box:1" >/dev/null
  run_podtool 125 run --rm "$REG/test/box:1" true
  assert_output_contains "tls-verify=false"
  run_podtool 125 run --rm --pull always nosuchlocal true
  assert_output_contains "short-name \"nosuchlocal\" did not resolve to an alias"
}

@test "kube play pulls an image its YAML names and the store lacks, with the registry flags given" {
  pt rmi -f $IMAGE >/dev/null
  cat > "$BATS_TEST_TMPDIR/pod.yaml" <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: pulled
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: $REG/test/box:1
    command: ["echo", "from-a-pulled-image"]
YAML
  run_podtool 125 kube play "$BATS_TEST_TMPDIR/pod.yaml"
  assert_output_contains "$REG"
  run_podtool kube play --tls-verify=false "$BATS_TEST_TMPDIR/pod.yaml"
  run_podtool image exists "$REG/test/box:1"
  local i
  for i in $(seq 50); do
    [ "$(pt logs pulled-c 2>/dev/null)" = from-a-pulled-image ] && break
    sleep 0.1
  done
  run_podtool logs pulled-c
  assert_output "from-a-pulled-image"
  run_podtool kube down "$BATS_TEST_TMPDIR/pod.yaml"
}

@test "registries.conf: short names through aliases and unqualified-search-registries, a mirror tried first, insecure, blocked" {
  local conf=$BATS_TEST_TMPDIR/registries.conf
  export CONTAINERS_REGISTRIES_CONF=$conf
  : > "$conf"
  run_podtool 125 pull -q box:1
  assert_output "Error: short-name \"box:1\" did not resolve to an alias and no unqualified-search registries are defined in \"$conf\""
  # A name that is no reference is said so before any registry is asked.
  run_podtool 125 pull 'Box:1'
  assert_output "Error: cannot parse input: \"Box:1\": invalid reference format: repository name must be lowercase"
  # Search: the first registry has no such repository, the second has.
  local dead=127.0.0.1:$(free_port)
  cat > "$conf" <<TOML
unqualified-search-registries = ["$dead", "$REG/test"]

[[registry]]
location = "$dead"
insecure = true

[[registry]]
location = "$REG"
insecure = true
TOML
  pt rmi -f $IMAGE >/dev/null
  run_podtool pull -q box:1
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  run_podtool image inspect --format '{{index .RepoTags 0}}' "$REG/test/box:1"
  assert_output "$REG/test/box:1"
  # run resolves a missing short name the same way.
  pt rmi -f "$REG/test/box:1" >/dev/null
  run_podtool run --rm box:1 true
  # Each name the short one resolves to is said as it is tried, as Podman does.
  assert_output_contains "Trying to pull $dead/box:1..."
  assert_output_contains "Trying to pull $REG/test/box:1..."
  # Stored under the registry it resolved to, found there the next time,
  # by every verb that looks an image up.
  run_podtool run --rm box:1 true
  assert_output ""
  run_podtool image inspect --format '{{index .RepoTags 0}}' box:1
  assert_output "$REG/test/box:1"
  run_podtool rmi box:1
  assert_output_contains "Untagged: $REG/test/box:1"
  # An alias names the repository; a mirror that answers nothing is passed over.
  cat > "$conf" <<TOML
[aliases]
"mybox" = "example.invalid/test/box"

[[registry]]
prefix = "example.invalid"
location = "$REG"
insecure = true

[[registry.mirror]]
location = "$dead"
insecure = true
TOML
  run_podtool pull -q mybox:1
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  run_podtool image exists example.invalid/test/box:1
  # Blocked.
  printf '[[registry]]\nlocation = "%s"\nblocked = true\n' "$REG" > "$conf"
  run_podtool 125 pull -q --tls-verify=false "$REG/test/box:1"
  assert_output "Error: $REG/test/box:1: the registry \`$REG\` is blocked in registries.conf"
  # Not TOML.
  echo 'unqualified-search-registries = [' > "$conf"
  run_podtool 125 pull -q box:1
  assert_output_contains "$conf: not TOML"
}

@test "a pulled image keeps the registry's digest: RepoDigests, .Digest, images --digests; a loaded one has none" {
  run_podtool image inspect --format '{{len .RepoDigests}}' $IMAGE
  assert_output "0"
  pt rmi -f $IMAGE >/dev/null
  pt pull -q --tls-verify=false "$REG/test/box:1" >/dev/null
  local digest
  digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/test/box:1")
  [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]
  run_podtool image inspect --format '{{index .RepoDigests 0}} {{.Digest}}' "$REG/test/box:1"
  assert_output "$REG/test/box@$digest $digest"
  run_podtool images --digests
  assert_output_contains "DIGEST"
  assert_output_contains "$digest"
  run_podtool images --format '{{.Repository}} {{.Digest}}'
  assert_output "$REG/test/box $digest"
  # Pulled again by digest: the same entry, once.
  pt pull -q --tls-verify=false "$REG/test/box@$digest" >/dev/null
  run_podtool image inspect --format '{{len .RepoDigests}}' "$REG/test/box:1"
  assert_output "1"
}

@test "kill -9 at any moment of a pull: the store works, the image is whole or absent, the next pull succeeds" {
  pt rmi -f $IMAGE >/dev/null
  local d pid name="$REG/test/box:1"
  for d in 0 0.01 0.02 0.04 0.06 0.08 0.1 0.15 0.2 0.3 0.5; do
    "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" pull -q --tls-verify=false "$name" >/dev/null 2>&1 &
    pid=$!
    sleep "$d"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    run_podtool images --format '{{.Repository}}:{{.Tag}}'
    if [ -n "$output" ]; then
      # Listed: then whole, and it runs.
      assert_output "$name"
      run_podtool run --rm "$name" stat -c %u:%g /home/app/owned.txt
      assert_output "1000:1000"
      pt rmi -f "$name" >/dev/null
    fi
  done
  run_podtool pull -q --tls-verify=false "$name"
  run_podtool run --rm "$name" stat -c %u:%g /home/app/owned.txt
  assert_output "1000:1000"
  # What the killed pulls left in the store's tmp/ was swept by the last one.
  run ls -A "$PT_ROOT/tmp"
  assert_output ""
  # And no layer directory is left half made beside the image's.
  local n
  n=$(pt image inspect --format '{{len .RootFS.Layers}}' "$name")
  [ "$(ls -A "$PT_ROOT/layers" | grep -vc "^[0-9a-f]\{64\}\.json$")" = "$n" ] || { ls -la "$PT_ROOT/layers" >&2; false; }
}

@test "pull on a terminal: each blob's line redrawn in place with a bar; plain lines otherwise; nothing with -q" {
  command -v script >/dev/null || skip "script (util-linux) is needed for a terminal"
  pt rmi -f $IMAGE >/dev/null
  run script -qec "$PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT pull --tls-verify=false $REG/test/box:1" /dev/null
  [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
  [[ "$output" == *$'\r\033[KCopying blob '*'] '*' / '* ]] || { printf '%q\n' "$output" >&2; false; }
  assert_output_contains "done"
  pt rmi -f "$REG/test/box:1" >/dev/null
  run_podtool pull --tls-verify=false "$REG/test/box:1"
  assert_output_not_contains $'\033'
  assert_output_contains "Copying blob "
  pt rmi -f "$REG/test/box:1" >/dev/null
  run script -qec "$PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT pull -q --tls-verify=false $REG/test/box:1" /dev/null
  assert_output_not_contains "Copying"
}

@test "push of a pulled image back to its registry: blobs mounted, the same manifest and digest; --format makes it anew" {
  pt rmi -f $IMAGE >/dev/null
  pt pull -q --tls-verify=false "$REG/test/box:1" >/dev/null
  local digest
  digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/test/box:1")
  run_podtool push --tls-verify=false --digestfile "$BATS_TEST_TMPDIR/d" "$REG/test/box:1" "$REG/other/box:7"
  assert_output_not_contains " done"
  assert_output_contains "skipped: already exists"
  [ "$(cat "$BATS_TEST_TMPDIR/d")" = "$digest" ]
  run skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REG/other/box:7"
  assert_output "$digest"
  # Asked for a format: the layers are made again.
  run_podtool push --tls-verify=false --format oci "$REG/test/box:1" "$REG/third/box:1"
  assert_output_contains " done"
}

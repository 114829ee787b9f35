#!/usr/bin/env bats
# load, import, images, rmi: the image store.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  PT_ROOT=$BATS_TEST_TMPDIR/root
  PT_RUNROOT=$BATS_TEST_TMPDIR/run
  IMG=$(pt_image_dir)
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "load a docker-archive built from busybox-static and list it" {
  run_podtool load -i "$IMG/busybox-docker.tar"
  assert_last_line "Loaded image: localhost/ptbusybox:latest"
  run_podtool images
  [[ "${lines[0]}" =~ ^REPOSITORY\ +TAG\ +IMAGE\ ID\ +CREATED\ +SIZE$ ]]
  [[ "${lines[1]}" =~ ^localhost/ptbusybox\ +latest\ +[0-9a-f]{12}\ +.+\ +2\.1[0-9]\ MB$ ]]
  [ "${#lines[@]}" -eq 2 ]
}

@test "a short name, a full name and an id prefix all find the image" {
  run_podtool load -q -i "$IMG/busybox-docker.tar"
  run_podtool images -q
  local id=$output
  [[ "$id" =~ ^[0-9a-f]{12}$ ]]
  for ref in ptbusybox ptbusybox:latest localhost/ptbusybox localhost/ptbusybox:latest "$id" "${id:0:5}"; do
    run_podtool run --rm "$ref" echo found
    assert_output "found"
  done
  run_podtool 125 run --rm ptbusybox:other true
  assert_output_contains "ptbusybox:other: image not known"
}

@test "import a rootfs tarball, plain and gzip, with a name" {
  run_podtool import "$IMG/busybox-rootfs.tar" mine
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
  gzip -c "$IMG/busybox-rootfs.tar" > "$BATS_TEST_TMPDIR/rootfs.tgz"
  run_podtool import "$BATS_TEST_TMPDIR/rootfs.tgz" other:v2
  run_podtool images
  assert_output_contains "localhost/mine"
  assert_output_contains "localhost/other"
  assert_output_contains "v2"
  run_podtool run --rm mine cat /home/app/owned.txt
  assert_output "owned by 1000"
  run_podtool run --rm other:v2 stat -c '%u:%g' /home/app/owned.txt
  assert_output "1000:1000"
}

@test "layers are shared: the same layer is stored once" {
  run_podtool load -q -i "$IMG/busybox-docker.tar"
  run_podtool import "$IMG/busybox-rootfs.tar" same
  [ "$(ls -d "$PT_ROOT"/layers/*/ | wc -l)" -eq 1 ]
}

@test "rmi removes a name, then the image and its layers" {
  run_podtool load -q -i "$IMG/busybox-docker.tar"
  run_podtool import "$IMG/busybox-rootfs.tar" second
  run_podtool rmi second
  assert_output_contains "Untagged: localhost/second:latest"
  assert_output_contains "Deleted: "
  # The shared layer stays for ptbusybox.
  run_podtool run --rm ptbusybox true
  run_podtool rmi ptbusybox
  assert_output_contains "Untagged: localhost/ptbusybox:latest"
  run_podtool images -q
  assert_output ""
  [ -z "$(ls "$PT_ROOT/layers")" ]
  run_podtool 1 rmi ptbusybox
  assert_output_contains "ptbusybox: image not known"
}

@test "rmi refuses an image a container uses" {
  run_podtool load -q -i "$IMG/busybox-docker.tar"
  run_podtool run --name keeper ptbusybox true
  run_podtool 2 rmi ptbusybox
  assert_output_contains "image is in use by a container"
  run_podtool rm keeper
  run_podtool rmi ptbusybox
}

@test "a corrupt or missing tarball is refused and the store keeps its images" {
  run_podtool load -q -i "$IMG/busybox-docker.tar"
  head -c 4096 /dev/urandom > "$BATS_TEST_TMPDIR/junk.tar"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/junk.tar"
  assert_output_contains "junk.tar"
  [ "${#lines[@]}" -eq 1 ]
  head -c 300000 "$IMG/busybox-docker.tar" > "$BATS_TEST_TMPDIR/cut.tar"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/cut.tar"
  assert_output_contains "cut.tar"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/absent.tar"
  assert_output_contains "absent.tar"
  run_podtool 125 import "$BATS_TEST_TMPDIR/junk.tar" junk
  run_podtool images
  assert_output_contains "localhost/ptbusybox"
  [ "${#lines[@]}" -eq 2 ]
  [ -z "$(ls "$PT_ROOT/tmp")" ]
  [ -z "$(ls -A "$PT_ROOT/layers" | grep -v '^[0-9a-f]\{64\}\(.json\)\?$')" ]
  run_podtool run --rm ptbusybox echo still here
  assert_output "still here"
}

@test "a layer whose digest does not match is refused and nothing is stored" {
  local a=$BATS_TEST_TMPDIR/a
  mkdir "$a"
  tar -C "$a" -xf "$IMG/busybox-docker.tar"
  local layer
  layer=$(ls "$a"/*.tar)
  # Same name, other content: append an entry to the layer.
  echo extra > "$BATS_TEST_TMPDIR/extra"
  tar -C "$BATS_TEST_TMPDIR" -rf "$layer" extra
  tar -C "$a" -cf "$BATS_TEST_TMPDIR/bad.tar" .
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "digest mismatch"
  run_podtool images -q
  assert_output ""
  [ -z "$(ls -A "$PT_ROOT/layers")" ]
}

@test "a manifest naming a missing layer is refused" {
  local a=$BATS_TEST_TMPDIR/a
  mkdir "$a"
  tar -C "$a" -xf "$IMG/busybox-docker.tar"
  rm "$a"/*.tar
  tar -C "$a" -cf "$BATS_TEST_TMPDIR/missing.tar" .
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/missing.tar"
  [ "${#lines[@]}" -eq 1 ]
  run_podtool images -q
  assert_output ""
}

@test "a member with ../ in the outer archive is refused" {
  local a=$BATS_TEST_TMPDIR/a
  mkdir -p "$a"
  echo evil > "$a/evil"
  tar -C "$a" -P --transform 's,^,../,' -cf "$BATS_TEST_TMPDIR/evil.tar" evil
  tar -P -tf "$BATS_TEST_TMPDIR/evil.tar" | grep -qx '\.\./evil'
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/evil.tar"
  assert_output_contains "outside the archive"
  [ ! -e "$PT_ROOT/evil" ] && [ ! -e "$PT_ROOT/tmp/evil" ]
}

@test "load keeps the tags of the reference docker-archive and OCI archive" {
  need_shared_images
  run_podtool load -i "$SHARED_IMAGES/busybox-docker.tar"
  assert_last_line "Loaded image: localhost/busybox:latest"
  run_podtool load -i "$SHARED_IMAGES/layered-oci.tar"
  assert_last_line "Loaded image: localhost/layered:latest"
  run_podtool images --no-trunc
  assert_output_contains "47cb403127bedd7d069ddb3b2fc00df9d4c9a76caee07fbe9b63e9863f0f945b"
  assert_output_contains "3b3b57611127a939dba88a861e07832a96c8f9b4f1dfeed9805e1a0800fc4f08"
  # layered is busybox plus 5 layers: the shared bottom layer is stored once.
  [ "$(ls -d "$PT_ROOT"/layers/*/ | wc -l)" -eq 6 ]
}

@test "concurrent loads, imports and runs leave a consistent store" {
  local i pids=()
  for i in 1 2 3; do
    pt load -q -i "$IMG/busybox-docker.tar" 3>&- & pids+=($!)
    pt import "$IMG/busybox-rootfs.tar" "con$i" 3>&- >/dev/null & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  run_podtool images
  [ "${#lines[@]}" -eq 5 ]
  for i in 1 2 3; do assert_output_contains "localhost/con$i"; done
  pids=()
  for i in 1 2 3 4 5 6; do
    pt run --name "c$i" ptbusybox true 3>&- & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  run_podtool ps -a
  [ "${#lines[@]}" -eq 7 ]
  for i in 1 2 3 4 5 6; do assert_output_contains " c$i"; done
  # The same name at once: exactly one wins.
  pids=()
  for i in 1 2 3 4; do
    pt run --name same ptbusybox true 3>&- 2>/dev/null & pids+=($!)
  done
  local ok=0
  for i in "${pids[@]}"; do wait "$i" && ok=$((ok + 1)); done
  assert_equal "$ok" "1"
}

@test "a load killed at any moment leaves a store that works, and the next load succeeds" {
  need_shared_images
  local t
  for t in 0.02 0.05 0.1 0.2 0.4; do
    timeout -s KILL "$t" "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" load -q -i "$SHARED_IMAGES/layered-docker.tar" 3>&- || true
    run_podtool images
    run_podtool images -q
    # Either the whole image is there or none of it.
    if [ -n "$output" ]; then
      run_podtool run --rm layered
      assert_output_contains "entrypoint args: id"
      run_podtool rmi layered
    fi
  done
  run_podtool load -i "$SHARED_IMAGES/layered-docker.tar"
  run_podtool run --rm layered
  assert_output_contains "uid=1000(app)"
  # Nothing half-made is left behind.
  assert_equal "$(ls "$PT_ROOT/tmp")" ""
  assert_equal "$(ls -A "$PT_ROOT/layers" | grep -v '^[0-9a-f]\{64\}\(.json\)\?$')" ""
  assert_equal "$(ls -A "$PT_ROOT/images" | grep '\.tmp-')" ""
}

@test "OCI archives: plain, gzip and zstd layers, behind a nested index, run" {
  local layer=$BATS_TEST_TMPDIR/layer.tar c
  tar -xOf "$IMG/busybox-docker.tar" --wildcards './*.tar' > "$layer"
  for c in none gzip zstd; do
    NESTED=1 sh "$PODTOOL_SRCDIR/tests/helpers/make-oci-archive.sh" "$BATS_TEST_TMPDIR/oci-$c.tar" "localhost/oci:$c" "$c" "$layer"
    run_podtool load -i "$BATS_TEST_TMPDIR/oci-$c.tar"
    assert_last_line "Loaded image: localhost/oci:$c"
    run_podtool run --rm "oci:$c" cat /home/app/owned.txt
    assert_output "owned by 1000"
  done
  # One image, three names, one layer.
  run_podtool images -q
  [ "${#lines[@]}" -eq 1 ]
}

@test "an OCI blob that does not match its digest is refused, naming it" {
  local layer=$BATS_TEST_TMPDIR/layer.tar a=$BATS_TEST_TMPDIR/a
  tar -xOf "$IMG/busybox-docker.tar" --wildcards './*.tar' > "$layer"
  sh "$PODTOOL_SRCDIR/tests/helpers/make-oci-archive.sh" "$BATS_TEST_TMPDIR/oci.tar" localhost/oci:bad gzip "$layer"
  mkdir "$a"
  tar -C "$a" -xf "$BATS_TEST_TMPDIR/oci.tar"
  # Swap the layer blob's bytes for another valid gzip tar under the same name.
  local blob
  blob=$(ls -S "$a"/blobs/sha256 | head -1)
  python3 "$PODTOOL_SRCDIR/tests/helpers/craft-layer.py" "$BATS_TEST_TMPDIR/other.tar" f:x:other
  gzip -n -c "$BATS_TEST_TMPDIR/other.tar" > "$a/blobs/sha256/$blob"
  tar -C "$a" -cf "$BATS_TEST_TMPDIR/bad.tar" oci-layout index.json blobs
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "layer 1 \`sha256:$blob\` does not match its digest"
  [ "${#lines[@]}" -eq 1 ]
  run_podtool images -q
  assert_output ""
  [ -z "$(ls -A "$PT_ROOT/layers")" ]
}

@test "an archive with both manifest.json and an OCI layout loads through manifest.json" {
  local layer=$BATS_TEST_TMPDIR/layer.tar a=$BATS_TEST_TMPDIR/a
  tar -xOf "$IMG/busybox-docker.tar" --wildcards './*.tar' > "$layer"
  sh "$PODTOOL_SRCDIR/tests/helpers/make-oci-archive.sh" "$BATS_TEST_TMPDIR/oci.tar" localhost/from-oci:latest gzip "$layer"
  mkdir "$a"
  tar -C "$a" -xf "$BATS_TEST_TMPDIR/oci.tar"
  tar -C "$a" -xf "$IMG/busybox-docker.tar"
  tar -C "$a" -cf "$BATS_TEST_TMPDIR/both.tar" .
  run_podtool load -i "$BATS_TEST_TMPDIR/both.tar"
  assert_last_line "Loaded image: localhost/ptbusybox:latest"
}

@test "load and save say what they copy, as Podman does: each blob, the config, the manifest; a stored layer is skipped; -q says nothing" {
  run_podtool load -i "$IMG/busybox-docker.tar"
  [ "${lines[0]}" = "Getting image source signatures" ]
  [[ "${lines[1]}" =~ ^Copying\ blob\ [0-9a-f]{12}\ done$ ]]
  [[ "${lines[2]}" =~ ^Copying\ config\ [0-9a-f]{12}\ done$ ]]
  [ "${lines[3]}" = "Writing manifest to image destination" ]
  [ "${lines[4]}" = "Storing signatures" ]
  [ "${#lines[@]}" -eq 6 ]
  # The config line names the image id, the blob line its layer.
  local id
  id=$(pt images -q --no-trunc | sed 's/^sha256://')
  [[ "${lines[2]}" == "Copying config ${id:0:12} done" ]]
  run_podtool load -i "$IMG/busybox-docker.tar"
  [[ "${lines[1]}" =~ ^Copying\ blob\ [0-9a-f]{12}\ skipped:\ already\ exists$ ]]
  run_podtool load -q -i "$IMG/busybox-docker.tar"
  assert_output ""
  run_podtool save -o "$BATS_TEST_TMPDIR/out.tar" ptbusybox
  [ "${lines[0]}" = "Getting image source signatures" ]
  [[ "${lines[1]}" =~ ^Copying\ blob\ [0-9a-f]{12}\ done$ ]]
  [[ "${lines[2]}" =~ ^Copying\ config\ [0-9a-f]{12}\ done$ ]]
  [ "${lines[-1]}" = "Storing signatures" ]
  run_podtool save -q -o "$BATS_TEST_TMPDIR/out2.tar" ptbusybox
  assert_output ""
  cmp "$BATS_TEST_TMPDIR/out.tar" "$BATS_TEST_TMPDIR/out2.tar"
}

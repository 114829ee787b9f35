#!/usr/bin/env bats
# tag, image inspect, images --format json, rmi -f, image prune, save.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  pt_new_store "$BATS_TEST_TMPDIR"
  IMG=$(pt_image_dir)
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

# The 6-layer image as `layered`: Podman's from ../shared/images where it is
# there, else the one tests/helpers/make-layered-image.py builds (041).
load_layered () {
  if [ -f "$SHARED_IMAGES/layered-docker.tar" ]; then
    run_podtool load -q -i "$SHARED_IMAGES/layered-docker.tar"
    return
  fi
  local dir
  dir=$(pt_image_dir)
  [ -f "$dir/layered-docker.tar" ] ||
    python3 "$PODTOOL_SRCDIR/tests/helpers/make-layered-image.py" "$dir/busybox-rootfs.tar" "$dir/layered-docker.tar"
  run_podtool load -q -i "$dir/layered-docker.tar"
  run_podtool tag ptlayered layered
  run_podtool untag layered localhost/ptlayered:latest
}

@test "tag adds names; a name moves between images; rmi of one name untags" {
  run_podtool tag ptbusybox mybox other.example/team/box:v1
  run_podtool images
  assert_output_contains "localhost/mybox"
  assert_output_contains "other.example/team/box"
  run_podtool run --rm mybox echo via-tag
  assert_output "via-tag"
  # A short name finds docker.io/library/NAME too, as Podman resolves it.
  run_podtool tag ptbusybox docker.io/library/dbox:latest
  run_podtool run --rm dbox echo via-docker-io
  assert_output "via-docker-io"
  run_podtool import "$IMG/busybox-rootfs.tar" imported
  run_podtool tag imported mybox
  run_podtool image inspect mybox
  assert_output_contains '"localhost/imported:latest"'
  run_podtool 125 tag nosuch x
  assert_output_contains "nosuch: image not known"
  run_podtool 125 tag ptbusybox 'Bad Name'
  assert_output_contains "invalid reference format"
}

@test "image inspect prints Podman's fields" {
  run_podtool image inspect ptbusybox
  command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
  run python3 -c '
import json, sys
[i] = json.load(sys.stdin)
for k in ("Id", "Digest", "RepoTags", "Created", "Config", "RootFS", "Size", "Architecture", "Os", "Labels", "History"):
    assert k in i, k
assert len(i["Id"]) == 64 and i["Digest"].startswith("sha256:")
assert i["RepoTags"] == ["localhost/ptbusybox:latest"], i["RepoTags"]
assert i["Config"]["Cmd"] == ["/bin/sh"], i["Config"]
assert "PT_IMAGE=ptbusybox" in i["Config"]["Env"]
assert i["RootFS"]["Type"] == "layers" and len(i["RootFS"]["Layers"]) == 1
assert i["Architecture"] == "amd64" and i["Os"] == "linux"
assert i["Size"] > 2000000
print("ok")' <<<"$output"
  assert_output "ok"
  run_podtool 125 image inspect nosuch
  run_podtool image inspect --format '{{.Id}} {{.Os}} {{json .Config.Cmd}}' ptbusybox
  [[ "$output" =~ ^[0-9a-f]{64}\ linux\ \[\"/bin/sh\"\]$ ]]
  run_podtool 125 image inspect --format '{{.Id | printf}}' ptbusybox
  assert_output_contains "is not supported"
}

@test "images --format json lists every image" {
  run_podtool import "$IMG/busybox-rootfs.tar" second
  run_podtool images --format json
  command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
  run python3 -c '
import json, sys
imgs = json.load(sys.stdin)
assert len(imgs) == 2, imgs
names = sorted(n for i in imgs for n in i["Names"])
assert names == ["localhost/ptbusybox:latest", "localhost/second:latest"], names
assert all(len(i["Id"]) == 64 and isinstance(i["Created"], int) and i["Size"] > 0 for i in imgs)
print("ok")' <<<"$output"
  assert_output "ok"
}

@test "rmi -f removes the containers that use the image" {
  run_podtool run --name user1 ptbusybox true
  run_podtool 2 rmi ptbusybox
  run_podtool rmi -f ptbusybox
  assert_output_contains "Deleted: "
  run_podtool ps -a -q
  assert_output ""
}

@test "image prune removes dangling images, -a the unused ones" {
  run_podtool import "$IMG/busybox-rootfs.tar"
  local dangling=$output
  run_podtool images
  assert_output_contains "<none>"
  run_podtool image prune -f
  assert_output "$dangling"
  run_podtool images -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool import "$IMG/busybox-rootfs.tar" unused
  run_podtool run --name keep ptbusybox true
  run_podtool image prune -a -f
  [ "${#lines[@]}" -eq 1 ]
  run_podtool images
  assert_output_contains "localhost/ptbusybox"
  assert_output_not_contains "localhost/unused"
}

@test "save, then load into a new store: the same files, both formats" {
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid: owners cannot match"
  load_layered
  local script='ls -lnR /data /home /opt | md5sum; id; stat -c "%h %i" /data/hard-a.txt /data/hard-b.txt | sort -u | wc -l'
  run_podtool run --rm --entrypoint /bin/sh layered -c "$script"
  local want=$output fmt
  for fmt in docker-archive oci-archive; do
    run_podtool save --format "$fmt" -o "$BATS_TEST_TMPDIR/saved.tar" layered
    local other=("$PODTOOL" --root "$BATS_TEST_TMPDIR/r-$fmt" --runroot "$BATS_TEST_TMPDIR/rr-$fmt")
    run "${other[@]}" load -i "$BATS_TEST_TMPDIR/saved.tar"
    [ "$status" -eq 0 ]
    assert_last_line "Loaded image: localhost/layered:latest"
    run "${other[@]}" run --rm --entrypoint /bin/sh layered -c "$script"
    [ "$status" -eq 0 ]
    assert_equal "$output" "$want"
    run "${other[@]}" run --rm layered
    assert_output $'entrypoint args: id\nuid=1000(app) gid=1000(app) groups=1000(app),2000(extra)'
  done
  # The archive is the same every time.
  run_podtool save -o "$BATS_TEST_TMPDIR/again.tar" layered
  run_podtool save -o "$BATS_TEST_TMPDIR/again2.tar" layered
  assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/again.tar")" "$(sha256sum < "$BATS_TEST_TMPDIR/again2.tar")"
}

@test "save refuses a terminal and unknown formats; a failed save leaves no file" {
  run_podtool 125 save --format tarball -o "$BATS_TEST_TMPDIR/x.tar" ptbusybox
  assert_output_contains "unsupported --format"
  run_podtool 125 save -o "$BATS_TEST_TMPDIR/x.tar" nosuch
  [ ! -e "$BATS_TEST_TMPDIR/x.tar" ]
  run_podtool 125 save -o /nonexistent/dir/x.tar ptbusybox
  [ -z "$(ls "$PT_ROOT/tmp")" ]
  pt save ptbusybox > "$BATS_TEST_TMPDIR/stdout.tar"
  tar -tf "$BATS_TEST_TMPDIR/stdout.tar" | grep -qx manifest.json
}

@test "save -m: several images in one archive, a layer they share written once; without -m more names are tags" {
  run_podtool run --name c ptbusybox sh -c 'echo second > /second.txt'
  run_podtool commit -q c second
  run_podtool rm c
  run_podtool save -m -o "$BATS_TEST_TMPDIR/two.tar" ptbusybox second
  # Two configs, two layers (busybox's once, the commit's), one manifest of two images.
  run tar -tf "$BATS_TEST_TMPDIR/two.tar"
  [ "$(grep -c '\.json$' <<< "$output")" -eq 3 ]
  [ "$(grep -c '\.tar$' <<< "$output")" -eq 2 ]
  local other=("$PODTOOL" --root "$BATS_TEST_TMPDIR/r2" --runroot "$BATS_TEST_TMPDIR/rr2")
  run "${other[@]}" load -i "$BATS_TEST_TMPDIR/two.tar"
  [ "$status" -eq 0 ]
  assert_output_contains "localhost/ptbusybox:latest"
  assert_output_contains "localhost/second:latest"
  run "${other[@]}" run --rm second cat /second.txt
  assert_output "second"
  # Without -m the other names are more tags of the first image.
  run_podtool save -o "$BATS_TEST_TMPDIR/tags.tar" ptbusybox extra:v1 quay.io/x/y:z
  local third=("$PODTOOL" --root "$BATS_TEST_TMPDIR/r3" --runroot "$BATS_TEST_TMPDIR/rr3")
  run "${third[@]}" load -i "$BATS_TEST_TMPDIR/tags.tar"
  [ "$status" -eq 0 ]
  run "${third[@]}" images --format '{{.Repository}}:{{.Tag}}'
  assert_output_contains "localhost/extra:v1"
  assert_output_contains "quay.io/x/y:z"
  run "${third[@]}" run --rm extra:v1 echo tagged
  assert_output "tagged"
  # Errors name what is wrong; nothing is written.
  run_podtool 125 save -m --format oci-archive -o "$BATS_TEST_TMPDIR/bad.tar" ptbusybox second
  assert_output_contains "docker-archive"
  run_podtool 125 save -m -o "$BATS_TEST_TMPDIR/bad.tar" ptbusybox nosuch
  assert_output_contains "nosuch"
  run_podtool 125 save -o "$BATS_TEST_TMPDIR/bad.tar" ptbusybox 'Bad:Tag'
  [ ! -e "$BATS_TEST_TMPDIR/bad.tar" ]
  if command -v podman >/dev/null; then
    local conf=$BATS_TEST_TMPDIR/containers.conf
    printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$conf"
    local P=(env CONTAINERS_CONF="$conf" podman --root "$BATS_TEST_TMPDIR/podman-root"
      --runroot "$BATS_TEST_TMPDIR/podman-run" --storage-driver vfs)
    run "${P[@]}" load -i "$BATS_TEST_TMPDIR/two.tar"
    [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
    run "${P[@]}" run --rm --network none localhost/second cat /second.txt
    assert_output "second"
    "${P[@]}" unshare rm -rf "$BATS_TEST_TMPDIR/podman-root" "$BATS_TEST_TMPDIR/podman-run" 2>/dev/null || true
  fi
}

@test "image tree: an image's layers with the images they top; --whatrequires the images built on it" {
  run_podtool run --name c ptbusybox sh -c 'echo one > /one.txt'
  run_podtool commit -q c child
  run_podtool run --name d child sh -c 'echo two > /two.txt'
  run_podtool commit -q d grandchild
  run_podtool image tree grandchild
  local base_id
  base_id=$(pt image inspect --format '{{index .RootFS.Layers 0}}' ptbusybox | cut -c8-19)
  [ "${lines[0]}" = "Image ID: $(pt image inspect --format '{{.Id}}' grandchild | cut -c1-12)" ]
  [ "${lines[1]}" = "Tags:     [localhost/grandchild:latest]" ]
  [[ "${lines[2]}" =~ ^Size:\ +[0-9.]+[kM]B$ ]]
  [ "${lines[3]}" = "Image Layers" ]
  [[ "${lines[4]}" =~ ^├──\ \ ID:\ $base_id\ Size:.*Top\ Layer\ of:\ \[localhost/ptbusybox:latest\]$ ]]
  [[ "${lines[5]}" == *"Top Layer of: [localhost/child:latest]" ]]
  [[ "${lines[6]}" =~ ^└──\ \ ID:\ [0-9a-f]{12}\ Size:.*Top\ Layer\ of:\ \[localhost/grandchild:latest\]$ ]]
  [ "${#lines[@]}" -eq 7 ]
  run_podtool image tree --whatrequires ptbusybox
  [[ "${lines[4]}" == "└──  ID: $base_id "*"[localhost/ptbusybox:latest]" ]]
  [[ "${lines[5]}" == " └──  ID: "*"[localhost/child:latest]" ]]
  [[ "${lines[6]}" == "     └──  ID: "*"[localhost/grandchild:latest]" ]]
  run_podtool 125 image tree nosuch
  assert_output_contains "nosuch"
  run_podtool 125 image tree
  assert_output_contains "requires at least 1 arg"
}

@test "images --filter, the IMAGE operand and --sort" {
  run_podtool run --name c ptbusybox sh -c 'echo one > /one.txt'
  run_podtool commit -q --change 'LABEL team=red' c red
  run_podtool commit -q c plain
  run_podtool tag plain quay.io/acme/plain:v2
  run_podtool images --format '{{.Repository}}:{{.Tag}}' --filter label=team=red
  assert_output "localhost/red:latest"
  run_podtool images --format '{{.Repository}}' --filter label!=team --filter since=ptbusybox
  assert_output $'localhost/plain\nquay.io/acme/plain'
  run_podtool images --format '{{.Repository}}' --filter before=red
  assert_output "localhost/ptbusybox"
  run_podtool images --format '{{.Repository}}:{{.Tag}}' --filter reference='plain:v*'
  assert_output "quay.io/acme/plain:v2"
  run_podtool images --format '{{.Repository}}' plain
  assert_output $'localhost/plain\nquay.io/acme/plain'
  run_podtool images -q --filter reference='*/acme/*'
  assert_output "$(pt image inspect --format '{{.Id}}' plain | cut -c1-12)"
  run_podtool images --noheading --format '{{.Repository}}' --filter id="$(pt image inspect --format '{{.Id}}' red | cut -c1-6)"
  assert_output "localhost/red"
  run_podtool images -q --filter dangling=true
  assert_output ""
  run_podtool untag red
  run_podtool images --format '{{.Repository}}:{{.Tag}}' --filter dangling=true
  assert_output "<none>:<none>"
  run_podtool images -q --filter readonly=true
  assert_output ""
  run_podtool images --format '{{.Repository}}' --sort repository --filter dangling=false
  assert_output $'localhost/plain\nlocalhost/ptbusybox\nquay.io/acme/plain'
  run_podtool images --format '{{.Tag}}' --sort tag --filter reference=plain
  assert_output $'latest\nv2'
  run_podtool 125 images --filter colour=blue
  assert_output_contains 'unsupported image filter "colour"'
  run_podtool 125 images --filter before=nosuch
  assert_output_contains "nosuch"
  run_podtool 125 images --sort age
  assert_output_contains '"age" is not a valid field for sorting'
  run_podtool 125 images --filter dangling=maybe
  assert_output_contains "dangling=maybe"
}

@test "podman load accepts podtool save and runs the image" {
  command -v podman >/dev/null || skip "podman is not installed (apt-get install podman)"
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid: owners cannot match"
  load_layered
  run_podtool save -o "$BATS_TEST_TMPDIR/for-podman.tar" layered
  local conf=$BATS_TEST_TMPDIR/containers.conf
  printf '[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' > "$conf"
  local P=(env CONTAINERS_CONF="$conf" podman --root "$BATS_TEST_TMPDIR/podman-root"
    --runroot "$BATS_TEST_TMPDIR/podman-run" --storage-driver vfs)
  run "${P[@]}" load -i "$BATS_TEST_TMPDIR/for-podman.tar"
  [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
  assert_output_contains "Loaded image: localhost/layered:latest"
  run "${P[@]}" run --rm --network none --entrypoint /bin/sh localhost/layered -c 'id; cat /home/app/hello.txt; ls /data/opaque'
  [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
  assert_output_contains "uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)"
  assert_output_contains "hello from the build context"
  assert_output_contains "new.txt"
  "${P[@]}" unshare rm -rf "$BATS_TEST_TMPDIR/podman-root" "$BATS_TEST_TMPDIR/podman-run" 2>/dev/null || true
}

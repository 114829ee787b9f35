#!/usr/bin/env bats
# Archives whose manifest.json or image config is hostile or broken: each
# is one line of error, exit 125, and leaves the store as it was (no
# staging directory, no layer, no image).

load helpers

setup_file () {
  skip_if_root
  skip_if_no_userns
  IMG=$(pt_image_dir)
  export IMG
}

setup () {
  pt_test_setup
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "every hostile manifest or config is refused in one line, and the store is as it was" {
  local before case n=0
  before=$(ls -A "$PT_ROOT/layers" | sort)
  for case in $(python3 "$PODTOOL_SRCDIR/tests/helpers/hostile-archive.py" --list); do
    local a=$BATS_TEST_TMPDIR/$case.tar
    python3 "$PODTOOL_SRCDIR/tests/helpers/hostile-archive.py" "$IMG/busybox-docker.tar" "$a" "$case"
    run pt load -i "$a"
    echo "$case: exit $status: $output" >&2
    if [ "$case" = repotags-odd ]; then
      # Loadable: the names that are references are kept, the others dropped with a word.
      [ "$status" -eq 0 ]
      run_podtool images --format '{{.Repository}}:{{.Tag}}'
      assert_output_contains "ok/name:v1"
      assert_output_not_contains "UPPER"
      pt rmi -f ok/name:v1 >/dev/null
      continue
    fi
    [ "$status" -eq 125 ]
    [ "${#lines[@]}" -eq 1 ]
    [[ "${lines[0]}" == Error:* ]]
    # No NUL or other control bytes in the message.
    [ "$(printf '%s' "$output" | tr -d '[:print:]' | wc -c)" -eq 0 ]
    [ -z "$(ls -A "$PT_ROOT/tmp")" ]
    assert_equal "$(ls -A "$PT_ROOT/layers" | sort)" "$before"
    run_podtool images -q
    [ "${#lines[@]}" -eq 1 ]
    n=$((n + 1))
  done
  [ "$n" -ge 15 ]
  run_podtool run --rm $IMAGE echo still here
  assert_output "still here"
}

@test "names and references follow Podman's grammar; bytes that are not UTF-8 are kept" {
  run_podtool 125 run --name '../../x' $IMAGE true
  assert_output "Error: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: Invalid argument"
  run_podtool 125 run --name 'a/b' $IMAGE true
  run_podtool 125 run --name $'a\nb' $IMAGE true
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 125 run --name $'\xff\xfe' $IMAGE true
  run_podtool 125 create --name -x $IMAGE true
  run_podtool ps -a -q
  assert_output ""
  [ -z "$(ls -A "$PT_ROOT/containers")" ]
  run_podtool 125 tag $IMAGE ../../x
  assert_output "Error: ../../x: invalid reference format"
  run_podtool 125 tag $IMAGE "$(head -c 10000 /dev/zero | tr '\0' a)"
  assert_output_contains "must not be more than 255 characters"
  [ "${#output}" -lt 300 ]
  run_podtool 125 tag $IMAGE Upper/x
  assert_output_contains "repository name must be lowercase"
  run_podtool 125 tag $IMAGE "ok:$(head -c 129 /dev/zero | tr '\0' t)"
  run_podtool 125 tag $IMAGE 'a:-x'
  run_podtool tag $IMAGE quay.io:8080/a__b/c-d.e:v1.0_x
  run_podtool images --format '{{.Repository}}:{{.Tag}}'
  assert_output_contains "quay.io:8080/a__b/c-d.e:v1.0_x"
  # Arguments, environment and paths keep their bytes.
  run_podtool run --rm $IMAGE echo $'a\xffb'
  assert_output $'a\xffb'
  run_podtool run --rm -e $'X=a\xfeb' $IMAGE sh -c 'echo "$X"'
  assert_output $'a\xfeb'
  mkdir -p "$BATS_TEST_TMPDIR/"$'d\xff'
  echo inside > "$BATS_TEST_TMPDIR/"$'d\xff/f'
  run_podtool run --rm -v "$BATS_TEST_TMPDIR/"$'d\xff:/m\xff' $IMAGE cat $'/m\xff/f'
  assert_output "inside"
  run_podtool create --name odd $IMAGE echo $'\xff'
  run_podtool inspect --format '{{json .Config.Cmd}}' odd
  assert_output '["echo","�"]'
  run_podtool start -a odd
  assert_output $'\xff'
}

@test "a load into a full filesystem says no space left on device, and leaves nothing" {
  # A 1 MiB tmpfs of our own, in a user and mount namespace (unshare -Urm).
  local d=$BATS_TEST_TMPDIR/small
  mkdir -p "$d"
  run unshare -Urm sh -c 'mount -t tmpfs -o size=1m tmpfs "$1" && "$2" --root "$1/root" --runroot "$1/run" load -i "$3"; echo "exit $?"; ls -A "$1/root/tmp"' \
    sh "$d" "$PODTOOL" "$IMG/busybox-docker.tar"
  echo "$output" >&2
  assert_output_contains "No space left on device"
  assert_output_not_contains "not a valid image archive"
  assert_output_contains "exit 125"
  [ "${lines[-1]}" = "exit 125" ]
}

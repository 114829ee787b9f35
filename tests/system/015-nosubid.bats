#!/usr/bin/env bats
# A user without subordinate ids gets a warning naming /etc/subuid, then a
# single mapping. The user here is root of a nested user namespace
# (`unshare -Ur`), who has no range in /etc/subuid: podtool runs there as an
# ordinary process of a user without subordinate ids.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  if grep -q '^\(root\|0\):' /etc/subuid /etc/subgid 2>/dev/null; then
    skip "root has a range in /etc/subuid: there is no user without one to test with"
  fi
  PT_ROOT=$BATS_TEST_TMPDIR/root
  PT_RUNROOT=$BATS_TEST_TMPDIR/run
}

teardown () {
  rm -rf "$BATS_TEST_TMPDIR/root" "$BATS_TEST_TMPDIR/run" 2>/dev/null || true
}

nosub () {
  unshare -Ur "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" "$@"
}

@test "without subordinate ids: a warning that names /etc/subuid, then a single mapping" {
  local img
  img=$(pt_image_dir)
  run nosub load -i "$img/busybox-docker.tar"
  [ "$status" -eq 0 ]
  assert_output_contains "warning: no subordinate ids for \`root\` in /etc/subuid and /etc/subgid"
  assert_output_contains "Loaded image: localhost/ptbusybox:latest"
  run nosub run --rm $IMAGE sh -c 'cat /proc/self/uid_map; stat -c %u:%g /home/app/owned.txt'
  [ "$status" -eq 0 ]
  assert_output_contains "warning: no subordinate ids"
  [[ "${lines[1]}" =~ ^\ +0\ +0\ +1$ ]]
  [ "${#lines[@]}" -eq 3 ]
  # uid 1000's file was extracted as the user.
  assert_equal "${lines[2]}" "0:0"
}

@test "without subordinate ids: a user the map lacks is a clear error" {
  local img
  img=$(pt_image_dir)
  nosub load -q -i "$img/busybox-docker.tar" 2>/dev/null
  run nosub run --rm -u 1000 $IMAGE id
  [ "$status" -eq 125 ]
  assert_output_contains "is it mapped? see /etc/subgid"
}

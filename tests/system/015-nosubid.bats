#!/usr/bin/env bats
# A user without subordinate ids: a warning naming /etc/subuid, then a single
# mapping. .ci/run runs this file as such a user (ptnosub) too.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  [ -z "$(subid_range)" ] || skip "user $(id -un) has a range in /etc/subuid: run as a user without one (.ci/run does)"
  PT_ROOT=$BATS_TEST_TMPDIR/root
  PT_RUNROOT=$BATS_TEST_TMPDIR/run
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "without subordinate ids: a warning, a single mapping, files as the user" {
  local img
  img=$(pt_image_dir)
  run pt load -i "$img/busybox-docker.tar"
  [ "$status" -eq 0 ]
  assert_output_contains "warning: no subordinate ids for \`$(id -un)\` in /etc/subuid"
  assert_output_contains "Loaded image: localhost/ptbusybox:latest"
  run pt run --rm $IMAGE sh -c 'cat /proc/self/uid_map; stat -c %u /home/app/owned.txt'
  [ "$status" -eq 0 ]
  assert_output_contains "/etc/subuid"
  [[ "$output" =~ \ +0\ +$(id -u)\ +1 ]]
  [ "$(printf '%s\n' "${lines[@]}" | grep -c '^ *[0-9]')" -ge 1 ]
  assert_equal "${lines[$((${#lines[@]} - 1))]}" "0"
  run pt run --rm -u 1000 $IMAGE id
  [ "$status" -eq 125 ]
  assert_output_contains "is it mapped? see /etc/subgid"
}

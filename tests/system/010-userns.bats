#!/usr/bin/env bats
# podtool unshare: the user namespace every container and store operation uses.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  PT_ROOT=$BATS_TEST_TMPDIR/root
  PT_RUNROOT=$BATS_TEST_TMPDIR/run
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "unshare runs a command as root of the namespace" {
  run_podtool unshare id -u
  assert_output "0"
}

@test "unshare maps 0 to the user and 1..N to the subordinate range" {
  local range
  range=$(subid_range)
  [ -n "$range" ] || skip "user $(id -un) has no range in /etc/subuid"
  run_podtool unshare cat /proc/self/uid_map
  local want_start want_count
  read -r want_start want_count <<<"$range"
  [[ "${lines[0]}" =~ ^\ +0\ +$(id -u)\ +1$ ]]
  [[ "${lines[1]}" =~ ^\ +1\ +$want_start\ +$want_count$ ]]
  run_podtool unshare cat /proc/self/gid_map
  [[ "${lines[0]}" =~ ^\ +0\ +$(id -g)\ +1$ ]]
}

@test "unshare passes the command's exit code through" {
  run_podtool 7 unshare sh -c 'exit 7'
}

@test "unshare -- with no command found exits 127" {
  run_podtool 127 unshare -- /nonexistent/cmd
}

@test "files of subordinate owners can only be removed through unshare" {
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid"
  local d=$BATS_TEST_TMPDIR/owned
  mkdir -p "$d/sub"
  touch "$d/sub/file"
  run_podtool unshare chown -R 1000:1000 "$d/sub"
  # Now owned by a subordinate id: the user cannot delete inside it.
  run rm -rf "$d/sub"
  [ "$status" -ne 0 ]
  run_podtool unshare rm -rf "$d/sub"
  [ ! -e "$d/sub" ]
}

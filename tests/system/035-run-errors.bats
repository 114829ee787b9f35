#!/usr/bin/env bats
# The errors a user must understand: one line, the right exit code.

load helpers

setup_file () {
  [ "$(id -u)" != 0 ] || return 0
  pt_new_store "$BATS_FILE_TMPDIR"
}

setup () {
  skip_if_root
  skip_if_no_userns
  PT_ROOT=$BATS_FILE_TMPDIR/root
  PT_RUNROOT=$BATS_FILE_TMPDIR/run
}

teardown_file () {
  pt_cleanup "$BATS_FILE_TMPDIR"
}

@test "an unknown image: exit 125, one line naming it" {
  run_podtool 125 run --rm nosuchimage true
  assert_output "Error: nosuchimage: image not known"
}

@test "a command that is not found: exit 127" {
  run_podtool 127 run --rm $IMAGE nosuchcommand
  assert_output "Error: executable file \`nosuchcommand\` not found in \$PATH"
  run_podtool 127 run --rm $IMAGE /no/such/path
  [ "${#lines[@]}" -eq 1 ]
}

@test "a command that cannot be invoked: exit 126" {
  run_podtool 126 run --rm $IMAGE /etc/passwd
  assert_output "Error: exec \`/etc/passwd\`: Permission denied"
  run_podtool 126 run --rm $IMAGE /etc
}

@test "no image given, or a bad flag value: exit 125" {
  run_podtool 125 run
  run_podtool 125 run --rm --network bridge $IMAGE true
  assert_output_contains "network \`bridge\` is not available to rootless podtool"
  run_podtool 125 run --rm --network slirp4netns:mtu=x $IMAGE true
  assert_output_contains "invalid slirp4netns option \`mtu=x\`"
  run_podtool 125 run --rm -p 80:80:80:80 $IMAGE true
  run_podtool 125 run --rm -p 0 $IMAGE true
  assert_output_contains "invalid containerPort: 0"
  run_podtool 125 run --rm -p 8000-8002:80-81 $IMAGE true
  run_podtool 125 run --rm --add-host nocolon $IMAGE true
  run_podtool 125 run --rm --dns 'not-an-ip' $IMAGE true
  assert_output "Error: invalid --dns \`not-an-ip\`: not an IP address"
  run_podtool 125 run --rm --dns-search $'a\nnameserver 9.9.9.9' $IMAGE true
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 125 run --rm --dns-option 'a b' $IMAGE true
  run_podtool ps -a -q
  assert_output ""
  run_podtool 125 run --rm --entrypoint '[1,' $IMAGE
}

@test "a failed start leaves nothing behind with --rm" {
  run_podtool 127 run --rm $IMAGE nosuchcommand
  run_podtool ps -a -q
  assert_output ""
}

@test "newuidmap missing: one line naming the package, exit 125" {
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid: newuidmap is not used"
  PATH=/nonexistent run_podtool 125 run --rm $IMAGE true
  assert_output "Error: \`newuidmap\` not found: install the uidmap package (apt-get install uidmap)"
}

@test "newuidmap failing: its own message, the cause and the fix, exit 125" {
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid: newuidmap is not used"
  local bin=$BATS_TEST_TMPDIR/bin
  mkdir -p "$bin"
  printf '#!/bin/sh\necho "newuidmap: uid range [1-65537) -> [100000-165536) not allowed" >&2\nexit 1\n' > "$bin/newuidmap"
  ln -s "$(command -v newgidmap)" "$bin/newgidmap"
  chmod +x "$bin/newuidmap"
  PATH=$bin:$PATH run_podtool 125 run --rm $IMAGE true
  [ "${#lines[@]}" -eq 1 ]
  assert_output_contains "not allowed"
  assert_output_contains "/etc/subuid"
}

@test "inside a chroot, where the kernel refuses user namespaces, the error says so" {
  local d=$BATS_TEST_TMPDIR
  run unshare -Urm sh -c "mkdir -p '$d/r' && mount --rbind / '$d/r' && chroot '$d/r' '$PODTOOL' --root '$d/cr/root' --runroot '$d/cr/run' unshare true"
  [ "$status" -eq 125 ]
  assert_output_contains "the kernel refuses them inside a chroot"
}

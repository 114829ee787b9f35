#!/usr/bin/env bats
# --privileged and --security-opt: what /proc/self/status says of the
# capability sets, the seccomp filter and no_new_privs, masked paths, and
# custom seccomp profiles; a privileged container is still only the user.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

status_of () {
  grep -E "^$1:" <<< "$output" | awk '{print $2}'
}

@test "default, --cap-add/--cap-drop and --privileged: capability sets and the seccomp filter" {
  run_podtool run --rm $IMAGE cat /proc/self/status
  [ "$(status_of Seccomp)" = 2 ]
  [ "$(status_of CapEff)" = 00000000800405fb ]
  [ "$(status_of CapBnd)" = 00000000800405fb ]
  run_podtool run --rm --cap-add NET_ADMIN --cap-drop CHOWN $IMAGE cat /proc/self/status
  [ "$(status_of CapEff)" = 00000000800415fa ]
  run_podtool run --rm --privileged $IMAGE cat /proc/self/status
  [ "$(status_of Seccomp)" = 0 ]
  [ "$(status_of CapBnd)" = "$(printf '%016x' $(( (1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1 )))" ]
  # Still only the user: the host's root-owned files stay out of reach.
  run_podtool 1 run --rm --privileged $IMAGE sh -c 'echo x > /proc/sys/kernel/hostname'
  run_podtool run --rm --privileged -v /etc:/hostetc:ro $IMAGE sh -c 'echo pwned >> /hostetc/passwd 2>&1 || echo refused'
  assert_output_contains "refused"
  run_podtool create --name p --privileged --security-opt label=disable $IMAGE true
  run_podtool inspect --format '{{.HostConfig.Privileged}} {{json .HostConfig.SecurityOpt}}' p
  assert_output 'true ["label=disable"]'
}

@test "--privileged unmasks /proc and /sys; mask= and unmask= choose" {
  run_podtool run --rm $IMAGE sh -c 'grep -c " /proc/sys " /proc/mounts; grep " /sys/firmware " /proc/mounts | wc -l'
  assert_output $'1\n1'
  run_podtool run --rm --privileged $IMAGE sh -c 'grep " /proc/sys " /proc/mounts | wc -l; grep " /sys/firmware " /proc/mounts | wc -l'
  assert_output $'0\n0'
  run_podtool 1 run --rm --security-opt unmask=/proc/sys $IMAGE grep -c " /proc/sys " /proc/mounts
  assert_output "0"
  run_podtool run --rm --security-opt unmask=ALL $IMAGE sh -c 'grep " /sys/firmware " /proc/mounts | wc -l'
  assert_output "0"
  run_podtool run --rm --security-opt mask=/etc/hostname:/opt $IMAGE sh -c 'mkdir -p /x; wc -c < /etc/hostname'
  assert_output "0"
  run_podtool 125 run --rm --security-opt mask=relative $IMAGE true
  assert_output_contains "absolute paths"
}

@test "no-new-privileges, seccomp=unconfined, a custom profile (its errno), a malformed one named" {
  run_podtool run --rm --security-opt no-new-privileges $IMAGE grep NoNewPrivs /proc/self/status
  assert_output_contains "1"
  run_podtool run --rm --security-opt seccomp=unconfined $IMAGE grep Seccomp: /proc/self/status
  assert_output_contains "0"
  cat > "$BATS_TEST_TMPDIR/deny-mkdir.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
 "syscalls": [{"names": ["mkdir", "mkdirat", "no_such_syscall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
              {"names": ["personality"], "action": "SCMP_ACT_ERRNO",
               "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}
JSON
  run_podtool 1 run --rm --security-opt seccomp="$BATS_TEST_TMPDIR/deny-mkdir.json" $IMAGE mkdir /x
  assert_output_contains "Permission denied"
  run_podtool run --rm --security-opt seccomp="$BATS_TEST_TMPDIR/deny-mkdir.json" $IMAGE sh -c 'touch /y && echo other-calls-work'
  assert_output "other-calls-work"
  printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_EXPLODE"}]}' > "$BATS_TEST_TMPDIR/bad.json"
  run_podtool 125 create --security-opt seccomp="$BATS_TEST_TMPDIR/bad.json" $IMAGE true
  assert_output_contains "unknown action \`SCMP_ACT_EXPLODE\`"
  printf '{"syscalls": []}' > "$BATS_TEST_TMPDIR/nodefault.json"
  run_podtool 125 create --security-opt seccomp="$BATS_TEST_TMPDIR/nodefault.json" $IMAGE true
  assert_output_contains "no defaultAction"
  run_podtool 125 create --security-opt seccomp="$BATS_TEST_TMPDIR/none.json" $IMAGE true
  assert_output_contains "none.json"
  run_podtool 125 create --security-opt apparmor=myprofile $IMAGE true
  assert_output_contains "not supported by podtool"
  run_podtool 125 create --security-opt colour=red $IMAGE true
  assert_output_contains "invalid --security-opt"
  run_podtool ps -a -q
  assert_output ""
}

@test "--group-add: GIDs and the image's group names after the user's own; keep-groups keeps the user's" {
  run_podtool run --rm --group-add 1234 --group-add app $IMAGE sh -c 'grep ^Groups: /proc/self/status'
  [[ "$output" == *"1234"* ]]
  [[ "$output" == *" 1000 "* || "$output" == *" 1000" ]]
  # keep-groups: setgroups is not called: as many groups as the user has on the host.
  run_podtool run --rm --group-add keep-groups $IMAGE sh -c 'grep ^Groups: /proc/self/status'
  local n
  n=$(wc -w <<< "${output#Groups:}")
  [ "$n" -eq "$(id -G | wc -w)" ]
  run_podtool 126 run --rm --group-add nosuchgroup $IMAGE true
  assert_output_contains "unable to find group nosuchgroup"
  run_podtool 125 run --rm --group-add 'a:b' $IMAGE true
  assert_output_contains "invalid --group-add"
}

@test "--device binds a device the user may open; terminals never; what is not a device is refused" {
  run_podtool run --rm --device /dev/null:/dev/mynull $IMAGE sh -c 'stat -c "%t,%T" /dev/mynull; echo x > /dev/mynull && echo wrote'
  assert_output $'1,3\nwrote'
  local t
  for t in /dev/tty /dev/ptmx /dev/console; do
    [ -e "$t" ] || continue
    run_podtool 125 run --rm --device "$t" $IMAGE true
    assert_output_contains "a terminal is never passed into a container"
  done
  run_podtool 125 run --rm --device /etc/passwd $IMAGE true
  assert_output_contains "not a device"
  run_podtool 125 run --rm --device /dev/null:relative $IMAGE true
  assert_output_contains "invalid"
  run_podtool 125 run --rm --device-cgroup-rule 'c 1:3 rwm' $IMAGE true
  assert_output_contains "no device cgroup"
}

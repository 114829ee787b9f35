#!/usr/bin/env bats
# ps and rm: what run leaves behind without --rm.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "ps -a lists an exited container with Podman's columns; ps alone does not" {
  run_podtool 0 run --name first $IMAGE true
  run_podtool 3 run --name first2 $IMAGE sh -c 'exit 3'
  run_podtool ps -a
  [[ "${lines[0]}" =~ ^CONTAINER\ ID\ +IMAGE\ +COMMAND\ +CREATED\ +STATUS\ +PORTS\ +NAMES$ ]]
  assert_output_contains "localhost/ptbusybox:latest"
  assert_output_contains "Exited (3) "
  assert_output_contains " ago"
  [[ "${lines[1]}" =~ ^[0-9a-f]{12}\ .*first2$ ]]
  run_podtool ps
  [ "${#lines[@]}" -eq 1 ]
}

@test "ps -q and --no-trunc print ids" {
  run_podtool run $IMAGE true
  run_podtool ps -a -q
  [[ "$output" =~ ^[0-9a-f]{12}$ ]]
  run_podtool ps -a -q --no-trunc
  [[ "$output" =~ ^[0-9a-f]{64}$ ]]
}

@test "a generated name is adjective_name; names are unique" {
  run_podtool run $IMAGE true
  run_podtool ps -a
  [[ "${lines[1]}" =~ \ [a-z]+_[a-z]+$ ]]
  run_podtool run --name dup $IMAGE true
  run_podtool 125 run --name dup $IMAGE true
  assert_output_contains '"dup" is already in use'
}

@test "rm by name, id prefix and id; rm -a; an unknown name fails" {
  run_podtool run --name a1 $IMAGE true
  run_podtool run --name a2 $IMAGE true
  run_podtool run --name a3 $IMAGE true
  run_podtool ps -a -q --no-trunc
  local ids=("${lines[@]}")
  run_podtool rm a1
  run_podtool rm "${ids[1]:0:8}"
  run_podtool ps -a -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 1 rm nosuch
  assert_output_contains 'no container with name or ID "nosuch" found'
  run_podtool run --name a4 $IMAGE true
  run_podtool rm -a
  run_podtool ps -a -q
  assert_output ""
  [ -z "$(ls "$PT_ROOT/containers")" ]
}

@test "rm removes files that subordinate users wrote in the container" {
  [ -n "$(subid_range)" ] || skip "user $(id -un) has no range in /etc/subuid"
  run_podtool run --name owned -u app $IMAGE sh -c 'mkdir -p /tmp/deep/er && touch /tmp/deep/er/f && chmod 500 /tmp/deep'
  run_podtool rm owned
  [ -z "$(ls "$PT_ROOT/containers")" ]
}

@test "--rm leaves nothing, also after a failing command" {
  run_podtool 5 run --rm $IMAGE sh -c 'touch /x; exit 5'
  run_podtool ps -a -q
  assert_output ""
  [ -z "$(ls "$PT_ROOT/containers")" ]
}

@test "labels: --label over the image's, inspect and ps show them, ps filters by label, exited, ancestor" {
  run_podtool 125 run -l =x $IMAGE true
  assert_output "Error: invalid --label \`=x\`: KEY=VALUE"
  run_podtool run --name l1 -l tier=web -l solo $IMAGE true
  run_podtool 3 run --name l2 -l tier=db $IMAGE sh -c 'exit 3'
  run_podtool inspect --format '{{index .Config.Labels "tier"}}|{{index .Config.Labels "solo"}}|' l1
  assert_output "web||"
  run_podtool ps -a --format '{{.Names}} {{index .Labels "tier"}}' --filter label=tier=db
  assert_output "l2 db"
  run_podtool ps -a --format '{{.Names}}' --filter label=solo
  assert_output "l1"
  run_podtool ps -a --format '{{.Names}}' --filter label=tier --filter label=solo
  assert_output "l1"
  run_podtool ps --format '{{.Names}}' --filter exited=3
  assert_output "l2"
  run_podtool ps -a --format '{{.Names}}' --filter ancestor=ptbusybox --filter exited=0
  assert_output "l1"
  run_podtool ps -a -q --filter ancestor=nosuchimage
  assert_output ""
  run_podtool ps -a --format json --filter name=l1
  assert_output_contains '"tier": "web"'
  run_podtool 125 ps --filter exited=x
  assert_output "Error: invalid exited filter \`x\`: an exit code, 0 to 255"
  run_podtool 125 ps --filter status=sleeping
  assert_output "Error: invalid status filter \`sleeping\`: created, initialized, running, paused or exited"
}

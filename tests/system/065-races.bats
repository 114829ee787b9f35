#!/usr/bin/env bats
# Creating, starting and removing the same containers at once: nothing
# may be left running that ps cannot see or rm cannot stop.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

# What runs from this store: monitors and containers, by their command line.
store_processes () {
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -F -- "--runroot $PT_RUNROOT" && echo "${p#/proc/}"
  done | grep -v grep || true
}

@test "a storm of run -d against rm -f leaves no ghost: store, runroot, mounts and processes are clean" {
  local round i pids
  for round in 1 2 3; do
    pids=()
    for i in $(seq 8); do
      pt run -d --name "s$i" $IMAGE sleep 40 >/dev/null 2>&1 3>&- & pids+=($!)
      (sleep 0.0$((i % 4)); pt rm -f "s$i" >/dev/null 2>&1 3>&-) & pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    # Whatever ps shows, rm -af removes; then nothing is left anywhere.
    pt rm -a -f >/dev/null 2>&1 3>&- || true
    run_podtool ps -a -q
    assert_output ""
    [ -z "$(ls -A "$PT_ROOT/containers")" ]
    [ -z "$(ls -A "$PT_RUNROOT/containers" 2>/dev/null)" ]
    ! grep -F "$PT_ROOT" /proc/self/mountinfo
    local left
    for i in $(seq 30); do
      left=$(store_processes)
      [ -z "$left" ] && break
      sleep 0.1
    done
    if [ -n "$left" ]; then
      echo "round $round: still running: $left" >&2
      return 1
    fi
  done
}

@test "what a killed create leaves (a directory without config.json) goes with container prune and system migrate" {
  local id
  for id in aaaa bbbb; do
    mkdir -p "$PT_ROOT/containers/$(printf "$id%.0s" 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)/upper"
  done
  run_podtool ps -a -q
  assert_output ""
  run_podtool container prune -f
  [ -z "$(ls -A "$PT_ROOT/containers")" ]
  mkdir -p "$PT_ROOT/containers/$(printf 'cccc%.0s' $(seq 16))/work"
  run_podtool run --name kept $IMAGE true
  run_podtool system migrate
  run_podtool ps -a --format '{{.Names}}'
  assert_output "kept"
  [ "$(ls "$PT_ROOT/containers" | wc -l)" -eq 1 ]
}

#!/usr/bin/env bats
# Creating, starting and removing the same containers at once: nothing
# may be left running that ps cannot see or rm cannot stop.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  pt_new_store "$BATS_TEST_TMPDIR"
}

teardown () {
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
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

#!/usr/bin/env bats
# Verbs that remove things ask first (or need -f), answer --help, and parse
# every flag before they touch anything.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  pt_new_store "$BATS_TEST_TMPDIR"
  pt run --name keep $IMAGE true >/dev/null
}

teardown () {
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

# Nothing was removed: the image and the stopped container are there.
assert_store_intact () {
  run_podtool images -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool ps -a --format '{{.Names}}'
  assert_output "keep"
}

@test "system reset, system prune, container prune, image prune: --help, bad flags, no answer remove nothing" {
  local verb
  for verb in "system reset" "system prune" "system prune -a" "container prune" "image prune -a"; do
    run_podtool $verb --help </dev/null
    assert_output_contains "Usage: podtool ${verb% -a}"
    assert_store_intact
    run_podtool 125 $verb --bogus </dev/null
    assert_output_contains "bogus"
    assert_store_intact
    # Not a terminal, no answer: asked all the same, and nothing goes.
    run_podtool 125 $verb </dev/null
    assert_output_contains "Are you sure you want to continue? [y/N]"
    assert_output_contains "nothing was removed"
    assert_store_intact
    run_podtool $verb <<<"n"
    assert_store_intact
  done
  run_podtool 125 system reset -f extra </dev/null
  assert_store_intact
  run_podtool 125 system reset -a </dev/null
  assert_store_intact
}

@test "an answer of y, or -f, does remove" {
  run_podtool container prune <<<"y"
  run_podtool ps -a -q
  assert_output ""
  run_podtool run --name again $IMAGE true
  run_podtool system prune -a -f
  run_podtool ps -a -q
  assert_output ""
  run_podtool images -q
  assert_output ""
  pt_new_store "$BATS_TEST_TMPDIR"
  run_podtool system reset <<<"yes"
  run_podtool images -q
  assert_output ""
}

@test "rm -a and rmi -a parse every flag first; running or used needs -f" {
  run_podtool run -d --name up $IMAGE sleep 100
  run_podtool 125 rm -a --bogus
  run_podtool ps -a -q
  [ "${#lines[@]}" -eq 2 ]
  run_podtool 125 rmi -a --bogus
  run_podtool rm --help
  assert_output_contains "Usage:"
  run_podtool ps -a -q
  [ "${#lines[@]}" -eq 2 ]
  run_podtool 2 rm -a
  run_podtool ps -a --format '{{.Names}}'
  assert_output "up"
  run_podtool 2 rmi -a
  run_podtool images -q
  [ "${#lines[@]}" -eq 1 ]
  run_podtool 125 rmi -a $IMAGE
  run_podtool rmi -a -f
  run_podtool images -q
  assert_output ""
  run_podtool 1 rmi nosuchimage
  assert_output "Error: nosuchimage: image not known"
}

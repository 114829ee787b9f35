#!/usr/bin/env bats
# The command table, --help and the man pages must agree.

load helpers

commands () {
  "$PODTOOL" --help | awk '/^Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ && on {exit}'
}

@test "podtool --help lists the commands and exits 0" {
  run "$PODTOOL" --help
  [ "$status" -eq 0 ]
  assert_output_contains "Usage: podtool"
  for c in cp info stats top port attach container pause restart system unpause create exec image images import inspect kill load logs ps rename rm rmi run save start stop tag unshare version wait; do
    assert_output_contains "  $c "
  done
}

@test "every command has --help, a man page, and its usage in the SYNOPSIS" {
  local n=0
  for c in $(commands); do
    run "$PODTOOL" "$c" --help
    [ "$status" -eq 0 ]
    assert_output_contains "Usage: podtool $c"
    local usage=${output#*Usage: podtool $c }
    usage=${usage%%$'\n'*}
    local page=$PODTOOL_SRCDIR/man/podtool-$c.1.md
    [ -f "$page" ] || { echo "missing $page" >&2; return 1; }
    # The SYNOPSIS quotes the usage from the command table verbatim.
    grep -F -- "$usage" "$page" >/dev/null || { echo "$page lacks usage: $usage" >&2; return 1; }
    n=$((n + 1))
  done
  [ "$n" -ge 31 ]
}

@test "podtool(1) lists every command with the summary --help gives it" {
  local name summary n=0
  while read -r name summary; do
    grep -F -- "| **podtool-$name**(1) | $summary |" "$PODTOOL_SRCDIR/man/podtool.1.md" >/dev/null \
      || { echo "man/podtool.1.md: no row for $name: $summary" >&2; return 1; }
    n=$((n + 1))
  done < <("$PODTOOL" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z]*\)  *\(.*\)$/\1 \2/p')
  [ "$n" -ge 31 ]
}

@test "an unknown command is an error with exit 125" {
  run "$PODTOOL" frobnicate
  [ "$status" -eq 125 ]
  assert_output_contains "unrecognized command \`podtool frobnicate\`"
}

@test "an unknown option is an error with exit 125 that shows the usage" {
  run "$PODTOOL" run --frobnicate busybox
  [ "$status" -eq 125 ]
  assert_output_contains "usage: podtool run"
}

@test "podtool version prints the version" {
  run "$PODTOOL" version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^podtool\ version\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "an unknown storage driver is refused" {
  run "$PODTOOL" --storage-driver zfs images
  [ "$status" -eq 125 ]
  assert_output "Error: unknown storage driver \`zfs\`: use overlay or vfs"
}

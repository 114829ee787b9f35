#!/usr/bin/env bats
# The verb table (src/cmd*.c) is the one source: --help, podtool help, the
# man pages and the completion scripts must agree with it; errors are
# Podman's, one line, exit 125.

load helpers

# The top-level commands, from `podtool --help`.
commands () {
  "$PODTOOL" --help | awk '/^Available Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}'
}

# The verbs of a group (container, image, system).
group_verbs () {
  "$PODTOOL" "$1" --help | awk '/^Available Commands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}'
}

# Every --flag a help text lists in its Options.
help_flags () {
  # The flags' column of each line: up to the two spaces before the help
  # (which may name other flags).
  awk '/^(Global options|Options):/ {on=1; next} on && /^$/ {exit}
    on {sub(/^ +/, ""); split($0, col, /   */); print col[1]}' |
    grep -o -- '--[a-z0-9-]*' | sort -u
}

man_flags () {
  grep -o -- '\*\*--[a-z0-9-]*\*\*' "$1" | tr -d '*' | grep -vx -- --help | sort -u
}

# The page of a verb: run's documents create's flags too.
page_of () {
  case $1 in create) echo "$PODTOOL_SRCDIR/man/podtool-run.1.md" ;;
    *) echo "$PODTOOL_SRCDIR/man/podtool-$1.1.md" ;; esac
}

@test "podtool --help lists the commands and the global options, and exits 0" {
  run "$PODTOOL" --help
  [ "$status" -eq 0 ]
  assert_output_contains "Usage: podtool [options] COMMAND"
  for c in attach container cp create exec history image images import info inspect kill load logs \
    pause port ps rename restart rm rmi run save start stats stop system tag top unpause unshare \
    untag update version wait completion help events; do
    assert_output_contains "  $c "
  done
  assert_output_contains "--root DIR"
}

@test "every command's flags are in its man page, and every flag of the page is the command's" {
  local c n=0 page missing extra
  for c in $(commands); do
    run "$PODTOOL" "$c" --help
    [ "$status" -eq 0 ] || { echo "$c --help: $status" >&2; return 1; }
    page=$(page_of "$c")
    [ -f "$page" ] || { echo "missing $page" >&2; return 1; }
    case $c in container | image | system | volume | healthcheck | pod | kube) continue ;; esac
    missing=$(comm -23 <(echo "$output" | help_flags) <(man_flags "$page"))
    extra=$(comm -13 <(echo "$output" | help_flags) <(man_flags "$page"))
    [ -z "$missing" ] || { echo "$page lacks: $missing" >&2; return 1; }
    [ -z "$extra" ] || { echo "$page documents flags $c does not have: $extra" >&2; return 1; }
    n=$((n + 1))
  done
  [ "$n" -ge 33 ]
}

@test "a group's own verbs have their flags in the group's page" {
  local g v page missing
  for g in container image system volume healthcheck pod kube; do
    page=$PODTOOL_SRCDIR/man/podtool-$g.1.md
    for v in $(group_verbs "$g"); do
      run "$PODTOOL" "$g" "$v" --help
      [ "$status" -eq 0 ] || { echo "$g $v --help: $status" >&2; return 1; }
      assert_output_contains "Usage: podtool $g $v"
      # A verb that is also a top-level one has its own page.
      case $g/$v in container/ls | image/ls | image/rm | image/inspect | container/inspect) continue ;; esac
      [ -f "$PODTOOL_SRCDIR/man/podtool-$v.1.md" ] && "$PODTOOL" "$v" --help >/dev/null 2>&1 && continue
      missing=$(comm -23 <(echo "$output" | help_flags) <(man_flags "$page"))
      [ -z "$missing" ] || { echo "$page lacks ($g $v): $missing" >&2; return 1; }
    done
  done
}

@test "podtool(1) documents the global options and lists every command with its summary" {
  local page=$PODTOOL_SRCDIR/man/podtool.1.md name summary n=0
  run "$PODTOOL" --help
  local missing
  missing=$(comm -23 <(echo "$output" | help_flags) <(man_flags "$page"))
  [ -z "$missing" ] || { echo "podtool.1.md lacks: $missing" >&2; return 1; }
  while read -r name summary; do
    grep -F -- "| **podtool-$name**(1) | $summary |" "$page" >/dev/null \
      || { echo "man/podtool.1.md: no row for $name: $summary" >&2; return 1; }
    n=$((n + 1))
  done < <("$PODTOOL" --help | sed -n '/^Available Commands:/,/^$/p' | sed -n 's/^  \([a-z]*\)  *\(.*\)$/\1 \2/p')
  [ "$n" -ge 35 ]
}

@test "podtool help VERB is VERB --help, and the SYNOPSIS quotes the usage" {
  local c usage
  for c in $(commands); do
    [ "$c" = help ] && continue
    diff <("$PODTOOL" help "$c") <("$PODTOOL" "$c" --help)
    usage=$("$PODTOOL" "$c" --help | sed -n "s/^Usage: podtool $c //p")
    grep -F -- "**podtool $c** $(echo "$usage" | sed 's/\*/\\*/g')" "$(page_of "$c")" >/dev/null \
      || [ "$c" = create ] || [[ "$c" =~ ^(container|image|system)$ ]] \
      || { echo "$(page_of "$c") lacks the usage: $usage" >&2; return 1; }
  done
  diff <("$PODTOOL" help container prune) <("$PODTOOL" container prune --help)
  run "$PODTOOL" help frob
  [ "$status" -eq 125 ]
}

@test "errors are Podman's words, one line, exit 125" {
  run "$PODTOOL" rm --frobnicate
  [ "$status" -eq 125 ]
  assert_output "Error: unknown flag: --frobnicate"
  run "$PODTOOL" rm --forc
  [ "$status" -eq 125 ]
  assert_output "Error: unknown flag: --forc"
  run "$PODTOOL" ps -Z
  [ "$status" -eq 125 ]
  assert_output "Error: unknown shorthand flag: 'Z' in -Z"
  run "$PODTOOL" rm -fZ x
  [ "$status" -eq 125 ]
  assert_output "Error: unknown shorthand flag: 'Z' in -fZ"
  run "$PODTOOL" run --name
  [ "$status" -eq 125 ]
  assert_output "Error: flag needs an argument: --name"
  run "$PODTOOL" logs --tail
  assert_output "Error: flag needs an argument: --tail"
  run "$PODTOOL" stop -t
  [ "$status" -eq 125 ]
  assert_output "Error: flag needs an argument: 't' in -t"
  run "$PODTOOL" rm --force=maybe x
  [ "$status" -eq 125 ]
  assert_output_contains 'invalid argument "maybe" for "--force" flag'
  run "$PODTOOL" rename onlyone
  [ "$status" -eq 125 ]
  assert_output 'Error: "podtool rename" requires exactly 2 arg(s), only received 1'
  run "$PODTOOL" container inspect
  [ "$status" -eq 125 ]
  assert_output 'Error: "podtool container inspect" requires at least 1 arg(s), only received 0'
  run "$PODTOOL" frobnicate
  [ "$status" -eq 125 ]
  assert_output_contains "unrecognized command \`podtool frobnicate\`"
  run "$PODTOOL" rnu
  assert_output_contains "did you mean \`run\`?"
  run "$PODTOOL" image lss
  [ "$status" -eq 125 ]
  assert_output_contains "unrecognized command \`podtool image lss\`: did you mean \`ls\`?"
  run "$PODTOOL" container
  [ "$status" -eq 125 ]
  assert_output_contains "missing command 'podtool container COMMAND'"
}

@test "refused and no-effect flags say why; global flags scripts pass are taken" {
  run "$PODTOOL" run --device-cgroup-rule 'c 1:3 r' x true
  [ "$status" -eq 125 ]
  assert_output_contains "Error: --device-cgroup-rule: not supported by podtool: "
  run "$PODTOOL" --remote ps
  [ "$status" -eq 125 ]
  assert_output_contains "--remote: not supported by podtool: podtool has no service"
  run "$PODTOOL" --events-backend journald ps
  [ "$status" -eq 125 ]
  assert_output_contains "--events-backend journald: not supported by podtool"
  run "$PODTOOL" --cgroup-manager systemd ps
  [ "$status" -eq 125 ]
  pt_new_store "$BATS_TEST_TMPDIR"
  run pt --log-level trace --events-backend file --cgroup-manager cgroupfs --runtime crun \
    --storage-opt x=y ps --external --sync --size --sort names
  [ "$status" -eq 0 ]
  assert_output_contains "CONTAINER ID"
  run pt --log-level=bogus ps
  [ "$status" -eq 125 ]
  assert_output_contains 'invalid log level "bogus"'
  run pt --noout images
  [ "$status" -eq 0 ]
  assert_output ""
  run pt ps --help
  assert_output_contains "(no effect: podtool's store holds only its own)"
  pt_cleanup "$BATS_TEST_TMPDIR"
}

@test "podtool version has Podman's layout and --format" {
  run "$PODTOOL" version
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" =~ ^Client:\ +podtool$ ]]
  [[ "${lines[1]}" =~ ^Version:\ +[0-9]+\.[0-9]+\.[0-9]+$ ]]
  assert_output_contains "API Version:"
  assert_output_contains "OS/Arch:      linux/"
  run "$PODTOOL" version --format '{{.Client.Version}}'
  [[ "$output" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
  run "$PODTOOL" version --format json
  assert_output_contains '"APIVersion":'
  run "$PODTOOL" --version
  [ "$status" -eq 0 ]
}

@test "completion scripts for bash, zsh and fish come from the table" {
  local d=$BATS_TEST_TMPDIR
  "$PODTOOL" completion bash > "$d/c.bash"
  bash -n "$d/c.bash"
  # Every flag of rm is offered after `podtool rm -`, and verbs after `podtool `.
  run bash -c ". '$d/c.bash'; COMP_WORDS=(podtool rm -); COMP_CWORD=2; _podtool; printf '%s\n' \"\${COMPREPLY[@]}\""
  assert_output_contains "--ignore"
  assert_output_contains "--time"
  run bash -c ". '$d/c.bash'; COMP_WORDS=(podtool con); COMP_CWORD=1; _podtool; printf '%s\n' \"\${COMPREPLY[@]}\""
  assert_output "container"
  run bash -c ". '$d/c.bash'; COMP_WORDS=(podtool container pr); COMP_CWORD=2; _podtool; printf '%s\n' \"\${COMPREPLY[@]}\""
  assert_output "prune"
  "$PODTOOL" completion zsh | head -1 | grep -q '^#compdef podtool'
  "$PODTOOL" completion fish > "$d/c.fish"
  grep -q "__fish_seen_subcommand_from rm' -l ignore -s i" "$d/c.fish"
  run "$PODTOOL" completion tcsh
  [ "$status" -eq 125 ]
}

@test "an unknown storage driver is refused" {
  run "$PODTOOL" --storage-driver zfs images
  [ "$status" -eq 125 ]
  assert_output "Error: unknown storage driver \`zfs\`: use overlay or vfs"
}

#!/usr/bin/env bats
# Attacks from inside a container on what enters it: podtool exec, the
# monitor's child and --init must never leave a writable host binary, a
# host file or a host terminal within the container's reach.

load helpers

setup () {
  pt_test_setup
}

teardown () {
  pt_test_teardown
}

# The attacker, built static so it runs in the busybox image.
build_attacker () {
  command -v gcc >/dev/null || skip "gcc is needed to build the attacking program"
  mkdir -p "$BATS_TEST_TMPDIR/a"
  gcc -static -O2 -o "$BATS_TEST_TMPDIR/a/attack" "$PODTOOL_SRCDIR/tests/attack/exe-overwrite.c" \
    || skip "gcc cannot link static programs here (libc6-dev)"
}

wait_for_log () {
  local i
  for i in $(seq 100); do
    pt logs "$1" 2>/dev/null | grep -q "$2" && return 0
    sleep 0.1
  done
  echo "container $1 never logged $2" >&2
  return 1
}

@test "exec (and the monitor, and --init) cannot rewrite the host's binaries (CVE-2019-5736)" {
  build_attacker
  # The user's own copies, as ./podtool in a build tree is.
  local bin=$BATS_TEST_TMPDIR/bin
  mkdir -p "$bin"
  local orig_conmon=$PODTOOL_CONMON
  cp "$PODTOOL" "$bin/podtool"
  cp "$PODTOOL_CONMON" "$bin/conmon"
  cp "$(dirname "$PODTOOL_CONMON")/podtool-init" "$bin/podtool-init"
  cp "$(dirname "$PODTOOL_CONMON")/podtool-net" "$bin/podtool-net"
  local copy="$bin/podtool --root $PT_ROOT --runroot $PT_RUNROOT"
  export PODTOOL_CONMON=$bin/conmon
  local init
  for init in "" --init; do
    $copy run -d --name esc $init -v "$BATS_TEST_TMPDIR/a:/a:ro" $IMAGE sh -c \
      'printf "#!/proc/self/exe\n" > /bin/evil; chmod +x /bin/evil; exec /a/attack 6 /bin/'
    wait_for_log esc ready
    local i
    for i in $(seq 15); do
      $copy exec esc true
      # The image's command re-executes whatever runs it: /proc/self/exe.
      $copy exec esc /bin/evil >/dev/null 2>&1 || true
    done
    $copy wait esc >/dev/null
    run pt logs esc
    echo "$output" | grep -v '^ready$' >&2 || true
    assert_output_not_contains "wrote"
    $copy rm esc >/dev/null
  done
  cmp "$PODTOOL" "$bin/podtool"
  cmp "$orig_conmon" "$bin/conmon"
  cmp "$(dirname "$orig_conmon")/podtool-init" "$bin/podtool-init"
}

# in_host_shell CMD: types CMD into an interactive bash in a tmux terminal,
# then a second command, and waits for that one: whatever a container
# pushed into the terminal's input has run by then. Sets SCREEN.
# Each call has a tmux server of its own: a new session on the socket of
# one just killed can reach that server while it exits ("server exited
# unexpectedly").
in_host_shell () {
  command -v tmux >/dev/null || skip "tmux is needed to drive a terminal (apt-get install tmux)"
  TMUX_N=$(( ${TMUX_N:-0} + 1 ))
  local sock=$BATS_TEST_TMPDIR/tmux-$TMUX_N.sock i
  # A clean environment, but the sanitizers' options (make check-asan) go
  # through: a leak report at exit must not fill the screen being read.
  tmux -S "$sock" new-session -d -x 200 -y 50 "env -i PATH=$PATH HOME=$HOME PODTOOL_CONMON=$PODTOOL_CONMON ASAN_OPTIONS=${ASAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-} bash --norc --noprofile"
  tmux -S "$sock" send-keys "$1; echo first-done" Enter
  for i in $(seq 100); do
    tmux -S "$sock" capture-pane -p | grep -q '^first-done' && break
    sleep 0.1
  done
  sleep 0.3
  tmux -S "$sock" send-keys "echo second-done" Enter
  for i in $(seq 50); do
    tmux -S "$sock" capture-pane -p | grep -q '^second-done' && break
    sleep 0.1
  done
  SCREEN=$(tmux -S "$sock" capture-pane -p)
  tmux -S "$sock" kill-server
}

# The TIOCSTI attacker in $BATS_TEST_TMPDIR/a, where the kernel lets anyone use it.
build_tiocsti () {
  [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ] \
    || skip "this kernel refuses TIOCSTI to everyone (dev.tty.legacy_tiocsti = 0)"
  command -v gcc >/dev/null || skip "gcc is needed to build the attacking program"
  mkdir -p "$BATS_TEST_TMPDIR/a"
  gcc -static -O2 -o "$BATS_TEST_TMPDIR/a/tiocsti" "$PODTOOL_SRCDIR/tests/attack/tiocsti.c"
}

@test "no command in a container gets the user's terminal: TIOCSTI cannot type into the host shell" {
  build_tiocsti
  local p="$PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT" m=$BATS_TEST_TMPDIR/PWNED
  local v="-v $BATS_TEST_TMPDIR/a:/a:ro"
  run_podtool run -d --name long $v $IMAGE sleep 100
  run_podtool create --name made $v $IMAGE /a/tiocsti "touch $m.start"
  local how
  for how in "exec long" "exec -i long" "run --rm $v $IMAGE" "run --rm -i $v $IMAGE" \
    "run --rm --init $v $IMAGE" "start -a made"; do
    local cmd="$p $how /a/tiocsti 'touch $m'"
    [ "$how" = "start -a made" ] && cmd="$p start -a made"
    in_host_shell "$cmd"
    echo "podtool $how: $SCREEN" >&2
    [[ "$SCREEN" == *"tiocsti done"* ]]
    [[ "$SCREEN" != *"terminal:"* ]]
    [ ! -e "$m" ] && [ ! -e "$m.start" ]
  done
  # The control: with a terminal of its own (-t) it injects into that one only.
  in_host_shell "$p exec -t long /a/tiocsti 'touch $m'"
  [[ "$SCREEN" == *"injected through stdin"* ]]
  [ ! -e "$m" ]
}

@test "attach to a running container passes no terminal either" {
  build_tiocsti
  local p="$PODTOOL --root $PT_ROOT --runroot $PT_RUNROOT" m=$BATS_TEST_TMPDIR/PWNED
  run_podtool run -d -i --name att -v "$BATS_TEST_TMPDIR/a:/a:ro" $IMAGE \
    sh -c "sleep 1; /a/tiocsti 'touch $m'"
  in_host_shell "$p attach att"
  echo "$SCREEN" >&2
  [[ "$SCREEN" == *"tiocsti done"* ]]
  [[ "$SCREEN" != *"terminal:"* ]]
  [ ! -e "$m" ]
}

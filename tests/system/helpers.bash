# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for podtool's system tests (bats). Every test runs as the
# unprivileged user that runs `make check`, with its own store.

PODTOOL=${PODTOOL:-podtool}
PODTOOL_SRCDIR=${PODTOOL_SRCDIR:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PODTOOL_BUILDDIR=${PODTOOL_BUILDDIR:-$PODTOOL_SRCDIR}
# ../shared/images next to the checkout (the project's reference images).
SHARED_IMAGES=${PODTOOL_SHARED_IMAGES:-$PODTOOL_SRCDIR/../shared/images}
IMAGE=localhost/ptbusybox:latest

# PODTOOL_TEST_STRICT=1 (CI): a skip is a failure, as in conmon's tests.
if [ "${PODTOOL_TEST_STRICT:-0}" = 1 ]; then
  skip () { echo "# strict mode: refusing to skip: $*" >&2; return 1; }
fi

# The store of the current file (setup_file) or test.
pt () {
  "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" "$@"
}

# run_podtool [EXPECTED_STATUS] ARGS...: runs podtool, checks the exit status.
run_podtool () {
  local want=0
  case "$1" in
    [0-9]|[0-9][0-9]|[0-9][0-9][0-9]) want=$1; shift ;;
  esac
  run pt "$@"
  if [ "$status" -ne "$want" ]; then
    echo "podtool $*: exit $status, expected $want" >&2
    echo "output: $output" >&2
    return 1
  fi
}

assert_output () {
  if [ "$output" != "$1" ]; then
    printf 'expected output:\n%s\ngot:\n%s\n' "$1" "$output" >&2
    return 1
  fi
}

# The last line of the output (load's and pull's result, after their
# progress lines on stderr).
assert_last_line () {
  local last=${output##*$'\n'}
  if [ "$last" != "$1" ]; then
    printf 'expected the last line:\n%s\ngot:\n%s\n' "$1" "$output" >&2
    return 1
  fi
}

assert_output_contains () {
  case "$output" in
    *"$1"*) ;;
    *) printf 'expected output to contain: %s\ngot:\n%s\n' "$1" "$output" >&2; return 1 ;;
  esac
}

assert_output_not_contains () {
  case "$output" in
    *"$1"*) printf 'expected output not to contain: %s\ngot:\n%s\n' "$1" "$output" >&2; return 1 ;;
  esac
}

assert_equal () {
  if [ "$1" != "$2" ]; then
    printf 'expected: %s\n     got: %s\n' "$2" "$1" >&2
    return 1
  fi
}

# The test image, built once per build tree from Debian's busybox-static.
pt_image_dir () {
  local dir=$PODTOOL_BUILDDIR/tests/cache/image
  if [ ! -f "$dir/busybox-docker.tar" ]; then
    mkdir -p "$PODTOOL_BUILDDIR/tests/cache"
    local tmp
    tmp=$(mktemp -d "$PODTOOL_BUILDDIR/tests/cache/image.XXXXXX")
    sh "$PODTOOL_SRCDIR/tests/helpers/make-busybox-image.sh" "$tmp" >&2 || return 1
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  fi
  echo "$dir"
}

# A fresh store in DIR with the test image loaded.
pt_new_store () {
  PT_ROOT=$1/root
  PT_RUNROOT=$1/run
  export PT_ROOT PT_RUNROOT
  local img
  img=$(pt_image_dir) || return 1
  pt load -q -i "$img/busybox-docker.tar" >/dev/null
}

# The usual setup of a test: an unprivileged user where user namespaces
# may be made, and a fresh store with the test image...
pt_test_setup () {
  skip_if_root
  skip_if_no_userns
  pt_new_store "$BATS_TEST_TMPDIR"
}

# ... and its teardown: no container left, nothing of the store on disk.
pt_test_teardown () {
  pt rm -a -f >/dev/null 2>&1 || true
  pt_cleanup "$BATS_TEST_TMPDIR"
}

skip_if_no_userns () {
  if ! unshare -U true 2>/dev/null; then
    skip "this machine does not allow unprivileged user namespaces"
  fi
}

skip_if_root () {
  if [ "$(id -u)" = 0 ]; then
    skip "podtool is rootless: run the tests as an unprivileged user"
  fi
}

# A free TCP port on 127.0.0.1.
free_port () {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Wait until something listens on TCP 127.0.0.1:PORT (a server the test
# started in the background), 5 s at most.
wait_listening () {
  local i
  for i in $(seq 50); do
    ss -Hltn "sport = :$1" | grep -q . && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# GET http://127.0.0.1:PORT/PATH from the host, retrying while the server starts.
http_get () {
  python3 - "$1" "${2:-/}" <<'PY'
import sys, time, urllib.request
for i in range(50):
    try:
        print(urllib.request.urlopen("http://127.0.0.1:%s%s" % (sys.argv[1], sys.argv[2]), timeout=2).read().decode(), end="")
        sys.exit(0)
    except Exception as e:
        err = e
        time.sleep(0.1)
print("http_get: %s" % err, file=sys.stderr)
sys.exit(1)
PY
}

# The first subordinate range of the current user, "start count", or "".
subid_range () {
  awk -F: -v u="$(id -un)" -v i="$(id -u)" '($1 == u || $1 == i) { print $2, $3; exit }' /etc/subuid
}

need_shared_images () {
  if [ ! -f "$SHARED_IMAGES/README.md" ]; then
    skip "the reference images (../shared/images) are not next to this checkout"
  fi
}

# Stores hold files of subordinate owners that only the namespace can delete:
# empty DIR through `podtool unshare` so bats can remove it.
pt_cleanup () {
  local dir=$1
  [ -d "$dir" ] || return 0
  "$PODTOOL" --root "$dir/.cleanup-root" --runroot "$dir/.cleanup-run" \
    unshare sh -c 'cd "$1" && rm -rf -- * .[!.]*' sh "$dir" 2>/dev/null || true
}

# The pid of the running container of a store, waiting up to 10 s for it.
pt_wait_container_pid () {
  local i f
  for i in $(seq 100); do
    for f in "$PT_RUNROOT"/containers/*/state.json; do
      if [ -f "$f" ]; then
        sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$f" | head -1
        return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

# in_terminal COLS ROWS KEYS PODTOOL_ARGS...: runs podtool in a tmux terminal
# of that size, waits for the busybox prompt, types KEYS and Enter, and waits
# for podtool to end. Sets SCREEN (what the terminal showed) and EXITED
# (podtool's exit status).
in_terminal () {
  command -v tmux >/dev/null || skip "tmux is needed to drive a terminal (apt-get install tmux)"
  local cols=$1 rows=$2 keys=$3 i
  shift 3
  local sock=$BATS_TEST_TMPDIR/tmux.sock out=$BATS_TEST_TMPDIR/tmux.exit
  rm -f "$out"
  tmux -S "$sock" new-session -d -x "$cols" -y "$rows" \
    "$(printf '%q ' "$PODTOOL" --root "$PT_ROOT" --runroot "$PT_RUNROOT" "$@"); echo \$? > $out; sleep 10"
  for i in $(seq 50); do
    tmux -S "$sock" capture-pane -p | grep -q '/ #' && break
    sleep 0.1
  done
  tmux -S "$sock" send-keys "$keys" Enter
  for i in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
  SCREEN=$(tmux -S "$sock" capture-pane -p)
  tmux -S "$sock" kill-server
  EXITED=$(cat "$out")
}

# "delegated" where podtool can give containers cgroups of their own (the
# cgroup we run in is a cgroup v2 one that belongs to us, as in the VM of
# .ci/run), "none" elsewhere. In the VM (PODTOOL_VM=1) it must be delegated.
pt_cgroup_mode () {
  local own
  if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
    own=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
    if [ -O "$own" ] && [ -w "$own/cgroup.procs" ]; then
      echo delegated
      return 0
    fi
  fi
  if [ "${PODTOOL_VM:-0}" = 1 ]; then
    echo "the VM should have delegated a cgroup v2 subtree to $(id -un)" >&2
    return 1
  fi
  echo none
}

# The host path of a running container's cgroup.
pt_cgroup_of () {
  echo "/sys/fs/cgroup$(pt inspect --format '{{.State.CgroupPath}}' "$1")"
}

# Waits (5 s at most) for an HTTP server at 127.0.0.1:PORT to answer /v2/
# (any answer: one with auth says 401).
wait_for_v2 () {
  python3 - "$1" <<'PY'
import sys, time, urllib.request, urllib.error
for i in range(50):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/v2/" % sys.argv[1], timeout=1)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
print("nothing answers http://127.0.0.1:%s/v2/" % sys.argv[1], file=sys.stderr)
sys.exit(1)
PY
}

# Starts Debian's docker-registry (distribution v2) on a free 127.0.0.1
# port, its storage and log in DIR, EXTRA (YAML: an auth block) appended to
# its config; sets REG_PORT and REG. DIR/pid is for teardown to kill.
start_registry () {
  local dir=$1 extra=${2:-}
  REG_PORT=$(free_port)
  REG=127.0.0.1:$REG_PORT
  mkdir -p "$dir"
  cat > "$dir/config.yml" <<YML
version: 0.1
log:
  level: ${REG_LOG_LEVEL:-error}
storage:
  filesystem:
    rootdirectory: $dir/data
http:
  addr: $REG
$extra
YML
  # Not our REGISTRY_AUTH_FILE: distribution reads REGISTRY_* as its config.
  env -u REGISTRY_AUTH_FILE docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  echo $! > "$dir/pid"
  wait_for_v2 "$REG_PORT"
}

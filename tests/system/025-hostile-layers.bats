#!/usr/bin/env bats
# Hostile and broken layers: refused with one line naming the entry, exit
# 125, and neither the store nor anything outside it changes.

load helpers

setup () {
  skip_if_root
  skip_if_no_userns
  command -v python3 >/dev/null || skip "python3 is needed to craft hostile tars"
  PT_ROOT=$BATS_TEST_TMPDIR/root
  PT_RUNROOT=$BATS_TEST_TMPDIR/run
  IMG=$(pt_image_dir)
  pt load -q -i "$IMG/busybox-docker.tar"
  OUTSIDE=$BATS_TEST_TMPDIR/outside
  mkdir -p "$OUTSIDE"
  echo original > "$OUTSIDE/victim"
}

teardown () {
  pt_cleanup "$BATS_TEST_TMPDIR"
}

craft () {
  python3 "$PODTOOL_SRCDIR/tests/helpers/craft-layer.py" "$BATS_TEST_TMPDIR/layer.tar" "$@"
  sh "$PODTOOL_SRCDIR/tests/helpers/make-docker-archive.sh" "$BATS_TEST_TMPDIR/bad.tar" localhost/bad:latest "$BATS_TEST_TMPDIR/layer.tar"
}

# The store is as it was: one image, no stray layers or staging left.
store_unchanged () {
  run_podtool images -q
  [ "${#lines[@]}" -eq 1 ]
  [ "$(ls "$PT_ROOT/layers" | grep -c -v '\.json$')" -eq 1 ]
  [ -z "$(ls "$PT_ROOT/tmp")" ]
  [ -z "$(ls -A "$PT_ROOT/layers" | grep -v '^[0-9a-f]\{64\}\(.json\)\?$')" ]
  assert_equal "$(cat "$OUTSIDE/victim")" "original"
  [ "$(ls "$OUTSIDE")" = victim ]
  run_podtool run --rm ptbusybox echo intact
  assert_output "intact"
}

@test "a ../ path in a layer is refused" {
  craft "f:../../../../../../../../$OUTSIDE/evil:pwned" f:ok
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "points outside the layer"
  assert_output_contains "evil"
  [ "${#lines[@]}" -eq 1 ]
  store_unchanged
}

@test "an absolute path in a layer is refused" {
  craft "f:$OUTSIDE/evil:pwned"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "$OUTSIDE/evil"
  store_unchanged
}

@test "a symlink out of the root, then a file written through it, is refused" {
  craft "l:link:$OUTSIDE" "f:link/victim:pwned" "f:link/new:pwned"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "link/victim"
  [ "${#lines[@]}" -eq 1 ]
  store_unchanged
}

@test "a relative symlink climbing out, then a file through it, is refused" {
  craft "d:a" "l:a/up:../../../../../../../../../../$OUTSIDE" "f:a/up/victim:pwned"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "a/up/victim"
  store_unchanged
}

@test "an entry named as an earlier symlink replaces the link, never writes where it points" {
  craft "l:f:$OUTSIDE/victim" "f:f:pwned" "l:d:$OUTSIDE" "d:d" "f:d/new:inside" \
    "d:real" "l:r:real" "d:r" "f:keep:kept"
  run_podtool load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "Loaded image: localhost/bad:latest"
  local layer
  layer=$(dirname "$(ls -d "$PT_ROOT"/layers/*/keep)")
  assert_equal "$(cat "$layer/f")" "pwned"
  assert_equal "$(cat "$layer/d/new")" "inside"
  [ ! -L "$layer/f" ] && [ ! -L "$layer/d" ] && [ -d "$layer/d" ] && [ -d "$layer/r" ] && [ ! -L "$layer/r" ]
  assert_equal "$(cat "$OUTSIDE/victim")" "original"
  [ "$(ls "$OUTSIDE")" = victim ]
}

@test "a hard link to a path outside the root is refused" {
  craft "h:hl:../../../../../../$OUTSIDE/victim"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "hl"
  store_unchanged
  craft "h:hl2:$OUTSIDE/victim"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "hl2"
  store_unchanged
}

@test "a hard link through a symlink out of the root stays inside" {
  craft "l:link:$OUTSIDE" "h:hl:link/victim"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "hl"
  store_unchanged
}

@test "bogus whiteout names are refused" {
  for name in .wh. .wh.. .wh... dir/.wh..; do
    craft d:dir "f:$name"
    run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
    assert_output_contains "whiteout"
    store_unchanged
  done
}

@test "a truncated gzip layer is refused" {
  python3 "$PODTOOL_SRCDIR/tests/helpers/craft-layer.py" "$BATS_TEST_TMPDIR/l.tar" f:a:aaaa f:b:bbbb
  gzip -c "$BATS_TEST_TMPDIR/l.tar" | head -c 60 > "$BATS_TEST_TMPDIR/l.tar.gz"
  DIFF_IDS="\"sha256:$(sha256sum "$BATS_TEST_TMPDIR/l.tar" | cut -d' ' -f1)\"" \
    sh "$PODTOOL_SRCDIR/tests/helpers/make-docker-archive.sh" "$BATS_TEST_TMPDIR/bad.tar" localhost/bad:latest "$BATS_TEST_TMPDIR/l.tar.gz"
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  [ "${#lines[@]}" -eq 1 ]
  store_unchanged
}

@test "a hard link to a file later in the same layer works" {
  craft "h:first:second" "f:second:shared content"
  run_podtool load -i "$BATS_TEST_TMPDIR/bad.tar"
  run_podtool run --rm --entrypoint /bin/cat localhost/bad:latest /first 2>/dev/null || true
  # The crafted image has no busybox: check the layer on the host instead.
  local layer
  layer=$(grep -l '"size"' "$PT_ROOT"/layers/*.json | while read -r j; do d=${j%.json}; [ -e "$d/first" ] && echo "$d"; done | head -1)
  [ -n "$layer" ]
  assert_equal "$(cat "$layer/first")" "shared content"
  assert_equal "$(stat -c %i "$layer/first")" "$(stat -c %i "$layer/second")"
}

@test "device nodes are skipped with one warning, not refused" {
  craft c:dev/null c:dev/zero f:keep:kept
  run_podtool load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "warning: skipped 2 device node(s)"
  [ "$(echo "$output" | grep -c warning)" -eq 1 ]
  assert_output_contains "Loaded image: localhost/bad:latest"
}

@test "a file owned by an id beyond the subordinate range is refused, never made root's" {
  local range count
  range=$(subid_range)
  [ -n "$range" ] || skip "user $(id -un) has no range in /etc/subuid"
  count=${range#* }
  craft f:ok:fine o:usr/bin/setuidish:$((count + 1))
  run_podtool 125 load -i "$BATS_TEST_TMPDIR/bad.tar"
  assert_output_contains "potentially insufficient UIDs or GIDs available in user namespace"
  assert_output_contains "for /usr/bin/setuidish"
  [ "${#lines[@]}" -eq 1 ]
  store_unchanged
  # The highest mapped id still loads, and keeps its owner.
  craft o:top:$count
  run_podtool load -i "$BATS_TEST_TMPDIR/bad.tar"
  run_podtool unshare sh -c "stat -c %u:%g $PT_ROOT/layers/*/top"
  assert_output "$count:$count"
}

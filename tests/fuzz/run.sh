#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh BUILDDIR SRCDIR SECONDS: builds each libFuzzer harness of tests/fuzz
# with clang (ASan + UBSan), runs it for SECONDS from its seed corpus and
# prints "PASS: fuzz-NAME" or "FAIL: fuzz-NAME" (with the crash) per
# harness. A crash input is kept in BUILDDIR/tests/fuzz/crash-*.
set -u
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd) secs=${3:-60}
out=$build/tests/fuzz
mkdir -p "$out/obj"
CLANG=${CLANG:-clang}
command -v "$CLANG" >/dev/null || { echo "SKIP: fuzz: clang is not installed (apt-get install clang)"; exit 0; }
flags="-DPT_CONMON_PATH=\"/nonexistent\" -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE -I$build -I$src/src -I$src/third_party/tomlc99 $(pkg-config --cflags jansson libarchive)"
libs="$(pkg-config --libs jansson libcap libseccomp zlib yaml-0.1) -lpthread -ldl"
# The library once, instrumented for coverage.
objs=""
for c in "$src"/src/lib/*.c "$src"/third_party/tomlc99/toml.c; do
  o=$out/obj/$(basename "$c" .c).o
  if [ ! -f "$o" ] || [ "$c" -nt "$o" ]; then
    $CLANG $flags -fsanitize=fuzzer-no-link -c "$c" -o "$o" || { echo "FAIL: fuzz: cannot build $c"; exit 1; }
  fi
  objs="$objs $o"
done
status=0
for h in "$src"/tests/fuzz/fuzz-*.c; do
  name=$(basename "$h" .c)
  if ! $CLANG $flags -fsanitize=fuzzer "$h" $objs $libs -o "$out/$name" 2>"$out/$name.build.log"; then
    echo "FAIL: $name (build)"; cat "$out/$name.build.log"; status=1; continue
  fi
  corpus=$out/corpus-$name
  mkdir -p "$corpus"
  [ -d "$src/tests/fuzz/corpus/$name" ] && cp -n "$src/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
  if ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "$out/$name" -max_total_time="$secs" \
       -max_len=65536 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$out/crash-$name-" \
       "$corpus" >"$out/$name.log" 2>&1; then
    echo "PASS: $name ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/$name.log" | cut -d' ' -f2 || true)$(tail -1 "$out/$name.log" | grep -o 'Done [0-9]* runs' || true))"
  else
    echo "FAIL: $name"; grep -A30 'ERROR\|==ERROR\|runtime error\|deadly signal' "$out/$name.log" | head -40
    status=1
  fi
done
exit $status

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# check-asan.sh SRCDIR OUTDIR: the tree again in OUTDIR, built with ASan
# and UBSan (the monitor linked dynamically, as the sanitizers need), then
# its make check: the unit and system tests. An in-tree copy, since
# automake will not build out of a source tree that is configured itself.
set -eu
src=$(cd "$1" && pwd)
out=$2
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
for f in autogen.sh configure.ac Makefile.am README.md .clang-format src conmon man tests bench third_party; do
  cp -a "$src/$f" "$out/"
done
rm -rf "$out/tests/cache" "$out/tests/fuzz/obj"
cd "$out"
./autogen.sh >autogen.log 2>&1
./configure --disable-static-conmon --enable-werror CFLAGS="-g -O1" >configure.log
# podtool-init stays static and plain: the sanitizers cannot link statically.
make -j"$(nproc)" SANITIZE_CFLAGS="$flags" >build.log 2>&1 || { tail -30 build.log; exit 1; }
# Leaks at exit are not errors here (the CLI frees little before exit); any
# memory error or undefined behaviour aborts the process, so its test fails.
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:print_stacktrace=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 make check SANITIZE_CFLAGS="$flags"

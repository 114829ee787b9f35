#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs inside the VM of ../shared/vm/run-in-vm.sh (as root, -R), in the
# build tree: the tests that need a cgroup v2 subtree delegated to the user,
# as that user (uid $VM_TEST_UID, the owner of the tree).
#   ../shared/vm/run-in-vm.sh -R -u "$(id -u)" -m 2048 "$PWD" -- tests/vm/check-in-vm.sh
# The VM's busybox init makes no /dev/fd, which bash's <(...) (and bats) need.
set -eu
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
uid=$(stat -c %u .)
user=$(getent passwd "$uid" | cut -d: -f1)
home=$(getent passwd "$uid" | cut -d: -f6)
# VM_TESTS: comma-separated (run-in-vm.sh -e takes no spaces).
tests=${VM_TESTS:-tests/system/070-cgroup.bats}
tests=${tests//,/ }
exec setpriv --reuid="$uid" --regid="$uid" --init-groups \
  env -i HOME="$home" USER="$user" LOGNAME="$user" PATH="$PATH" LANG=C.UTF-8 \
  XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" PODTOOL_VM=1 \
  PODTOOL_TEST_STRICT="${PODTOOL_TEST_STRICT:-0}" \
  PODTOOL_SHARED_IMAGES="${PODTOOL_SHARED_IMAGES:-}" \
  make check TESTS="$tests"

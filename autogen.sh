#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate the build system: ./autogen.sh && ./configure && make
set -e
cd "$(dirname "$0")"
command -v pkg-config >/dev/null || { echo "autogen.sh: pkg-config is needed (apt-get install pkg-config)" >&2; exit 1; }
autoreconf -fi
if [ -z "$NOCONFIGURE" ]; then
  exec ./configure "$@"
fi

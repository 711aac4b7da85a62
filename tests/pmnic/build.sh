#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build pmnic.ko for each kernel given, in BUILD_DIR/pmnic/KVER/ (default
# build/pmnic/KVER), where tests/guest/native_xdp.bats finds it. A kernel
# whose headers only the trixie chroot has (7.x) is built there, as
# tests/vm/dkms-build.sh builds pktmeta (scripts/kernels.sh --run).
# Fails on the first kernel it cannot build for.
#
#   tests/pmnic/build.sh KVER...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
root=${BUILD_DIR:-$repo/build}/pmnic

for kver in "$@"; do
	out=$root/$kver
	rm -rf "$out"
	mkdir -p "$out"
	cp -p "$here/Kbuild" "$here/pmnic.c" "$out/"
	if ! "$repo/scripts/kernels.sh" --run "$kver" "$out" \
		make -C "/lib/modules/$kver/build" M="$out" modules > "$out/build.log" 2>&1 ||
		[ ! -f "$out/pmnic.ko" ]; then
		echo "pmnic-build: pmnic.ko for $kver failed:" >&2
		cat "$out/build.log" >&2
		exit 1
	fi
	echo "pmnic-build: built pmnic.ko for $kver"
done

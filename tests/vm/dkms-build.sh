#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dkms add + dkms build of this checkout for each kernel given, in a private
# DKMS tree under build/dkms (nothing is written to /usr/src or /lib/modules).
# The guests then `dkms install` from that tree. A kernel whose headers do
# not install here (trixie-backports) builds with the DKMS of its trixie
# chroot (scripts/kernels.sh --build-root), on the same tree.
#
#   dkms-build.sh KVER...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ver=$("$repo/scripts/version.sh")
dkms=${BUILD_DIR:-$repo/build}/dkms
opts=(--dkmstree "$dkms/tree" --sourcetree "$dkms/src")

# depmod over a kernel's 4000 modules takes a minute under TCG, so compute
# the module index here, natively, for the tree as `dkms install` will leave
# it in the guest; the guest installs with --no-depmod and takes this index.
depmod_index() {
	local kver=$1 shadow=$dkms/depmod/$1 ko moddir
	moddir=$("$repo/scripts/kernels.sh" --root "$kver")
	moddir=${moddir%/}/lib/modules/$kver
	mkdir -p "$shadow/lib/modules/$kver/updates/dkms"
	cp -rs "$moddir/kernel" "$shadow/lib/modules/$kver/"
	cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$shadow/lib/modules/$kver/"
	for ko in "$dkms/tree/pktmeta/$ver/$kver/$(uname -m)/module/"pktmeta.ko*; do
		ln -s "$ko" "$shadow/lib/modules/$kver/updates/dkms/"
	done
	depmod -b "$shadow" "$kver"
}

rm -rf "$dkms"
mkdir -p "$dkms/tree"
"$repo/scripts/dkms-source.sh" "$dkms/src/pktmeta-$ver"
dkms add -m pktmeta -v "$ver" "${opts[@]}" > "$dkms/add.log" 2>&1 ||
	{ cat "$dkms/add.log" >&2; exit 1; }
for kver in "$@"; do
	"$repo/scripts/kernels.sh" --prepare "$kver"
	if ! "$repo/scripts/kernels.sh" --run "$kver" "$dkms" \
		dkms build -m pktmeta -v "$ver" -k "$kver" "${opts[@]}" > "$dkms/build-$kver.log" 2>&1; then
		echo "dkms-build: dkms build for $kver failed:" >&2
		cat "$dkms/build-$kver.log" >&2
		cat "$dkms/tree/pktmeta/$ver/build/make.log" >&2 2>/dev/null || true
		exit 1
	fi
	echo "dkms-build: built pktmeta $ver for $kver"
	depmod_index "$kver"
done

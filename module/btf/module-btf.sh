#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Give a freshly built module BTF and resolved .BTF_ids, which kfuncs need.
#
#   module-btf.sh KVER KDIR MODULE.ko
#
# Kbuild does it itself when the headers ship vmlinux (Debian's 6.12). When
# they do not (Debian's 6.1), take the kernel's BTF from /sys/kernel/btf/vmlinux
# if KVER is running, else from /boot/vmlinuz-KVER, run pahole against it as
# split BTF, then resolve the ids with resolve_btfids.c. Fails loudly: a
# module without BTF loads fine and silently offers no kfuncs.
set -eu
kver=$1 kdir=$2 ko=$3
here=$(cd "$(dirname "$0")" && pwd)

has_btf() {
	readelf -S "$1" | grep -q ' \.BTF '
}

if [ -f "$kdir/vmlinux" ]; then
	has_btf "$ko" || { echo "module-btf: kbuild left $ko without BTF (is pahole installed?)" >&2; exit 1; }
	exit 0
fi

for tool in pahole readelf cc; do
	command -v $tool >/dev/null || { echo "module-btf: $tool is needed (apt-get install dwarves binutils gcc)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$(uname -r)" = "$kver" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	base=/sys/kernel/btf/vmlinux
elif [ -r "/boot/vmlinuz-$kver" ]; then
	# A bzImage holds the kernel as one compressed stream: find its magic.
	base=$tmp/vmlinux
	for fmt in 'fd377a585a00:xz -dc' '28b52ffd:zstd -dc' '1f8b08:gzip -dc'; do
		magic=${fmt%%:*} cmd=${fmt#*:}
		off=$(od -An -v -tx1 -w1 "/boot/vmlinuz-$kver" | tr -d ' \n' |
			grep -ob "$magic" | awk -F: '$1 % 2 == 0 { print $1; exit }') || true
		[ -n "$off" ] || continue
		tail -c +$((off / 2 + 1)) "/boot/vmlinuz-$kver" | $cmd > "$base" 2>/dev/null || true
		readelf -S "$base" 2>/dev/null | grep -q ' \.BTF ' && break
	done
	readelf -S "$base" 2>/dev/null | grep -q ' \.BTF ' ||
		{ echo "module-btf: no BTF found in /boot/vmlinuz-$kver" >&2; exit 1; }
else
	echo "module-btf: need /sys/kernel/btf/vmlinux of running $kver or /boot/vmlinuz-$kver" >&2
	exit 1
fi

if ! has_btf "$ko"; then
	echo "  BTF [M] $ko (pahole, base $base)"
	LLVM_OBJCOPY=${OBJCOPY:-objcopy} pahole -J --btf_gen_floats -j --lang_exclude=rust \
		--btf_base "$base" "$ko"
fi
cc -O2 -Wall -o "$tmp/resolve_btfids" "$here/resolve_btfids.c" -lbpf -lelf
"$tmp/resolve_btfids" "$base" "$ko"

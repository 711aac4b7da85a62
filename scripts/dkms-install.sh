#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install pktmeta on this machine with DKMS (for KVER, default the running
# kernel) and load it. DKMS rebuilds it for every kernel installed later.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ver=$("$repo/scripts/version.sh")
kver=${KVER:-$(uname -r)}

[ "$(id -u)" = 0 ] || { echo "dkms-install: run as root" >&2; exit 1; }
missing=()
for c in dkms:dkms make:make cc:gcc pahole:dwarves readelf:binutils pkg-config:pkg-config; do
	command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}")
done
[ -f /usr/include/bpf/btf.h ] || missing+=(libbpf-dev)
[ -f /usr/include/gelf.h ] || missing+=(libelf-dev)
[ -d "/lib/modules/$kver/build" ] || missing+=("linux-headers-$kver")
if [ ${#missing[@]} -gt 0 ]; then
	echo "dkms-install: missing: ${missing[*]}" >&2
	echo "  install them with: apt-get install ${missing[*]}" >&2
	exit 1
fi

# Replace an earlier copy of this version, then add, build and install.
if dkms status -m pktmeta -v "$ver" | grep -q .; then
	dkms remove -m pktmeta -v "$ver" --all
fi
rm -rf "/usr/src/pktmeta-$ver"
"$repo/scripts/dkms-source.sh" "/usr/src/pktmeta-$ver"
dkms add -m pktmeta -v "$ver"
dkms build -m pktmeta -v "$ver" -k "$kver"
dkms install -m pktmeta -v "$ver" -k "$kver"
if [ "$kver" = "$(uname -r)" ]; then
	modprobe pktmeta
	echo "pktmeta $ver installed and loaded; see /sys/kernel/debug/pktmeta/"
else
	echo "pktmeta $ver installed for $kver; it loads with 'modprobe pktmeta' once $kver runs"
fi

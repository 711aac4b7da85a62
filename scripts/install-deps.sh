#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing pktmeta needs from Debian's archive:
# toolchain, BPF tooling, DKMS, bats, QEMU, Debian packaging and the stock
# kernels under test. Kernels Debian 12 cannot install (trixie-backports)
# are extracted under ${PKTMETA_CACHE:-/var/cache/pktmeta} with a trixie
# chroot to build for them (scripts/kernels.sh --prepare).
# Idempotent: when everything is present it only checks and returns.
#
#   install-deps.sh                 what `make test` needs
#   install-deps.sh --debug-kernel  also what building the debug kernel of
#                                   `make test-debug` needs
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

PACKAGES=(
	make gcc libc6-dev clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool
	dwarves dkms kmod bats jq iproute2 qemu-system-x86 busybox-static cpio
	xz-utils zstd libnl-genl-3-dev pkg-config ethtool iputils-ping python3 openssl
	wget debian-archive-keyring
	binutils
	# scripts/ynl.sh: the kernel's YNL tools (tools/net/ynl) and schemas
	# come from the source tarball; cli.py and ynl-gen-c need these modules.
	linux-source-6.12 python3-yaml python3-jsonschema
	# bpf/examples/afxdp_reader.c: libxdp's AF_XDP (xsk) API.
	libxdp-dev
	# make deb: Debian packaging and its checker; the packages' own
	# dependencies are all above, so that the guest's `apt-get install ./*.deb`
	# (tests/guest/packages.bats) resolves without the network.
	dpkg-dev debhelper dh-dkms lintian
)
if [ "${1:-}" = --debug-kernel ]; then
	# tests/vm/debug-kernel.sh: `make bindeb-pkg` and its Build-Depends.
	PACKAGES+=(bc bison flex libssl-dev rsync dpkg-dev debhelper binutils)
fi

need=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || need+=("$p")
done

apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return
	apt-get update -qq
	apt_updated=1
}

if [ ${#need[@]} -gt 0 ]; then
	echo "install-deps: installing ${need[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The kernels under test: their images (for QEMU and modules.dep) and headers.
kernels=$("$here/kernels.sh") || {
	apt_update
	kernels=$("$here/kernels.sh")
}
kpkgs=()
for kver in $kernels; do
	for p in $("$here/kernels.sh" --packages "$kver"); do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || kpkgs+=("$p")
	done
done
if [ ${#kpkgs[@]} -gt 0 ]; then
	echo "install-deps: installing kernels ${kpkgs[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${kpkgs[@]}" >/dev/null
fi
for kver in $kernels; do
	"$here/kernels.sh" --prepare "$kver"
done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The debug kernel of `make test-debug`: Debian's linux-source-6.12 with the
# config of Debian's 6.12 image, trimmed by `make localmodconfig` to the
# modules in debug-kernel/modules, plus debug-kernel/config (KASAN, UBSAN,
# KMEMLEAK, lockdep, PROVE_RCU, SLUB debugging, ...). Built with
# `make bindeb-pkg`, cached as .debs and installed on the host with apt (no
# one boots it there), so run.sh and DKMS use it like a stock kernel.
#
#   debug-kernel.sh          build if not cached, install if not installed;
#                            the last line of output is the kernel version
#   debug-kernel.sh --kver   the kernel version only (needs linux-source-6.12)
#   debug-kernel.sh --config configure the build tree only, print its .config
#
# Cache: ${PKTMETA_CACHE:-/var/cache/pktmeta}/debug-kernel/KEY/ with KEY a
# hash of the source package version, Debian's config, the fragment, the
# module list and the build steps of this script. The build tree of the
# newest key stays in debug-kernel/build (its vmlinux symbolizes splats:
# scripts/faddr2line); one build runs at a time (debug-kernel/lock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
conf=$here/debug-kernel
root=${PKTMETA_CACHE:-/var/cache/pktmeta}/debug-kernel
tarball=/usr/src/linux-source-6.12.tar.xz
srcpkg=linux-source-6.12

"$repo/scripts/install-deps.sh" --debug-kernel >&2

srcver=$(dpkg-query -W -f='${Version}' "$srcpkg")
# 6.12.117-1~deb12u1: the upstream release is 6.12.117.
sublevel=${srcver%%-*}
sublevel=${sublevel##*.}
kver=6.12.$sublevel-pktmeta-debug
if [ "${1:-}" = --kver ]; then
	echo "$kver"
	exit 0
fi

# Debian's config of the same 6.12 release, else the newest one installed
# (install-deps.sh installs the newest 6.12 image).
base=/boot/config-6.12.$sublevel+deb12-amd64
[ -f "$base" ] || base=$(ls /boot/config-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -n 1 || true)
[ -f "$base" ] || { echo "debug-kernel: no /boot/config-6.12.*+deb12-amd64 (run scripts/install-deps.sh)" >&2; exit 1; }

build() { # MODE
	local mode=$1 src=$root/build log=$cache/build.log start
	mkdir -p "$cache"
	echo "debug-kernel: building $kver from $srcpkg $srcver (key $key), log in $log" >&2
	rm -f "$root"/*.deb "$root"/*.buildinfo "$root"/*.changes
	# The tree of the same source is reused: kbuild rebuilds what a
	# changed config touches.
	if [ "$(cat "$src/.pktmeta-source" 2>/dev/null)" != "$srcver" ]; then
		rm -rf "$src"
		mkdir -p "$src"
		tar xf "$tarball" -C "$src" --strip-components=1
		echo "$srcver" > "$src/.pktmeta-source"
	fi
	cp "$base" "$src/.config"
	# localmodconfig reads an lsmod listing: name, size, use count.
	grep -v '^#' "$conf/modules" | tr ' ' '\n' | sed '/^$/d; s/$/ 0 0/; 1i Module Size Used' > "$cache/lsmod"
	(
		cd "$src"
		make olddefconfig
		make LSMOD="$cache/lsmod" localmodconfig < /dev/null
		scripts/kconfig/merge_config.sh -m .config "$conf/config"
		make olddefconfig
	) > "$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }
	# Kconfig drops what it cannot satisfy without a word: check each line.
	local line missing=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=* | "# CONFIG_"*" is not set") ;;
		*) continue ;;
		esac
		grep -qxF "$line" "$src/.config" || {
			case "$line" in
			"# CONFIG_"*) grep -q "^${line:2:-11}=" "$src/.config" || continue ;;
			esac
			echo "debug-kernel: config line did not hold: $line" >&2
			missing=1
		}
	done < "$conf/config"
	[ "$missing" = 0 ] || exit 1
	cp "$src/.config" "$cache/config"
	[ "$mode" != --config ] || return 0

	start=$(date +%s)
	# No -dbg package: the build tree keeps vmlinux. linux-libc-dev is
	# built too but never installed (it would replace Debian's).
	(cd "$src" && nice -n 10 make -j"$(nproc)" bindeb-pkg \
		DPKG_FLAGS=-Ppkg.linux-upstream.nokerneldbg KDEB_COMPRESS=gzip \
		KDEB_PKGVERSION="$sublevel-$key") >> "$log" 2>&1 ||
		{ tail -n 40 "$log" >&2; exit 1; }
	echo "$(($(date +%s) - start))" > "$cache/build-seconds"

	# Debian's 6.12 headers carry a BTF-only vmlinux, which kbuild needs to
	# give external modules BTF (scripts/Makefile.modfinal): add it.
	local hdeb pkgdir
	hdeb=$(ls "$root"/linux-headers-"$kver"_*.deb)
	pkgdir=$root/headers-pkg
	rm -rf "$pkgdir"
	dpkg-deb -R "$hdeb" "$pkgdir"
	objcopy --only-section=.BTF --only-section=.BTF_ids "$src/vmlinux" \
		"$pkgdir/usr/src/linux-headers-$kver/vmlinux"
	dpkg-deb -Zgzip -b "$pkgdir" "$cache/$(basename "$hdeb")" >&2
	rm -rf "$pkgdir"
	mv "$root"/linux-image-"$kver"_*.deb "$cache/"
	echo "$kver" > "$cache/kver"
	find "$root" -mindepth 1 -maxdepth 1 -type d ! -name build ! -name "$key" -exec rm -rf {} +
	echo "debug-kernel: built in $(cat "$cache/build-seconds") s" >&2
}

# The cache key: what decides the kernel's contents and how it is built.
key=$({ echo "$srcver"; cat "$base" "$conf/config" "$conf/modules"; declare -f build; } |
	sha256sum | cut -c1-16)
cache=$root/$key

# One builder at a time (a second `make test-debug` waits for the first).
mkdir -p "$root"
exec 9> "$root/lock"
flock -n 9 || { echo "debug-kernel: waiting for the build running in $root" >&2; flock 9; }

if [ "${1:-}" = --config ]; then
	build --config
	cat "$cache/config"
	exit 0
fi
[ -f "$cache/kver" ] || build all

need=()
for deb in "$cache"/linux-image-*.deb "$cache"/linux-headers-*.deb; do
	pkg=$(dpkg-deb -f "$deb" Package) ver=$(dpkg-deb -f "$deb" Version)
	[ "$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$pkg" 2>/dev/null)" = "ii  $ver" ] || need+=("$deb")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "debug-kernel: installing ${need[*]##*/}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
		--no-install-recommends "${need[@]}" >&2
fi
echo "$kver"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The stock Debian kernels pktmeta is tested on, discovered from Debian's
# archive at run time (versions move with security updates), and where each
# one's files live.
#
#   kernels.sh                    one `uname -r` version per line
#   kernels.sh --packages KVER    the image and headers packages of a Debian 12
#                                 kernel (installed on this machine); nothing
#                                 for other kernels
#   kernels.sh --prepare KVER     make a kernel that does not install on
#                                 Debian 12 ready: its image and modules
#                                 extracted under the cache, its headers in
#                                 a trixie build chroot (idempotent)
#   kernels.sh --root KVER        the root directory holding the kernel's
#                                 ROOT/lib/modules/KVER (with modules.dep)
#                                 and image: "/" for installed kernels
#   kernels.sh --image KVER       the kernel image (vmlinuz) to boot
#   kernels.sh --build-root KVER  where modules for KVER are built: "/" when
#                                 /lib/modules/KVER/build is here, else the
#                                 trixie chroot
#   kernels.sh --run KVER DIR CMD...
#                                 run CMD in DIR inside the build root of
#                                 KVER, with DIR (absolute) visible there
#
# KERNELS overrides the list: each word is a full version (6.1.0-56-amd64)
# or a line that stands for the newest version of that line: 6.1 and 6.12
# (Debian 12 and its security updates), `newest` (the newest kernel whose
# headers trixie-backports ships), or any other line of trixie-backports
# (7, 7.2, 7.3).
#
# --root searches, in order, the directories of PKTMETA_KERNEL_ROOTS
# (colon-separated), "/" and PKTMETA_CACHE/kernels/KVER. Any kernel laid out
# as ROOT/lib/modules/KVER/{vmlinuz,modules.dep,...} (or with its image in
# ROOT/boot/vmlinuz-KVER) boots with tests/vm/run.sh.
#
# Kernels Debian 12 cannot install (trixie-backports: built with gcc-14 and
# tools that need glibc 2.38) are found through a private apt configuration
# under PKTMETA_CACHE (default /var/cache/pktmeta), on the mirror of this
# machine's sources; /etc/apt is never changed.
set -euo pipefail
cache=${PKTMETA_CACHE:-/var/cache/pktmeta}
chroot_dir=$cache/trixie
# What the trixie chroot needs to build the module with DKMS the way
# scripts/dkms-install.sh does on a trixie machine, and to install the
# Debian packages there (tests/guest/packages.bats: pktmeta-tools and
# libpktmeta-dev need libnl).
CHROOT_PACKAGES=binutils,make,kmod,dkms,gcc,dwarves,libbpf-dev,libelf-dev,pkg-config,xz-utils,libnl-genl-3-dev

say() { echo "kernels.sh: $*" >&2; }

# ---- Debian 12 kernels, from this machine's package sources ----

newest_6_1() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' | head -n 1
}

newest_6_12() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' 2>/dev/null |
		sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12-amd64\)-unsigned .*/\1/p' |
		sort -V | tail -n 1
}

installed() {
	dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

available() {
	installed "$1" || apt-cache show "$1" 2>/dev/null | grep -q '^Version'
}

# A kernel this machine installs from its own sources.
host_kernel() {
	[ -f "/lib/modules/$1/modules.dep" ] || available "linux-headers-$1"
}

packages() {
	local kver=$1 image
	host_kernel "$kver" || return 0
	# A kernel comes signed or -unsigned; both hold the same image and
	# conflict, so keep whichever is installed, else take the signed one.
	if installed "linux-image-$kver"; then
		image=linux-image-$kver
	elif installed "linux-image-$kver-unsigned"; then
		image=linux-image-$kver-unsigned
	elif available "linux-image-$kver"; then
		image=linux-image-$kver
	else
		image=linux-image-$kver-unsigned
	fi
	echo "$image linux-headers-$kver"
}

# ---- trixie-backports, through a private apt configuration ----

# The Debian mirror this machine's sources use (PKTMETA_MIRROR overrides).
mirror_uri=
mirror() {
	if [ -z "$mirror_uri" ]; then
		mirror_uri=${PKTMETA_MIRROR:-$(apt-get indextargets --format '$(SITE)' 2>/dev/null |
			grep -m 1 -E '/debian/?$' || true)}
		mirror_uri=${mirror_uri:-http://deb.debian.org/debian}
	fi
	echo "$mirror_uri"
}

papt_dir=$cache/apt
papt_opts=(-o "Dir::Etc::SourceList=$papt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$papt_dir/lists" -o "Dir::Cache=$papt_dir/cache"
	-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin
	-o Dir::State::status=/dev/null -o APT::Sandbox::User=root)

# Refresh the private lists when missing or a day old (or when forced).
papt_done=
papt_update() {
	local force=${1:-}
	[ -n "$papt_done" ] && [ -z "$force" ] && return 0
	mkdir -p "$papt_dir/lists/partial" "$papt_dir/cache/archives/partial"
	(
		flock 9
		local keyring=/usr/share/keyrings/debian-archive-keyring.gpg m
		m=$(mirror)
		printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$m" trixie "$keyring" "$m" trixie-backports \
			> "$papt_dir/sources.list.new"
		if ! cmp -s "$papt_dir/sources.list.new" "$papt_dir/sources.list"; then
			mv "$papt_dir/sources.list.new" "$papt_dir/sources.list"
			force=1
		fi
		rm -f "$papt_dir/sources.list.new"
		if [ -n "$force" ] || [ -z "$(find "$papt_dir/updated" -mmin -1440 2>/dev/null)" ]; then
			apt-get "${papt_opts[@]}" -qq update >&2 ||
				{ say "cannot read trixie-backports from $m"; exit 1; }
			touch "$papt_dir/updated"
		fi
	) 9> "$cache/apt.lock"
	papt_done=1
}

papt_cache() {
	apt-cache "${papt_opts[@]}" "$@"
}

# Versions with headers in trixie-backports, oldest first.
backports_versions() {
	papt_cache pkgnames linux-headers- 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9.]*+deb13-amd64\)$/\1/p' | sort -V
}

newest_backports() { # LINE (empty: any)
	local pat v
	pat="^${1//./\\.}${1:+\\.}"
	papt_update
	v=$(backports_versions | grep -E "$pat" | tail -n 1) || true
	if [ -z "$v" ]; then
		papt_update force
		v=$(backports_versions | grep -E "$pat" | tail -n 1) || true
	fi
	echo "$v"
}


resolve() {
	local v
	case "$1" in
	6.1) v=$(newest_6_1) ;;
	6.12) v=$(newest_6_12) ;;
	newest) v=$(newest_backports "") ;;
	*)
		if [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
			v=$(newest_backports "$1")
		else
			v=$1
		fi
		;;
	esac
	if [ -z "$v" ]; then
		say "no kernel of line $1 in the package sources (run apt-get update?)"
		return 1
	fi
	echo "$v"
}

# ---- where a kernel's files are ----

image_of() { # ROOT KVER
	local f
	for f in "${1%/}/boot/vmlinuz-$2" "${1%/}/lib/modules/$2/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

root_of() {
	local kver=$1 d roots=()
	IFS=: read -ra roots <<< "${PKTMETA_KERNEL_ROOTS:-}"
	for d in "${roots[@]}" / "$cache/kernels/$kver"; do
		[ -n "$d" ] && [ -f "$d/lib/modules/$kver/modules.dep" ] && image_of "$d" "$kver" > /dev/null &&
			{ echo "$d"; return 0; }
	done
	say "no kernel $kver here (run scripts/kernels.sh --prepare $kver, or install linux-image-$kver)"
	return 1
}

# The chroot is complete and has what CHROOT_PACKAGES asks for today.
chroot_ok() {
	[ "$(cat "$chroot_dir/.pktmeta-ok" 2>/dev/null)" = "$CHROOT_PACKAGES" ]
}

build_root_of() {
	local kver=$1
	if [ -d "/lib/modules/$kver/build" ]; then
		echo /
	elif chroot_ok && [ -d "$chroot_dir/lib/modules/$kver/build" ]; then
		echo "$chroot_dir"
	else
		say "no headers for $kver (run scripts/kernels.sh --prepare $kver, or install linux-headers-$kver)"
		return 1
	fi
}

# CMD in a fresh mount and PID namespace, chrooted to ROOT, with /dev and
# DIR visible; the mounts vanish with the namespace. objtool needs /proc.
in_chroot() { # ROOT DIR CMD...
	local root=$1 dir=$2
	shift 2
	unshare --mount --pid --fork --mount-proc="$root/proc" /bin/sh -euc '
		root=$1 dir=$2
		shift 2
		mount --rbind /dev "$root/dev"
		if [ "$dir" != / ]; then
			mkdir -p "$root$dir"
			mount --rbind "$dir" "$root$dir"
		fi
		cd "$root$dir"
		exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"
	' sh "$root" "$dir" "$@"
}

# ---- preparing a trixie-backports kernel ----

# trixie's own debootstrap (Debian 12's is too old to know trixie's
# layout), extracted and run from the cache.
make_chroot() {
	local tmp=$chroot_dir.tmp ds=$cache/debootstrap m
	chroot_ok && return 0
	say "making the trixie build chroot $chroot_dir (about a minute)"
	m=$(mirror)
	papt_update
	rm -rf "$ds" "$tmp" "$chroot_dir"
	mkdir -p "$ds/debs"
	(cd "$ds/debs" && apt-get "${papt_opts[@]}" -qq download debootstrap >&2)
	dpkg-deb -x "$ds"/debs/debootstrap_*.deb "$ds"
	# In its own mount namespace: an interrupted run leaves no mounts behind.
	if ! DEBOOTSTRAP_DIR=$ds/usr/share/debootstrap unshare --mount \
		"$ds/usr/sbin/debootstrap" --variant=minbase --include="$CHROOT_PACKAGES" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
		trixie "$tmp" "$m" > "$cache/debootstrap.log" 2>&1; then
		tail -n 20 "$cache/debootstrap.log" >&2
		say "debootstrap failed, see $cache/debootstrap.log"
		return 1
	fi
	printf 'deb %s trixie-backports main\n' "$m" > "$tmp/etc/apt/sources.list.d/backports.list"
	in_chroot "$tmp" / apt-get -qq update >&2
	rm -rf "$tmp/var/cache/apt/archives"/*.deb
	echo "$CHROOT_PACKAGES" > "$tmp/.pktmeta-ok"
	mv "$tmp" "$chroot_dir"
}

chroot_headers() {
	local kver=$1
	[ -d "$chroot_dir/lib/modules/$kver/build" ] && return 0
	say "installing linux-headers-$kver in $chroot_dir"
	in_chroot "$chroot_dir" / apt-get -qq update >&2
	in_chroot "$chroot_dir" / apt-get install -y -qq --no-install-recommends \
		"linux-headers-$kver" > /dev/null
	in_chroot "$chroot_dir" / apt-get clean
}

# The image and modules, extracted with dpkg-deb (they do not install on
# Debian 12: linux-base is too old), plus the module index depmod makes.
extract_kernel() {
	local kver=$1 dir=$cache/kernels/$1 tmp pkgs deb
	[ -f "$dir/.pktmeta-ok" ] && return 0
	say "extracting $kver into $dir"
	papt_update
	# 7.x splits the image into linux-{base,binary,modules}-KVER.
	pkgs=$(papt_cache depends "linux-image-$kver" 2>/dev/null |
		sed -n "s/^ *Depends: \(linux-[a-z]*-$kver\)\$/\1/p" | sort -u)
	[ -n "$pkgs" ] || pkgs=linux-image-$kver
	tmp=$dir.tmp
	rm -rf "$tmp" "$dir"
	mkdir -p "$tmp/debs"
	# shellcheck disable=SC2086 # one word per package
	(cd "$tmp/debs" && apt-get "${papt_opts[@]}" -qq download $pkgs >&2)
	for deb in "$tmp"/debs/*.deb; do
		dpkg-deb -x "$deb" "$tmp"
	done
	rm -rf "$tmp/debs"
	[ -e "$tmp/lib" ] || ln -s usr/lib "$tmp/lib"
	depmod -b "$tmp" "$kver"
	image_of "$tmp" "$kver" > /dev/null || { say "no image for $kver in $pkgs"; return 1; }
	touch "$tmp/.pktmeta-ok"
	mv "$tmp" "$dir"
}

prepare() {
	local kver=$1
	# A line (7.3) would name metapackages: extract_kernel would download
	# every kernel they depend on.
	if [[ ! $kver =~ ^[0-9]+\.[0-9]+\.[0-9]+.*-[a-z0-9]+$ ]]; then
		say "--prepare takes a full version such as 7.3.4+deb13-amd64, not '$kver' (KERNELS=$kver scripts/kernels.sh prints it)"
		return 2
	fi
	host_kernel "$kver" && return 0
	mkdir -p "$cache"
	(
		flock 8
		extract_kernel "$kver"
		make_chroot
		chroot_headers "$kver"
	) 8> "$cache/prepare.lock"
}

case "${1:-}" in
--packages) packages "$2" ;;
--prepare) prepare "$2" ;;
--root) root_of "$2" ;;
--image) image_of "$(root_of "$2")" "$2" ;;
--build-root) build_root_of "$2" ;;
--run)
	kver=$2 dir=$3
	shift 3
	root=$(build_root_of "$kver")
	if [ "$root" = / ]; then
		cd "$dir" && exec "$@"
	fi
	in_chroot "$root" "$dir" "$@"
	;;
'')
	kernels=${KERNELS:-6.1 6.12 newest}
	# Read trixie-backports once for all the lines that need it.
	[ -z "$(echo "$kernels" | tr ' ' '\n' | grep -vxE '6\.1|6\.12|[0-9]+\.[0-9.]*-.*|[0-9]+\.[0-9.]*\+deb[0-9]+-.*')" ] ||
		papt_update
	for k in $kernels; do
		resolve "$k"
	done
	;;
*) say "unknown option $1"; exit 2 ;;
esac

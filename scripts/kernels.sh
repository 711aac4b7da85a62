#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The stock Debian 12 kernels pktmeta supports, discovered from the package
# sources at run time (versions move with security updates).
#
#   kernels.sh                 one `uname -r` version per line
#   kernels.sh --packages KVER the image and headers packages of KVER
#
# KERNELS overrides the list: each word is a full version (6.1.0-56-amd64)
# or a line (6.1, 6.12) that stands for the newest version of that line.
set -euo pipefail

newest_6_1() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' | head -n 1
}

newest_6_12() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' 2>/dev/null |
		sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12-amd64\)-unsigned .*/\1/p' |
		sort -V | tail -n 1
}

resolve() {
	local v
	case "$1" in
	6.1) v=$(newest_6_1) ;;
	6.12) v=$(newest_6_12) ;;
	*) v=$1 ;;
	esac
	if [ -z "$v" ]; then
		echo "kernels.sh: no Debian 12 kernel of line $1 in the package sources (run apt-get update?)" >&2
		return 1
	fi
	echo "$v"
}

installed() {
	dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

available() {
	installed "$1" || apt-cache show "$1" >/dev/null 2>&1
}

packages() {
	local kver=$1 image
	# A kernel comes signed or -unsigned; both hold the same image and
	# conflict, so keep whichever is installed, else take the signed one.
	if installed "linux-image-$kver"; then
		image=linux-image-$kver
	elif installed "linux-image-$kver-unsigned"; then
		image=linux-image-$kver-unsigned
	elif available "linux-image-$kver" && apt-cache show "linux-image-$kver" 2>/dev/null | grep -q '^Version'; then
		image=linux-image-$kver
	else
		image=linux-image-$kver-unsigned
	fi
	echo "$image linux-headers-$kver"
}

if [ "${1:-}" = --packages ]; then
	packages "$2"
	exit 0
fi

for k in ${KERNELS:-6.1 6.12}; do
	resolve "$k"
done

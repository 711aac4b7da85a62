#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the Debian packages pktmeta-dkms, pktmeta-tools and libpktmeta-dev
# into OUT (default build/deb) and check them with lintian.
#
#   deb-build.sh [OUT]
#
# dpkg-buildpackage writes next to the source tree and cleans inside it, so
# it runs on a copy of the checkout's files in OUT/pktmeta-VERSION, never in
# the checkout. The version is dkms.conf's (scripts/version.sh):
# debian/changelog is written for it in the copy, dated by the last commit
# (SOURCE_DATE_EPOCH), so the same sources give the same packages. Nothing is
# rebuilt when the sources are those of the packages already in OUT.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
ver=$("$repo/scripts/version.sh")
src=$out/pktmeta-$ver
arch=$(dpkg --print-architecture)
debs=("$out/pktmeta-dkms_${ver}_all.deb" "$out/pktmeta-tools_${ver}_$arch.deb"
      "$out/libpktmeta-dev_${ver}_$arch.deb")

for c in dpkg-buildpackage:dpkg-dev dh:debhelper dh_dkms:dh-dkms lintian:lintian; do
	command -v "${c%%:*}" > /dev/null ||
		{ echo "deb-build: ${c#*:} is missing: run scripts/install-deps.sh" >&2; exit 1; }
done

# The checkout's files (tracked, or new and not ignored), NUL-separated;
# without git, everything but build products.
sources() {
	if git -C "$repo" rev-parse --git-dir > /dev/null 2>&1; then
		git -C "$repo" ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do
				[ -f "$repo/$f" ] && printf '%s\0' "$f"
			done
	else
		(cd "$repo" && find . -path ./build -prune -o -type f -print0)
	fi
}

stamp=$(sources | sort -z | (cd "$repo" && xargs -0 sha256sum) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$out/sources.sha256" 2> /dev/null)" = "$stamp" ] && ls "${debs[@]}" > /dev/null 2>&1; then
	echo "deb-build: packages of pktmeta $ver are up to date in $out"
	exit 0
fi

rm -rf "$out"/*
mkdir -p "$src"
sources | (cd "$repo" && tar --null -T - -c) | tar -C "$src" -x

SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2> /dev/null || stat -c %Y "$repo/dkms.conf")
export SOURCE_DATE_EPOCH
cat > "$src/debian/changelog" << EOF
pktmeta ($ver) unstable; urgency=medium

  * pktmeta $ver (the version in dkms.conf), packaged from the checkout
    by scripts/deb-build.sh.

 -- $(sed -n 's/^Maintainer: //p' "$src/debian/control")  $(date -u -R -d "@$SOURCE_DATE_EPOCH")
EOF

echo "deb-build: dpkg-buildpackage -us -uc -b in $src (log: $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	echo "deb-build: dpkg-buildpackage failed, see $out/build.log" >&2
	exit 1
fi
rm -rf "$src"

# Warnings and errors fail the build; the overrides in debian/*lintian-overrides
# say why each accepted tag is accepted.
echo "deb-build: lintian"
if ! lintian --fail-on error,warning --info --display-info "$out"/pktmeta_"${ver}"_"$arch".changes \
	> "$out/lintian.txt" 2>&1; then
	cat "$out/lintian.txt" >&2
	echo "deb-build: lintian found problems (above, also in $out/lintian.txt)" >&2
	exit 1
fi
cat "$out/lintian.txt"
echo "$stamp" > "$out/sources.sha256"
for d in "${debs[@]}"; do
	echo "deb-build: $d"
done

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The Debian packages of `make deb` (build/deb) as a user installs them:
# `apt-get install ./*.deb` without the network, DKMS builds the module for
# the running kernel, modprobe loads it, pktmetactl lists the hints, a
# program builds against libpktmeta-dev; removing the packages removes the
# module. One install/remove cycle: under TCG each DKMS build of the module
# and each depmod over the kernel's modules take about a minute.
#
# A kernel whose headers only the trixie build root has (7.x, built with
# trixie's gcc-14 and glibc: scripts/kernels.sh --build-root) gets the
# packages in that root, as on a trixie machine: apt-get, DKMS, pktmetactl
# and the compiler run chrooted there, over the guest's module tree, which
# is mounted at the root's /lib/modules/KVER so that DKMS installs where the
# guest's modprobe looks.
#
# The guest already has the test build of pktmeta (same name and version)
# installed by tests/vm/guest.sh from a private DKMS tree: setup_file moves
# its module file away, teardown_file puts it and the module index back so
# that the suites after this one find it. All of it happens in the guest's
# overlay; the host's root is not touched.

load helpers

KVER=$(uname -r)
VER=$("$REPO/scripts/version.sh")
ARCH=$(dpkg --print-architecture)
DEB_NAMES=("pktmeta-dkms_${VER}_all.deb" "pktmeta-tools_${VER}_$ARCH.deb"
	   "libpktmeta-dev_${VER}_$ARCH.deb")
PKGS=(pktmeta-dkms pktmeta-tools libpktmeta-dev)
UPDATES=/lib/modules/$KVER/updates/dkms
SAVED=/tmp/pktmeta-test-build
# The root the packages go into: / or the trixie build root; empty when no
# root has headers for this kernel.
ROOT=$("$REPO/scripts/kernels.sh" --build-root "$KVER" 2> /dev/null || true)
R=${ROOT%/}	# prefix of the root's paths as the guest sees them
# The .debs as apt-get in that root sees them.
if [ "$ROOT" = / ]; then
	DEBS=("${DEB_NAMES[@]/#/$REPO/build/deb/}")
else
	DEBS=("${DEB_NAMES[@]/#//tmp/pktmeta-debs/}")
fi
# apt-get blind to the archive's package lists: dependencies resolve from
# what is installed (scripts/install-deps.sh installs them all) or fail, and
# apt does not parse the lists over 9p under TCG (a minute).
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -y
     -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null)

# What the packages leave when they are installed; the module's files.
packaged_ko() {
	compgen -G "$UPDATES/pktmeta.ko*"
}

# COMMAND in the packages' root.
in_root() {
	if [ "$ROOT" = / ]; then
		"$@"
	else
		chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
	fi
}

# The trixie root as a machine running this kernel: /proc, /sys, /dev, the
# guest's module tree with the root's links to its headers, the .debs.
enter_root() {
	local m
	for m in proc sys dev; do
		mount --rbind "/$m" "$ROOT/$m"
	done
	for m in build source; do
		cp -P "$ROOT/lib/modules/$KVER/$m" "/lib/modules/$KVER/$m"
	done
	mount --bind "/lib/modules/$KVER" "$ROOT/lib/modules/$KVER"
	mkdir -p "$ROOT/tmp/pktmeta-debs"
	cp "${DEB_NAMES[@]/#/$REPO/build/deb/}" "$ROOT/tmp/pktmeta-debs/"
}

leave_root() {
	local m
	umount "$ROOT/lib/modules/$KVER" 2> /dev/null || true
	rm -f "/lib/modules/$KVER/build" "/lib/modules/$KVER/source"
	for m in proc sys dev; do
		umount -R "$ROOT/$m" 2> /dev/null || true
	done
	rm -rf "$ROOT/tmp/pktmeta-debs"
}

# The postinst's DKMS build compiles the module under TCG: many minutes per
# kernel, more than `make test` can spend on each. `make test-packages`
# runs this file (PACKAGE_TESTS=1); elsewhere it says why it skips.
slow_tests_off() {
	[ "${PKTMETA_PACKAGE_TESTS:-}" != 1 ]
}

setup_file() {
	slow_tests_off && return 0
	# DKMS builds for a kernel only with its headers (common.postinst:
	# _check_kernel_dir): without them the packages cannot give a module.
	[ -n "$ROOT" ] || return 0
	unload_pktmeta
	mkdir -p "$SAVED/boot"
	mv "$UPDATES"/pktmeta.ko* "$SAVED/"
	# The postinst builds for the running kernel and the newest in /boot
	# (common.postinst: get_newest_kernel). The guest stands for a machine
	# with one kernel: each build costs minutes under TCG, and the other
	# kernel has its own guest.
	find "$R/boot" -maxdepth 1 -name 'config-*' ! -name "config-$KVER" -exec mv -t "$SAVED/boot" {} +
	[ "$ROOT" = / ] || enter_root
}

teardown_file() {
	[ -d "$SAVED" ] || return 0
	unload_pktmeta || true
	# A test that failed half-way may leave the packages installed.
	in_root env DEBIAN_FRONTEND=noninteractive dpkg --purge "${PKGS[@]}" > /dev/null 2>&1 || true
	[ "$ROOT" = / ] || leave_root
	rm -f "$UPDATES"/pktmeta.ko*
	# Purging the packages removed the directory DKMS had made.
	mkdir -p "$UPDATES"
	mv "$SAVED"/pktmeta.ko* "$UPDATES/"
	find "$SAVED/boot" -type f -exec mv -t "$R/boot" {} +
	rmdir "$SAVED/boot" "$SAVED"
	. /results/env
	"$REPO/tests/vm/module-index.sh" "$PKTMETA_DKMS"
	load_pktmeta
}

setup() {
	if slow_tests_off; then
		skip "a DKMS build under TCG takes many minutes: run make test-packages"
	fi
	[ -n "$ROOT" ] ||
		skip "no root here has linux-headers-$KVER, so DKMS cannot build for $KVER (run scripts/kernels.sh --prepare $KVER)"
}

@test "apt-get installs the three packages from their .deb files alone, and DKMS builds and installs the module" {
	for d in "${DEBS[@]}"; do
		[ -f "$R$d" ] || { echo "$R$d is missing: run make deb"; false; }
	done
	[ -z "$(packaged_ko)" ]
	start=$SECONDS
	run in_root "${APT[@]}" install "${DEBS[@]}"
	echo "$output"
	echo "# apt-get install took $((SECONDS - start)) s" >&3
	[ "$status" -eq 0 ]
	# Nothing else to install: every dependency was there already.
	new=$(sed -n '/^The following NEW packages will be installed:/{n;p}' <<< "$output")
	[ "$(tr ' ' '\n' <<< "$new" | grep . | sort | tr '\n' ' ')" = "libpktmeta-dev pktmeta-dkms pktmeta-tools " ]
	# DKMS built for the running kernel alone (common.postinst's
	# "Building for K1 and K2" when it builds for two).
	building=$(grep '^Building for ' <<< "$output")
	[[ "$building" == "Building for $KVER"* ]]
	[[ "$building" != *" and "* ]]
	for p in "${PKGS[@]}"; do
		[ "$(in_root dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$p")" = "ii $VER" ]
	done
	[[ "$(in_root dkms status -m pktmeta -v "$VER" -k "$KVER")" == "pktmeta/$VER, $KVER, $(uname -m): installed"* ]]
	[ -n "$(packaged_ko)" ]
	[ "$(modinfo -n pktmeta)" = "$(packaged_ko)" ]
	[ "$(modinfo -F version pktmeta)" = "$VER" ]
}

@test "modprobe loads the packaged module with its BTF; pktmetactl from the package lists the hints" {
	run modprobe pktmeta
	[ "$status" -eq 0 ]
	grep -q '^pktmeta ' /proc/modules
	[ "$(cat /sys/module/pktmeta/srcversion)" = "$(modinfo -F srcversion "$(packaged_ko)")" ]
	[ -e /sys/kernel/btf/pktmeta ]
	[ "$(in_root sh -c 'command -v pktmetactl')" = /usr/sbin/pktmetactl ]
	run in_root pktmetactl list
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id 0 name rx_hash size 8 offset 0 refs 1 hint sockets" ]
	[ "${lines[1]}" = "id 1 name rx_vlan size 4 offset 8 refs 1 hint sockets" ]
	[ "${lines[2]}" = "id 2 name rx_timestamp size 8 offset 16 refs 1 hint sockets" ]
	[ "${#lines[@]}" -eq 3 ]
	man -w -M "$R/usr/share/man" pktmetactl
}

@test "a program builds against libpktmeta-dev with pkg-config and talks to the module" {
	local dir=/tmp/pktmeta-prog	# in the packages' root
	mkdir -p "$R$dir"
	cat > "$R$dir/prog.c" << 'EOF'
#include <stdio.h>
#include <pktmeta.h>

int main(void)
{
	struct pktmeta_registry_info r;
	struct pktmeta *pm;

	if (pktmeta_open(&pm) || pktmeta_registry(pm, &r))
		return 1;
	printf("capacity %u fields %u\n", r.capacity, r.fields);
	pktmeta_close(pm);
	return 0;
}
EOF
	in_root sh -c "cc -Wall -Werror \$(pkg-config --cflags libpktmeta) -o $dir/prog $dir/prog.c \$(pkg-config --libs libpktmeta)"
	run in_root "$dir/prog"
	rm -rf "$R$dir"
	[ "$status" -eq 0 ]
	[ "$output" = "capacity 64 fields 3" ]
	# The BPF header and its UAPI header, as a BPF program includes them
	# (this guest's clang, the root's headers).
	printf '#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n#include <pktmeta/pktmeta.bpf.h>\n' |
		clang -target bpf -I"$R/usr/include/$(uname -m)-linux-gnu" -I"$R/usr/include" \
			-fsyntax-only -x c -
}

@test "removing the packages removes the module: dkms status empty, modinfo fails, the .ko gone" {
	unload_pktmeta
	start=$SECONDS
	run in_root "${APT[@]}" purge "${PKGS[@]}"
	echo "$output"
	echo "# apt-get purge took $((SECONDS - start)) s" >&3
	[ "$status" -eq 0 ]
	[ -z "$(in_root dkms status -m pktmeta)" ]
	run modinfo pktmeta
	[ "$status" -ne 0 ]
	[ -z "$(packaged_ko)" ]
	[ ! -e "$R/usr/src/pktmeta-$VER" ]
	[ ! -e "$R/var/lib/dkms/pktmeta" ]
	[ ! -e "$R/usr/sbin/pktmetactl" ]
	[ ! -e "$R/usr/include/pktmeta" ]
}

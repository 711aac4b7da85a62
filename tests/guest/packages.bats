#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The Debian packages of `make deb` (build/deb) as a user installs them:
# `apt-get install ./*.deb` without the network, DKMS builds the module for
# the running kernel, modprobe loads it, pktmetactl lists the hints, a
# program builds against libpktmeta-dev; removing the packages removes the
# module. One install/remove cycle: under TCG each DKMS build of the module
# and each depmod over the kernel's modules take about a minute.
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
DEBS=("$REPO/build/deb/pktmeta-dkms_${VER}_all.deb"
      "$REPO/build/deb/pktmeta-tools_${VER}_$ARCH.deb"
      "$REPO/build/deb/libpktmeta-dev_${VER}_$ARCH.deb")
PKGS=(pktmeta-dkms pktmeta-tools libpktmeta-dev)
UPDATES=/lib/modules/$KVER/updates/dkms
SAVED=/tmp/pktmeta-test-build
# apt-get blind to the archive's package lists: dependencies resolve from
# what is installed (scripts/install-deps.sh installs them all) or fail, and
# apt does not parse the lists over 9p under TCG (a minute).
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -y
     -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null)

# What the packages leave when they are installed; the module's files.
packaged_ko() {
	compgen -G "$UPDATES/pktmeta.ko*"
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
	[ -e "/lib/modules/$KVER/build/include" ] || return 0
	unload_pktmeta
	mkdir -p "$SAVED/boot"
	mv "$UPDATES"/pktmeta.ko* "$SAVED/"
	# The postinst builds for the running kernel and the newest in /boot
	# (common.postinst: get_newest_kernel). The guest stands for a machine
	# with one kernel: each build costs minutes under TCG, and the other
	# kernel has its own guest.
	find /boot -maxdepth 1 -name 'config-*' ! -name "config-$KVER" -exec mv -t "$SAVED/boot" {} +
}

teardown_file() {
	[ -d "$SAVED" ] || return 0
	unload_pktmeta || true
	# A test that failed half-way may leave the packages installed.
	DEBIAN_FRONTEND=noninteractive dpkg --purge "${PKGS[@]}" > /dev/null 2>&1 || true
	rm -f "$UPDATES"/pktmeta.ko*
	# Purging the packages removed the directory DKMS had made.
	mkdir -p "$UPDATES"
	mv "$SAVED"/pktmeta.ko* "$UPDATES/"
	find "$SAVED/boot" -type f -exec mv -t /boot {} +
	rmdir "$SAVED/boot" "$SAVED"
	. /results/env
	"$REPO/tests/vm/module-index.sh" "$PKTMETA_DKMS"
	load_pktmeta
}

setup() {
	if slow_tests_off; then
		skip "a DKMS build under TCG takes many minutes: run make test-packages"
	fi
	[ -e "/lib/modules/$KVER/build/include" ] ||
		skip "no linux-headers-$KVER on this root, so DKMS cannot build for $KVER (a bookworm root has headers for its own 6.1 and 6.12 only)"
}

@test "apt-get installs the three packages from their .deb files alone, and DKMS builds and installs the module" {
	for d in "${DEBS[@]}"; do
		[ -f "$d" ] || { echo "$d is missing: run make deb"; false; }
	done
	[ -z "$(packaged_ko)" ]
	start=$SECONDS
	run "${APT[@]}" install "${DEBS[@]}"
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
		[ "$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$p")" = "ii $VER" ]
	done
	[[ "$(dkms status -m pktmeta -v "$VER" -k "$KVER")" == "pktmeta/$VER, $KVER, $(uname -m): installed"* ]]
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
	[ "$(command -v pktmetactl)" = /usr/sbin/pktmetactl ]
	run pktmetactl list
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id 0 name rx_hash size 8 offset 0 refs 1 hint" ]
	[ "${lines[1]}" = "id 1 name rx_vlan size 4 offset 8 refs 1 hint" ]
	[ "${lines[2]}" = "id 2 name rx_timestamp size 8 offset 16 refs 1 hint" ]
	[ "${#lines[@]}" -eq 3 ]
	man -w pktmetactl
}

@test "a program builds against libpktmeta-dev with pkg-config and talks to the module" {
	src=$BATS_TEST_TMPDIR/prog.c
	cat > "$src" << 'EOF'
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
	# shellcheck disable=SC2046 # pkg-config prints one flag a word
	cc -Wall -Werror $(pkg-config --cflags libpktmeta) -o "$BATS_TEST_TMPDIR/prog" "$src" \
		$(pkg-config --libs libpktmeta)
	run "$BATS_TEST_TMPDIR/prog"
	[ "$status" -eq 0 ]
	[ "$output" = "capacity 64 fields 3" ]
	# The BPF header and its UAPI header, as a BPF program includes them.
	printf '#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n#include <pktmeta/pktmeta.bpf.h>\n' |
		clang -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -fsyntax-only -x c -
}

@test "removing the packages removes the module: dkms status empty, modinfo fails, the .ko gone" {
	unload_pktmeta
	start=$SECONDS
	run "${APT[@]}" purge "${PKGS[@]}"
	echo "$output"
	echo "# apt-get purge took $((SECONDS - start)) s" >&3
	[ "$status" -eq 0 ]
	[ -z "$(dkms status -m pktmeta)" ]
	run modinfo pktmeta
	[ "$status" -ne 0 ]
	[ -z "$(packaged_ko)" ]
	[ ! -e "/usr/src/pktmeta-$VER" ]
	[ ! -e /var/lib/dkms/pktmeta ]
	[ ! -e /usr/sbin/pktmetactl ]
	[ ! -e /usr/include/pktmeta ]
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the test guest (chroot into the overlay of the host's root).
# Installs pktmeta with DKMS, runs the tests or a command, unloads the module
# and leaves the kernel log in /results for the host to judge.
set -u
. /results/env
export PKTMETA_PACKAGE_TESTS
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb
kver=$(uname -r)
cd "$PKTMETA_REPO"

stamp() { echo "$(cut -d' ' -f1 /proc/uptime) $*" >> /results/timing; }
stamp start
status=0
# The kernel log as it is written: a long debug-kernel run can be watched
# from the host, and what a panic cuts short is kept.
dmesg -w > /results/dmesg-live.txt 2>&1 &
live_log=$!
# A kernel with kmemleak (make test-debug) reports at the end what leaked
# during the run: forget what boot itself left behind (`clear` marks the
# objects the last scan reported, mm/kmemleak.c kmemleak_clear()).
kmemleak=/sys/kernel/debug/kmemleak
if [ -w "$kmemleak" ]; then
	echo scan > "$kmemleak"
	echo clear > "$kmemleak"
fi
if [ "$PKTMETA_MODE" = bare ]; then
	# The stock kernel alone: nothing of pktmeta is installed or loaded.
	bash -c "$PKTMETA_CMD"
	echo $? > /results/cmd-exit
	kill "$live_log" 2> /dev/null
	dmesg > /results/dmesg.txt
	exit 0
fi
# dkms-build.sh computed the module index of the installed tree natively.
if dkms install --no-depmod -m pktmeta -v "$PKTMETA_VERSION" -k "$kver" \
	--dkmstree "$PKTMETA_DKMS/tree" --sourcetree "$PKTMETA_DKMS/src" > /results/dkms.log 2>&1; then
	tests/vm/module-index.sh "$PKTMETA_DKMS" || { echo "guest: no module index"; status=1; }
else
	echo "guest: dkms install failed, see dkms.log"
	status=1
fi

stamp dkms-installed
if [ "$status" = 0 ]; then
	case "$PKTMETA_MODE" in
	test)
		suites=${PKTMETA_SUITES:-tests/guest/*.bats}
		# A suite named without its directory is one of tests/guest.
		suites=$(for s in $suites; do
			[ -e "$s" ] || [ ! -e "tests/guest/$s" ] || s=tests/guest/$s
			echo "$s"
		done)
		# shellcheck disable=SC2086 # a list of files
		bats --tap $suites > /results/tap.txt 2>&1
		echo $? > /results/bats-exit
		;;
	cmd)
		# The project's tools (pktmetactl, pmrun) by name, as after
		# `make install`; the test suites call them by path instead.
		modprobe pktmeta && PATH=$PKTMETA_TOOLS:$PATH bash -c "$PKTMETA_CMD"
		echo $? > /results/cmd-exit
		;;
	esac
	stamp ran
	# Unloading is part of every run.
	# Programs that used the kfuncs pin the module until the kernel frees
	# them after an RCU grace period: give that a few seconds.
	unload=0
	for _ in $(seq 1 50); do
		grep -q '^pktmeta ' /proc/modules || break
		rmmod pktmeta 2> /dev/null && break
		sleep 0.1
	done
	if grep -q '^pktmeta ' /proc/modules; then
		rmmod pktmeta
		unload=1
	fi
	echo $unload > /results/unload-exit
fi
if [ -w "$kmemleak" ]; then
	# Objects younger than 5 s are not reported, and one scan can miss a
	# leak whose pointer still sits in a stale stack slot (mm/kmemleak.c,
	# jiffies_min_age and kmemleak_scan()): scan twice, a few seconds apart.
	echo scan > "$kmemleak"
	sleep 6
	echo scan > "$kmemleak"
	cat "$kmemleak" > /results/kmemleak.txt
fi
kill "$live_log" 2> /dev/null
dmesg > /results/dmesg.txt
exit "$status"

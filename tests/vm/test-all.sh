#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The VM half of `make test`: build pktmeta with DKMS for every supported
# kernel, boot each one, run the bats suites in it and judge the results:
# the tests' TAP output, the unload, and the guest's kernel log.
# Prints a summary per kernel and ends with `N passed, N failed`.
# Each guest gets the pair of virtio-net NICs of tests/guest/virtio_net.bats
# and the vmxnet3 pair of tests/guest/native_drivers.bats (VM_NICS="virtio-pair
# vmxnet3-pair", see run.sh); VM_NICS= boots them without NICs.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
results_root=${BUILD_DIR:-$repo/build}/results

passed=0 failed=0
summary=()
kernels=$("$repo/scripts/kernels.sh") || { echo "test-all: cannot discover the supported kernels" >&2; echo "0 passed, 1 failed"; exit 1; }

# A guest that died (a panic) still streamed its log (guest.sh).
live_reports() { # RESULTS
	[ -f "$1/dmesg-live.txt" ] || return 0
	"$here/log-reports.sh" "$1/dmesg-live.txt" > "$1/reports.txt" && return 0
	echo "  its kernel log up to the end (all of it in $1/reports.txt):"
	head -n 60 "$1/reports.txt" | sed 's/^/  /'
}

fail_kernel() { # KVER WHY
	failed=$((failed + 1))
	summary+=("$1: FAILED ($2); results in $results_root/$1")
}

fail_all() { # WHY
	for k in $kernels; do fail_kernel "$k" "$1"; done
	printf '%s\n' "${summary[@]}"
	echo "$passed passed, $failed failed"
	exit 1
}

# pktmeta with DKMS, and pmnic.ko (the test NIC of native_xdp.bats, next to
# the DKMS tree), for every kernel before any guest boots.
# shellcheck disable=SC2086 # one word per kernel
"$here/dkms-build.sh" $kernels || fail_all "dkms build"
# shellcheck disable=SC2086
"$repo/tests/pmnic/build.sh" $kernels || fail_all "pmnic build"

# Each guest's vCPUs run on one host thread (run.sh). Up to VM_JOBS guests
# boot at once, by default every kernel's: with one guest per host CPU
# (three kernels, two CPUs) the last guest ran alone while a CPU idled,
# 51 min in all, where sharing the CPUs from the start ends sooner. A guest
# then gets less than a CPU: its time limit (run.sh VM_TIMEOUT) is 3600 s
# for a CPU of its own and grows with guests per CPU. The full suite (190
# tests) took 3187 s with three guests and, for half the time, a fourth on
# this 2-CPU machine; two guests that also shared the CPUs with a bench
# hit the 3600 s of the old 2400 s base.
# shellcheck disable=SC2086 # one word per kernel
set -- $kernels
max_jobs=${VM_JOBS:-$#}
limit=$((3600 * max_jobs / $(nproc)))
export VM_TIMEOUT=${VM_TIMEOUT:-$((limit > 3600 ? limit : 3600))}
boot() { # KVER RESULTS
	local start rc=0
	start=$(date +%s)
	VM_NICS=${VM_NICS-virtio-pair vmxnet3-pair} "$here/run.sh" "$1" "$2" test || rc=$?
	echo "$rc $(($(date +%s) - start))" > "$2/run-status"
}
for kver in $kernels; do
	res=$results_root/$kver
	rm -rf "$res"
	mkdir -p "$res"
	while [ "$(jobs -rp | wc -l)" -ge "$max_jobs" ]; do wait -n; done
	echo "test-all: booting $kver"
	boot "$kver" "$res" &
done
wait

for kver in $kernels; do
	res=$results_root/$kver
	rc=1 secs=0
	[ -f "$res/run-status" ] && read -r rc secs < "$res/run-status"
	if [ ! -f "$res/tap.txt" ]; then
		fail_kernel "$kver" "guest did not run the tests, exit $rc"
		tail -n 30 "$res/console.log" "$res/dkms.log" 2>/dev/null
		live_reports "$res"
		continue
	fi
	ok=$(grep -c '^ok ' "$res/tap.txt")
	notok=$(grep -c '^not ok ' "$res/tap.txt")
	planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$res/tap.txt" | head -n 1)
	grep '^not ok ' "$res/tap.txt" | sed "s/^/  $kver: /"
	if [ -n "$planned" ] && [ $((ok + notok)) -lt "$planned" ]; then
		echo "  $kver: only $((ok + notok)) of $planned tests reported"
		notok=$((notok + planned - ok - notok))
	fi
	# bats fails without a TAP line when it cannot run a file at all (a
	# suite that does not exist or does not parse): that is a failure too.
	bats_rc=$(cat "$res/bats-exit" 2>/dev/null || echo missing)
	if [ -z "$planned" ] || { [ "$bats_rc" != 0 ] && [ "$notok" = 0 ]; }; then
		echo "  $kver: bats exited $bats_rc with no failing test reported:"
		grep -v '^ok \|^#' "$res/tap.txt" | head -n 5 | sed 's/^/    /'
		notok=$((notok + 1))
	fi
	passed=$((passed + ok))
	failed=$((failed + notok))

	# The unload at the end of the run and a clean kernel log are tests too.
	if [ "$(cat "$res/unload-exit" 2>/dev/null)" = 0 ]; then
		passed=$((passed + 1))
	else
		echo "  $kver: rmmod pktmeta failed at the end of the run"
		failed=$((failed + 1)) notok=$((notok + 1))
	fi
	if [ -f "$res/dmesg.txt" ] && ! "$here/log-reports.sh" "$res/dmesg.txt" > "$res/reports.txt"; then
		echo "  $kver: the kernel log shows trouble (all of it in $res/reports.txt):"
		head -n 60 "$res/reports.txt" | sed 's/^/  /'
		failed=$((failed + 1)) notok=$((notok + 1))
	elif grep -q 'unreferenced object' "$res/kmemleak.txt" 2>/dev/null; then
		echo "  $kver: kmemleak reports leaks:"
		head -n 60 "$res/kmemleak.txt" | sed 's/^/    /'
		failed=$((failed + 1)) notok=$((notok + 1))
	elif [ -f "$res/dmesg.txt" ]; then
		passed=$((passed + 1))
	else
		echo "  $kver: no kernel log came back"
		live_reports "$res"
		failed=$((failed + 1)) notok=$((notok + 1))
	fi

	if [ "$notok" = 0 ] && [ "$rc" = 0 ]; then
		summary+=("$kver: ok, $((ok + 2)) passed in ${secs}s")
	else
		[ "$notok" = 0 ] && { failed=$((failed + 1)); echo "  $kver: guest exit $rc"; }
		summary+=("$kver: FAILED, $ok passed, $notok failed in ${secs}s; results in $res")
	fi
done

echo
echo "VM tests by kernel:"
printf '  %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

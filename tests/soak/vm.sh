#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make soak`: boot KVER (pktmeta already built for it by dkms-build.sh) with
# the virtio-net pair, run tests/soak/soak.sh in it for SOAK_SECONDS
# (default 600; SOAK_EPOCH and SOAK_PPS are passed on when set) and judge
# the run from the results directory: the soak's exit status and last line,
# the unload at the end, the guest's kernel log and its console (a panic
# leaves no report). Prints the soak's last line last; exits non-zero on
# any failure.
#
#   vm.sh KVER
set -euo pipefail
kver=$1
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
secs=${SOAK_SECONDS:-600}
res=${BUILD_DIR:-$repo/build}/results/soak-$kver
reports=$(cat "$here/reports.ere")

env="SOAK_SECONDS=$secs"
[ -n "${SOAK_EPOCH:-}" ] && env+=" SOAK_EPOCH=$SOAK_EPOCH"
[ -n "${SOAK_PPS:-}" ] && env+=" SOAK_PPS=$SOAK_PPS"
rm -rf "$res"
mkdir -p "$res"
status=0
# The guest's bound: its setup, the soak's own (2 * secs + 600 s), the
# teardown with rmmod and kmemleak scans; a debug kernel's setup alone takes
# minutes (make test-debug passes its VM_TIMEOUT).
VM_NICS=virtio-pair VM_TIMEOUT=${VM_TIMEOUT:-$((3 * secs + 1800))} VM_CONSOLE=${VM_CONSOLE:-1} \
	"$repo/tests/vm/run.sh" "$kver" "$res" cmd "$env tests/soak/soak.sh" || status=$?

fail=()
[ "$status" = 0 ] || fail+=("the guest exited with $status")
[ "$(cat "$res/cmd-exit" 2> /dev/null)" = 0 ] || fail+=("soak.sh exited with $(cat "$res/cmd-exit" 2> /dev/null || echo nothing)")
[ "$(cat "$res/unload-exit" 2> /dev/null)" = 0 ] || fail+=("pktmeta was still loaded at the end")
if [ ! -f "$res/dmesg.txt" ]; then
	fail+=("no kernel log came back")
elif grep -Eq "$reports" "$res/dmesg.txt"; then
	fail+=("the kernel log shows reports (see $res/dmesg.txt)")
fi
if grep -Eq 'Kernel panic|Oops|BUG:' "$res/console.log" 2> /dev/null; then
	fail+=("the console shows a crash (see $res/console.log)")
fi
summary=$(grep '^soak: [0-9]' "$res/soak.txt" 2> /dev/null | tail -n 1) ||
	summary="soak: no summary from the guest ($kver); see $res"
for f in "${fail[@]}"; do echo "soak: FAILED: $f"; done
echo "$summary"
[ ${#fail[@]} = 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Does the guest CPU's cmpxchg16b keep the flags other than ZF? Runs
# tests/vm/tcg-cmpxchg16b.c in a stock guest (nothing of pktmeta loaded)
# with run.sh's CPU model, VM_CPU (default max,-cx16: no cmpxchg16b, so
# nothing to get wrong).
#
#   tests/vm/tcg-cmpxchg16b.sh [KVER]
#
# Measured with QEMU 7.2 on 6.12: VM_CPU=max prints CF=0 where the CPU
# manual, and hardware, say CF=1, and fails. See run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$repo/build}

kver=$(KERNELS=${1:-6.12} "$repo/scripts/kernels.sh")
mkdir -p "$build"
gcc -Wall -static -O1 -o "$build/tcg-cmpxchg16b" "$here/tcg-cmpxchg16b.c"
results=$build/results/tcg-cmpxchg16b-$kver
rm -rf "$results"
"$here/run.sh" "$kver" "$results" bare "$build/tcg-cmpxchg16b > /results/out.txt 2>&1"
echo "$kver (-cpu ${VM_CPU:-max,-cx16}): $(cat "$results/out.txt")"
[ "$(cat "$results/cmd-exit")" = 0 ]

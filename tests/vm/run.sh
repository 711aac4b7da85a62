#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot one stock kernel under QEMU (TCG) with the host's root shared
# read-only, install pktmeta there with DKMS and run the bats suites or a
# command. The guest reports through files in RESULTS, never the console.
#
#   run.sh KVER RESULTS test            run tests/guest/*.bats (or $SUITES)
#   run.sh KVER RESULTS cmd 'COMMAND'   run COMMAND with pktmeta loaded
#   run.sh KVER RESULTS bare 'COMMAND'  run COMMAND on the stock kernel,
#                                       pktmeta neither installed nor loaded
#
# The kernel comes from `scripts/kernels.sh --root KVER`: "/" for installed
# kernels (/boot/vmlinuz-KVER, /lib/modules/KVER), else a directory holding
# ROOT/lib/modules/KVER with the image, whose module tree the guest then
# sees at /lib/modules/KVER (tests/vm/init).
#
# Expects the DKMS tree made by dkms-build.sh. VM_TIMEOUT (seconds) bounds
# the boot; VM_CONSOLE=1 shows the guest console on stdout; BUILD_DIR
# (default build/) holds the DKMS tree and the initramfs.
#
# VM_NICS=virtio-pair gives the guest two virtio-net NICs (hash reporting and
# RSS offered: hash=on,rss=on) joined on the host by tap backends (vhost=off,
# vnet_hdr) on a bridge, all in a network namespace made for this run, with
# no addresses; QEMU runs in that namespace, which is deleted afterwards.
# vmxnet3-pair adds two vmxnet3 NICs the same way on a bridge of their own
# (VM_NICS="virtio-pair vmxnet3-pair" for both). Unset, the guest has no
# NIC (-nic none).
#
# The guest's two vCPUs share one host thread (-accel tcg,thread=single).
# With QEMU 7.2's multi-threaded TCG, a stock 6.12 guest with no module
# loaded takes "Oops: int3" within a minute when the kernel patches its
# text while the other vCPU runs through it (static keys flipped by tc,
# ftrace attached: arch/x86/kernel/alternative.c text_poke_bp_batch());
# the oops sits on the instruction just patched, whose bytes no longer
# hold the int3. tests/vm/text-poke-stress.sh reproduces it;
# VM_ACCEL=tcg,thread=multi gives the multi-threaded emulator back.
#
# The guest CPU is QEMU's "max" without CMPXCHG16B (VM_CPU, default
# max,-cx16). QEMU 7.2's TCG computes the flags of cmpxchg16b from a stale
# condition-code state: its translation (target/i386/tcg/translate.c,
# gen_cmpxchg16b()) calls helper_cmpxchg16b_unlocked(), which takes the
# flags other than ZF from cpu_cc_compute_all(env, CC_OP) without the
# translator first storing the lazily kept cc_op. ZF is right, the rest is
# whatever the stale state yields: a register's value among them. The
# kernel uses cmpxchg16b in SLUB's lockless paths (this_cpu_cmpxchg128 and
# cmpxchg128, arch/x86/include/asm/percpu.h and cmpxchg_64.h); an interrupt
# taken right after one pushes those flags, and its iret loads them: the
# double faults in the slab allocator whose saved EFLAGS had reserved bits
# set, or equalled RAX's low bits plus ZF. tests/vm/tcg-cmpxchg16b.c
# shows the wrong flags in one instruction (see there). Without CX16 the
# kernel patches in this_cpu_cmpxchg16b_emu (arch/x86/lib/cmpxchg16b_emu.S)
# and SLUB takes its slab_lock() paths (system_has_freelist_aba(),
# mm/slub.c), as on a CPU without the instruction.
#
# VM_ICOUNT=shift=0,sleep=off runs the guest with QEMU's -icount: its clock
# then counts emulated instructions (one per ns) instead of host time, so
# the durations the guest measures no longer depend on how busy the host
# is (make bench).
#
# VM_APPEND adds to the guest kernel's command line, e.g.
# VM_APPEND='slub_debug=FZPU kfence.sample_interval=1' checks a stock
# kernel's slab objects for overruns and use after free.
set -euo pipefail
kver=$1 results=$2 mode=$3 cmd=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$repo/build}

[ "$mode" = bare ] || [ -d "$build/dkms/depmod/$kver" ] ||
	{ echo "run.sh: pktmeta is not built for $kver: run tests/vm/dkms-build.sh $kver first" >&2; exit 1; }
mkdir -p "$results" "$build/vm"
results=$(cd "$results" && pwd)
rm -f "$results"/{env,guest-exit,tap.txt,bats-exit,cmd-exit,dmesg.txt,unload-exit,dkms.log}

kroot=$("$repo/scripts/kernels.sh" --root "$kver")
image=$("$repo/scripts/kernels.sh" --image "$kver")
initrd=$build/vm/initramfs-$kver.cpio.gz
if [ ! -f "$initrd" ] || [ "$here/init" -nt "$initrd" ] || [ "$here/mkinitramfs.sh" -nt "$initrd" ] ||
	[ "$kroot/lib/modules/$kver/modules.dep" -nt "$initrd" ]; then
	"$here/mkinitramfs.sh" "$kver" "$initrd"
fi

{
	printf 'PKTMETA_REPO=%q\n' "$repo"
	printf 'PKTMETA_MODE=%q\n' "$mode"
	printf 'PKTMETA_CMD=%q\n' "$cmd"
	printf 'PKTMETA_SUITES=%q\n' "${SUITES:-}"
	printf 'PKTMETA_PACKAGE_TESTS=%q\n' "${PACKAGE_TESTS:-}"
	printf 'PKTMETA_VERSION=%q\n' "$("$repo/scripts/version.sh")"
	printf 'PKTMETA_DKMS=%q\n' "$build/dkms"
	printf 'PKTMETA_KVER=%q\n' "$kver"
	printf 'PKTMETA_KROOT=%q\n' "$kroot"
	printf 'PKTMETA_TOOLS=%q\n' "$repo/build/tools"
	printf 'PKTMETA_ICOUNT=%q\n' "${VM_ICOUNT:-}"
} > "$results/env"

accel=${VM_ACCEL:-tcg,thread=single} cpu=${VM_CPU:-max,-cx16}
# shellcheck disable=SC2054 # QEMU option values are comma lists
qemu=(qemu-system-x86_64 -accel "$accel" -cpu "$cpu" -smp 2 -m 2G
	-nographic -no-reboot -nic none
	-kernel "$image" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check${VM_APPEND:+ $VM_APPEND}"
	-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$results,mount_tag=results,security_model=none,multidevs=remap")
[ -n "${VM_ICOUNT:-}" ] && qemu+=(-icount "$VM_ICOUNT")
wrap=()
# A pair of NICs of MODEL joined by tap backends on bridge BR, tap and MAC
# numbers from N: what one sends, the other receives.
nic_pair() { # MODEL DEVICE-OPTIONS BR N
	local i
	ip -n "$ns" link add "$3" type bridge
	ip -n "$ns" link set "$3" up
	for i in $4 $(($4 + 1)); do
		ip -n "$ns" tuntap add dev "pmtap$i" mode tap vnet_hdr
		ip -n "$ns" link set "pmtap$i" master "$3" up
		qemu+=(-netdev "tap,id=pmn$i,ifname=pmtap$i,script=no,downscript=no,vhost=off"
			-device "$1,netdev=pmn$i,mac=52:54:00:70:6d:0$i$2")
	done
}
if [ -n "${VM_NICS:-}" ]; then
	ns=pktmeta-vm-$$
	trap 'ip netns del "$ns" 2> /dev/null || true' EXIT
	trap 'exit 130' INT TERM HUP
	ip netns add "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	wrap=(ip netns exec "$ns")
fi
for nics in ${VM_NICS:-}; do
	case $nics in
	virtio-pair) nic_pair virtio-net-pci ,hash=on,rss=on pmbr0 0 ;;
	vmxnet3-pair) nic_pair vmxnet3 "" pmbr1 2 ;;
	*) echo "run.sh: unknown VM_NICS word $nics (known: virtio-pair, vmxnet3-pair)" >&2; exit 2 ;;
	esac
done

status=0
if [ "${VM_CONSOLE:-0}" = 1 ]; then
	timeout -k 10 "${VM_TIMEOUT:-2400}" "${wrap[@]}" "${qemu[@]}" < /dev/null 2>&1 | tee "$results/console.log" || status=$?
else
	timeout -k 10 "${VM_TIMEOUT:-2400}" "${wrap[@]}" "${qemu[@]}" < /dev/null > "$results/console.log" 2>&1 || status=$?
fi
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "run.sh: $kver: guest did not finish within ${VM_TIMEOUT:-2400} s" >&2
	exit 124
fi
[ -f "$results/guest-exit" ] || { echo "run.sh: $kver: guest did not report (see $results/console.log)" >&2; exit 1; }
exit "$(cat "$results/guest-exit")"

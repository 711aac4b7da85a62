#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Does the emulator keep a stock guest alive while its kernel patches its
# own text under traffic? Nothing of pktmeta is installed or loaded.
#
#   text-poke-stress.sh [KVER] [SECONDS]
#
# Boots KVER (default: the 6.12 line) with run.sh's accelerator (VM_ACCEL,
# default tcg,thread=single), and in it sends UDP over a veth pair from
# both vCPUs while a loop attaches and detaches the function tracer on
# every traceable function (the slab and skb functions the traffic runs
# through among them) and adds and removes a clsact qdisc (a static key,
# net/core/dev.c ingress_needed_key). Both patch live kernel text with
# text_poke_bp_batch() (arch/x86/kernel/alternative.c). Fails when the
# guest's kernel log shows an oops or any other report (log-reports.sh),
# or the guest does not come back.
#
# Measured with QEMU 7.2 on 6.12: with VM_ACCEL=tcg,thread=multi every run
# oopsed within two minutes of boot, "Not tainted", "Oops: int3" at
# kmem_cache_alloc_node_noprof+0x5 (its ftrace site, the bytes there back
# to a NOP), __netif_receive_skb_core or __dev_queue_xmit (static
# branches); with tcg,thread=single no run did. See run.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [ "${1:-}" = --guest ]; then
	secs=$2
	tracing=/sys/kernel/tracing
	mountpoint -q "$tracing" || mount -t tracefs none "$tracing"
	ip netns add tps-a
	ip netns add tps-b
	ip link add tps-a netns tps-a type veth peer name tps-b netns tps-b
	ip -n tps-a addr add 10.99.0.1/24 dev tps-a
	ip -n tps-b addr add 10.99.0.2/24 dev tps-b
	ip -n tps-a link set tps-a up
	ip -n tps-b link set tps-b up
	end=$(($(date +%s) + secs))
	udp='import socket, sys, time
end = float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if sys.argv[1] == "send":
    n = 0
    while time.time() < end:
        try:
            s.sendto(bytes(64 + n % 1200), ("10.99.0.2", 9000))
        except OSError:
            pass  # a full queue drops the datagram; the load is the point
        n += 1
    print("sent", n)
else:
    s.bind(("10.99.0.2", 9000))
    s.settimeout(0.5)
    n = 0
    while time.time() < end:
        try:
            s.recv(2048)
            n += 1
        except socket.timeout:
            pass
    print("received", n)'
	ip netns exec tps-b python3 -c "$udp" recv "$end" > /tmp/tps-recv &
	for cpu in 0 1; do
		ip netns exec tps-a taskset -c "$cpu" python3 -c "$udp" send "$end" > "/tmp/tps-send$cpu" &
	done
	# An empty filter: the tracer patches every traceable function.
	: > "$tracing/set_ftrace_filter"
	cycles=0
	while [ "$(date +%s)" -lt "$end" ]; do
		echo function > "$tracing/current_tracer"
		tc -n tps-b qdisc add dev tps-b clsact
		echo nop > "$tracing/current_tracer"
		tc -n tps-b qdisc del dev tps-b clsact
		cycles=$((cycles + 1))
	done
	wait
	echo "text-poke-stress: $cycles patch cycles, $(cat /tmp/tps-send0 /tmp/tps-send1 /tmp/tps-recv | tr '\n' ' ')"
	exit 0
fi

kver=$(KERNELS=${1:-6.12} "$repo/scripts/kernels.sh")
secs=${2:-150}
results=${BUILD_DIR:-$repo/build}/results/text-poke-stress-$kver
rm -rf "$results"
rc=0
VM_TIMEOUT=$((secs + 600)) "$here/run.sh" "$kver" "$results" bare \
	"tests/vm/text-poke-stress.sh --guest $secs > /results/stress.txt 2>&1" || rc=$?
accel=${VM_ACCEL:-tcg,thread=single}
# A panic stops the guest before its streamed log (dmesg-live.txt) gets the
# oops; the console has it.
cat "$results/dmesg-live.txt" "$results/console.log" > "$results/kernel-log.txt" 2> /dev/null
if "$here/log-reports.sh" "$results/kernel-log.txt" > "$results/reports.txt" && [ "$rc" = 0 ] &&
	[ "$(cat "$results/cmd-exit" 2> /dev/null)" = 0 ]; then
	echo "$kver ($accel): $(tail -n 1 "$results/stress.txt"); kernel log clean"
	exit 0
fi
echo "$kver ($accel): FAILED (guest exit $rc); kernel log reports:"
head -n 20 "$results/reports.txt"
exit 1

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Native XDP on drivers other than veth and virtio-net, which pktmeta
# accepts because the xdp_run hook resets the area bit at the start of every
# XDP program run (README, "The per-packet area"):
#  - tun/tap, a driver every guest has: frames are written into a tap device
#    through a non-blocking queue, so tun runs the program natively on the
#    buffer it builds the skb around (tun_build_skb());
#  - vmxnet3 (XDP since 6.6, so 6.12 and later): the guest's pair of QEMU
#    vmxnet3 NICs (VM_NICS=vmxnet3-pair, tests/vm/run.sh), one moved into a
#    namespace that sends UDP to the other.
# Fields set at XDP are read at XDP and, after XDP_PASS, at TC ingress: each
# packet's own value or -ENOENT, never an earlier packet's.

load helpers

TAP=pmt0
NS=pmvx

setup() {
	modprobe tun 2> /dev/null || true	# the kernel cannot autoload from the chroot
	load_pktmeta
	ID=$(register_field native.value 8)
	[ "$ID" -ge 0 ]
	ip tuntap add dev "$TAP" mode tap
	sysctl -qw "net.ipv6.conf.$TAP.disable_ipv6=1"	# only the test's frames
	ip link set "$TAP" up
}

teardown() {
	if [ "$(hook_state xdp_run)" = off ]; then	# the hooks=0 test
		unregister_all_fields
		unload_pktmeta
		load_pktmeta
	fi
	ip link del "$TAP" 2> /dev/null || true
	ip netns del "$NS" 2> /dev/null || true	# its vmxnet3 NIC comes back
	[ -z "${RX:-}" ] || ip addr flush dev "$RX" 2> /dev/null || true
	unregister_all_fields
}

# RX (root namespace, 10.77.31.2) and TX (namespace NS, 10.77.31.1), or skip.
vmxnet3_pair() {
	local nics mac
	modprobe vmxnet3 2> /dev/null || true
	nics=($(nics_by_driver vmxnet3))
	[ ${#nics[@]} -ge 2 ] || skip "fewer than two vmxnet3 NICs: boot with VM_NICS=vmxnet3-pair"
	grep -q ' vmxnet3_xdp\s' /proc/kallsyms ||
		skip "vmxnet3 has no XDP on this kernel (XDP since 6.6)"
	# Seen on the 6.12 debug kernel with any XDP program, pktmeta or not.
	[ ! -e /proc/lockdep ] ||
		skip "lockdep kernel: vmxnet3's XDP path calls rcu_dereference() outside rcu_read_lock() (drivers/net/vmxnet3/vmxnet3_xdp.c: vmxnet3_xdp_set(), vmxnet3_process_xdp(), 6.12), which lockdep reports as suspicious RCU usage"
	RX=${nics[0]} TX=${nics[1]}
	ip netns add "$NS"
	ip link set "$TX" netns "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" addr add 10.77.31.1/24 dev "$TX"
	ip -n "$NS" link set "$TX" up
	ip addr add 10.77.31.2/24 dev "$RX"
	ip link set "$RX" up
	mac=$(cat "/sys/class/net/$RX/address")
	ip -n "$NS" neigh replace 10.77.31.2 lladdr "$mac" dev "$TX" nud permanent
	for _ in $(seq 50); do	# both carriers up once the host bridge forwards
		ip netns exec "$NS" ping -c 1 -W 1 10.77.31.2 > /dev/null 2>&1 && break
		sleep 0.2
	done
}

# The counters of a run, in the log of a failure and as TAP comments.
report() {
	echo "$output"
	echo "# $BATS_TEST_DESCRIPTION: $(printf '%s ' $output)" >&3
}

# validity.bpf.c's traffic program on DEV while CMD sends: each packet's get
# before its set finds nothing (never an earlier packet's value), the odd
# ones set and read back their own; at least FLOOR packets arrived.
traffic_run() { # DEV CMD FLOOR
	run "$PMRUN" -a "$1" -s id="$ID" -c "$2" \
		-p pkts -p odd -p set_ok -p before_enoent -p before_other -p mismatches \
		"$BPF/tests/validity.bpf.o" traffic
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge "$3" ]
	[ "$(var before_enoent)" = "$(var pkts)" ]
	[ "$(var before_other)" = 0 ]
	[ "$(var set_ok)" = "$(var odd)" ]
	[ "$(var odd)" -ge $(($(var pkts) / 3)) ]
	[ "$(var mismatches)" = 0 ]
}

# stack.bpf.c's xdp_mark on DEV (a field on even seqs, XDP_PASS) and
# tc_check at its TC ingress while CMD sends: each skb reads its own value
# or -ENOENT, never another; at least FLOOR seen, MIN of each kind.
pass_run() { # DEV CMD FLOOR MIN
	run "$PMRUN" -a "$1" -t tc_check -s field_id="$ID" -c "$2" \
		-p tc_seen -p tc_ok_set -p tc_ok_unset -p tc_lost -p tc_bad -p bad_seq -p bad_ret \
		-p xdp_set_ok -p xdp_set_err "$BPF/tests/stack.bpf.o" xdp_mark
	report
	[ "$status" -eq 0 ]
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var tc_seen)" -ge "$3" ]
	[ "$(var tc_bad)" = 0 ]
	[ "$(var tc_lost)" = 0 ]
	[ $(($(var tc_ok_set) + $(var tc_ok_unset))) = "$(var tc_seen)" ]
	[ "$(var tc_ok_set)" -ge "$4" ]
	[ "$(var tc_ok_unset)" -ge "$4" ]
}

udp_cmd() {
	printf "bash -c '. %s/helpers.bash; send_udp %s 31 %s' > '%s/sent'" \
		"$BATS_TEST_DIRNAME" "$NS" "$1" "$BATS_TEST_TMPDIR"
}

tap_cmd() {
	printf "bash -c '. %s/helpers.bash; send_tap_frames %s %s' > '%s/sent'" \
		"$BATS_TEST_DIRNAME" "$TAP" "$1" "$BATS_TEST_TMPDIR"
}

@test "tun native XDP: every frame's get finds nothing before its set and its own value after, 20000 frames" {
	local hits0=$(hook_hits xdp_run)
	traffic_run "$TAP" "$(tap_cmd 20000)" 10000	# tun drops none here; judged by what arrived
	[ "$(cat "$BATS_TEST_TMPDIR/sent")" = 20000 ]
	# each run on tun's queue went through the probe
	[ $(($(hook_hits xdp_run) - hits0)) -ge "$(var pkts)" ]
}

@test "tun native XDP_PASS: TC ingress reads each packet's own value or -ENOENT, 20000 frames" {
	pass_run "$TAP" "$(tap_cmd 20000)" 10000 4000
}

@test "tun with hooks=0 (no xdp_run probe): accepted by the allowlist, each frame's own value, never stale" {
	unregister_all_fields
	unload_pktmeta
	load_pktmeta hooks=0
	[ "$(hook_state xdp_run)" = off ]
	ID=$(register_field native.value 8)
	traffic_run "$TAP" "$(tap_cmd 4000)" 2000
}

@test "vmxnet3 native XDP: every packet's get finds nothing before its set and its own value after" {
	vmxnet3_pair
	local hits0=$(hook_hits xdp_run)
	traffic_run "$RX" "$(udp_cmd 6000)" 3000	# UDP over the host bridge may drop some
	[ $(($(hook_hits xdp_run) - hits0)) -ge "$(var pkts)" ]
}

@test "vmxnet3 native XDP_PASS: TC ingress reads each packet's own value or -ENOENT" {
	vmxnet3_pair
	pass_run "$RX" "$(udp_cmd 6000)" 3000 1000
}

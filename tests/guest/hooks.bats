#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Driver hint hooks: veth and virtio-net fill rx_hash, rx_vlan and
# rx_timestamp before the XDP program reads them; hooks follow their driver
# module in and out; a device without a hook leaves the hints unset.

load helpers

OBJ=$BPF/tests/hints.bpf.o

setup() {
	modprobe veth
	load_pktmeta
}

teardown() {
	veth_del pmh0 pmha
	modprobe veth
	load_pktmeta
}

# A shell command for pmrun -c that runs helper functions with bash.
send_cmd() {
	printf "bash -c '. %s/helpers.bash; %s' > /dev/null" "$BATS_TEST_DIRNAME" "$1"
}

# Send COUNT test packets over a fresh veth pair into pmh0, where hints_read
# runs at XDP and tc_compare at TC ingress; VLAN=1 sends them on a VLAN
# subinterface, whose tag veth carries as hardware-accelerated.
veth_hints_run() {
	local count=$1 vlan=${2:-0} src=pmha
	veth_to_ns pmh0 pmha 5
	if [ "$vlan" = 1 ]; then
		ip -n pmha link add link pmh0-p name pmh0-p.42 type vlan id 42
		ip -n pmha addr add 10.77.6.1/24 dev pmh0-p.42
		ip -n pmha link set pmh0-p.42 up
		ip -n pmha neigh replace 10.77.6.2 lladdr "$(cat /sys/class/net/pmh0/address)" dev pmh0-p.42 nud permanent
		src=6
	else
		src=5
	fi
	run "$PMRUN" -a pmh0 -t tc_compare -c "$(send_cmd "send_udp pmha $src $count")" \
		-p pkts -p hash_ok -p vlan_ok -p ts_ok -p unset_other -p compared -p agree -p disagree -p missing \
		"$OBJ" hints_read
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "the veth, virtio_net, redirect and xdp_run hooks are listed in debugfs" {
	run cat "$DEBUGFS/hooks"
	[ "${lines[0]}" = "hook state hits misses frame_misses functions" ]
	hook_ready veth
	hook_ready redirect
	hook_ready xdp_run	# bpf_dispatcher_xdp_func
	[ -n "$(hook_state virtio_net)" ]
}

@test "no program uses pktmeta: every hook's probes are unregistered (idle), except on 6.1, which cannot tell" {
	case "$(uname -r)" in
	6.1.*)
		# 6.1's kfunc sets have no filter: nothing tells pktmeta when a
		# program that uses it is loaded (module/demand.c).
		[ "$(ready_state)" = attached ]
		[ "$(hooks_in_use)" = always ]
		return
		;;
	esac
	[ "$(ready_state)" = idle ]
	[ "$(hooks_in_use)" = no ]
	for h in veth redirect skb xdp_run expand push; do
		[ "$(hook_state "$h")" = idle ]
	done
}

@test "a program that does not call pktmeta leaves the hooks idle: its packets pay no probe" {
	[ "$(ready_state)" = idle ] || skip "6.1 keeps the probes registered (see the test above)"
	local veth0 xdp0 skb0
	veth0=$(hook_hits veth) xdp0=$(hook_hits xdp_run) skb0=$(hook_hits skb)
	veth_to_ns pmh0 pmha 5
	run "$PMRUN" -a pmh0 -c "cat $DEBUGFS/hooks_in_use > $BATS_TEST_TMPDIR/in_use; $(send_cmd "send_udp pmha 5 300")" \
		-p packets "$BPF/bench/plain_bench.bpf.o" plain_pass
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var packets)" -ge 150 ]
	[ "$(cat "$BATS_TEST_TMPDIR/in_use")" = no ]
	[ "$(hook_hits veth)" = "$veth0" ]
	[ "$(hook_hits xdp_run)" = "$xdp0" ]
	[ "$(hook_hits skb)" = "$skb0" ]
}

@test "loading a program that calls pktmeta registers the probes before it runs: its first packets get hints; freeing it makes them idle again" {
	local ready
	ready=$(ready_state)
	veth_to_ns pmh0 pmha 5
	run "$PMRUN" -a pmh0 -t tc_compare \
		-c "cat $DEBUGFS/hooks_in_use > $BATS_TEST_TMPDIR/in_use; grep '^push ' $DEBUGFS/hooks > $BATS_TEST_TMPDIR/push; $(send_cmd "send_udp pmha 5 300")" \
		-p pkts -p hash_ok -p compared -p agree "$OBJ" hints_read
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 150 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]	# the first packet too
	[ "$(var agree)" = "$(var compared)" ]
	if [ "$ready" = idle ]; then
		[ "$(cat "$BATS_TEST_TMPDIR/in_use")" = yes ]
	else
		[ "$(cat "$BATS_TEST_TMPDIR/in_use")" = always ]
	fi
	# The program is freed after pmrun exits; the module notices within
	# a second or two and unregisters the probes.
	[ "$(cut -d' ' -f2 "$BATS_TEST_TMPDIR/push")" = attached ]
	[ "$(ready_state)" = "$ready" ]
	[ "$(hook_state veth)" = "$ready" ]
	[ "$(hook_state push)" = "$ready" ]
}

@test "veth fills rx_hash on every packet, agreeing with the skb seen at TC" {
	veth_hints_run 2000
	[ "$(var pkts)" -ge 1000 ]	# of 2000 sent: a busy machine drops some
	[ "$(var hash_ok)" = "$(var pkts)" ]
	[ "$(var vlan_ok)" = 0 ]
	[ "$(var ts_ok)" = 0 ]
	[ "$(var unset_other)" = 0 ]
	[ "$(var compared)" -ge 1000 ]
	[ "$(var agree)" = "$(var compared)" ]
	[ "$(hook_hits veth)" -ge "$(var pkts)" ]
	# Every buffer lay in veth_xdp_rcv_skb()'s frame (PKTMETA_HOOK_FRAME).
	[ "$(hook_frame_misses veth)" = 0 ]
}

@test "every attached hook passed its BTF prototype check; none is disabled on this kernel" {
	run awk 'NR > 1 && $2 == "disabled"' "$DEBUGFS/hooks"
	[ -z "$output" ] || [ "$output" = "virtio_net disabled 0 0 0 virtnet_xdp_handler(missing)" ]
	[ -z "$(dmesg | grep -E 'pktmeta: hook .* disabled: .*(BTF|other arguments)' || true)" ]
}

@test "veth fills rx_vlan from the hardware-accelerated VLAN tag" {
	veth_hints_run 1000 1
	[ "$(var pkts)" -ge 500 ]
	[ "$(var vlan_ok)" = "$(var pkts)" ]
	[ "$(var compared)" -ge 500 ]
	[ "$(var agree)" = "$(var compared)" ]
}

@test "hooks=0 leaves every hint unset" {
	unload_pktmeta
	load_pktmeta hooks=0
	[ "$(hook_state veth)" = off ]
	[ "$(hook_state xdp_run)" = off ]
	[ "$(hooks_in_use)" = off ]
	veth_hints_run 500
	[ "$(var pkts)" -ge 250 ]
	[ "$(var hash_ok)" = 0 ]
	[ "$(var unset_other)" = 0 ]
}

@test "pktmeta loaded before veth: the hook attaches when veth loads" {
	unload_pktmeta
	rmmod veth
	load_pktmeta
	[ "$(hook_state veth)" = waiting ]
	modprobe veth
	hook_ready veth
	veth_hints_run 300
	[ "$(var pkts)" -ge 150 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]
}

@test "rmmod veth with pktmeta loaded detaches the hook; reloading reattaches" {
	rmmod veth
	[ "$(hook_state veth)" = waiting ]
	modprobe veth
	hook_ready veth
	veth_hints_run 300
	[ "$(var pkts)" -ge 150 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]
	veth_del pmh0 pmha
	rmmod veth
	unload_pktmeta
	modprobe veth
	load_pktmeta
	hook_ready veth
	veth_hints_run 300
	[ "$(var pkts)" -ge 150 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]
}

@test "a device without a hook leaves the hints unset, never stale: generic XDP" {
	# First give this CPU pending veth hints, then run generic XDP.
	veth_hints_run 200
	veth_del pmh0 pmha
	veth_to_ns pmh0 pmha 5
	run "$PMRUN" -g -a pmh0 -c "$(send_cmd "send_udp pmha 5 500")" \
		-p pkts -p hash_ok -p vlan_ok -p ts_ok -p unset_other "$OBJ" hints_read
	[ "$(var pkts)" -ge 250 ]
	[ "$(var hash_ok)" = 0 ]
	[ "$(var vlan_ok)" = 0 ]
	[ "$(var unset_other)" = 0 ]
}

@test "the kernel's own XDP metadata kfuncs agree with pktmeta on every packet (6.3+)" {
	if ! bpftool btf dump file /sys/kernel/btf/vmlinux | grep -q "FUNC 'bpf_xdp_metadata_rx_vlan_tag'"; then
		skip "this kernel has no XDP RX metadata kfuncs: tc_compare is the oracle here"
	fi
	veth_to_ns pmh0 pmha 5
	ip -n pmha link add link pmh0-p name pmh0-p.42 type vlan id 42
	ip -n pmha addr add 10.77.6.1/24 dev pmh0-p.42
	ip -n pmha link set pmh0-p.42 up
	ip -n pmha neigh replace 10.77.6.2 lladdr "$(cat /sys/class/net/pmh0/address)" dev pmh0-p.42 nud permanent
	run "$PMRUN" -b -a pmh0 \
		-c "$(send_cmd "send_udp pmha 5 1500; send_udp pmha 6 1500; send_tcp_syns pmha 10.77.5.2 20")" \
		-p pkts -p agree -p hash_bad -p vlan_bad -p ts_bad -p with_hash -p with_vlan \
		"$BPF/tests/hints_oracle.bpf.o" oracle
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 3000 ]
	[ "$(var agree)" = "$(var pkts)" ]
	[ "$(var with_vlan)" -ge 1500 ]
}

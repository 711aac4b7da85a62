#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The examples under bpf/examples/ do what their comments say (the
# declared-field program and its loader are in pktmetactl.bats).

load helpers

EX=$BPF/examples
PMCTL=$REPO/build/tools/pktmetactl

setup() {
	modprobe veth
	load_pktmeta
}

teardown() {
	veth_del pme0 pmea
	veth_del pme1 pmeb
	unregister_all_fields
}

send_cmd() {
	printf "bash -c '. %s/helpers.bash; %s' > /dev/null" "$BATS_TEST_DIRNAME" "$1"
}

@test "xdp_set_get stamps a packet and reads the same value back" {
	local id
	id=$("$PMCTL" -j register example.tag 4 | jq .id)
	run "$PMRUN" -r 10 -s tag_id="$id" -p stamped -p read_back -p refused "$EX/xdp_set_get.bpf.o" xdp_set_get
	echo "$output"
	[ "$(var stamped)" = 10 ]
	[ "$(var read_back)" = 10 ]
	[ "$(var refused)" = 0 ]
}

@test "xdp_set_get refuses an id that names no field, and the packet goes on" {
	run "$PMRUN" -s tag_id=12345 -p stamped -p refused "$EX/xdp_set_get.bpf.o" xdp_set_get
	echo "$output"
	[ "$(var retval)" = 2 ]		# XDP_PASS
	[ "$(var refused)" = 1 ]
	[ "$(var stamped)" = 0 ]
}

@test "redirect_chain and tc_reader: two fields set at XDP reach the far end's XDP and TC, with rx_hash" {
	local class trace far
	class=$("$PMCTL" -j register flow.class 4 | jq .id)
	trace=$("$PMCTL" -j register trace.id 8 | jq .id)
	veth_to_ns pme0 pmea 23
	ip netns add pmeb
	ip link add pme1 type veth peer name pme1-p netns pmeb
	sysctl -qw net.ipv6.conf.pme1.disable_ipv6=1	# no IPv6 autoconfiguration noise
	ip link set pme1 up
	ip -n pmeb link set pme1-p up
	# The far end, in namespace pmeb: chain_receive at XDP on pme1-p, and
	# tc_read at its TC ingress while the traffic runs.
	far=$BATS_TEST_TMPDIR/far-end.sh
	cat > "$far" <<-EOS
		ip netns exec pmeb $PMRUN -X -a pme1-p -t tc_read -s class_id=$class -s trace_id=$trace \\
			-p with_fields -p without_fields -p with_rx_hash \\
			-c "$(send_cmd "send_udp pmea 23 1000")" $EX/tc_reader.bpf.o tc_read
	EOS
	run "$PMRUN" -a pme0 -s class_id="$class" -s trace_id="$trace" \
		-s out_ifindex="$(cat /sys/class/net/pme1/ifindex)" -p classified \
		-c "ip netns exec pmeb $PMRUN -a pme1-p -s class_id=$class -s trace_id=$trace \
			-p received -p received_with_both -c 'sh $far' $EX/redirect_chain.bpf.o chain_receive" \
		"$EX/redirect_chain.bpf.o" chain_classify
	echo "$output"
	[ "$status" -eq 0 ]
	# Of 1000 sent, at least half arrive at each stage (a busy machine
	# drops some); every packet that arrives carries both fields.
	[ "$(var classified)" -ge 500 ]
	[ "$(var received)" -le "$(var classified)" ]
	[ "$(var received)" -ge 500 ]
	[ "$(var received_with_both)" = "$(var received)" ]
	[ "$(var with_fields)" -ge 500 ]
	[ "$(var with_rx_hash)" = "$(var with_fields)" ]
	[ "$(var without_fields)" = 0 ]
}

@test "tc_reader finds no fields on locally sent skbs" {
	local class trace
	class=$("$PMCTL" -j register flow.class 4 | jq .id)
	trace=$("$PMCTL" -j register trace.id 8 | jq .id)
	veth_to_ns pme0 pmea 23
	run "$PMRUN" -X -a pme0 -t tc_read -s class_id="$class" -s trace_id="$trace" \
		-c "$(send_cmd "send_udp pmea 23 500")" -p with_fields -p without_fields \
		"$EX/tc_reader.bpf.o" tc_read
	echo "$output"
	[ "$(var with_fields)" = 0 ]
	[ "$(var without_fields)" -ge 500 ]
}

@test "hints_to_cpumap: the skb a cpumap builds has the device's RX hash (6.3+)" {
	if ! bpftool btf dump file /sys/kernel/btf/vmlinux | grep -q "FUNC 'bpf_xdp_metadata_rx_hash'"; then
		skip "this kernel has no XDP RX metadata kfuncs (6.3+)"
	fi
	veth_to_ns pme0 pmea 23
	run "$PMRUN" -b -a pme0 -t tc_check -m cpus:1:256 -c "$(send_cmd "send_udp pmea 23 2000")" \
		-p stored -p hash_kept -p hash_lost "$EX/hints_to_cpumap.bpf.o" hints_to_cpumap
	echo "$output"
	[ "$status" -eq 0 ]
	# veth has a hash for every packet (drivers/net/veth.c veth_xdp_rx_hash()).
	[ "$(var stored)" -ge 1000 ]
	[ "$(var hash_lost)" = 0 ]
	[ "$(var hash_kept)" -le "$(var stored)" ]
	[ "$(var hash_kept)" -ge 1000 ]
}

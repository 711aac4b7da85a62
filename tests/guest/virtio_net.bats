#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The virtio-net hint hook on real virtio-net traffic. Needs the guest booted
# with VM_NICS=virtio-pair (tests/vm/run.sh): two virtio-net NICs whose tap
# backends share a bridge on the host, the device offering hash reports
# (VIRTIO_NET_F_HASH_REPORT, feature bit 57) and RSS (bit 60). One NIC moves
# into namespace pmvn (10.77.9.1) and sends UDP and TCP to the other
# (10.77.9.2, root namespace), where the XDP program runs. Without the
# NICs every test is skipped.
#
# Where virtio_net has virtnet_xdp_handler (6.12) the hook virtio_net is
# attached and the kernel's own bpf_xdp_metadata_rx_hash (device-bound
# oracle) agrees with pktmeta on every packet; where it does not (6.1) the
# hook virtio_net_rx on receive_buf() fills the hints instead. On every
# kernel the packet's own virtio-net header, read by the program in the
# headroom (bpf/tests/virtio_hdr.bpf.c), is the oracle too. The skb seen at
# TC ingress is no oracle here: with an XDP program attached, virtio_net
# builds the XDP_PASS skb without its virtio-net header (skb->cb stays
# zero), so the skb carries no hash of the driver's (skb->hash 0 on every
# packet, seen on 6.12).

load helpers
load sockets

NS=pmvn

# Join RX (root namespace) and TX (namespace NS) as the tests expect.
pair_up() {
	local mac
	ip netns add "$NS"
	ip link set "$TX" netns "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" addr add 10.77.9.1/24 dev "$TX"
	ip -n "$NS" link set "$TX" up
	ip addr add 10.77.9.2/24 dev "$RX"
	ip link set "$RX" up
	mac=$(cat "/sys/class/net/$RX/address")
	ip -n "$NS" neigh replace 10.77.9.2 lladdr "$mac" dev "$TX" nud permanent
	mac=$(ip -n "$NS" -br link show "$TX" | awk '{ print $3 }')
	ip neigh replace 10.77.9.1 lladdr "$mac" dev "$RX" nud permanent
	# Both carriers come up once the host bridge forwards; wait for a ping.
	for _ in $(seq 50); do
		ip netns exec "$NS" ping -c 1 -W 1 10.77.9.2 > /dev/null 2>&1 && break
		sleep 0.2
	done
}

setup_file() {
	local nics
	modprobe virtio_net 2> /dev/null || true	# no udev in the guest
	nics=($(nics_by_driver virtio_net))
	[ ${#nics[@]} -ge 2 ] || return 0
	export RX=${nics[0]} TX=${nics[1]}
	# Read now: TX's sysfs directory leaves with it into the namespace.
	export RX_FEATURES=$(cat "/sys/class/net/$RX/device/features")
	export TX_FEATURES=$(cat "/sys/class/net/$TX/device/features")
	pair_up
}

teardown_file() {
	[ -n "${RX:-}" ] || return 0
	ip addr flush dev "$RX" 2> /dev/null || true
	ip netns del "$NS" 2> /dev/null || true	# TX comes back to the root namespace
}

setup() {
	[ -n "${RX:-}" ] || skip "fewer than two virtio-net NICs: boot with VM_NICS=virtio-pair"
	load_pktmeta
	ethtool -K "$RX" rxhash on
}

has_xdp_handler() {
	grep -qx 'virtnet_xdp_handler.*' /sys/kernel/tracing/available_filter_functions
}

# Feature bit N of a virtio device's negotiated features ("0"/"1", bit 0 first).
feature_bit() {
	printf '%s' "${1:$2:1}"
}

# pmrun's counters, in the log of a failure and as TAP comments.
report() {
	echo "$output"
	echo "# $BATS_TEST_DESCRIPTION: $(printf '%s ' $output)" >&3
}

# A shell command for pmrun -c that runs helper functions with bash.
send_cmd() {
	printf "bash -c '. %s/helpers.bash; . %s/virtio_net.bash; %s' > /dev/null" \
		"$BATS_TEST_DIRNAME" "$BATS_TEST_DIRNAME" "$1"
}

@test "both virtio-net NICs negotiated hash reports (bit 57) and RSS (bit 60)" {
	echo "# $RX features $RX_FEATURES" >&3
	echo "# $TX features $TX_FEATURES" >&3
	[ "$(feature_bit "$RX_FEATURES" 57)" = 1 ]
	[ "$(feature_bit "$TX_FEATURES" 57)" = 1 ]
	[ "$(feature_bit "$RX_FEATURES" 60)" = 1 ]
	[ "$(feature_bit "$TX_FEATURES" 60)" = 1 ]
	ethtool -k "$RX" | grep -q '^receive-hashing: on'
}

@test "virtnet_xdp_handler exists (6.12): the virtio_net hook is ready" {
	has_xdp_handler || skip "no virtnet_xdp_handler on this kernel (6.1): see the virtio_net_rx test"
	hook_ready virtio_net
	[ "$(hook_state virtio_net_rx)" = unused ]
}

@test "no virtnet_xdp_handler (6.1): virtio_net says unused and virtio_net_rx fills the hints" {
	has_xdp_handler && skip "this kernel has virtnet_xdp_handler (6.12 and later): see the test above"
	[ "$(hook_state virtio_net)" = unused ]
	grep -q '^virtio_net unused .*virtnet_xdp_handler(missing)' "$DEBUGFS/hooks"
	dmesg | grep -q 'hook virtio_net unused: no virtnet_xdp_handler on this kernel; hook virtio_net_rx fills its hints'
	hook_ready virtio_net_rx
	local hits0=$(hook_hits virtio_net_rx)
	run "$PMRUN" -a "$RX" -c "$(send_cmd "send_udp $NS 9 2000")" \
		-p pkts -p hash_ok -p vlan_ok -p ts_ok -p unset_other \
		"$BPF/tests/hints.bpf.o" hints_read
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 1000 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]
	[ "$(var vlan_ok)" = 0 ]	# virtio-net reports no VLAN tag or timestamp
	[ "$(var ts_ok)" = 0 ]
	[ "$(var unset_other)" = 0 ]
	[ $(($(hook_hits virtio_net_rx) - hits0)) -ge "$(var pkts)" ]
	[ "$(hook_frame_misses virtio_net_rx)" = 0 ]
}

@test "rx_hash is the hash report in each packet's own virtio-net header, 20 flows, 0 wrong" {
	run "$PMRUN" -a "$RX" -c "$(send_cmd "send_udp_flows $NS 10.77.9.2 4000 20")" \
		-p pkts -p agree -p disagree -p unset -p failed -p reported \
		"$BPF/tests/virtio_hdr.bpf.o" hdr_oracle
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 2000 ]
	[ "$(var reported)" = "$(var pkts)" ]	# the device hashed every one
	[ "$(var agree)" = "$(var pkts)" ]
	[ "$(var disagree)" = 0 ]
	[ "$(var unset)" = 0 ]
	[ "$(var failed)" = 0 ]
}

@test "the kernel's rx_hash kfunc agrees with pktmeta on every packet, UDP and TCP, all with hash reports" {
	has_xdp_handler || skip "no virtnet_xdp_handler, so no bpf_xdp_metadata_rx_hash, on this kernel (6.1): see the virtio_net_rx and header tests"
	local hits0=$(hook_hits virtio_net)
	run "$PMRUN" -b -a "$RX" \
		-c "$(send_cmd "send_udp $NS 9 3000; tcp_transfer $NS 10.77.9.2 4 65536")" \
		-p pkts -p agree -p hash_bad -p vlan_bad -p ts_bad -p with_hash -p with_l4 \
		"$BPF/tests/hints_oracle.bpf.o" oracle
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 2000 ]
	[ "$(var agree)" = "$(var pkts)" ]
	[ "$(var with_hash)" = "$(var pkts)" ]
	[ "$(var with_l4)" -ge 2000 ]	# UDP and TCP hash reports from the device
	[ $(($(hook_hits virtio_net) - hits0)) -ge "$(var pkts)" ]
}

@test "ethtool -K rxhash off: rx_hash unset on every packet, never stale" {
	# First fill the receive buffers with hints, then turn hashing off.
	run "$PMRUN" -a "$RX" -c "$(send_cmd "send_udp $NS 9 500")" \
		-p pkts -p hash_ok "$BPF/tests/hints.bpf.o" hints_read
	echo "$output"
	[ "$(var pkts)" -gt 0 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]
	ethtool -K "$RX" rxhash off
	run "$PMRUN" -a "$RX" -c "$(send_cmd "send_udp $NS 9 1000")" \
		-p pkts -p hash_ok -p unset_other "$BPF/tests/hints.bpf.o" hints_read
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 500 ]
	[ "$(var hash_ok)" = 0 ]
	[ "$(var unset_other)" = 0 ]
	has_xdp_handler || return 0	# 6.1: no bpf_xdp_metadata_rx_hash to ask
	run "$PMRUN" -b -a "$RX" \
		-c "$(send_cmd "send_udp $NS 9 1000; tcp_transfer $NS 10.77.9.2 2 32768")" \
		-p pkts -p agree -p with_hash -p with_l4 "$BPF/tests/hints_oracle.bpf.o" oracle
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 500 ]
	[ "$(var with_hash)" = 0 ]
	[ "$(var with_l4)" = 0 ]
	[ "$(var agree)" = "$(var pkts)" ]
}

# Last in this file: it takes the NICs down and brings them back.
@test "rmmod virtio_net with pktmeta loaded detaches the hook; modprobe brings it back" {
	local hook=virtio_net_rx nics
	has_xdp_handler && hook=virtio_net
	hook_ready "$hook"
	ip netns del "$NS"
	rmmod virtio_net
	[ "$(hook_state "$hook")" = waiting ]
	modprobe virtio_net
	hook_ready "$hook"
	nics=($(nics_by_driver virtio_net))
	RX=${nics[0]} TX=${nics[1]}
	pair_up
	ethtool -K "$RX" rxhash on
	run "$PMRUN" -a "$RX" -c "$(send_cmd "send_udp $NS 9 500")" \
		-p pkts -p hash_ok -p unset_other "$BPF/tests/hints.bpf.o" hints_read
	report
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge 250 ]
	[ "$(var unset_other)" = 0 ]
	[ "$(var hash_ok)" = "$(var pkts)" ]
}

# tc_check's counts for 4000 test packets with PAD bytes of padding sent
# to RX, where xdp_mark sets a field on every other one.
virtio_tc_run() {
	local id
	id=$(register_field stack.value 8)
	run "$PMRUN" -a "$RX" -t tc_check -s field_id="$id" \
		-c "$(send_cmd "send_udp $NS 9 4000 0 0 \"\" $1")" \
		-p tc_seen -p tc_ok_set -p tc_ok_unset -p tc_lost -p tc_bad \
		"$BPF/tests/stack.bpf.o" xdp_mark
	report
	unregister_all_fields
	[ "$status" -eq 0 ]
	# 0 wrong, every packet seen accounted for. The emulated NICs and the
	# host bridge drop datagrams when the machine is busy (3416 of 4000
	# arrived in one loaded run): the floor is half of them.
	[ "$(var tc_bad)" = 0 ]
	[ "$(var tc_seen)" -ge 2000 ]
	[ $(($(var tc_ok_set) + $(var tc_ok_unset) + $(var tc_lost))) = "$(var tc_seen)" ]
	[ "$(var tc_ok_unset)" -ge 800 ]
}

@test "XDP_PASS on virtio-net: TC reads each packet's own field (packets over 128 bytes)" {
	virtio_tc_run 200
	[ "$(var tc_lost)" = 0 ]
	[ "$(var tc_ok_set)" -ge 800 ]
}

@test "XDP_PASS on virtio-net, packets of 128 bytes or less: kept on 6.12, dropped by 6.1's copy into a new skb" {
	virtio_tc_run 0
	if has_xdp_handler; then
		[ "$(var tc_lost)" = 0 ]
		[ "$(var tc_ok_set)" -ge 800 ]
	else
		[ "$(var tc_ok_set)" = 0 ]
		[ "$(var tc_lost)" -ge 800 ]
	fi
}

@test "XDP_PASS on virtio-net: the hash and VLAN tag the program stored win over the driver's in the skb" {
	# 200 bytes of padding: 6.1 copies smaller packets into a new skb,
	# which has no area (test above).
	run "$PMRUN" -a "$RX" -t tc_hints \
		-c "$(send_cmd "send_udp_flows $NS 10.77.9.2 4000 16 200")" \
		-p xdp_seen -p xdp_set_err -p tc_seen -p hint_ok -p hint_bad -p bad_hash -p bad_want_hash \
		-p bad_vlan_present "$BPF/tests/skb_hints.bpf.o" xdp_store
	report
	[ "$status" -eq 0 ]
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var hint_bad)" = 0 ]
	[ "$(var hint_ok)" = "$(var tc_seen)" ]
	[ "$(var hint_ok)" -ge 2000 ]
}

@test "a field set on packets XDP dropped never reaches a later packet's skb once the program is detached" {
	local id
	id=$(register_field stack.value 8)
	# Every packet gets the field and is dropped: no skb takes its area.
	run "$PMRUN" -a "$RX" -s field_id="$id" -s mark_every=1 -s drop=1 \
		-c "$(send_cmd "send_udp $NS 9 4000 0 0 \"\" 200")" \
		-p xdp_seen -p xdp_set_ok "$BPF/tests/stack.bpf.o" xdp_mark
	report
	[ "$status" -eq 0 ]
	[ "$(var xdp_set_ok)" -ge 2000 ]
	# Without the program the buffers come back for new packets: none of
	# their skbs may show a field.
	run "$PMRUN" -X -a "$RX" -t tc_check -s field_id="$id" -s mark_every=0 \
		-c "$(send_cmd "send_udp $NS 9 4000 0 0 \"\" 200")" \
		-p tc_seen -p tc_ok_unset -p tc_bad "$BPF/tests/stack.bpf.o" xdp_mark
	report
	unregister_all_fields
	[ "$status" -eq 0 ]
	[ "$(var tc_bad)" = 0 ]
	[ "$(var tc_seen)" -ge 2000 ]
	[ "$(var tc_ok_unset)" = "$(var tc_seen)" ]
}

@test "GRO on virtio-net: a packet merged from several gets -ENOENT, single ones keep their field" {
	local id
	id=$(register_field stack.value 8)
	timeout 60 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 104, 1)	# UDP_GRO: GRO may merge
s.bind(("10.77.9.2", 47002))
while True: s.recv(65536)
' virtio-gro-sink &
	sleep 1
	run "$PMRUN" -a "$RX" -t tc_gro -s field_id="$id" \
		-c "ip netns exec $NS python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_UDP, 103, 1400); [s.sendto(bytes(1400 * 40), (\"10.77.9.2\", 47002)) for _ in range(100)]'" \
		-p gro_merged_ok -p gro_merged_bad -p gro_single_ok -p gro_single_bad \
		"$BPF/tests/stack.bpf.o" xdp_mark
	report
	pkill -f virtio-gro-sink || true
	unregister_all_fields
	[ "$status" -eq 0 ]
	[ "$(var gro_merged_bad)" = 0 ]
	[ "$(var gro_single_bad)" = 0 ]
	[ "$(var gro_merged_ok)" -gt 0 ]
}

@test "a UDP socket gets each of 1e4 datagrams' own fields over virtio-net" {
	local SENT=10000 OUT=$BATS_TEST_TMPDIR/recv.out READY=$BATS_TEST_TMPDIR/ready
	RECVS=()
	register_socket_fields
	recv_start "$OUT" -t udp4 -f sock.a -f sock.b
	# Over 128 bytes: 6.1 copies smaller packets into a new skb (above).
	xdp_send "$RX" "$(send_cmd "send_udp $NS 9 $SENT 0 0 \"\" 200")"
	recv_result "$OUT"
	recv_stop_all
	unregister_all_fields
	assert_fields
}


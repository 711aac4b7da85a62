#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Through the stack: a field set at XDP is read at TC ingress on the skb
# made of the packet's buffer (XDP_PASS, generic XDP, cpumap, a redirect
# into a veth), and every other skb gets -ENOENT, never another packet's
# value. TC makes fields where the headroom holds them. README, "Through the
# stack", lists what drops the fields; each case is tested here.

load helpers

OBJ=$BPF/tests/stack.bpf.o

setup() {
	modprobe veth
	load_pktmeta
	ID=$(register_field stack.value 8)
	[ "$ID" -ge 0 ]
	veth_to_ns pms0 pmsa 21
}

teardown() {
	veth_del pms0 pmsa
	veth_del pms1 pmsb
	pkill -f stack-sink 2> /dev/null || true
	unregister_all_fields
}

send_cmd() {
	printf "bash -c '. %s/helpers.bash; %s' > /dev/null" "$BATS_TEST_DIRNAME" "$1"
}

TC_VARS=(-p tc_seen -p tc_ok_set -p tc_ok_unset -p tc_lost -p tc_bad -p bad_seq -p bad_ret -p bad_val)

# tc_check's verdict, judged by what arrived: 0 wrong values, 0 stale ones,
# every packet seen accounted for, and at least half of the SENT packets
# seen (a stated floor: a busy machine drops some on veths and the cpumap
# queue). About half of them (even seq) carry a field when MARKED=1.
assert_tc_clean() {
	local sent=$1 marked=${2:-1} seen
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var tc_bad)" = 0 ]
	[ "$(var tc_lost)" = 0 ]
	seen=$(var tc_seen)
	[ "$seen" -le "$sent" ]
	[ "$seen" -ge $((sent / 2)) ]
	if [ "$marked" = 1 ]; then
		[ $(($(var tc_ok_set) + $(var tc_ok_unset))) = "$seen" ]
		[ "$(var tc_ok_set)" -ge $((sent / 5)) ]
		[ "$(var tc_ok_unset)" -ge $((sent / 5)) ]
	else
		[ "$(var tc_ok_unset)" = "$seen" ]
	fi
}

@test "100000 packets on veth, every other one with a field: TC reads each packet's own value or -ENOENT" {
	run "$PMRUN" -a pms0 -t tc_check -s field_id="$ID" -s check_hash=1 \
		-c "$(send_cmd "send_udp pmsa 21 100000")" \
		"${TC_VARS[@]}" -p xdp_set_ok -p xdp_set_err -p hash_ok -p hash_bad "$OBJ" xdp_mark
	assert_tc_clean 100000
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var hash_bad)" = 0 ]
	[ "$(var hash_ok)" = "$(var tc_ok_set)" ]
}

@test "values stored through bpf_xdp_pktmeta_ptr reach TC: each packet's own value or -ENOENT" {
	run "$PMRUN" -a pms0 -t tc_check -s field_id="$ID" -s use_ptr=1 \
		-c "$(send_cmd "send_udp pmsa 21 20000")" \
		"${TC_VARS[@]}" -p xdp_set_ok -p xdp_set_err "$OBJ" xdp_mark
	assert_tc_clean 20000
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var xdp_set_ok)" -ge $(($(var tc_ok_set))) ]
}

@test "generic XDP: TC reads the field on the same skb" {
	run "$PMRUN" -g -a pms0 -t tc_check -s field_id="$ID" \
		-c "$(send_cmd "send_udp pmsa 21 10000")" "${TC_VARS[@]}" "$OBJ" xdp_mark
	assert_tc_clean 10000
}

@test "skbs without XDP and locally generated skbs get -ENOENT" {
	# First leave fields in the buffers, then send without XDP.
	run "$PMRUN" -a pms0 -t tc_check -s field_id="$ID" -s mark_every=1 \
		-c "$(send_cmd "send_udp pmsa 21 5000")" -p tc_ok_set "$OBJ" xdp_mark
	[ "$(var tc_ok_set)" -ge 2500 ]
	run "$PMRUN" -X -a pms0 -t tc_check -s field_id="$ID" -s mark_every=0 \
		-c "$(send_cmd "send_udp pmsa 21 5000")" "${TC_VARS[@]}" "$OBJ" xdp_mark
	assert_tc_clean 5000 0
	# The sender's own skbs at its TC egress.
	run ip netns exec pmsa "$PMRUN" -X -E -a pms0-p -t tc_check -s field_id="$ID" -s mark_every=0 \
		-c "$(send_cmd "send_udp pmsa 21 5000")" "${TC_VARS[@]}" "$OBJ" xdp_mark
	assert_tc_clean 5000 0
}

@test "cpumap: frames passed up on another CPU keep their fields" {
	local upd="bpftool map update name cpus key 1 0 0 0 value 0 1 0 0 0 0 0 0"
	run "$PMRUN" -a pms0 -t tc_check -s field_id="$ID" -s use_cpumap=1 -s cpu_target=1 \
		-c "$upd && $(send_cmd "send_udp pmsa 21 10000")" "${TC_VARS[@]}" "$OBJ" xdp_mark
	assert_tc_clean 10000
	[ "$(hook_hits skb)" -ge "$(var tc_ok_set)" ]
}

@test "redirect into a veth: the peer's skbs keep the fields" {
	ip netns add pmsb
	ip link add pms1 type veth peer name pms1-p netns pmsb
	ip link set pms1 up
	ip -n pmsb link set pms1-p up
	local inner
	inner="ip netns exec pmsb $PMRUN -a pms1-p -t tc_check -s field_id=$ID ${TC_VARS[*]} -c \"$(send_cmd "send_udp pmsa 21 10000")\" $OBJ xdp_pass"
	run "$PMRUN" -a pms0 -s field_id="$ID" -s redirect_ifindex="$(cat /sys/class/net/pms1/ifindex)" \
		-c "$inner" -p xdp_set_ok "$OBJ" xdp_mark
	assert_tc_clean 10000
	[ "$(var xdp_set_ok)" -ge "$(var tc_ok_set)" ]
}

@test "GRO on veth: no merged packet carries a field, a packet GRO left single keeps its own" {
	ip addr add 10.77.21.2/24 dev pms0
	# A receiver with UDP_GRO (104) lets GRO merge its datagrams; the sender
	# hands veth 64 KB UDP_SEGMENT (103) buffers, segmented at its xmit into
	# bursts that one NAPI poll of pms0 sees together.
	timeout 60 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 104, 1)
s.bind(("10.77.21.2", 47002))
while True: s.recv(65536)
' stack-sink &
	sleep 1
	local client="ip netns exec pmsa python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_UDP, 103, 1400); [s.sendto(bytes(1400 * 40), (\"10.77.21.2\", 47002)) for _ in range(100)]'"
	run "$PMRUN" -a pms0 -t tc_gro -s field_id="$ID" -c "$client" \
		-p gro_merged_ok -p gro_merged_bad -p gro_single_ok -p gro_single_bad -p gro_bytes "$OBJ" xdp_mark
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var gro_merged_bad)" = 0 ]
	[ "$(var gro_single_bad)" = 0 ]
	[ $(($(var gro_merged_ok) + $(var gro_single_ok))) -gt 0 ]
	# Under TCG veth's NAPI polls see one datagram at a time, so GRO has
	# not merged any here so far; virtio_net.bats has the merges.
}

@test "TC set makes an area where the headroom holds it, else -ENOSPC" {
	# veth's XDP path leaves 256 bytes of headroom: room for an area.
	run "$PMRUN" -a pms0 -t tc_set -s field_id="$ID" \
		-c "$(send_cmd "send_udp pmsa 21 2000")" -p set_ok -p set_enospc -p set_other -p set_read_back "$OBJ" xdp_pass
	echo "$output"
	[ "$(var set_ok)" -ge 1000 ]
	[ "$(var set_read_back)" = "$(var set_ok)" ]
	[ "$(var set_other)" = 0 ]
	# A UDP socket's skb has only LL_RESERVED_SPACE (32 bytes) of headroom.
	run ip netns exec pmsa "$PMRUN" -X -E -a pms0-p -t tc_set -s field_id="$ID" \
		-c "$(send_cmd "send_udp pmsa 21 2000")" -p set_ok -p set_enospc -p set_other "$OBJ" xdp_pass
	echo "$output"
	[ "$(var set_enospc)" -ge 1000 ]
	[ "$(var set_ok)" = 0 ]
	[ "$(var set_other)" = 0 ]
}

REALLOC_VARS=(-p realloc_before_ok -p realloc_after_kept -p realloc_after_gone -p realloc_other)

@test "a reallocated head keeps the fields: bpf_skb_change_tail past the tailroom, each packet keeps its value" {
	local moved0
	moved0=$(hook_hits expand)
	run "$PMRUN" -a pms0 -t tc_realloc -s field_id="$ID" -s mark_every=1 -s realloc_tail=1 \
		-c "$(send_cmd "send_udp pmsa 21 2000")" "${REALLOC_VARS[@]}" "$OBJ" xdp_mark
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var realloc_before_ok)" -ge 1000 ]
	[ "$(var realloc_after_kept)" = "$(var realloc_before_ok)" ]
	[ "$(var realloc_after_gone)" = 0 ]
	[ "$(var realloc_other)" = 0 ]
	# the area moved to each new head (module/hook_expand.c)
	[ $(($(hook_hits expand) - moved0)) -ge "$(var realloc_after_kept)" ]
}

@test "bpf_skb_change_head pushing bytes over the area drops the field: -ENOENT, never another value" {
	run "$PMRUN" -a pms0 -t tc_realloc -s field_id="$ID" -s mark_every=1 \
		-c "$(send_cmd "send_udp pmsa 21 2000")" "${REALLOC_VARS[@]}" "$OBJ" xdp_mark
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var realloc_before_ok)" -ge 1000 ]
	[ "$(var realloc_after_gone)" = "$(var realloc_before_ok)" ]
	[ "$(var realloc_after_kept)" = 0 ]
	[ "$(var realloc_other)" = 0 ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Locally generated skbs: a UDP socket's skb has too little headroom for an
# area, so a plain TC set says -ENOSPC; pktmeta_skb_set_room()
# (include/pktmeta.bpf.h) makes room without changing a packet byte and
# sets, and the field arrives with each packet at TC ingress across a veth
# into another namespace, or over lo.

load helpers

OBJ=$BPF/tests/local.bpf.o
EGRESS_VARS=(-p egress_seen -p set_ok -p set_needed_room -p set_err)
INGRESS_VARS=(-p ingress_seen -p got_own -p got_other -p got_none -p get_err)

setup() {
	modprobe veth
	load_pktmeta
	ID=$(register_field local.seq 8)
	[ "$ID" -ge 0 ]
}

teardown() {
	veth_del pml0 pmla
	ip netns del pmlo 2> /dev/null || true
	unregister_all_fields
}

# Judge both ends by what arrived: every packet seen at egress needed room
# (the socket's headroom is too small) and got its field; at ingress at
# least half of SENT arrived, each with its own value (0 wrong, 0 errors).
# A test packet may show up at TC more often than the sender sent it: a
# program at veth ingress alone counted 2001 of 2000 with no pktmeta call,
# and lo's TC saw each datagram twice at both ends, while a packet socket
# on the veth saw every seq once. Such copies never passed the egress
# program; at most 1% of SENT may arrive without a field.
assert_local_clean() {
	local sent=$1 egress
	echo "$output"
	[ "$status" -eq 0 ]
	egress=$output
	output=$(cat "$BATS_TEST_TMPDIR/egress")
	echo "egress: $output"
	[ "$(var egress_seen)" -ge "$sent" ]
	[ "$(var set_ok)" = "$(var egress_seen)" ]
	[ "$(var set_needed_room)" = "$(var egress_seen)" ]
	[ "$(var set_err)" = 0 ]
	output=$egress
	[ "$(var got_own)" -ge $((sent / 2)) ]
	[ "$(var got_other)" = 0 ]
	[ "$(var get_err)" = 0 ]
	[ "$(var got_none)" -le $((sent / 100)) ]
}

@test "a UDP socket's skbs get a field at TC egress with room made, and each arrives with its own value across a veth into another namespace" {
	veth_to_ns pml0 pmla 31
	local send
	send=$(printf "bash -c '. %s/helpers.bash; send_udp pmla 31 2000' > /dev/null" "$BATS_TEST_DIRNAME")
	run "$PMRUN" -X -a pml0 -t local_check -s field_id="$ID" "${INGRESS_VARS[@]}" \
		-c "ip netns exec pmla $PMRUN -X -E -a pml0-p -t local_set -s field_id=$ID ${EGRESS_VARS[*]} -c \"$send\" $OBJ local_set > $BATS_TEST_TMPDIR/egress" \
		"$OBJ" local_check
	assert_local_clean 2000
}

@test "a packet looped back on lo keeps the field set at lo's TC egress" {
	ip netns add pmlo
	ip -n pmlo link set lo up
	local send
	send=$(printf "bash -c '. %s/helpers.bash; send_udp pmlo 127.0.0.1 2000' > /dev/null" "$BATS_TEST_DIRNAME")
	run ip netns exec pmlo "$PMRUN" -X -a lo -t local_check -s field_id="$ID" "${INGRESS_VARS[@]}" \
		-c "$PMRUN -X -E -a lo -t local_set -s field_id=$ID ${EGRESS_VARS[*]} -c \"$send\" $OBJ local_set > $BATS_TEST_TMPDIR/egress" \
		"$OBJ" local_check
	assert_local_clean 2000
}

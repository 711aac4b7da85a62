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

# Judge both ends by what arrived: every packet sent got its field at
# egress after making room, and every one that arrived carries its own
# value (0 wrong, 0 without), at least half of SENT arriving.
assert_local_clean() {
	local sent=$1 egress
	echo "$output"
	[ "$status" -eq 0 ]
	egress=$output
	output=$(cat "$BATS_TEST_TMPDIR/egress")
	echo "egress: $output"
	[ "$(var egress_seen)" = "$sent" ]
	[ "$(var set_ok)" = "$sent" ]
	[ "$(var set_needed_room)" = "$sent" ]	# the socket's headroom is too small
	[ "$(var set_err)" = 0 ]
	output=$egress
	[ "$(var ingress_seen)" -ge $((sent / 2)) ]
	[ "$(var got_own)" = "$(var ingress_seen)" ]
	[ "$(var got_other)" = 0 ]
	[ "$(var got_none)" = 0 ]
	[ "$(var get_err)" = 0 ]
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

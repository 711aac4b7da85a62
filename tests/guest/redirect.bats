#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Fields survive XDP_REDIRECT: a field set by XDP on one veth and redirected
# (bpf_redirect into another veth, a devmap, a cpumap) is read by the XDP
# program at the other end, with its own value on each packet, and so is the
# driver's rx_hash hint.

load helpers

OBJ=$BPF/tests/stack.bpf.o

setup() {
	modprobe veth
	load_pktmeta
	ID=$(register_field redirect.value 8)
	HASH_ID=$(register_field redirect.hash 4)
	veth_to_ns pmr0 pmra 22
	ip netns add pmrb
	ip link add pmr1 type veth peer name pmr1-p netns pmrb
	ip link set pmr1 up
	ip -n pmrb link set pmr1-p up
}

teardown() {
	veth_del pmr0 pmra
	veth_del pmr1 pmrb
	unregister_all_fields
}

send_cmd() {
	printf "bash -c '. %s/helpers.bash; %s' > /dev/null" "$BATS_TEST_DIRNAME" "$1"
}

CHK_VARS=(-p chk_seen -p chk_ok_set -p chk_ok_unset -p chk_lost -p chk_bad -p chk_hash_ok -p chk_hash_bad)

# The far end saw all SENT packets: half with their own value, half without
# a field, and on each marked one the rx_hash hint of the ingress.
assert_far_end_clean() {
	local sent=$1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var chk_bad)" = 0 ]
	[ "$(var chk_lost)" = 0 ]
	[ "$(var chk_seen)" = "$sent" ]
	[ "$(var chk_ok_set)" = $(((sent + 1) / 2)) ]
	[ "$(var chk_ok_unset)" = $((sent / 2)) ]
	[ "$(var chk_hash_bad)" = 0 ]
	[ "$(var chk_hash_ok)" = $(((sent + 1) / 2)) ]
}

@test "bpf_redirect into another veth: the XDP program at the far end reads each packet's value and rx_hash" {
	local inner
	inner="ip netns exec pmrb $PMRUN -a pmr1-p -s field_id=$ID -s hash_field_id=$HASH_ID ${CHK_VARS[*]} -c \"$(send_cmd "send_udp pmra 22 5000")\" $OBJ xdp_far_end"
	run "$PMRUN" -a pmr0 -s field_id="$ID" -s hash_field_id="$HASH_ID" \
		-s redirect_ifindex="$(cat /sys/class/net/pmr1/ifindex)" -c "$inner" "$OBJ" xdp_mark
	assert_far_end_clean 5000
}

@test "devmap: the devmap program reads each packet's value and rx_hash" {
	# A veth takes redirected frames when its peer has NAPI: GRO on (6.12
	# checks NETDEV_XDP_ACT_NDO_XMIT before the devmap program runs).
	ip netns exec pmrb ethtool -K pmr1-p gro on
	run "$PMRUN" -a pmr0 -s field_id="$ID" -s hash_field_id="$HASH_ID" -s use_devmap=1 \
		-m devs:0:pmr1:devmap_check -c "$(send_cmd "send_udp pmra 22 5000")" \
		"${CHK_VARS[@]}" "$OBJ" xdp_mark
	assert_far_end_clean 5000
}

@test "cpumap: the cpumap program on another CPU reads each packet's value and rx_hash" {
	run "$PMRUN" -a pmr0 -s field_id="$ID" -s hash_field_id="$HASH_ID" -s use_cpumap=1 -s cpu_target=1 \
		-m cpus:1:256:cpumap_check -c "$(send_cmd "send_udp pmra 22 5000")" \
		"${CHK_VARS[@]}" "$OBJ" xdp_mark
	assert_far_end_clean 5000
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Fields survive XDP_REDIRECT: a field set by XDP on one veth and redirected
# (bpf_redirect into another veth, a devmap with a devmap program, a cpumap
# with a cpumap program) is read by the XDP program at the other end, with
# its own value on each packet, and so is the driver's rx_hash hint the
# ingress program read. On packets the ingress program did not touch, the
# hint pending at the redirect is the packet's own or unset, never another's.
# Programs and counters: bpf/tests/redirect.bpf.c.

load helpers

OBJ=$BPF/tests/redirect.bpf.o
SENT=5000
FLOWS=15	# odd: consecutive packets are in different flows

setup() {
	load_pktmeta
	VALUE_ID=$(register_field redirect.value 8)
	HASH_ID=$(register_field redirect.rxhash 8)
	[ "$VALUE_ID" -ge 0 ]
	[ "$HASH_ID" -ge 0 ]
	veth_to_ns pmr0 pmra 22
	ip netns add pmrb
	ip link add pmr1 type veth peer name pmr1-p netns pmrb
	ip link set pmr1 up
	ip -n pmrb link set pmr1-p up
	# Packet seq is in flow seq % FLOWS (its own source port, its own
	# rx_hash).
	printf '. %s/helpers.bash\nsend_udp_flows pmra 10.77.22.2 %s %s\n' \
		"$BATS_TEST_DIRNAME" "$SENT" "$FLOWS" > "$BATS_TEST_TMPDIR/send.sh"
	SEND="bash $BATS_TEST_TMPDIR/send.sh"
	SET_ARGS=(-s value_id="$VALUE_ID" -s hash_id="$HASH_ID"
		-p set_seen -p set_marked -p set_err -p set_no_hash)
}

teardown() {
	veth_del pmr0 pmra
	veth_del pmr1 pmrb
	unregister_all_fields
}

CHK_VARS=(-p chk_seen -p val_ok -p val_unset_ok -p val_missing -p val_bad
	-p first_bad_seq -p first_bad_ret -p first_bad_val
	-p hint_ok -p hint_unverified -p hint_missing -p hint_unset -p hint_bad -p hint_zero -p flows_learned
	-p hint_bad_marked -p first_hint_bad_seq -p first_hint_bad_got -p first_hint_bad_want)

# Judged by what arrived, never by every datagram arriving: on a busy
# machine veths and the cpumap queue drop some. Of the SENT packets at least
# half reach the ingress program and half of those the far end (a stated
# floor); there, each marked packet has exactly its own value and the
# rx_hash hint the ingress program read, no unmarked packet has a value,
# and unmarked packets, which the ingress program leaves alone, have the
# rx_hash of their own flow (computed at the redirect from the buffer:
# hook_redirect.c), never another and never none.
assert_far_end_clean() {
	local seen marked far
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var sent)" = "$SENT" ]
	seen=$(var set_seen) marked=$(var set_marked) far=$(var chk_seen)
	[ "$seen" -le "$SENT" ]
	[ "$seen" -ge $((SENT / 2)) ]
	[ "$(var set_err)" = 0 ]
	[ "$(var set_no_hash)" = 0 ]
	[ "$far" -le "$seen" ]
	[ "$far" -ge $((seen / 2)) ]
	# The value, at the far end: 0 wrong, every packet accounted for.
	[ "$(var val_bad)" = 0 ]
	[ "$(var val_missing)" = 0 ]
	[ $(($(var val_ok) + $(var val_unset_ok))) = "$far" ]
	[ "$(var val_ok)" -le "$marked" ]
	[ "$(var val_ok)" -ge $((far / 4)) ]
	[ "$(var val_unset_ok)" -ge $((far / 4)) ]
	# The rx_hash hint, at the far end.
	[ "$(var hint_missing)" = 0 ]
	[ "$(var hint_unset)" = 0 ]
	[ "$(var hint_bad)" = 0 ]
	[ "$(var hint_zero)" = 0 ]
	[ "$(var flows_learned)" = "$FLOWS" ]
	[ "$(var hint_unverified)" -le "$FLOWS" ]
	[ "$(var hint_ok)" -ge "$(var val_ok)" ]
	[ $(($(var hint_ok) + $(var hint_unverified) + $(var hint_unset))) = "$far" ]
}

@test "bpf_redirect into another veth: the XDP program at the far end gets each packet's own value and rx_hash, 5000 packets, no mismatch" {
	local far
	far="ip netns exec pmrb $PMRUN -a pmr1-p -s value_id=$VALUE_ID -s hash_id=$HASH_ID ${CHK_VARS[*]} -c '$SEND' $OBJ far_end_check"
	run "$PMRUN" -a pmr0 "${SET_ARGS[@]}" -s redirect_ifindex="$(cat /sys/class/net/pmr1/ifindex)" \
		-c "$far" "$OBJ" set_redirect
	assert_far_end_clean
}

@test "devmap: the devmap program gets each packet's own value and rx_hash, 5000 packets, no mismatch" {
	# A veth takes redirected frames when its peer has NAPI: GRO on (6.12
	# checks NETDEV_XDP_ACT_NDO_XMIT before the devmap program runs).
	ip netns exec pmrb ethtool -K pmr1-p gro on
	run "$PMRUN" -a pmr0 "${SET_ARGS[@]}" -s use_devmap=1 -m devs:0:pmr1:devmap_check \
		"${CHK_VARS[@]}" -c "$SEND" "$OBJ" set_redirect
	assert_far_end_clean
}

@test "cpumap: the cpumap program on another CPU gets each packet's own value and rx_hash, 5000 packets, no mismatch" {
	run "$PMRUN" -a pmr0 "${SET_ARGS[@]}" -s use_cpumap=1 -s cpu_target=1 -m cpus:1:256:cpumap_check \
		"${CHK_VARS[@]}" -c "$SEND" "$OBJ" set_redirect
	assert_far_end_clean
}

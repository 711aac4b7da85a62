#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Everywhere an skb goes: a field set on a locally sent packet at TC egress
# (pktmeta_skb_set_room(), bpf/tests/local.bpf.c) travels with it through
# IP forwarding in a router namespace, through a VXLAN tunnel between two
# namespaces (the outer skb at the sender, the inner one after decap at the
# receiver), through an encapsulation with bpf_skb_adjust_room() at the
# sender's TC egress and its decapsulation at the receiver's TC ingress
# (kept when the push fits in the headroom; -ENOENT when it does not), and
# to the clone a tc mirred action sends to a second device, each packet
# with its own value. README, "Through the stack", has the table of what
# keeps and what drops the fields.

load helpers

OBJ=$BPF/tests/local.bpf.o
EGRESS_VARS="-p egress_seen -p set_ok -p set_needed_room -p set_err"
CHECK_VARS="-p ingress_seen -p got_own -p got_other -p got_none -p get_err"
PUSH_VARS="-p push_err -p pushed_own -p pushed_other -p pushed_none -p pushed_err"
POP_VARS="-p pop_err -p outer_own -p outer_other -p outer_none -p outer_err"

setup() {
	modprobe veth
	modprobe vxlan
	load_pktmeta
	ID=$(register_field path.seq 8)
	[ "$ID" -ge 0 ]
}

teardown() {
	local ns
	for ns in pmpa pmpr pmpb pmpc; do
		ip netns del "$ns" 2> /dev/null || true
	done
	unregister_all_fields
}

# A veth pair DEV_A in NS_A (address A/24) and DEV_B in NS_B (address B/24).
pair() { # NS_A DEV_A A NS_B DEV_B B
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
	ip -n "$1" addr add "$3/24" dev "$2"
	ip -n "$4" addr add "$6/24" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# Write a script that runs pmrun in namespace NS with ARGS and the command
# of script INNER, its variables to OUT; prints the script's path.
pmrun_script() { # NAME NS INNER OUT ARGS...
	local name=$1 ns=$2 inner=$3 out=$4
	local f=$BATS_TEST_TMPDIR/$name.sh
	shift 4
	echo "ip netns exec $ns $PMRUN $* -c 'sh $inner' > $out" > "$f"
	echo "$f"
}

# FILE's variables on one line of the TAP output (the README's counts).
report() { # FILE
	echo "# ${1##*/}: $(tr '\n' ' ' < "$1")" >&3
}

# Judge a checker's variables in FILE: at least half of SENT with their
# own value, none wrong, at most 1% without (copies TC may see beside the
# packets sent: see local.bats).
assert_checked() { # FILE SENT
	report "$1"
	output=$(cat "$1")
	echo "$1: $output"
	[ "$(var got_own)" -ge $(($2 / 2)) ]
	[ "$(var got_other)" = 0 ]
	[ "$(var get_err)" = 0 ]
	[ "$(var got_none)" -le $(($2 / 100)) ]
}

assert_set() { # FILE SENT
	report "$1"
	output=$(cat "$1")
	echo "$1: $output"
	[ "$(var egress_seen)" -ge "$2" ]
	[ "$(var set_ok)" -ge "$2" ]
	[ "$(var set_err)" -le $(($2 / 100)) ]
}

# Send 2000 test packets from pmpa to 10.77.55.2 over veth pmp0 -> pmp1
# (pmpb) with program SET at pmp0's TC egress and CHECK at pmp1's TC
# ingress, both given "-s OPTS...", printing SET_VARS and CHECK_VARS (a
# word each) into $BATS_TEST_TMPDIR/set.out and check.out; judge set.out.
send_through() { # SET SET_VARS CHECK CHECK_VARS OPTS...
	local t=$BATS_TEST_TMPDIR s set=$1 set_vars=$2 check=$3 check_vars=$4
	shift 4
	ip netns add pmpa
	ip netns add pmpb
	pair pmpa pmp0 10.77.55.1 pmpb pmp1 10.77.55.2
	echo "bash -c '. $BATS_TEST_DIRNAME/helpers.bash; send_udp pmpa 10.77.55.2 2000' > /dev/null" > "$t/send.sh"
	s=$(pmrun_script set pmpa "$t/send.sh" "$t/set.out" -X -E -a pmp0 -t "$set" -s field_id="$ID" \
		${*/#/-s } $set_vars "$OBJ" "$set")
	s=$(pmrun_script check pmpb "$s" "$t/check.out" -X -a pmp1 -t "$check" -s field_id="$ID" \
		${*/#/-s } $check_vars "$OBJ" "$check")
	run sh "$s"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_set "$t/set.out" 2000
}

# send_through encap_set and decap_check, LEN bytes pushed after the MAC
# header and popped. Every field set must read KIND after the push (own:
# its own value, none: -ENOENT), nothing else.
encap_run() { # LEN KIND
	send_through encap_set "$EGRESS_VARS $PUSH_VARS" decap_check "$CHECK_VARS $POP_VARS" encap_len="$1"
	output=$(cat "$BATS_TEST_TMPDIR/set.out")
	[ "$(var push_err)" = 0 ]
	[ "$(var "pushed_$2")" = "$(var set_ok)" ]
	[ $(($(var pushed_own) + $(var pushed_other) + $(var pushed_none) + $(var pushed_err))) = "$(var set_ok)" ]
}

@test "IP forwarding in a router namespace keeps each packet's field from the sender's TC egress to the receiver's TC ingress" {
	local t=$BATS_TEST_TMPDIR s
	ip netns add pmpa
	ip netns add pmpr
	ip netns add pmpb
	pair pmpa pmp0 10.77.51.1 pmpr pmp1 10.77.51.2
	pair pmpr pmp2 10.77.52.2 pmpb pmp3 10.77.52.1
	ip netns exec pmpr sysctl -qw net.ipv4.ip_forward=1
	ip -n pmpa route add 10.77.52.0/24 via 10.77.51.2
	ip -n pmpb route add 10.77.51.0/24 via 10.77.52.2
	echo "bash -c '. $BATS_TEST_DIRNAME/helpers.bash; send_udp pmpa 10.77.52.1 2000' > /dev/null" > "$t/send.sh"
	s=$(pmrun_script set pmpa "$t/send.sh" "$t/set.out" -X -E -a pmp0 -t local_set -s field_id="$ID" $EGRESS_VARS "$OBJ" local_set)
	s=$(pmrun_script check pmpb "$s" "$t/check.out" -X -a pmp3 -t local_check -s field_id="$ID" $CHECK_VARS "$OBJ" local_check)
	run sh "$s"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_set "$t/set.out" 2000
	assert_checked "$t/check.out" 2000
}

@test "a VXLAN tunnel keeps each packet's field: on the outer skb at the sender's underlay egress and on the inner skb after decap" {
	local t=$BATS_TEST_TMPDIR s mac
	ip netns add pmpa
	ip netns add pmpb
	pair pmpa pmp0 10.77.53.1 pmpb pmp1 10.77.53.2
	ip -n pmpa link add pmvx type vxlan id 42 remote 10.77.53.2 dstport 4789 dev pmp0
	ip -n pmpb link add pmvx type vxlan id 42 remote 10.77.53.1 dstport 4789 dev pmp1
	ip -n pmpa addr add 10.77.54.1/24 dev pmvx
	ip -n pmpb addr add 10.77.54.2/24 dev pmvx
	ip -n pmpa link set pmvx up
	ip -n pmpb link set pmvx up
	mac=$(ip netns exec pmpb cat /sys/class/net/pmvx/address)
	ip -n pmpa neigh replace 10.77.54.2 lladdr "$mac" dev pmvx nud permanent
	echo "bash -c '. $BATS_TEST_DIRNAME/helpers.bash; send_udp pmpa 54 2000' > /dev/null" > "$t/send.sh"
	s=$(pmrun_script set pmpa "$t/send.sh" "$t/set.out" -X -E -a pmvx -t local_set -s field_id="$ID" $EGRESS_VARS "$OBJ" local_set)
	s=$(pmrun_script outer pmpa "$s" "$t/outer.out" -X -E -a pmp0 -t tunnel_check -s field_id="$ID" $CHECK_VARS "$OBJ" tunnel_check)
	s=$(pmrun_script inner pmpb "$s" "$t/inner.out" -X -a pmvx -t local_check -s field_id="$ID" $CHECK_VARS "$OBJ" local_check)
	run sh "$s"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_set "$t/set.out" 2000
	assert_checked "$t/outer.out" 2000
	assert_checked "$t/inner.out" 2000
}

@test "encapsulation with bpf_skb_adjust_room in the headroom keeps each packet's field: after the push at TC egress, before and after the pop at TC ingress" {
	local t=$BATS_TEST_TMPDIR
	# An outer IPv4 and UDP header (28 bytes) fit in the PKTMETA_SKB_ROOM
	# bytes pktmeta_skb_set_room() made: no new head, the area stays clear.
	encap_run 28 own
	output=$(cat "$t/check.out")
	[ "$(var pop_err)" = 0 ]
	[ "$(var outer_own)" -ge 1000 ]
	[ "$(var outer_other)" = 0 ]
	[ "$(var outer_err)" = 0 ]
	[ "$(var outer_none)" -le 20 ]
	assert_checked "$t/check.out" 2000
}

@test "encapsulation pushing more than the headroom drops the field: -ENOENT after the push and after the pop, never a wrong value" {
	local t=$BATS_TEST_TMPDIR seen dropped0
	dropped0=$(hook_hits push)
	# 512 bytes (IPv4, UDP and 484 of a tunnel header) are more than the
	# room made: the new head gets just enough for them (skb_cow_head())
	# and the push covers the area. Hook push drops it at the helper's
	# entry, before pskb_expand_head() would move it (hook expand).
	encap_run 512 none
	echo "# areas or fields dropped under a push: $(($(hook_hits push) - dropped0))" >&3
	[ $(($(hook_hits push) - dropped0)) -ge 1000 ]
	report "$t/check.out"
	output=$(cat "$t/check.out")
	seen=$(var ingress_seen)
	[ "$seen" -ge 1000 ]
	[ "$(var pop_err)" = 0 ]
	[ "$(var outer_none)" = "$seen" ]
	[ "$(var got_none)" = "$seen" ]
	[ $(($(var outer_own) + $(var outer_other) + $(var outer_err))) = 0 ]
	[ $(($(var got_own) + $(var got_other) + $(var get_err))) = 0 ]
}

@test "a clone that tc mirred sends to a second device carries each packet's own field, as the original does" {
	local t=$BATS_TEST_TMPDIR s
	modprobe cls_u32
	modprobe act_mirred
	ip netns add pmpa
	ip netns add pmpb
	ip netns add pmpc
	pair pmpa pmp0 10.77.56.1 pmpb pmp1 10.77.56.2
	pair pmpa pmp2 10.77.57.1 pmpc pmp3 10.77.57.2
	# local_set (auto pref 49152) goes on to the next filter after its set;
	# the mirror clones the skb, which shares its head and so its area. u32
	# matching every packet: the debug kernel has no cls_matchall.
	cat > "$t/send.sh" <<- EOF
		tc filter add dev pmp0 egress pref 50000 protocol all u32 match u32 0 0 action mirred egress mirror dev pmp2
		tc filter show dev pmp0 egress >&2
		bash -c '. $BATS_TEST_DIRNAME/helpers.bash; send_udp pmpa 10.77.56.2 2000' > /dev/null
	EOF
	s=$(pmrun_script set pmpa "$t/send.sh" "$t/set.out" -X -E -a pmp0 -t local_set -s field_id="$ID" \
		-s set_verdict=-1 $EGRESS_VARS "$OBJ" local_set)
	s=$(pmrun_script orig pmpb "$s" "$t/orig.out" -X -a pmp1 -t local_check -s field_id="$ID" $CHECK_VARS "$OBJ" local_check)
	s=$(pmrun_script clone pmpc "$s" "$t/clone.out" -X -a pmp3 -t local_check -s field_id="$ID" $CHECK_VARS "$OBJ" local_check)
	run sh "$s"
	echo "$output"
	[ "$status" -eq 0 ]
	assert_set "$t/set.out" 2000
	assert_checked "$t/orig.out" 2000
	assert_checked "$t/clone.out" 2000
}

@test "a push within the headroom that reaches the field gives -ENOSPC; after the pop the field is its own value or -ENOENT, never another" {
	local t=$BATS_TEST_TMPDIR
	send_through overlap_set "$EGRESS_VARS $PUSH_VARS -p reach_found -p reach_len" local_check "$CHECK_VARS"
	output=$(cat "$t/set.out")
	[ "$(var push_err)" = 0 ]
	[ "$(var reach_found)" = "$(var set_ok)" ]
	[ "$(var pushed_other)" = 0 ]
	[ "$(var pushed_err)" = 0 ]
	report "$t/check.out"
	output=$(cat "$t/check.out")
	[ "$(var ingress_seen)" -ge 1000 ]
	[ "$(var got_other)" = 0 ]
	[ "$(var get_err)" = 0 ]
}

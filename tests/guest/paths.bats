#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Everywhere an skb goes: a field set on a locally sent packet at TC egress
# (pktmeta_skb_set_room(), bpf/tests/local.bpf.c) travels with it through
# IP forwarding in a router namespace and through a VXLAN tunnel between
# two namespaces (the outer skb at the sender, the inner one after decap at
# the receiver), each packet with its own value. README, "Through the
# stack", has the table of what keeps and what drops the fields.

load helpers

OBJ=$BPF/tests/local.bpf.o
EGRESS_VARS="-p egress_seen -p set_ok -p set_needed_room -p set_err"
CHECK_VARS="-p ingress_seen -p got_own -p got_other -p got_none -p get_err"

setup() {
	modprobe veth
	modprobe vxlan
	load_pktmeta
	ID=$(register_field path.seq 8)
	[ "$ID" -ge 0 ]
}

teardown() {
	local ns
	for ns in pmpa pmpr pmpb; do
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

# Judge a checker's variables in FILE: at least half of SENT with their
# own value, none wrong, at most 1% without (copies TC may see beside the
# packets sent: see local.bats).
assert_checked() { # FILE SENT
	output=$(cat "$1")
	echo "$1: $output"
	[ "$(var got_own)" -ge $(($2 / 2)) ]
	[ "$(var got_other)" = 0 ]
	[ "$(var get_err)" = 0 ]
	[ "$(var got_none)" -le $(($2 / 100)) ]
}

assert_set() { # FILE SENT
	output=$(cat "$1")
	echo "$1: $output"
	[ "$(var egress_seen)" -ge "$2" ]
	[ "$(var set_ok)" -ge "$2" ]
	[ "$(var set_err)" -le $(($2 / 100)) ]
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

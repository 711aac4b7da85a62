#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# An area is valid only for the packet that initialised it (see
# module/area.c): a packet that did not set a field never reads one, whatever the
# previous packet in the same buffer set.

load helpers

OBJ=$BPF/tests/validity.bpf.o

setup() {
	load_pktmeta
	count_successes 1
	id=$(register_field valid.probe 8)
	[ "$id" -gt 2 ]
}

teardown() {
	count_successes 0
	veth_del pmv0 pmva
	unregister_all_fields
}

@test "test runs alternating with and without a set: only the packet that set the field reads it" {
	for i in $(seq 1 20); do
		v=$((i * 7919 + 1))
		if ((i % 2)); then
			run "$PMRUN" -s id="$id" -s do_set=1 -s value=$v -p get_ret -p got -p set_ret "$OBJ" set_maybe
			[ "$(var set_ret)" = 0 ]
		else
			run "$PMRUN" -s id="$id" -s do_set=0 -p get_ret -p got "$OBJ" set_maybe
		fi
		[ "$status" -eq 0 ]
		[ "$(var get_ret)" = "$ENOENT" ]
		[ "$(var got)" = 0 ]
	done
	[ "$(stat_of valid.probe sets)" = 10 ]
	[ "$(stat_of valid.probe enoent)" = 20 ]
}

@test "within one test run, repeats replay the same packet and keep its area" {
	# The first run's get finds nothing, later runs see the value set by
	# the earlier runs on this same packet.
	run "$PMRUN" -r 5 -s id="$id" -s do_set=1 -s value=42 -p get_ret -p got "$OBJ" set_maybe
	[ "$(var get_ret)" = 0 ]
	[ "$(var got)" = 42 ]
	[ "$(stat_of valid.probe enoent)" = 1 ]
	[ "$(stat_of valid.probe sets)" = 5 ]
}

@test "live-frame test runs on a veth never read an earlier packet's field" {
	# Live frames reuse page_pool pages, their xdp_buff and xdp_frame
	# without clearing their flags; the xdp_run probe clears the area bit
	# of both at each run, so they are accepted. Each run is a new packet:
	# a get before the set finds nothing (-ENOENT), never a value.
	hook_ready xdp_run
	veth_to_ns pmv0 pmva 1
	run "$PMRUN" -F -r 2000 -i pmv0 -s id="$id" -p runs -p leaks -p enoent -p eopnotsupp -p other "$OBJ" live_get_set
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var runs)" = 2000 ]
	[ "$(var leaks)" = 0 ]
	[ "$(var other)" = 0 ]
	[ "$(var eopnotsupp)" = 0 ]
	[ "$(var enoent)" = 2000 ]
}

# Attach traffic to pmv0 (MODE: -g for generic XDP, empty for native),
# send COUNT packets from pmva, and check the counters.
traffic_check() {
	local mode=$1 count=$2
	veth_to_ns pmv0 pmva 1
	run "$PMRUN" $mode -a pmv0 -s id="$id" \
		-c "bash -c \". '$BATS_TEST_DIRNAME/helpers.bash'; send_udp pmva 1 $count\" > '$BATS_TEST_TMPDIR/sent'" \
		-p pkts -p odd -p set_ok -p before_enoent -p before_other -p mismatches "$OBJ" traffic
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/sent")" = "$count" ]
	# Every packet arrived, every get before the set found nothing, every
	# odd packet set and read back its own value.
	[ "$(var pkts)" = "$count" ]
	[ "$(var before_enoent)" = "$count" ]
	[ "$(var before_other)" = 0 ]
	[ "$(var odd)" = $((count / 2)) ]
	[ "$(var set_ok)" = $((count / 2)) ]
	[ "$(var mismatches)" = 0 ]
	[ "$(stat_of valid.probe sets)" = $((count / 2)) ]
	[ "$(stat_of valid.probe enoent)" = "$count" ]
}

@test "veth native XDP: thousands of packets, each reads only what it set itself" {
	traffic_check "" 4000
}

@test "veth generic XDP: thousands of packets, each reads only what it set itself" {
	traffic_check -g 4000
}

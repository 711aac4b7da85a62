#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Direct access (README, API): bpf_xdp_pktmeta_ptr gives a field's bytes
# to store into and marks the field set, bpf_xdp_pktmeta_ptr_ro gives a set
# field's bytes to read; both return NULL where bpf_xdp_pktmeta_set or _get
# would fail, with that error counted in debugfs stats. What the verifier
# refuses: verifier.bats. Values reaching TC: stack.bats.

load helpers

PTR=$BPF/tests/ptr.bpf.o

setup() {
	load_pktmeta
	count_successes 1
}

teardown() {
	count_successes 0
	unregister_all_fields
}

@test "a field not yet set shows zeros through the pointer; a store through it is what ptr_ro and get read" {
	id=$(register_field ptr.fresh 8)
	run "$PMRUN" -s id="$id" -p ptr_null -p first -p ro_null -p ro_val -p get_ret -p got "$PTR" ptr_set_get
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var ptr_null)" = 0 ]
	[ "$(var first)" = 0 ]
	[ "$(var ro_null)" = 0 ]
	[ "$(var ro_val)" = $((0x1122334455667788)) ]
	[ "$(var get_ret)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
	[ "$(stat_of ptr.fresh sets)" = 1 ]
	[ "$(stat_of ptr.fresh gets)" = 2 ]
}

@test "the pointer of a field already set shows its value; after a clear it shows zeros, not the old bytes" {
	id=$(register_field ptr.kept 8)
	run "$PMRUN" -s id="$id" -s pre_set=1 -p set_ret -p ptr_null -p first -p got "$PTR" ptr_set_get
	echo "$output"
	[ "$(var set_ret)" = 0 ]
	[ "$(var ptr_null)" = 0 ]
	[ "$(var first)" = "$(printf %u 0x99aabbccddeeff00)" ]
	[ "$(var got)" = $((0x1122334455667788)) ]
	run "$PMRUN" -s id="$id" -s pre_set=1 -s pre_clear=1 -p clear_ret -p ptr_null -p first -p got "$PTR" ptr_set_get
	echo "$output"
	[ "$(var clear_ret)" = 0 ]
	[ "$(var ptr_null)" = 0 ]
	[ "$(var first)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
}

@test "ptr_ro of a field nobody set is NULL, counted as -ENOENT" {
	id=$(register_field ptr.unset 8)
	run "$PMRUN" -s id="$id" -p ro_null "$PTR" ptr_ro_only
	[ "$status" -eq 0 ]
	[ "$(var ro_null)" = 1 ]
	[ "$(stat_of ptr.unset enoent)" = 1 ]
	[ "$(stat_of ptr.unset gets)" = 0 ]
}

@test "an unknown id gives NULL from both, counted as unknown" {
	run "$PMRUN" -s id=12345 -p ptr_null -p ro_null -p get_ret "$PTR" ptr_set_get
	[ "$status" -eq 0 ]
	[ "$(var ptr_null)" = 1 ]
	[ "$(var ro_null)" = 1 ]
	[ "$(var get_ret)" = "$ENOENT" ]
}

@test "a size other than the field's gives NULL from both, counted as -EINVAL" {
	id=$(register_field ptr.size 8)
	run "$PMRUN" -s id="$id" -p ptr_null -p ro_null "$PTR" ptr_wrong_size
	[ "$status" -eq 0 ]
	[ "$(var ptr_null)" = 1 ]
	[ "$(var ro_null)" = 1 ]
	[ "$(stat_of ptr.size einval)" = 2 ]
	[ "$(stat_of ptr.size sets)" = 0 ]
}

@test "headroom taken by bpf_xdp_adjust_head gives NULL, counted as -ENOSPC; right after the field it fits" {
	id=$(register_field ptr.room 8)
	end=$(field_end ptr.room)
	run "$PMRUN" -s id="$id" -s head_delta=$((end - 1 - HEADROOM)) -p adjust_ret -p ptr_null -p ro_null -p get_ret "$PTR" ptr_set_get
	echo "$output"
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var ptr_null)" = 1 ]
	[ "$(var ro_null)" = 1 ]
	[ "$(var get_ret)" = "$ENOSPC" ]
	[ "$(stat_of ptr.room enospc)" = 3 ]
	run "$PMRUN" -s id="$id" -s head_delta=$((end - HEADROOM)) -p adjust_ret -p ptr_null -p got "$PTR" ptr_set_get
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var ptr_null)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
}

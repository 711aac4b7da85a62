#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The predefined hint fields exist from module load with fixed ids, and
# module parameters turn them off to free their space.

load helpers

teardown() {
	unload_pktmeta
	load_pktmeta
}

@test "rx_hash, rx_vlan and rx_timestamp have ids 0, 1, 2 from load" {
	unload_pktmeta
	load_pktmeta
	[ "$(field_id rx_hash)" = 0 ]
	[ "$(field_id rx_vlan)" = 1 ]
	[ "$(field_id rx_timestamp)" = 2 ]
	run awk 'NR > 1 { print $1, $2, $3 }' "$DEBUGFS/fields"
	[ "${lines[0]}" = "0 rx_hash 8" ]
	[ "${lines[1]}" = "1 rx_vlan 4" ]
	[ "${lines[2]}" = "2 rx_timestamp 8" ]
}

@test "hint_rx_hash=0 frees its bytes and its id stays unknown" {
	# With all hints, 40 contiguous bytes are left: 48 do not fit.
	run "$PMRUN" -s name=wide -s size=48 -p ret "$BPF/tests/registry.bpf.o" do_register
	[ "$(var ret)" = "$ENOSPC" ]
	unload_pktmeta
	load_pktmeta hint_rx_hash=0
	[ -z "$(field_id rx_hash)" ]
	[ "$(field_id rx_vlan)" = 1 ]
	grep -q '^used 12$' "$DEBUGFS/layout"
	run "$PMRUN" -s name=wide -s size=48 -p ret "$BPF/tests/registry.bpf.o" do_register
	[ "$(var ret)" -gt 2 ]
	# The hint's id is never given to another field.
	run "$PMRUN" -s id=0 -p get_before -p set_ret "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$(var get_before)" = "$ENOENT" ]
	[ "$(var set_ret)" = "$ENOENT" ]
}

@test "all hints off leaves the whole capacity to applications" {
	unload_pktmeta
	load_pktmeta hint_rx_hash=0 hint_rx_vlan=0 hint_rx_timestamp=0
	[ "$(awk 'NR > 1' "$DEBUGFS/fields" | wc -l)" = 0 ]
	grep -q '^used 0$' "$DEBUGFS/layout"
	run "$PMRUN" -s name=big -s size=64 -p ret "$BPF/tests/registry.bpf.o" do_register
	[ "$(var ret)" -ge 0 ]
}

@test "a bad capacity fails the load with a message" {
	unload_pktmeta
	run modprobe pktmeta capacity=0
	[ "$status" -ne 0 ]
	run modprobe pktmeta capacity=129
	[ "$status" -ne 0 ]
	dmesg | tail -n 5 | grep -q 'pktmeta: bad registry parameters'
	run modprobe pktmeta capacity=128
	[ "$status" -eq 0 ]
	grep -q '^capacity 128$' "$DEBUGFS/layout"
}

@test "unregistering a hint field is refused with -EPERM" {
	load_pktmeta
	run "$PMRUN" -s id=0 -p ret "$BPF/tests/registry.bpf.o" do_unregister
	[ "$(var ret)" = "$EPERM" ]
	[ "$(field_id rx_hash)" = 0 ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# debugfs /sys/kernel/debug/pktmeta/: fields, layout, stats and refused in the format
# the README documents.

load helpers

setup() {
	unload_pktmeta
	load_pktmeta
}

@test "fields lists id, name, size, offset, references and birth generation" {
	run "$PMRUN" -s name=flow.class -s size=4 -p ret "$BPF/tests/registry.bpf.o" do_register
	id=$(var ret)
	run "$PMRUN" -s name=flow.class -s size=4 -p ret "$BPF/tests/registry.bpf.o" do_register
	[ "$(var ret)" = "$id" ]
	[ "$(head -n 1 "$DEBUGFS/fields")" = "id name size offset refs born" ]
	[ "$(awk '$2 == "flow.class"' "$DEBUGFS/fields")" = "$id flow.class 4 12 2 1" ]
}

@test "layout shows the area's place, capacity, use and generation" {
	run cat "$DEBUGFS/layout"
	[ "${lines[0]}" = "area_offset 40" ]
	[ "${lines[1]}" = "header_size 24" ]
	[ "${lines[2]}" = "capacity 64" ]
	[ "${lines[3]}" = "used 20" ]
	[ "${lines[4]}" = "fields 3" ]
	[ "${lines[5]}" = "generation 0" ]
}

@test "stats count sets, gets and each error per field, and unknown ids apart" {
	count_successes 1
	"$PMRUN" -s id=2 "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	"$PMRUN" -s id=999 "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$(head -n 1 "$DEBUGFS/stats")" = "id name sets gets clears enoent einval efault enospc eopnotsupp" ]
	# get (ENOENT), set, get: one set, one get, one enoent.
	[ "$(awk '$2 == "rx_timestamp"' "$DEBUGFS/stats")" = "2 rx_timestamp 1 1 0 1 0 0 0 0" ]
	# three calls with an unknown id
	[ "$(awk '$1 == "-"' "$DEBUGFS/stats")" = "- - 0 0 0 3 0 0 0 0" ]
	count_successes 0
}

@test "after modprobe stats_on is 0: sets, gets and clears show -, errors are counted" {
	[ "$(cat "$DEBUGFS/stats_on")" = 0 ]
	"$PMRUN" -s id=2 "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$(awk '$2 == "rx_timestamp"' "$DEBUGFS/stats")" = "2 rx_timestamp - - - 1 0 0 0 0" ]
	[ "$(awk '$1 == "-"' "$DEBUGFS/stats")" = "- - - - - 0 0 0 0 0" ]
}

@test "debugfs files are not readable by other users" {
	run setpriv --reuid=65534 --regid=65534 --clear-groups cat "$DEBUGFS/fields"
	[ "$status" -ne 0 ]
}

@test "refused has its header and no row while the xdp_run hook accepts every device" {
	hook_ready xdp_run
	run cat "$DEBUGFS/refused"
	[ "${lines[0]}" = "ifindex name driver refused" ]
	[ "${#lines[@]}" = 1 ]
}

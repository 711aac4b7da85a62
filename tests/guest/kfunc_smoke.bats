#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# An XDP program loaded with libbpf calls the kfuncs through
# BPF_PROG_TEST_RUN and sees the documented results.

load helpers

setup() {
	load_pktmeta
}

@test "get of an unknown id returns -ENOENT" {
	run "$PMRUN" -s id=12345 -p get_before -p set_ret "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$status" -eq 0 ]
	[ "$(var get_before)" = "$ENOENT" ]
	[ "$(var set_ret)" = "$ENOENT" ]
}

@test "a hint field is unset on a new packet, then set and read back" {
	run "$PMRUN" -s id=2 -p get_before -p set_ret -p get_after -p got "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$status" -eq 0 ]
	[ "$(var get_before)" = "$ENOENT" ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_after)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
}

@test "the proposal's names pick the XDP kfuncs for an xdp_md context" {
	run "$PMRUN" -s id=2 -p get_before -p set_ret -p get_after -p got "$BPF/tests/kfunc_smoke.bpf.o" wrappers
	[ "$status" -eq 0 ]
	[ "$(var get_before)" = "$ENOENT" ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_after)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The verifier rejects misuse of the XDP kfuncs at load time: a context that
# is not the program's, a value buffer smaller than the size passed, a size
# it cannot bound, and the registry kfuncs outside syscall programs. A
# well-formed program of the same object loads, so the rejections are the
# misuse's doing.

load helpers

OBJ=$BPF/tests/verifier.bpf.o

setup() {
	load_pktmeta
}

# Expect PROG of verifier.bpf.o to be rejected at load.
rejected() {
	run "$PMRUN" -L "$OBJ" "$1"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var load)" = rejected ]
}

@test "the well-formed control program loads and runs" {
	run "$PMRUN" -p ret "$OBJ" good
	[ "$status" -eq 0 ]
	[ "$(var ret)" = 0 ]
	run "$PMRUN" -L "$OBJ" good
	[ "$(var load)" = accepted ]
	[ "$status" -eq 1 ]
}

@test "a stack buffer passed as the context is rejected" {
	rejected ctx_not_context
}

@test "a global passed as the context is rejected" {
	rejected ctx_is_global
}

@test "get into a buffer smaller than the size passed is rejected" {
	rejected get_buffer_too_small
}

@test "set from a buffer smaller than the size passed is rejected" {
	rejected set_buffer_too_small
}

@test "a size the verifier cannot bound is rejected" {
	rejected unbounded_size
}

@test "a bounded size that may exceed the buffer is rejected" {
	rejected size_above_buffer
}

@test "a NULL value pointer is rejected" {
	rejected null_value
}

@test "the registry kfuncs are not offered to XDP programs" {
	rejected register_from_xdp
}

@test "the verifier names the offending argument" {
	run "$PMRUN" -L "$OBJ" get_buffer_too_small
	echo "$output" | grep -Eiq 'invalid (indirect )?(read|write|access)|min value is outside|outside of the allowed memory range|invalid stack'
	run "$PMRUN" -L "$OBJ" ctx_not_context
	echo "$output" | grep -Eiq 'arg#0|expected (pointer to )?ctx|R1'
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The verifier rejects misuse of the XDP kfuncs at load time: a context that
# is not the program's, a value buffer smaller than the size passed, a size
# it cannot bound, the registry kfuncs outside syscall programs, and any
# access through a field pointer (bpf_xdp_pktmeta_ptr, _ptr_ro) outside the
# size given, a store through the read-only one, a use without a NULL check. A
# well-formed program of the same object loads, so the rejections are the
# misuse's doing.

load helpers

OBJ=$BPF/tests/verifier.bpf.o

setup() {
	load_pktmeta
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
	rejected ctx_not_context '(arg#0|R1) expected pointer to ctx'
}

@test "a global passed as the context is rejected" {
	rejected ctx_is_global '(arg#0|R1) expected pointer to ctx'
}

@test "get into a buffer smaller than the size passed is rejected" {
	rejected get_buffer_too_small 'invalid (indirect access to|read from) stack R3 off=-4 size=8'
}

@test "set from a buffer smaller than the size passed is rejected" {
	rejected set_buffer_too_small 'invalid (indirect access to|read from) stack R3 off=-4 size=8'
}

@test "a size the verifier cannot bound is rejected" {
	rejected unbounded_size 'R4 unbounded memory access'
}

@test "a bounded size that may exceed the buffer is rejected" {
	rejected size_above_buffer 'invalid (indirect access to|read from) stack R3 off=-32 size=64'
}

@test "a NULL value pointer is rejected" {
	rejected null_value 'R3 type=scalar expected=fp|Possibly NULL pointer passed to trusted R3'
}

@test "the registry kfuncs are not offered to XDP programs" {
	rejected register_from_xdp 'calling kernel function bpf_pktmeta_register is not allowed'
}

@test "the pointer kfuncs' control program loads and runs" {
	run "$PMRUN" -L "$OBJ" ptr_good
	echo "$output"
	[ "$(var load)" = accepted ]
}

@test "a store past the size given to bpf_xdp_pktmeta_ptr is rejected" {
	rejected ptr_past_size 'invalid access to memory, mem_size=8 off=8 size=1'
}

@test "a load before the start of the pointer is rejected" {
	rejected ptr_before_start 'invalid access to memory, mem_size=8 off=-1 size=1'
}

@test "a store through bpf_xdp_pktmeta_ptr_ro's pointer is rejected" {
	rejected ptr_ro_store 'cannot write into rdonly_mem'
}

@test "the pointer used without a NULL check is rejected" {
	rejected ptr_no_null_check "invalid mem access '(mem_or_null|rdonly_mem_or_null)'"
}

@test "a size that is not a constant is rejected" {
	rejected ptr_size_not_constant '(is not a const|must be a known constant)'
}

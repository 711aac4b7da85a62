#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The TC field pointer: bpf_skb_pktmeta_ptr() and _ptr_ro() give an skb
# program a field's bytes in the skb's area, offered only to a program
# that cannot move the skb's head (module/prog_scan.c). Kernels without
# kfunc filters or the verifier's packet-change tracking (6.1) do not
# offer them, and each test checks that there instead.

load helpers

OBJ=$BPF/tests/tc_ptr.bpf.o

setup() {
	load_pktmeta
	ID=$(register_field tcptr.value 8)
	[ "$ID" -ge 0 ]
}

teardown() {
	count_successes 0
	veth_del pmt0 pmta
	unregister_all_fields
}

# The pointer kfuncs are offered where module/Kbuild finds kfunc filters
# and bool changes_pkt_data in the kernel's headers: 6.12 and 7.3, not 6.1.
offered_here() {
	case "$(uname -r)" in
	6.1.*) return 1 ;;
	*) return 0 ;;
	esac
}

# On a kernel that does not offer them, a program calling them is rejected.
not_offered_rejects() {
	! offered_here || return 1
	# libbpf turns the call of a weak kfunc the kernel lacks into call #0
	rejected "$1" 'R0 !read_ok|unknown func|invalid func'
}

@test "the pointer kfuncs are in pktmeta's BTF where the kernel can keep them from head movers, and only there" {
	local btf
	btf=$(bpftool btf dump file /sys/kernel/btf/pktmeta)
	if offered_here; then
		echo "$btf" | grep -q "'bpf_skb_pktmeta_ptr'"
		echo "$btf" | grep -q "'bpf_skb_pktmeta_ptr_ro'"
	elif echo "$btf" | grep -q "'bpf_skb_pktmeta_ptr"; then
		echo "offered on $(uname -r)"
		false
	fi
}

@test "TC reads each packet's field through ptr_ro and stores through ptr; get reads what was stored" {
	if ! offered_here; then
		not_offered_rejects tc_ptr
		return
	fi
	veth_to_ns pmt0 pmta 23
	run "$PMRUN" -a pmt0 -t tc_ptr -s field_id="$ID" \
		-c "bash -c '. $BATS_TEST_DIRNAME/helpers.bash; send_udp pmta 23 4000' > /dev/null" \
		-p xdp_set_ok -p xdp_set_err -p tc_seen -p tc_ok -p tc_bad \
		-p tc_ro_null -p tc_ptr_null "$OBJ" xdp_set
	echo "$output"
	[ "$status" -eq 0 ]
	# Judged by what arrived: 0 wrong, every packet seen read and
	# rewritten, and at least half of those sent seen.
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var tc_bad)" = 0 ]
	[ "$(var tc_ro_null)" = 0 ]
	[ "$(var tc_ptr_null)" = 0 ]
	[ "$(var tc_ok)" = "$(var tc_seen)" ]
	[ "$(var tc_seen)" -ge 2000 ]
	[ "$(var tc_seen)" -le "$(var xdp_set_ok)" ]
}

@test "NULL from the pointers for an unknown id, another size, no room for an area and a field not set, each counted" {
	if ! offered_here; then
		not_offered_rejects tc_errors
		return
	fi
	SMALL=$(register_field tcptr.small 4)
	run "$PMRUN" -s field_id="$ID" -s small_id="$SMALL" -p unknown_null \
		-p size_null -p room_null -p ro_unset_null "$OBJ" tc_errors
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var unknown_null)" = 1 ]
	[ "$(var size_null)" = 1 ]
	[ "$(var room_null)" = 1 ]
	[ "$(var ro_unset_null)" = 1 ]
	[ "$(stat_of tcptr.small einval)" = 1 ]
	# the rw call: no room for an area; the ro call: no area, so not set
	[ "$(stat_of tcptr.value enospc)" = 1 ]
	[ "$(stat_of tcptr.value enoent)" = 1 ]
}

@test "a program that calls bpf_skb_pull_data, bpf_skb_change_head or bpf_skb_store_bytes is refused the pointer" {
	local prog
	for prog in head_pull_data head_change_head head_store_bytes; do
		if offered_here; then
			rejected "$prog" 'calling kernel function bpf_skb_pktmeta_ptr is not allowed'
		else
			not_offered_rejects "$prog"
		fi
	done
	if offered_here; then
		dmesg | grep -q "program head_pull_data: no field pointer for a program that calls bpf_skb_pull_data"
	fi
}

@test "a tail call, an skb dynptr or a head mover in a subprogram refuses it too" {
	local prog
	for prog in head_tail_call head_dynptr head_in_subprog; do
		if offered_here; then
			rejected "$prog" 'calling kernel function bpf_skb_pktmeta_ptr(_ro)? is not allowed'
		else
			not_offered_rejects "$prog"
		fi
	done
}

@test "the verifier rejects a store past the size, a store through ptr_ro and a use without a NULL check" {
	if ! offered_here; then
		not_offered_rejects bad_past_end
		return
	fi
	rejected bad_past_end 'invalid access to memory, mem_size=8 off=8 size=1'
	rejected bad_ro_store 'cannot write into rdonly_mem'
	rejected bad_no_null_check "invalid mem access '(mem_or_null|rdonly_mem_or_null)'"
}

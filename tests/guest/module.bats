#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The module loads with modprobe, offers its kfuncs through BTF, unloads and
# loads again.

load helpers

teardown() {
	load_pktmeta
}

@test "modprobe pktmeta loads the DKMS-installed module" {
	unload_pktmeta
	run modprobe pktmeta
	[ "$status" -eq 0 ]
	grep -q '^pktmeta ' /proc/modules
	modinfo -n pktmeta | grep -q '/updates/dkms/pktmeta.ko'
}

@test "the module creates its debugfs files, readable by root only" {
	load_pktmeta
	[ -d "$DEBUGFS" ]
	for f in fields layout stats; do
		[ "$(stat -c %a "$DEBUGFS/$f")" = 400 ]
	done
}

@test "the module's BTF lists the XDP, TC and syscall kfuncs" {
	load_pktmeta
	run bpftool btf dump file /sys/kernel/btf/pktmeta
	[ "$status" -eq 0 ]
	for f in bpf_xdp_pktmeta_set bpf_xdp_pktmeta_get bpf_xdp_pktmeta_clear \
		 bpf_skb_pktmeta_set bpf_skb_pktmeta_get bpf_skb_pktmeta_clear \
		 bpf_pktmeta_register bpf_pktmeta_lookup bpf_pktmeta_unregister; do
		echo "$output" | grep -q "FUNC '$f'"
	done
}

@test "rmmod unloads the module and a second modprobe loads it again" {
	load_pktmeta
	run rmmod pktmeta
	[ "$status" -eq 0 ]
	! grep -q '^pktmeta ' /proc/modules
	[ ! -d "$DEBUGFS" ]
	run modprobe pktmeta
	[ "$status" -eq 0 ]
	grep -q '^pktmeta ' /proc/modules
}

@test "a program using a kfunc pins the module until it is unloaded" {
	load_pktmeta
	run "$PMRUN" -a lo -g -c 'rmmod pktmeta; echo rmmod=$?' "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$status" -eq 0 ]
	[ "$(var rmmod)" != 0 ]
	grep -q '^pktmeta ' /proc/modules
}

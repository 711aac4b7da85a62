#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The pktmeta demo, run inside a guest by `make demo` (pktmeta is loaded):
# two applications register their own fields by name, an XDP program sets
# one on a packet and reads it back, veth's hook fills the driver hints on
# live traffic, and the registry shows it all.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BATS_TEST_DIRNAME=$repo/tests/guest
. "$repo/tests/guest/helpers.bash"
ctl=$repo/build/tools/pktmetactl

say() { printf '\n== %s\n' "$*"; }
value() { sed -n "s/^$1=//p"; }

say "pktmeta $(cat /sys/module/pktmeta/version) loaded on $(uname -r); the registry holds the driver hints"
"$ctl" list

say "a flow classifier registers 'flow.class' (4 bytes), a tracer 'trace.id' (8 bytes)"
"$ctl" register flow.class 4
"$ctl" register trace.id 8
trace=$("$ctl" -j lookup trace.id | jq .id)

say "the tracer's XDP program sets trace.id on a packet and reads it back (BPF_PROG_TEST_RUN)"
"$PMRUN" -s id="$trace" -s value=0x5eed0000cafe -p get_before -p set_ret -p get_after -p got \
	"$BPF/tests/kfunc_smoke.bpf.o" get_set_get | grep -v duration | sed 's/^/  /'
echo "  (get before the set: -2 = -ENOENT: this packet carried no trace id yet)"

say "veth: 200 UDP packets from namespace demo into pmdemo, an XDP program reads the hints veth's hook filled"
veth_to_ns pmdemo demo 3
"$PMRUN" -a pmdemo -t tc_compare \
	-c "bash -c '. $repo/tests/guest/helpers.bash; send_udp demo 3 200' > /dev/null" \
	-p pkts -p hash_ok -p vlan_ok -p agree "$BPF/tests/hints.bpf.o" hints_read | sed 's/^/  /'
echo "  (hash_ok: packets whose rx_hash came through pktmeta; agree: equal to skb->hash seen at TC ingress)"
veth_del pmdemo demo

say "the registry and counters, as an operator sees them"
"$ctl" stats
echo
cat /sys/kernel/debug/pktmeta/hooks
say "on a real machine: 'make install' (DKMS), then the same programs against veth and virtio-net NICs"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The pktmeta demo, run inside a guest by `make demo` (pktmeta is loaded):
# two applications register their own fields by name, an XDP program sets
# them on a packet and reads them back, and the registry shows it all.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pmrun=$repo/build/tools/pmrun
reg=$repo/build/bpf/tests/registry.bpf.o
smoke=$repo/build/bpf/tests/kfunc_smoke.bpf.o
d=/sys/kernel/debug/pktmeta

say() { printf '\n== %s\n' "$*"; }
value() { sed -n "s/^$1=//p"; }

say "pktmeta $(cat /sys/module/pktmeta/version) loaded on $(uname -r)"
say "the registry at load: the driver hint fields, with fixed ids"
cat $d/fields

say "a flow classifier registers 'flow.class' (4 bytes), a tracer 'trace.id' (8 bytes)"
class=$("$pmrun" -s name=flow.class -s size=4 -p ret "$reg" do_register | value ret)
trace=$("$pmrun" -s name=trace.id -s size=8 -p ret "$reg" do_register | value ret)
echo "flow.class -> id $class, trace.id -> id $trace"

say "the tracer's XDP program sets trace.id on a packet and reads it back (BPF_PROG_TEST_RUN)"
"$pmrun" -s id="$trace" -s value=0x5eed0000cafe -p get_before -p set_ret -p get_after -p got "$smoke" get_set_get |
	sed 's/^/  /'
echo "  (get before the set: -2 = -ENOENT, the packet carries no trace id yet)"

say "the registry now"
cat $d/fields
echo
cat $d/layout
say "counters"
cat $d/stats
say "on a real machine: make install, then the same programs against the real NICs' veth/virtio-net paths"

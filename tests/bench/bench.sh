#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The pktmeta benchmark (README, Performance), run inside a guest by
# `make bench` with pktmeta loaded. Every cost is BPF_PROG_TEST_RUN of a
# program in bpf/bench/ with a large repeat (pmrun -r), taken as a ratio to
# baselines measured in the same round of the same guest run: under TCG
# absolute times mean little. Each round measures baselines and candidates
# alternately; the table gives the median of the per-round ratios.
#
#   a  set+get of a u64 through the kfuncs vs the same store+load through
#      bpf_xdp_adjust_meta and data_meta with pktmeta not loaded
#      (bpf/bench/meta_bench.bpf.c): (kfunc - empty) / (meta - empty), each
#      net of the empty program of its own state; the store+load through
#      bpf_xdp_pktmeta_ptr's pointer; and what the data_meta program pays
#      once pktmeta is in use (its probes on bpf_xdp_adjust_meta)
#   b  get alone, set alone vs an empty kfunc call (tests/bench/module):
#      (get - empty) / (nop - empty), where the nop program has the shape of
#      the measured one: nop_kfunc_read reads and sums each call's value as
#      kfunc_get does, nop_kfunc only or's the results as kfunc_set does;
#      get is also given against nop_kfunc, the baseline of stop 25
#   c  set+get with 64 registered fields vs with 1:
#      (setget64 - empty) / (setget1 - empty)
#   d  per-packet cost of a veth XDP path with the driver hooks (pktmeta
#      hooks=1, the default) vs the same path with pktmeta reloaded with
#      hooks=0, for a program that does not call pktmeta (the hook alone)
#      and one that reads rx_hash through it (where the pending hints are
#      written): see the comment before part d below.
#   g  per-packet cost of native XDP (veth, XDP_DROP, no pktmeta call) with
#      the xdp_run probe attached vs not: see the comment before part g.
#   h  per-packet cost of veth XDP_PASS (no pktmeta call) with pktmeta
#      loaded but unused vs not loaded: see the comment before part h.
#   f  per-packet cost of cpumap's side of a cpumap path where something
#      asks for the skb's hash, with the hash the XDP program stored applied
#      to the skb (skb_hints=1) vs computed by the stack (skb_hints=0): see
#      the comment before part f below.
#   i  per-packet cost of local UDP traffic through TC egress, a veth pair
#      and TC ingress with a u64 field set at egress and read at ingress vs
#      the same path with programs that do not call pktmeta and pktmeta not
#      loaded: see the comment before part i below.
#   j  per-packet cost of local UDP traffic through veth, with two fields
#      set at XDP on the receiving veth, for a socket that asked for them
#      and reads them from each datagram's control message vs the same
#      socket not asking: see the comment before part j below.
#
# Each program does its operation 8 times (OPS in bpf/bench/*.bpf.c) so
# that it stands out of the fixed cost of a run; the ratios do not depend on
# it. BENCH_ROUNDS (default 5), BENCH_TRIES (test runs per measurement,
# default 3) and BENCH_REPEAT (default 100000) tune it;
# BENCH_MODULE is the bench module (default: built by `make bench` next to
# the DKMS tree). BENCH_VETH_PKTS (default 40000) and BENCH_VETH_ROUNDS
# (default 4) tune parts d, g and h, BENCH_CPUMAP_PKTS (default 8000, at
# most 16384) and BENCH_CPUMAP_ROUNDS (default 4) part f, BENCH_PATH_PKTS
# (default 4000) and BENCH_PATH_ROUNDS (default 4) parts i and j.
# BENCH_PARTS names the parts to run (default abcdefghij; a, b, c and e are one
# measurement, run when any of them is named): `make bench BENCH_PARTS=i`.
# The table goes to stdout and to /results/bench.txt.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
pmrun=$repo/build/tools/pmrun
obj=$repo/build/bpf/bench/pktmeta_bench.bpf.o
meta_obj=$repo/build/bpf/bench/meta_bench.bpf.o
veth_obj=$repo/build/bpf/bench/veth_bench.bpf.o
plain_obj=$repo/build/bpf/bench/plain_bench.bpf.o
cpumap_obj=$repo/build/bpf/bench/cpumap_bench.bpf.o
nop_obj=$repo/build/bpf/bench/nop_bench.bpf.o
hold_obj=$repo/build/bpf/bench/hold_bench.bpf.o
reg=$repo/build/bpf/tests/registry.bpf.o
rounds=${BENCH_ROUNDS:-5}
tries=${BENCH_TRIES:-3}
repeat=${BENCH_REPEAT:-100000}
ops=8
kver=$(uname -r)
# Under `make bench` the guest's clock counts emulated instructions
# (tests/vm/run.sh VM_ICOUNT): every duration below is then a count.
unit="ns, TCG"
if [ -r /results/env ] && [ -n "$(. /results/env && echo "${PKTMETA_ICOUNT:-}")" ]; then
	unit="instructions"
fi
if [ -z "${BENCH_MODULE:-}" ] && [ -r /results/env ]; then
	BENCH_MODULE=$(. /results/env && dirname "$PKTMETA_DKMS")/bench-module/$kver/pktmeta_bench.ko
fi
module=${BENCH_MODULE:?set BENCH_MODULE to pktmeta_bench.ko}
out=${BENCH_OUT:-/results/bench.txt}
raw=${out%.txt}-raw.txt
raw_d=${out%.txt}-raw-veth.txt
veth_pkts=${BENCH_VETH_PKTS:-40000}
veth_rounds=${BENCH_VETH_ROUNDS:-4}
raw_f=${out%.txt}-raw-cpumap.txt
cpumap_pkts=${BENCH_CPUMAP_PKTS:-8000}
cpumap_rounds=${BENCH_CPUMAP_ROUNDS:-4}
raw_i=${out%.txt}-raw-path.txt
path_pkts=${BENCH_PATH_PKTS:-4000}
path_rounds=${BENCH_PATH_ROUNDS:-4}
parts=${BENCH_PARTS:-abcdefghij}

die() { echo "bench: $*" >&2; exit 1; }
value() { sed -n "s/^$1=//p"; }
# Whether BENCH_PARTS names any of the parts LETTERS.
part() { # LETTERS
	[[ $parts == *["$1"]* ]]
}

# One measurement: the least duration_ns per repeat of BENCH_TRIES test runs
# in a row (a vCPU thread that the host preempts only ever adds time); fail
# unless the program returned XDP_PASS (it returns XDP_ABORTED when a kfunc
# failed).
run() { # OBJ PROG [pmrun options]
	local o=$1 p=$2 res best= d i
	shift 2
	for i in $(seq "$tries"); do
		res=$("$pmrun" -r "$repeat" "$@" "$o" "$p") || die "$p: pmrun failed"
		[ "$(echo "$res" | value retval)" = 2 ] ||
			die "$p: returned $(echo "$res" | value retval), not XDP_PASS"
		d=$(echo "$res" | value duration_ns)
		if [ -z "$best" ] || [ "$d" -lt "$best" ]; then best=$d; fi
	done
	echo "$best"
}

# Median and min..max of a[1..n], for the tables' awk programs.
stats_awk='
function median(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function minmax(a, n,   i, lo, hi) {
	lo = hi = a[1]
	for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
	return sprintf("%.2f..%.2f", lo, hi)
}
# The NAME=VALUE words of a raw line (after its round number) into t.
function words(   i, kv) {
	for (i = 2; i <= NF; i++) { split($i, kv, "="); t[kv[1]] = kv[2] }
}
# The head of the table of a part measured per packet (d, g, h, f, i):
# what ran, then the columns A and B of its medians (no B when it is "").
function heading(part, what, a, b) {
	printf "\npktmeta bench part %s, %s: %d rounds, best of %d runs x %d packets, %d s\n", part, kver, rounds, tries, pkts, secs
	printf "(%s)\n\n", what
	if (b == "")
		printf "  %-40s %9s\n", "median cost per packet (" unit ")", a
	else
		printf "  %-40s %9s %9s\n", "median cost per packet (" unit ")", a, b
}
# A line of the medians of x[1..n] and y[1..n], in the columns of heading().
function costs(name, x, y) {
	printf "  %-40s %9d %9d\n", name, median(x, n), median(y, n)
}
# The head of the ratio rows, saying what the ratios are of.
function ratios(what) {
	printf "\n%-44s %6s  %-11s  %-10s %s\n", "ratio (" what ")", "median", "min..max", "target", "result"
}
# A ratio row: the median of a[1..n], its spread, and whether it is at most
# target (no target when it is "").
function row(name, a, target,   m) {
	m = median(a, n)
	if (target == "")
		printf "%-44s %6.3f  %-11s  %-10s %s\n", name, m, minmax(a, n), "(none)", "-"
	else
		printf "%-44s %6.3f  %-11s  %-10s %s\n", name, m, minmax(a, n), "<= " target, m <= target ? "pass" : "MISS"
}
'

# Append the table of a part measured per packet to the output: awk PROGRAM
# with stats_awk over the part's raw lines, ROUNDS, PKTS packets a run and
# SECS known to it, and the other VAR=VALUE given.
per_packet_table() { # RAW ROUNDS PKTS SECS PROGRAM [VAR=VALUE...]
	local raw=$1 rounds=$2 pkts=$3 secs=$4 prog=$5 v vars=()
	shift 5
	for v in "$@"; do vars+=(-v "$v"); done
	awk -v unit="$unit" -v kver="$kver" -v rounds="$rounds" -v tries="$tries" -v pkts="$pkts" \
		-v secs="$secs" "${vars[@]}" "$stats_awk$prog" "$raw" >> "$out"
}

# Parts a to d and g measure pktmeta in use on the host: a pinned program
# that calls it (hold_bench.bpf.c) keeps its hooks' probes registered
# (module/demand.c) whatever the measured program calls. It holds the
# module: pktmeta_unload() unpins it and waits for the kernel to free it.
hold_pin=/sys/fs/bpf/pktmeta_bench_hold
pktmeta_hold() {
	bpftool prog load "$hold_obj" "$hold_pin" || die "cannot pin $hold_obj"
}
# Unpin it and wait until no program uses pktmeta: its probes are
# unregistered; 6.1 says "always" and keeps them.
pktmeta_idle() {
	local i
	rm -f "$hold_pin"
	for i in $(seq 1 100); do
		[ "$(cat /sys/kernel/debug/pktmeta/hooks_in_use)" != yes ] && return 0
		sleep 0.1
	done
	die "pktmeta still in use 10 s after its last program went"
}
pktmeta_unload() {
	local i
	rm -f "$hold_pin"
	for i in $(seq 1 100); do
		grep -q '^pktmeta ' /proc/modules || return 0
		rmmod pktmeta 2> /dev/null && return 0
		sleep 0.1
	done
	rmmod pktmeta
}

# What the parts leave behind: the pinned program and the bench module (a
# to e), the veth pair, pktgen and pmnic (d, g, h, f), the pair and
# namespace of parts i and j.
cleanup() {
	local f

	rm -f "$hold_pin"
	for f in veth_cleanup path_cleanup; do	# once the script has defined them
		! declare -F "$f" > /dev/null || "$f"
	done
	rmmod pktmeta_bench 2> /dev/null || true
}
trap cleanup EXIT

if part abce; then
# The baseline of part a, data_meta by hand, with pktmeta not loaded: a
# program doing it on a host without pktmeta. Measured first, a round for
# each round below (icount: a count repeats exactly).
pktmeta_unload
declare -a e0 meta0
for r in $(seq "$rounds"); do
	e0[r]=$(run "$meta_obj" empty)
	meta0[r]=$(run "$meta_obj" meta_set_get)
done

# The registry: one u64 field and nothing else (hints off), with capacity
# for 63 more one-byte fields so that part c reaches 64 fields.
[ -f "$module" ] || die "no bench module $module (make bench builds it)"
modprobe pktmeta capacity=128 hint_rx_hash=0 hint_rx_vlan=0 hint_rx_timestamp=0
pktmeta_hold
insmod "$module"
id=$("$pmrun" -s name=bench.u64 -s size=8 -p ret "$reg" do_register | value ret)
[ "${id:--1}" -ge 0 ] || die "cannot register bench.u64: $id"

register_fill() {
	local r
	r=$("$pmrun" -s name=fill -s size=1 -s count=63 -p ret "$reg" do_register_many | value ret)
	[ "$r" -ge 0 ] || die "cannot register 63 more fields: $r"
	[ "$(tail -n +2 /sys/kernel/debug/pktmeta/fields | wc -l)" = 64 ] || die "not 64 fields"
}
unregister_fill() {
	local r
	r=$("$pmrun" -s name=fill -s count=63 -p ret "$obj" unregister_many | value ret)
	[ "$r" = 0 ] || die "cannot unregister the 63 fields: $r"
	[ "$(tail -n +2 /sys/kernel/debug/pktmeta/fields | wc -l)" = 1 ] || die "not 1 field"
}

echo "bench: pktmeta $(cat /sys/module/pktmeta/version) on $kver, $rounds rounds, best of $tries runs of $repeat repeats"
: > "$raw"
start=$(date +%s)
for r in $(seq "$rounds"); do
	e1=$(run "$meta_obj" empty)
	meta=$(run "$meta_obj" meta_set_get)
	sg=$(run "$obj" kfunc_set_get -s id="$id")
	ptr=$(run "$obj" kfunc_ptr_set_get -s id="$id")
	n1=$(run "$nop_obj" nop_kfunc)
	nr1=$(run "$nop_obj" nop_kfunc_read)
	get=$(run "$obj" kfunc_get -s id="$id")
	set=$(run "$obj" kfunc_set -s id="$id")
	nr2=$(run "$nop_obj" nop_kfunc_read)
	n2=$(run "$nop_obj" nop_kfunc)
	register_fill
	sg64=$(run "$obj" kfunc_set_get -s id="$id")
	unregister_fill
	sg1=$(run "$obj" kfunc_set_get -s id="$id")
	e2=$(run "$meta_obj" empty)
	tce1=$(run "$obj" tc_empty)
	tcget=$(run "$obj" tc_get_nofield -s id="$id")
	tce2=$(run "$obj" tc_empty)
	echo "$r emptynone=${e0[r]} metanone=${meta0[r]} empty=$e1 meta=$meta setget=$sg ptr=$ptr nop=$n1 nopread=$nr1 get=$get set=$set nopread=$nr2 nop=$n2 setget64=$sg64 setget1=$sg1 empty=$e2 tcempty=$tce1 tcget=$tcget tcempty=$tce2" |
		tee -a "$raw"
done

secs=$(($(date +%s) - start))

# Per round: baselines are the means of the two measurements around the
# candidates; the 1-field set+get is the mean of those before and after the
# 64-field one.
awk -v unit="$unit" -v kver="$kver" -v ops="$ops" -v rounds="$rounds" -v tries="$tries" -v repeat="$repeat" -v secs="$secs" "$stats_awk"'
{
	# Fields are NAME=NS; the two of empty and nop come before and after.
	delete seen
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		k = kv[1] (seen[kv[1]]++ ? "2" : "")
		t[k] = kv[2]
	}
	n++
	E = (t["empty"] + t["empty2"]) / 2
	N = (t["nop"] + t["nop2"]) / 2
	NR = (t["nopread"] + t["nopread2"]) / 2
	SG1 = (t["setget"] + t["setget1"]) / 2
	# data_meta by hand with pktmeta not loaded, net of the empty program
	# there; with pktmeta in use, its probes on adjust_meta add to it
	M0 = t["metanone"] - t["emptynone"]
	r_a[n] = (t["setget"] - E) / M0
	r_ptr[n] = (t["ptr"] - E) / M0
	r_meta[n] = (t["meta"] - E) / M0
	t_e0[n] = t["emptynone"]; t_meta0[n] = t["metanone"]
	t_ptr[n] = t["ptr"]
	r_get[n] = (t["get"] - E) / (NR - E)
	r_get_unread[n] = (t["get"] - E) / (N - E)
	r_set[n] = (t["set"] - E) / (N - E)
	r_c[n] = (t["setget64"] - E) / (SG1 - E)
	TE = (t["tcempty"] + t["tcempty2"]) / 2
	r_tc[n] = (t["tcget"] - TE) / (N - E)
	t_tce[n] = TE; t_tcget[n] = t["tcget"]
	t_e[n] = E; t_meta[n] = t["meta"]; t_sg[n] = SG1; t_nop[n] = N
	t_nopread[n] = NR
	t_get[n] = t["get"]; t_set[n] = t["set"]; t_sg64[n] = t["setget64"]
}
function cost(name, a,   m) {
	m = median(a, n)
	printf "  %-40s %7d %8.1f\n", name, m, (m - median(t_e, n)) / ops
}
END {
	printf "pktmeta bench, %s: %d rounds, best of %d runs x %d repeats, %d s\n", kver, rounds, tries, repeat, secs
	printf "(BPF_PROG_TEST_RUN, %s; %d operations per run)\n\n", unit, ops
	printf "  %-40s %7s %8s\n", "median cost (" unit ")", "per run", "net/op"
	printf "  %-40s %7d\n", "empty XDP program, pktmeta not loaded", median(t_e0, n)
	printf "  %-40s %7d %8.1f\n", "adjust_meta + data_meta store+load u64", median(t_meta0, n), (median(t_meta0, n) - median(t_e0, n)) / ops
	printf "  %-40s %7d\n", "empty XDP program, pktmeta in use", median(t_e, n)
	cost("the same data_meta program", t_meta)
	cost("empty kfunc call (pktmeta_bench)", t_nop)
	cost("the same, each value read and summed", t_nopread)
	cost("bpf_xdp_pktmeta_set+get u64, 1 field", t_sg)
	cost("bpf_xdp_pktmeta_set+get u64, 64 fields", t_sg64)
	cost("bpf_xdp_pktmeta_ptr, store+load u64", t_ptr)
	cost("bpf_xdp_pktmeta_get u64", t_get)
	cost("bpf_xdp_pktmeta_set u64", t_set)
	printf "  %-40s %7d\n", "empty TC program", median(t_tce, n)
	printf "  %-40s %7d %8.1f\n", "bpf_skb_pktmeta_get, skb without fields", median(t_tcget, n), (median(t_tcget, n) - median(t_tce, n)) / ops
	printf "\n%-44s %6s  %-11s  %-10s %s\n", "ratio (each net of the empty program)", "median", "min..max", "target", "result"
	m = median(r_a, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "a  kfunc set+get / data_meta store+load", m, minmax(r_a, n), "<= 1.5", m <= 1.5 ? "pass" : "MISS"
	m = median(r_ptr, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "a  ptr store+load / data_meta store+load", m, minmax(r_ptr, n), "<= 1.3", m <= 1.3 ? "pass" : "MISS"
	m = median(r_meta, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "a  data_meta, pktmeta in use / not loaded", m, minmax(r_meta, n), "(none)", "-"
	m = median(r_get, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "b  get / empty kfunc call", m, minmax(r_get, n), "<= 3", m <= 3 ? "pass" : "MISS"
	m = median(r_set, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "b  set / empty kfunc call", m, minmax(r_set, n), "<= 3", m <= 3 ? "pass" : "MISS"
	m = median(r_get_unread, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "b  get / empty kfunc call, value unread", m, minmax(r_get_unread, n), "(none)", "-"
	m = median(r_c, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "c  set+get, 64 fields / 1 field", m, minmax(r_c, n), "0.95..1.05", (m >= 0.95 && m <= 1.05) ? "pass" : "MISS"
	m = median(r_tc, n); printf "%-44s %6.2f  %-11s  %-10s %s\n", "e  TC get, skb without fields / empty kfunc", m, minmax(r_tc, n), "(none)", "-"
}' "$raw" > "$out"
else
	: > "$out"
fi

# Part d: the driver hooks on a veth XDP path (target: hooks add
# at most 5% to its per-packet cost).
#
# pktgen transmits a fixed number of packets (BENCH_VETH_PKTS, UDP, 60
# bytes) on pmb1; the XDP program on its peer pmb0 (native mode, so veth
# runs pmb0's NAPI: veth_xdp_rcv_skb, where the hook is) counts and drops
# them. pktgen's kernel thread transmits with bottom halves disabled and
# re-enables them after each packet, so veth's NAPI poll, the hook, the
# program and the free run right there, on the same CPU, one packet at a
# time: the elapsed time pktgen reports for the run is the whole per-packet
# cost of the path and nothing else (no socket, no syscall, no scheduler,
# no user space). That is the least noisy measure under TCG: CPU time from
# /proc/stat is sampled at the tick (4 ms) and would still include what the
# host steals from the vCPU, which the guest cannot see; a program timing
# itself with bpf_ktime_get_ns misses the hook, which runs before it. What
# the host steals from the vCPU thread only adds time: each measurement is
# the least of BENCH_TRIES runs, and rounds alternate the order of the two
# configurations (pktmeta reloaded with hooks=1, hooks=0, then hooks=0,
# hooks=1, ...) so that a drift in the host load falls on both; the table
# gives the median of the per-round ratios. Every run must see every packet
# in the program (veth did not drop any for a full ring), and with hooks=1
# every packet a hook hit.
shopt -s inherit_errexit	# die in $(...) ends the bench
veth_dev=pmb0 veth_tx=pmb1
pg=/proc/net/pktgen

pg_set() { # FILE COMMAND
	echo "$2" > "$pg/$1" || die "pktgen: '$2' refused"
}

veth_setup() {
	modprobe veth 2> /dev/null || true	# the kernel cannot autoload from the chroot
	modprobe pktgen || die "no pktgen module"
	ip link add "$veth_dev" type veth peer name "$veth_tx"
	# no IPv6 autoconfiguration traffic on the pair, only pktgen's
	sysctl -qw "net.ipv6.conf.$veth_dev.disable_ipv6=1" "net.ipv6.conf.$veth_tx.disable_ipv6=1" || true
	ip link set "$veth_dev" up
	ip link set "$veth_tx" up
	pg_device "$veth_dev" "$veth_tx"
}

# pktgen sends BENCH_VETH_PKTS packets on TX to RX; veth_run's device pair
# becomes RX and TX.
pg_device() { # RX TX
	run_dev=$1 run_tx=$2
	pg_set kpktgend_0 rem_device_all
	pg_set kpktgend_0 "add_device $run_tx"
	pg_set "$run_tx" "count $veth_pkts"
	pg_set "$run_tx" "clone_skb 0"
	pg_set "$run_tx" "pkt_size 60"
	pg_set "$run_tx" "delay 0"
	pg_set "$run_tx" "dst 10.78.0.2"
	pg_set "$run_tx" "dst_mac $(cat "/sys/class/net/$run_dev/address")"
	pg_set "$run_tx" "udp_src_min 9"
	pg_set "$run_tx" "udp_src_max 9"
	pg_set "$run_tx" "udp_dst_min 9"
	pg_set "$run_tx" "udp_dst_max 9"
}

veth_cleanup() {
	[ -d "$pg" ] && echo rem_device_all > "$pg/kpktgend_0" 2> /dev/null
	ip link del "$veth_dev" 2> /dev/null || true
	if grep -q '^pmnic ' /proc/modules; then rmmod pmnic; fi
	rmmod pktgen 2> /dev/null || true
}

# (Re)load pktmeta with its default fields and hooks=H.
pktmeta_load_hooks() { # H
	rmmod pktmeta_bench 2> /dev/null || true
	pktmeta_unload
	modprobe pktmeta hooks="$1"
	pktmeta_hold
	local st
	st=$(awk '$1 == "veth" { print $2 }' /sys/kernel/debug/pktmeta/hooks)
	if [ "$1" = 1 ]; then
		# idle until pmrun loads veth_bench.bpf.o, whose veth_rx_hash
		# calls pktmeta (module/demand.c)
		[ "$st" = attached ] || [ "$st" = idle ] || die "veth hook $st with hooks=1"
	else
		[ "$st" = off ] || die "veth hook $st with hooks=0"
	fi
}

veth_hits() {
	awk '$1 == "veth" { print $3 }' /sys/kernel/debug/pktmeta/hooks
}

# BENCH_TRIES pktgen runs of PROG attached to pmb0 (one attach; the device
# pg_device named last): prints the least elapsed ns per packet. A run in
# which the device dropped packets (its ring full while ksoftirqd, not
# pktgen's thread, ran the NAPI poll) is not the path measured: it is run
# again, up to 3 times. HOOKS=1 also checks that veth's hook saw each
# packet.
veth_run() { # PROG HOOKS [OBJECT]
	local p=$1 h=$2 o=${3:-$veth_obj} res us pkts hits0 hits1 ok unset err n=$((tries * veth_pkts)) a
	local vars=(-p packets)
	[ "$p" = veth_rx_hash ] && vars+=(-p hash_ok -p hash_unset -p hash_err)
	for a in 1 2 3; do
		hits0=0 hits1=0
		[ "$h" = 1 ] && hits0=$(veth_hits)
		res=$("$pmrun" -a "$run_dev" -c "for i in \$(seq $tries); do echo start > $pg/pgctrl; grep -h Result: $pg/$run_tx; done" \
			"${vars[@]}" "$o" "$p") ||
			die "$p: pmrun failed"
		[ "$h" = 1 ] && hits1=$(veth_hits)
		pkts=$(echo "$res" | value packets)
		[ "$pkts" -ge "$n" ] && break
		echo "bench: $p: the program saw $pkts of $n packets, again" >&2
	done
	[ "$pkts" -ge "$n" ] || die "$p: the program saw $pkts of $n packets"
	if [ "$h" = 1 ]; then
		[ $((hits1 - hits0)) -ge "$n" ] || die "$p: $((hits1 - hits0)) veth hook hits for $n packets"
	fi
	if [ "$p" = veth_rx_hash ]; then
		ok=$(echo "$res" | value hash_ok) unset=$(echo "$res" | value hash_unset)
		err=$(echo "$res" | value hash_err)
		if [ "$h" = 1 ]; then
			[ "$ok" -ge "$n" ] || die "$p: rx_hash read on $ok of $n packets (hooks=1)"
		else
			[ "$unset" -ge "$n" ] || die "$p: rx_hash unset on $unset of $n packets (hooks=0)"
		fi
		[ "$err" = 0 ] || die "$p: $err errors"
	fi
	us=$(echo "$res" | sed -n 's/^Result: OK: \([0-9]*\)(c.*/\1/p' | sort -n | head -n 1)
	[ -n "$us" ] || die "pktgen: $(echo "$res" | grep Result:)"
	echo $((us * 1000 / veth_pkts))
}

veth_measure() { # HOOKS: prints "dropH=NS rxhashH=NS passH=NS"
	local d h p
	pktmeta_load_hooks "$1"
	d=$(veth_run veth_drop "$1")
	h=$(veth_run veth_rx_hash "$1")
	p=$(veth_run veth_pass "$1")
	echo "drop$1=$d rxhash$1=$h pass$1=$p"
}

if part dghf; then
	veth_setup
fi
if part d; then
echo "bench: part d, veth XDP path with and without hooks, $veth_rounds rounds, best of $tries runs of $veth_pkts packets"
: > "$raw_d"
start=$(date +%s)
pktmeta_load_hooks 1
veth_run veth_drop 1 > /dev/null	# warm up
for r in $(seq "$veth_rounds"); do
	if [ $((r % 2)) = 1 ]; then
		m1=$(veth_measure 1); m0=$(veth_measure 0)
	else
		m0=$(veth_measure 0); m1=$(veth_measure 1)
	fi
	echo "$r $m1 $m0" | tee -a "$raw_d"
done
secs=$(($(date +%s) - start))
# Leave pktmeta loaded with its defaults, as the guest found it.
pktmeta_load_hooks 1

per_packet_table "$raw_d" "$veth_rounds" "$veth_pkts" "$secs" '
{
	words()
	n++
	d1[n] = t["drop1"]; d0[n] = t["drop0"]; h1[n] = t["rxhash1"]; h0[n] = t["rxhash0"]
	r_d[n] = t["drop1"] / t["drop0"]; r_h[n] = t["rxhash1"] / t["rxhash0"]
	p1[n] = t["pass1"]; p0[n] = t["pass0"]; r_p[n] = t["pass1"] / t["pass0"]
}
END {
	heading("d", "pktgen on a veth pair, XDP program on the receiving end, " unit " per packet", "hooks=1", "hooks=0")
	costs("XDP program without pktmeta", d1, d0)
	costs("XDP program reading rx_hash", h1, h0)
	costs("XDP_PASS up the stack, no fields", p1, p0)
	ratios("per packet, hooks=1 / hooks=0")
	row("d  veth XDP path, no pktmeta call", r_d, 1.05)
	row("d  veth XDP path, rx_hash read", r_h, 1.05)
	row("d  XDP_PASS to the stack, no fields", r_p, 1.05)
}'
fi

# Part g: the xdp_run probe (module/hook_xdp_run.c) runs at the start of
# every XDP program run of every device. Measured as part d is, with
# veth_drop (no pktmeta call) in native mode on two devices, pktmeta loaded
# with xdp_run=1 (the default) and xdp_run=0, the other hooks on in both:
#  - the veth pair, where the probe finds the buffer is one veth itself
#    resets and returns;
#  - pmnic (tests/pmnic, a ring of recycled pages like ice's; built by
#    `make bench`), where it resets the buffer: the probe's whole work.
#    rx-frames 1 makes pmnic schedule its NAPI for every packet, so the
#    poll runs in pktgen's thread as veth's does.
pktmeta_load_xdp_run() { # X
	rmmod pktmeta_bench 2> /dev/null || true
	pktmeta_unload
	modprobe pktmeta xdp_run="$1"
	pktmeta_hold
	local st
	st=$(awk '$1 == "xdp_run" { print $2 }' /sys/kernel/debug/pktmeta/hooks)
	if [ "$1" = 1 ]; then
		[ "$st" = attached ] || [ "$st" = idle ] || die "xdp_run hook $st with xdp_run=1"
	else
		[ "$st" = off ] || die "xdp_run hook $st with xdp_run=0"
	fi
}

# Both devices with xdp_run=X: prints "vethX=NS pmnicX=NS".
xdp_run_measure() { # X
	local v p
	pktmeta_load_xdp_run "$1"
	pg_device "$veth_dev" "$veth_tx"
	v=$(veth_run veth_drop 1)
	pg_device pmnic0 pmnic1
	p=$(veth_run veth_drop 0)
	echo "veth$1=$v pmnic$1=$p"
}

if part g; then
raw_g=${out%.txt}-raw-xdp-run.txt
if [ -z "${BENCH_PMNIC:-}" ] && [ -r /results/env ]; then
	BENCH_PMNIC=$(. /results/env && dirname "$PKTMETA_DKMS")/pmnic/$kver/pmnic.ko
fi
[ -f "${BENCH_PMNIC:-}" ] || die "no pmnic.ko (BENCH_PMNIC; make bench builds it)"
insmod "$BENCH_PMNIC" ring_size=64
for d in pmnic0 pmnic1; do
	sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"
	ip link set "$d" up
done
ethtool -C pmnic0 rx-frames 1
echo "bench: part g, native XDP with and without the xdp_run probe, $veth_rounds rounds, best of $tries runs of $veth_pkts packets"
: > "$raw_g"
start=$(date +%s)
for r in $(seq "$veth_rounds"); do
	if [ $((r % 2)) = 1 ]; then
		m1=$(xdp_run_measure 1); m0=$(xdp_run_measure 0)
	else
		m0=$(xdp_run_measure 0); m1=$(xdp_run_measure 1)
	fi
	echo "$r $m1 $m0" | tee -a "$raw_g"
done
secs=$(($(date +%s) - start))
rmmod pmnic
pg_device "$veth_dev" "$veth_tx"
pktmeta_load_hooks 1	# the defaults, as the guest found it
per_packet_table "$raw_g" "$veth_rounds" "$veth_pkts" "$secs" '
{
	words()
	n++
	v1[n] = t["veth1"]; v0[n] = t["veth0"]; r_v[n] = t["veth1"] / t["veth0"]
	p1[n] = t["pmnic1"]; p0[n] = t["pmnic0"]; r_p[n] = t["pmnic1"] / t["pmnic0"]
}
END {
	heading("g", "pktgen, XDP_DROP in native mode without pktmeta calls, " unit " per packet", "xdp_run=1", "xdp_run=0")
	costs("veth: the probe returns", v1, v0)
	costs("pmnic (ring driver): the probe resets", p1, p0)
	ratios("per packet, probe / no probe")
	row("g  native XDP on veth, xdp_run probe", r_v, 1.03)
	row("g  native XDP on pmnic, xdp_run probe", r_p, 1.03)
}'
fi

# Part h: what a loaded pktmeta that no program uses costs each packet
# (target: at most 1%). plain_pass (bpf/bench/plain_bench.bpf.c: no pktmeta
# call, in an object of its own) passes pktgen's packets up the stack on
# the veth pair, measured as part d is, with pktmeta not loaded and loaded
# with its defaults. Where the kernel tells pktmeta when a program that
# uses it is loaded (kfunc filters; module/demand.c) no probe is then
# registered; 6.1 cannot tell, keeps them registered and pays them here.
unused_measure() { # L (1: loaded, unused; 0: not loaded): prints "loadedL=NS"
	local i ns
	pktmeta_unload	# and the pinned program with it
	if [ "$1" = 1 ]; then
		modprobe pktmeta
		pktmeta_idle
	fi
	ns=$(veth_run plain_pass 0 "$plain_obj")
	# what the loaded module said right after the run (README: yes/no/always)
	[ "$1" = 1 ] && cat /sys/kernel/debug/pktmeta/hooks_in_use > "$raw_h.in_use"
	echo "loaded$1=$ns"
}

if part h; then
raw_h=${out%.txt}-raw-unused.txt
echo "bench: part h, veth XDP_PASS with pktmeta loaded but unused and not loaded, $veth_rounds rounds, best of $tries runs of $veth_pkts packets"
: > "$raw_h"
start=$(date +%s)
for r in $(seq "$veth_rounds"); do
	if [ $((r % 2)) = 1 ]; then
		m1=$(unused_measure 1); m0=$(unused_measure 0)
	else
		m0=$(unused_measure 0); m1=$(unused_measure 1)
	fi
	echo "$r $m1 $m0" | tee -a "$raw_h"
done
secs=$(($(date +%s) - start))
pktmeta_load_hooks 1	# the defaults, as the guest found it
in_use=$(cat "$raw_h.in_use")
per_packet_table "$raw_h" "$veth_rounds" "$veth_pkts" "$secs" '
{
	words()
	n++
	l1[n] = t["loaded1"]; l0[n] = t["loaded0"]; r_l[n] = t["loaded1"] / t["loaded0"]
}
END {
	heading("h", "pktgen, XDP_PASS in native mode on veth, no pktmeta call, " unit " per packet;\n" \
		" hooks_in_use after the runs with pktmeta loaded: " in_use, "loaded", "unloaded")
	costs("veth XDP_PASS up the stack", l1, l0)
	ratios("per packet, loaded / not loaded")
	row("h  pktmeta loaded, unused", r_l, 1.01)
}' in_use="$in_use"
fi

# Part f: the stored hash applied to cpumap's skb vs computed by the stack.
#
# pktgen transmits BENCH_CPUMAP_PKTS packets on pmb1 (UDP, 16 flows: source
# ports 9 to 24); cpumap_store, in native mode on pmb0, stores each
# packet's rx_hash and redirects it into a cpumap entry for CPU 0, the CPU
# pktgen's thread (kpktgend_0) runs on; the entry's kthread builds the skbs
# and passes them up, and tc_hash at pmb0's TC ingress asks for each skb's
# hash and drops it. With skb_hints=1 the skb arrives with the stored hash
# (pktmeta applies it where the skb is built); with skb_hints=0 the stack
# dissects the packet to compute one. The cost measured is the kthread's
# own CPU time (/proc/PID/schedstat: sum_exec_runtime, from the scheduler
# clock, not sampled at the tick) per packet it passed up: building the skb,
# pktmeta's skb hooks, the stack to TC ingress, the hash, the free. All of
# it runs on CPU 0 while CPU 1 idles, so under single-threaded TCG the
# guest's clock advances only for CPU 0's work (and what the host steals,
# which only adds time). The cpumap queue holds every packet of a run
# (qsize 16384), so the kthread may run during or after pktgen's run and
# no packet is dropped: every run must see each packet at TC, with the
# stored hash (skb_hints=1) or another (skb_hints=0). Each measurement is
# the least of BENCH_TRIES runs; rounds alternate the order of the two
# settings; the table gives the median of the per-round ratios.
params=/sys/module/pktmeta/parameters

# The PID of the kthread of cpumap entry CPU for the newest map.
cpumap_kthread() { # CPU
	local d comm best= best_id=-1 id
	for d in /proc/[0-9]*; do
		read -r comm 2> /dev/null < "$d/comm" || continue
		case $comm in
		"cpumap/$1/map:"*)
			id=${comm##*:}
			if [ "$id" -gt "$best_id" ]; then best_id=$id best=${d#/proc/}; fi ;;
		esac
	done
	echo "$best"
}

# Run pktgen once and print the cpumap kthread's CPU time (ns) for it,
# after the kthread has drained the queue (its CPU time stops growing).
cpumap_consume() {
	local pid r0 r1 prev
	pid=$(cpumap_kthread 0)
	[ -n "$pid" ] || { echo "no cpumap kthread" >&2; return 1; }
	read -r r0 _ < "/proc/$pid/schedstat"
	echo start > "$pg/pgctrl"
	prev=
	while :; do
		sleep 0.3
		read -r r1 _ < "/proc/$pid/schedstat"
		[ "$r1" = "$prev" ] && break
		prev=$r1
	done
	echo "consumer_ns=$((r1 - r0))"
}

# BENCH_TRIES runs with skb_hints=H, one attach each: prints the least
# kthread ns per packet.
cpumap_run() { # H
	local h=$1 res best= ns seen st ot i a n=$cpumap_pkts
	echo "$h" > "$params/skb_hints"
	for i in $(seq "$tries"); do
		for a in 1 2 3; do
			res=$("$pmrun" -a "$veth_dev" -t tc_hash -m cpus:0:16384 -s cpu_target=0 \
				-c "bash -c '$(declare -f cpumap_kthread cpumap_consume); pg=$pg cpumap_consume'" \
				-p stored -p store_err -p seen -p hash_stored -p hash_other \
				"$cpumap_obj" cpumap_store) || die "cpumap_store: pmrun failed"
			seen=$(echo "$res" | value seen)
			[ "$seen" -ge "$n" ] && break
			echo "bench: cpumap: TC saw $seen of $n packets, again" >&2
		done
		[ "$seen" -ge "$n" ] || die "cpumap: TC saw $seen of $n packets"
		[ "$(echo "$res" | value store_err)" = 0 ] || die "cpumap: rx_hash store failed"
		st=$(echo "$res" | value hash_stored) ot=$(echo "$res" | value hash_other)
		if [ "$h" = 1 ]; then
			[ "$st" = "$seen" ] || die "cpumap: skb_hints=1: the stored hash on $st of $seen skbs"
		else
			[ "$ot" = "$seen" ] || die "cpumap: skb_hints=0: the stored hash on $st of $seen skbs"
		fi
		ns=$(echo "$res" | value consumer_ns)
		[ -n "$ns" ] || die "cpumap: no kthread time: $res"
		ns=$((ns / seen))
		if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
	done
	echo "$best"
}

if part f; then
echo "bench: part f, cpumap with the stored hash applied or computed, $cpumap_rounds rounds, best of $tries runs of $cpumap_pkts packets"
[ "$cpumap_pkts" -le 16384 ] || die "BENCH_CPUMAP_PKTS $cpumap_pkts is more than the cpumap queue (16384)"
pg_set "$veth_tx" "count $cpumap_pkts"
pg_set "$veth_tx" "udp_src_max 24"
: > "$raw_f"
start=$(date +%s)
cpumap_run 1 > /dev/null	# warm up
for r in $(seq "$cpumap_rounds"); do
	if [ $((r % 2)) = 1 ]; then
		a1=$(cpumap_run 1); a0=$(cpumap_run 0)
	else
		a0=$(cpumap_run 0); a1=$(cpumap_run 1)
	fi
	echo "$r applied=$a1 computed=$a0" | tee -a "$raw_f"
done
secs=$(($(date +%s) - start))
echo 1 > "$params/skb_hints"	# the default, as the guest found it

per_packet_table "$raw_f" "$cpumap_rounds" "$cpumap_pkts" "$secs" '
{
	words()
	n++
	a1[n] = t["applied"]; a0[n] = t["computed"]; r_f[n] = t["applied"] / t["computed"]
}
END {
	heading("f", "pktgen on a veth pair, XDP stores rx_hash, cpumap to the same CPU, TC asks for the hash;\n" \
		" the cpumap kthread" q "s CPU time per packet, " unit, "kthread", "")
	printf "  %-40s %9d\n", "hash applied (skb_hints=1)", median(a1, n)
	printf "  %-40s %9d\n", "hash computed (skb_hints=0)", median(a0, n)
	ratios("per packet")
	row("f  cpumap, hash applied / computed", r_f, "")
}' q="'"
fi

# Part i: a u64 field carried on local UDP traffic from TC egress of the
# sending veth to TC ingress of its peer in another namespace, against the
# same path without pktmeta.
#
# pmudp (tests/bench/pmudp.c), pinned to CPU 0, sends BENCH_PATH_PKTS UDP
# datagrams (16 bytes of payload) from a socket in the guest's namespace
# through pmi1 to a socket on its peer pmi0 in namespace pmbi, and receives
# each one before it sends the next. The sending syscall carries the
# datagram through the IP output path, TC egress and veth, and on leaving
# __dev_queue_xmit()'s BH-disabled section through the receive softirq (TC
# ingress, IP, UDP, the socket's queue); the receiving syscall then takes
# it. pmudp's time for a run (CLOCK_MONOTONIC) is so the whole system's
# cost of a datagram, both syscalls included, on one CPU while the other
# idles. Three configurations:
#  - field: pktmeta loaded with its defaults and one u64 field; path_set
#    (bpf/bench/path_bench.bpf.c) at pmi1's TC egress sets it on each
#    datagram with pktmeta_skb_set_room() (a socket's skb has too little
#    headroom for the area, so each gets its head reallocated with room),
#    path_get at pmi0's TC ingress reads it and compares it with the value
#    of the datagram's own seq. Their kfunc calls put pktmeta's hooks in
#    use (module/demand.c): the skb mark's probe at eth_type_trans(), which
#    veth's __dev_forward_skb() calls for every packet, runs too;
#  - inuse: pktmeta loaded with its defaults and in use (the pinned
#    program), plain_path_tx and plain_path_rx (bpf/bench/plain_bench.bpf.c)
#    at the same places: they parse and count the datagrams as path_set
#    and path_get do and call nothing; what the hooks alone add;
#  - none: the same plain programs with pktmeta not loaded.
# Each measurement is the least of BENCH_TRIES runs in one attach, after
# BENCH_PATH_PKTS / 10 untimed datagrams; rounds alternate the order of the
# configurations; the table gives the median of the per-round ratios to
# none. Every datagram must pass both programs and be queued at the
# receiving socket when the send returns (none late, lost or out of order);
# with the field, each must arrive with its own value (0 wrong, 0 errors).
path_ns=pmbi path_tx=pmi1 path_rx=pmi0
path_obj=$repo/build/bpf/bench/path_bench.bpf.o
recv_obj=$repo/build/bpf/bench/recv_bench.bpf.o
pmudp=$repo/build/tools/pmudp
pktmetactl=$repo/build/tools/pktmetactl

path_setup() {
	local mac
	modprobe veth 2> /dev/null || true	# the kernel cannot autoload from the chroot
	ip netns add "$path_ns"
	ip link add "$path_tx" type veth peer name "$path_rx" netns "$path_ns"
	# no IPv6 autoconfiguration traffic on the pair, only pmudp's
	sysctl -qw "net.ipv6.conf.$path_tx.disable_ipv6=1"
	ip netns exec "$path_ns" sysctl -qw "net.ipv6.conf.$path_rx.disable_ipv6=1"
	ip addr add 10.79.0.1/24 dev "$path_tx"
	ip -n "$path_ns" addr add 10.79.0.2/24 dev "$path_rx"
	ip link set "$path_tx" up
	ip -n "$path_ns" link set "$path_rx" up
	mac=$(ip netns exec "$path_ns" cat "/sys/class/net/$path_rx/address")
	ip neigh replace 10.79.0.2 lladdr "$mac" dev "$path_tx" nud permanent
}

path_cleanup() {
	ip link del "$path_tx" 2> /dev/null || true
	ip netns del "$path_ns" 2> /dev/null || true
}

# BENCH_TRIES runs of pmudp in CONFIG (the module as path_measure left it),
# a configuration of part i (field, inuse, none) or j (asked, notasked,
# unloaded): prints the least ns per datagram.
path_run() { # CONFIG
	local o=$plain_obj tx=plain_path_tx rx=plain_path_rx set=() txv=(-p egress_seen) rxv=(-p ingress_seen)
	local udp="$path_ns /proc/1/ns/net 10.79.0.2 $path_pkts $tries" opt=-m res sent v ns
	case $1 in
	field|inuse|none)
		if [ "$1" = field ]; then
			o=$path_obj tx=path_set rx=path_get set=(-s field_id="$path_id")
			txv+=(-p set_ok -p set_err)
			rxv+=(-p got_right -p got_wrong -p got_none -p get_err)
		fi
		res=$("$pmrun" -X -E -a "$path_tx" -t "$tx" "${set[@]}" "${txv[@]}" \
			-c "ip netns exec $path_ns $pmrun -X -a $path_rx -t $rx ${set[*]} ${rxv[*]} \
				-c 'taskset -c 0 $pmudp /run/netns/$udp' $o $rx" \
			"$o" "$tx") || die "$1: pmrun failed"
		;;
	*)
		rx=plain_recv rxv=(-p recv_seen)
		if [ "$1" != unloaded ]; then
			o=$recv_obj rx=recv_set set=(-s field_a="$recv_a" -s field_b="$recv_b")
			rxv+=(-p set_ok -p set_err)
		fi
		[ "$1" = asked ] && opt=-f
		res=$(ip netns exec "$path_ns" "$pmrun" -a "$path_rx" "${set[@]}" "${rxv[@]}" \
			-c "taskset -c 0 $pmudp $opt /run/netns/$udp" "$o" "$rx") || die "$1: pmrun failed"
		;;
	esac
	sent=$(echo "$res" | value sent)
	[ "$sent" = $((path_pkts / 10 + tries * path_pkts)) ] || die "$1: pmudp sent $sent datagrams"
	for v in late lost wrong got_wrong got_none set_err get_err; do
		[ "$(echo "$res" | value "$v")" = "" ] || [ "$(echo "$res" | value "$v")" = 0 ] ||
			die "$1: $v=$(echo "$res" | value "$v") of $sent datagrams"
	done
	for v in egress_seen ingress_seen recv_seen set_ok got_right fields; do
		[ "$(echo "$res" | value "$v")" = "" ] || [ "$(echo "$res" | value "$v")" = "$sent" ] ||
			die "$1: $v=$(echo "$res" | value "$v") of $sent datagrams"
	done
	ns=$(echo "$res" | value ns | sort -n | head -n 1)
	echo $((ns / path_pkts))
}

# The id of a field pktmetactl registered, from what it printed.
registered_id() { # NAME
	sed -n "s/^id \([0-9]*\) name $1 .*/\1/p"
}

path_measure() { # CONFIG: prints "CONFIG=NS"
	pktmeta_unload
	case $1 in
	field)
		modprobe pktmeta
		path_id=$("$pmrun" -s name=bench.path -s size=8 -p ret "$reg" do_register | value ret)
		[ "${path_id:--1}" -ge 0 ] || die "cannot register bench.path: $path_id"
		;;
	inuse)
		modprobe pktmeta
		pktmeta_hold
		;;
	asked|notasked)
		modprobe pktmeta
		recv_a=$("$pktmetactl" register sock.a 8 sockets | registered_id sock.a)
		recv_b=$("$pktmetactl" register sock.b 4 sockets | registered_id sock.b)
		[ -n "$recv_a" ] && [ -n "$recv_b" ] || die "cannot register sock.a and sock.b"
		;;
	esac
	echo "$1=$(path_run "$1")"
}

# On the veth pair made for it, BENCH_PATH_ROUNDS rounds of path_measure
# over CONFIGs, in turn in their order and the reverse, one line per round
# into RAW; sets secs to the time they took and leaves pktmeta loaded with
# its defaults, as the guest found it.
path_bench() { # RAW CONFIG...
	local raw=$1 r m c configs start
	shift
	path_setup
	: > "$raw"
	start=$(date +%s)
	for r in $(seq "$path_rounds"); do
		m=$r configs=("$@")
		if [ $((r % 2)) = 0 ]; then
			configs=()
			for c in "$@"; do configs=("$c" "${configs[@]}"); done
		fi
		for c in "${configs[@]}"; do
			m="$m $(path_measure "$c")"
		done
		echo "$m" | tee -a "$raw"
	done
	secs=$(($(date +%s) - start))
	path_cleanup
	pktmeta_load_hooks 1
}

if part i; then
echo "bench: part i, local UDP through TC egress, veth and TC ingress with and without a field, $path_rounds rounds, best of $tries runs of $path_pkts datagrams"
path_bench "$raw_i" field inuse none
per_packet_table "$raw_i" "$path_rounds" "$path_pkts" "$secs" '
{
	words()
	n++
	f[n] = t["field"]; u[n] = t["inuse"]; z[n] = t["none"]
	r_f[n] = t["field"] / t["none"]; r_u[n] = t["inuse"] / t["none"]
}
END {
	heading("i", "pmudp: UDP from socket to socket through TC egress, veth, TC ingress; both syscalls;\n" \
		" " unit " per datagram", "pktmeta", "none")
	costs("u64 field set at egress, read at ingress", f, z)
	costs("in use, programs not calling pktmeta", u, z)
	ratios("per datagram, pktmeta / none")
	row("i  TC egress set, TC ingress get", r_f, "")
	row("i  pktmeta in use, no call", r_u, "")
}'
fi

# Part j: what a socket that asks for fields pays to receive them with each
# datagram, against the same socket not asking.
#
# pmudp's traffic of part i on the same veth pair, with no TC program: an
# XDP program in native mode on the receiving veth pmi0 and pmudp
# receiving with recvmsg() and a control buffer with room for the message,
# in three configurations:
#  - asked: pktmeta loaded with its defaults, sock.a (8 bytes) and sock.b
#    (4 bytes) registered with `pktmetactl register NAME SIZE sockets`;
#    recv_set (bpf/bench/recv_bench.bpf.c) sets both on each datagram, to
#    values of its seq (bpf/tests/sockets.h); the receiving socket asks for
#    them (pmudp -f: pktmeta_socket_request()), and pmudp reads them from
#    each datagram's control message and compares them with its seq;
#  - notasked: the same, the socket not asking (pmudp -m: the same
#    recvmsg() with the same buffer, and the same look for pktmeta's
#    message, which must not come);
#  - unloaded: plain_recv (bpf/bench/plain_bench.bpf.c: parses and counts
#    the datagrams as recv_set does, calls nothing), pmudp -m, pktmeta not
#    loaded.
# The fields are set at XDP, where sockets.bats sets them: the XDP buffer
# has the headroom for the area, so setting them costs the same small
# amount on every datagram in asked and notasked alike, and the head of the
# skb is not reallocated for them as it would be at TC ingress (part i).
# veth copies each datagram into a page with XDP headroom before any XDP
# program runs, pktmeta or not, so unloaded runs that path too. asked and
# notasked differ only in the request: the socket's flag that makes
# recvmsg() call __sock_recv_cmsgs(), pktmeta's hook there building the
# message, and pmudp walking its two records. Measured as part i is:
# BENCH_PATH_PKTS datagrams, least of BENCH_TRIES runs, BENCH_PATH_ROUNDS
# rounds; every datagram must be seen by the program (with both fields set)
# and be queued when its send returns; with the request each must carry
# both fields with its own values (0 wrong), without it none may carry
# pktmeta's message.
if part j; then
raw_j=${out%.txt}-raw-recv.txt
echo "bench: part j, local UDP with two fields set at XDP, a socket asking for them or not, $path_rounds rounds, best of $tries runs of $path_pkts datagrams"
path_bench "$raw_j" asked notasked unloaded
per_packet_table "$raw_j" "$path_rounds" "$path_pkts" "$secs" '
{
	words()
	n++
	a[n] = t["asked"]; q[n] = t["notasked"]; z[n] = t["unloaded"]
	r_a[n] = t["asked"] / t["notasked"]; r_z[n] = t["asked"] / t["unloaded"]
	r_q[n] = t["notasked"] / t["unloaded"]
}
END {
	heading("j", "pmudp: UDP from socket to socket through veth, XDP on the receiving veth sets two fields\n" \
		" (u64, u32); recvmsg() with a control buffer; both syscalls; " unit " per datagram", "pktmeta", "unloaded")
	costs("socket asked for both fields, read them", a, z)
	costs("socket did not ask", q, z)
	ratios("per datagram")
	row("j  asked / not asked", r_a, "")
	row("j  asked / pktmeta not loaded", r_z, "")
	row("j  not asked / pktmeta not loaded", r_q, "")
}'
fi
echo
cat "$out"

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# pktmeta on a native XDP driver that receives like ice and i40e: pmnic
# (tests/pmnic), a pair of devices joined like a cable, whose receive ring
# recycles a few pages and keeps ONE xdp_buff, initialised once per NAPI
# poll, so that xdp_buff->flags of one packet carry over to the next
# packet of the poll. pktmeta clears its area bit at the start of every
# XDP program run on such queues (module parameter xdp_reset, default 1);
# with xdp_reset=0 the ring's buffers show stale areas.
#
# Traffic: pktgen on pmnic1 toward pmnic0 (10.78.0.2 port 9, pktgen's
# header after UDP: its seq_num is the per-packet value). The programs are
# bpf/tests/native_xdp.bpf.c: set_get on pmnic0 sets a u64 field to seq on
# even seqs and reads it on every packet; later stages (TC, a cpumap or
# devmap program, the far end of the cable) read it again. The tests judge
# what arrived (a floor of half of what was sent or seen before), never
# that every packet did; the values read must be 0 stale, 0 wrong. pmnic's
# own counters come from ethtool -S.

load helpers

OBJ=$BPF/tests/native_xdp.bpf.o
XDP_RESET=/sys/module/pktmeta/parameters/xdp_reset
N=100000	# packets of the stale-read tests
M=20000		# packets of the others

XDP_PASS=2 XDP_DROP=1 XDP_TX=3 XDP_REDIRECT=4

SET_GET_VARS=(-p pkts -p stale -p wrong -p refused -p set_ok -p own_ok
	-p first_stale_seq -p first_stale_val -p first_wrong_seq -p first_wrong_ret)

setup() {
	load_pktmeta
	load_pmnic
	MAC0=$(cat /sys/class/net/pmnic0/address)
	ID=$(register_field native.seq 8)
	[ "$ID" -gt 2 ]
}

teardown() {
	pktgen_cleanup
	unload_pmnic
	if [ -w "$XDP_RESET" ]; then echo 1 > "$XDP_RESET"; fi
	unregister_all_fields
}

# Send COUNT pktgen packets from pmnic1 to pmnic0 while pmrun attaches a
# program to pmnic0 (pmrun's options and OBJ PROG in the rest), with the
# field's id set; afterwards $output holds pmrun's output plus sent=N.
traffic() { # COUNT PMRUN-ARGS...
	local count=$1
	shift
	pktgen_setup pmnic1 "$MAC0" "$count"
	run "$PMRUN" -a pmnic0 -s field_id="$ID" -c "echo start > $PKTGEN/pgctrl" "$@"
	traffic_done
}

# After traffic: what pktgen sent, and pmnic0's ring, in $output.
traffic_done() {
	output+=$'\n'"sent=$(pktgen_sent pmnic1)"
	output+=$'\n'"pmnic0: $(ethtool -S pmnic0 | awk 'NR > 1 && $2 != 0 { printf "%s%s ", $1, $2 }')"
	echo "$output"
}

# The same, with a pmrun on pmnic1 running wire_check around it: FAR_VARS
# are the far end's variables to print.
traffic_with_far_end() { # COUNT PMRUN-ARGS...
	local count=$1 far_vars=(-p wire_seen -p wire_leak -p wire_unset -p wire_refused -p wire_other)
	shift
	pktgen_setup pmnic1 "$MAC0" "$count"
	printf '%q ' "$PMRUN" -a pmnic0 -s field_id="$ID" -c "echo start > $PKTGEN/pgctrl" "$@" \
		> "$BATS_TEST_TMPDIR/near.sh"
	run "$PMRUN" -a pmnic1 -s field_id="$ID" "${far_vars[@]}" \
		-c "bash $BATS_TEST_TMPDIR/near.sh" "$OBJ" wire_check
	traffic_done
}

# pktmeta's reset of the area bit on native driver queues, set to 0 or 1.
xdp_reset() {
	if [ ! -w "$XDP_RESET" ]; then
		echo "pktmeta has no parameter xdp_reset: it does not accept native driver queues yet" >&2
		return 1
	fi
	echo "$1" > "$XDP_RESET"
}

# set_get on pmnic0 saw at least half of what pktgen sent, and every read
# was right: no stale value, no other error, no refusal; each even seq set
# and read back its own value.
assert_set_get_clean() {
	local pkts
	[ "$status" -eq 0 ]
	pkts=$(var pkts)
	[ "$pkts" -le "$(var sent)" ]
	[ "$pkts" -ge $(($(var sent) / 2)) ]
	[ "$(var stale)" = 0 ]
	[ "$(var wrong)" = 0 ]
	[ "$(var refused)" = 0 ]
	[ "$(var own_ok)" = "$(var set_ok)" ]
	[ "$(var own_ok)" -ge $((pkts / 4)) ]
}

# A later stage (cpu, dev, tc) saw at least half of SEEN packets and read
# each even seq's own value, or nothing on odd seqs; never another value
# or a refusal; at least a quarter of what it saw had its own value.
assert_stage_clean() { # STAGE SEEN
	local s=$1 seen
	seen=$(var "${s}_seen")
	[ "$seen" -le "$2" ]
	[ "$seen" -ge $(($2 / 2)) ]
	[ "$(var "${s}_wrong")" = 0 ]
	[ "$(var "${s}_refused")" = 0 ]
	[ "$(var "${s}_ok")" -ge $((seen / 4)) ]
	[ $(($(var "${s}_ok") + $(var "${s}_unset") + $(var "${s}_missing"))) = "$seen" ]
}

# ---- the driver alone (no pktmeta call) ----

@test "pmnic without XDP: pktgen's packets become skbs on pmnic0, built over recycled ring pages" {
	local sent rx
	pktgen_setup pmnic1 "$MAC0" "$M"
	pktgen_start
	sent=$(pktgen_sent pmnic1)
	[ "$sent" = "$M" ]
	[ $(($(nic_stat pmnic1 tx_packets) + $(nic_stat pmnic1 tx_dropped))) = "$sent" ]
	rx=$(nic_wait_stat pmnic0 rx_packets "$(nic_stat pmnic1 tx_packets)")
	echo "sent $sent, pmnic0: rx $rx, skbs $(nic_stat pmnic0 rx_skbs), reuse $(nic_stat pmnic0 rx_page_reuse), alloc $(nic_stat pmnic0 rx_page_alloc)"
	[ "$rx" = "$(nic_stat pmnic1 tx_packets)" ]
	[ "$rx" -ge $((sent / 2)) ]
	[ "$(nic_stat pmnic0 rx_skbs)" = "$rx" ]
	[ "$(nic_stat pmnic0 rx_page_reuse)" -ge $((rx / 2)) ]
}

@test "pmnic native XDP_DROP without pktmeta calls: each packet dropped and its page recycled, several packets per NAPI poll" {
	traffic "$M" -s verdict=$XDP_DROP -p counted "$OBJ" count_only
	[ "$status" -eq 0 ]
	[ "$(var counted)" -ge $(($(var sent) / 2)) ]
	[ "$(nic_stat pmnic0 xdp_drop)" = "$(var counted)" ]
	[ "$(nic_stat pmnic0 rx_page_reuse)" -ge $(($(var counted) / 2)) ]
	[ "$(nic_stat pmnic0 napi_polls_batched)" -gt 0 ]
}

@test "pmnic native XDP_PASS and XDP_TX without pktmeta calls: skbs on pmnic0, transmitted packets arrive on pmnic1" {
	traffic "$M" -s verdict=$XDP_PASS -p counted "$OBJ" count_only
	[ "$status" -eq 0 ]
	[ "$(var counted)" -ge $(($(var sent) / 2)) ]
	[ "$(nic_stat pmnic0 xdp_pass)" -ge "$(var counted)" ]
	[ "$(nic_stat pmnic0 rx_skbs)" = "$(nic_stat pmnic0 xdp_pass)" ]

	traffic "$M" -s verdict=$XDP_TX -p counted "$OBJ" count_only
	[ "$status" -eq 0 ]
	[ "$(var counted)" -ge $(($(var sent) / 2)) ]
	[ $(($(nic_stat pmnic0 xdp_tx) + $(nic_stat pmnic0 xdp_tx_errors))) = "$(var counted)" ]
	[ "$(nic_stat pmnic0 xdp_tx)" -ge $(($(var counted) / 2)) ]
	[ "$(nic_wait_stat pmnic1 rx_packets "$(nic_stat pmnic0 xdp_tx)")" = "$(nic_stat pmnic0 xdp_tx)" ]
}

@test "pmnic native XDP_REDIRECT without pktmeta calls: into a cpumap, and into a devmap whose ndo_xdp_xmit delivers to pmnic1" {
	traffic "$M" -s verdict=$XDP_REDIRECT -s use_cpumap=1 -s cpu_target=1 -m cpus:1:256 \
		-p counted "$OBJ" count_only
	[ "$status" -eq 0 ]
	[ "$(var counted)" -ge $(($(var sent) / 2)) ]
	[ "$(nic_stat pmnic0 xdp_redirect)" -ge $(($(var counted) / 2)) ]
	[ $(($(nic_stat pmnic0 xdp_redirect) + $(nic_stat pmnic0 xdp_redirect_errors))) = "$(var counted)" ]

	unload_pmnic
	load_pmnic
	traffic "$M" -s verdict=$XDP_REDIRECT -m devs:0:pmnic0 -p counted "$OBJ" count_only
	[ "$status" -eq 0 ]
	[ "$(var counted)" -ge $(($(var sent) / 2)) ]
	[ "$(nic_stat pmnic0 xdp_redirect)" -ge $(($(var counted) / 2)) ]
	[ "$(nic_stat pmnic0 xdp_xmit)" -ge $(($(nic_stat pmnic0 xdp_redirect) / 2)) ]
	[ "$(nic_wait_stat pmnic1 rx_packets "$(nic_stat pmnic0 xdp_xmit)")" = "$(nic_stat pmnic0 xdp_xmit)" ]
}

# ---- pktmeta on pmnic: these need pktmeta to accept native driver
# queues (its xdp_reset parameter) ----

@test "xdp_reset=1: $N packets through XDP_DROP, a field set on even seqs and read on all: 0 stale, 0 wrong" {
	xdp_reset 1
	traffic "$N" -s verdict=$XDP_DROP "${SET_GET_VARS[@]}" "$OBJ" set_get
	assert_set_get_clean
	# Flags did carry over: polls saw several packets of recycled pages.
	[ "$(nic_stat pmnic0 napi_polls_batched)" -gt 0 ]
	[ "$(nic_stat pmnic0 rx_page_reuse)" -ge $(($(var pkts) / 2)) ]
}

@test "xdp_reset=0: the same $N packets read stale fields, so the test above can fail" {
	xdp_reset 0
	traffic "$N" -s verdict=$XDP_DROP "${SET_GET_VARS[@]}" "$OBJ" set_get
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -ge $(($(var sent) / 2)) ]
	[ "$(var refused)" = 0 ]
	[ "$(var stale)" -gt 0 ]
}

@test "XDP_PASS: TC ingress on pmnic0 reads each even packet's own seq and nothing on odd ones, 0 wrong" {
	xdp_reset 1
	traffic "$M" -s verdict=$XDP_PASS -t tc_check "${SET_GET_VARS[@]}" \
		-p tc_seen -p tc_ok -p tc_unset -p tc_missing -p tc_wrong -p tc_refused "$OBJ" set_get
	assert_set_get_clean
	assert_stage_clean tc "$(var pkts)"
}

@test "XDP_TX: the field is read before the packet leaves, and the copy arriving on pmnic1 carries none" {
	xdp_reset 1
	traffic_with_far_end "$M" -s verdict=$XDP_TX "${SET_GET_VARS[@]}" "$OBJ" set_get
	assert_set_get_clean
	[ "$(nic_stat pmnic0 xdp_tx)" -ge $(($(var pkts) / 2)) ]
	[ "$(var wire_seen)" -ge $(($(nic_stat pmnic0 xdp_tx) / 2)) ]
	[ "$(var wire_leak)" = 0 ]
	[ "$(var wire_other)" = 0 ]
	[ "$(var wire_refused)" = 0 ]
	[ "$(var wire_unset)" = "$(var wire_seen)" ]
}

@test "XDP_REDIRECT into a cpumap: the cpumap program and TC on the skb built from the frame read each packet's own seq, 0 wrong" {
	xdp_reset 1
	traffic "$M" -s verdict=$XDP_REDIRECT -s use_cpumap=1 -s cpu_target=1 \
		-m cpus:1:256:cpumap_check -t tc_check "${SET_GET_VARS[@]}" \
		-p cpu_seen -p cpu_ok -p cpu_unset -p cpu_missing -p cpu_wrong -p cpu_refused \
		-p tc_seen -p tc_ok -p tc_unset -p tc_missing -p tc_wrong -p tc_refused "$OBJ" set_get
	assert_set_get_clean
	[ "$(nic_stat pmnic0 xdp_redirect)" -ge $(($(var pkts) / 2)) ]
	assert_stage_clean cpu "$(nic_stat pmnic0 xdp_redirect)"
	assert_stage_clean tc "$(var cpu_seen)"
}

@test "XDP_REDIRECT into a devmap: the devmap program reads each packet's own seq, pmnic0's ndo_xdp_xmit delivers it to pmnic1 without the field" {
	xdp_reset 1
	traffic_with_far_end "$M" -s verdict=$XDP_REDIRECT -m devs:0:pmnic0:devmap_check \
		"${SET_GET_VARS[@]}" \
		-p dev_seen -p dev_ok -p dev_unset -p dev_missing -p dev_wrong -p dev_refused "$OBJ" set_get
	assert_set_get_clean
	[ "$(nic_stat pmnic0 xdp_redirect)" -ge $(($(var pkts) / 2)) ]
	assert_stage_clean dev "$(nic_stat pmnic0 xdp_redirect)"
	[ "$(nic_stat pmnic0 xdp_xmit)" -ge $(($(var dev_seen) / 2)) ]
	[ "$(var wire_seen)" -ge $(($(nic_stat pmnic0 xdp_xmit) / 2)) ]
	[ "$(var wire_leak)" = 0 ]
	[ "$(var wire_unset)" = "$(var wire_seen)" ]
}

# ---- unloading under traffic (the harness judges the kernel log) ----

@test "rmmod pmnic under traffic through every verdict, with pktmeta programs attached at both ends and TC: unloads, loads again and carries traffic" {
	# A packet every 100 us (see pktgen_setup; a flood of millions of
	# packets adds nothing here). pktgen stops when its device goes;
	# timeout guards the test anyway.
	pktgen_setup pmnic1 "$MAC0" 0 100000
	printf '%s\n' "timeout 300 sh -c 'echo start > $PKTGEN/pgctrl' &" \
		"sleep 5" "rmmod pmnic" "wait" > "$BATS_TEST_TMPDIR/unload.sh"
	printf '%q ' "$PMRUN" -a pmnic0 -s field_id="$ID" -s mixed=1 -m devs:0:pmnic0:devmap_check \
		-t tc_check -c "bash $BATS_TEST_TMPDIR/unload.sh" -p pkts -p dev_seen -p tc_seen \
		"$OBJ" set_get > "$BATS_TEST_TMPDIR/near.sh"
	run "$PMRUN" -a pmnic1 -s field_id="$ID" -p wire_seen \
		-c "bash $BATS_TEST_TMPDIR/near.sh" "$OBJ" wire_check
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var pkts)" -gt 0 ]
	[ ! -e /sys/class/net/pmnic0 ]
	[ -z "$(grep '^pmnic ' /proc/modules)" ]

	load_pmnic
	traffic "$M" -s verdict=$XDP_DROP -p counted "$OBJ" count_only
	[ "$status" -eq 0 ]
	[ "$(var counted)" -ge $(($(var sent) / 2)) ]
}

@test "rmmod and modprobe pktmeta three times under traffic through pmnic's native XDP: then fields work again, 0 stale, 0 wrong" {
	# A packet every 200 us: pktgen's thread sleeps between packets, so
	# the RCU Tasks grace periods of pktmeta's ftrace probes end (see
	# pktgen_setup).
	pktgen_setup pmnic1 "$MAC0" 0 200000
	{
		echo "timeout 600 sh -c 'echo start > $PKTGEN/pgctrl' &"
		echo ". '$BATS_TEST_DIRNAME/helpers.bash'"
		echo "for r in 1 2 3; do sleep 2; unload_pktmeta || exit 1; modprobe pktmeta || exit 1; done"
		echo "sleep 2; echo stop > $PKTGEN/pgctrl; wait"
	} > "$BATS_TEST_TMPDIR/reload.sh"
	run "$PMRUN" -a pmnic0 -s verdict=$XDP_DROP -p counted \
		-c "bash $BATS_TEST_TMPDIR/reload.sh" "$OBJ" count_only
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var counted)" -gt 0 ]
	[ "$(nic_stat pmnic0 xdp_drop)" = "$(var counted)" ]

	# A new registry: the field again, and traffic that uses it.
	ID=$(register_field native.seq 8)
	[ "$ID" -gt 2 ]
	xdp_reset 1
	traffic "$M" -s verdict=$XDP_DROP "${SET_GET_VARS[@]}" "$OBJ" set_get
	assert_set_get_clean
}

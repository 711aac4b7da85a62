#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The skb kfuncs in every skb program type a module may offer kfuncs to:
# a field set at XDP on veth, with a value of its own on every other
# packet, is read at each of them, 0 wrong. Kernels without a kfunc hook
# for a type (6.1 has one for sched_cls only) refuse the program's load.
# README, "Program types", has the table.

load helpers

OBJ=$BPF/tests/prog_types.bpf.o
OBJ_NF=$BPF/tests/prog_types_nf.bpf.o
PIN=/sys/fs/bpf/pmt-prog-types
CGROOT=/tmp/pmt-cgroup2
CG=$CGROOT/pmt
SENT=2000

# Is the running kernel MAJOR.MINOR or later?
kernel_at_least() {
	local v maj min
	v=$(uname -r)
	maj=${v%%.*}
	v=${v#*.}
	min=${v%%[!0-9]*}
	[ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -ge "$2" ]; }
}

# The skb dynptrs (6.3) brought kfunc hooks for sched_act, cgroup_skb,
# socket filters, lwt and sk_skb; netfilter programs came in 6.4.
skb_hooks() { kernel_at_least 6 3; }
netfilter_hook() { kernel_at_least 6 4; }
# The debug kernel is built without netfilter (tests/vm/debug-kernel/config);
# every stock kernel has it.
need_netfilter() {
	[ -e /proc/net/netfilter ] ||
		skip "this kernel is built without CONFIG_NETFILTER (the debug kernel)"
}

setup() {
	modprobe veth
	load_pktmeta
	ID=$(register_field prog_types.value 8)
	[ "$ID" -ge 0 ]
	veth_to_ns pmt0 pmta 41
	ip addr add 10.77.41.2/24 dev pmt0
	FORWARDING=$(sysctl -n net.ipv4.ip_forward)
}

teardown() {
	tc qdisc del dev pmt0 clsact 2> /dev/null || true
	veth_del pmt0 pmta
	veth_del pmt1 pmtb
	sysctl -qw net.ipv4.ip_forward="${FORWARDING:-0}"
	rm -rf "$PIN"
	if mountpoint -q "$CGROOT"; then
		rmdir "$CG" 2> /dev/null || true
		umount "$CGROOT"
	fi
	rmdir "$CGROOT" 2> /dev/null || true
	unregister_all_fields
}

send_cmd() {
	printf "bash -c '. %s/helpers.bash; %s' > /dev/null" "$BATS_TEST_DIRNAME" "$1"
}

# pmrun's -p options for the counters of reader PREFIX.
counters() {
	local s
	for s in seen set unset lost bad; do
		printf -- '-p %s_%s\n' "$1" "$s"
	done
}

COMMON=(-p bad_ret -p xdp_seen -p xdp_set_err)

# What reader PREFIX counted, in $output: no wrong value and no lost field,
# every packet it saw judged, at least half of the SENT packets seen (a
# stated floor: a busy machine drops some on veths), about half of them
# with a field.
assert_read() {
	local p=$1 sent=$2 seen
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var "${p}_bad")" = 0 ]
	[ "$(var "${p}_lost")" = 0 ]
	seen=$(var "${p}_seen")
	[ "$seen" -le "$sent" ]
	[ "$seen" -ge $((sent / 2)) ]
	[ $(($(var "${p}_set") + $(var "${p}_unset"))) = "$seen" ]
	[ "$(var "${p}_set")" -ge $((sent / 5)) ]
	[ "$(var "${p}_unset")" -ge $((sent / 5)) ]
}

# Load PROG (with xdp_mark) of OBJECT and expect the kernel to refuse it;
# with MSG, the verifier's log must say so.
assert_refused() {
	local prog=$1 msg=${2:-} obj=${3:-$OBJ}
	run "$PMRUN" -L -s field_id="$ID" -e "$prog" "$obj" xdp_mark
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var load)" = rejected ]
	[ -z "$msg" ] || grep -q "$msg" <<< "$output"
}

NOT_ALLOWED="calling kernel function bpf_skb_pktmeta_get is not allowed"

mount_cgroup2() {
	mkdir -p "$CGROOT"
	mountpoint -q "$CGROOT" || mount -t cgroup2 none "$CGROOT"
	mkdir -p "$CG"
}

@test "sched_act: a tc action reads each packet's own field set at XDP (refused before 6.3)" {
	if ! skb_hooks; then
		assert_refused act_check "$NOT_ALLOWED"
		return
	fi
	# u32 matching every packet (the debug kernel has no cls_matchall)
	modprobe -a sch_ingress cls_u32 act_bpf
	mkdir -p "$PIN"
	local cmd="tc qdisc add dev pmt0 clsact &&
		tc filter add dev pmt0 ingress protocol all u32 match u32 0 0 action bpf object-pinned $PIN/act_check &&
		$(send_cmd "send_udp pmta 41 $SENT")"
	run "$PMRUN" -a pmt0 -e act_check -P "$PIN" -s field_id="$ID" -c "$cmd" \
		$(counters act) "${COMMON[@]}" "$OBJ" xdp_mark
	assert_read act "$SENT"
}

@test "cgroup_skb ingress: reads each packet's own field set at XDP (refused before 6.3)" {
	if ! skb_hooks; then
		assert_refused cg_ingress "$NOT_ALLOWED"
		return
	fi
	mount_cgroup2
	# pmrun's socket is in the cgroup: it moves there before it runs.
	run sh -c "echo \$\$ > $CG/cgroup.procs && exec $PMRUN -a pmt0 -u 47000 \
		-G $CG:cg_ingress:ingress -s field_id=$ID \
		-c \"$(send_cmd "send_udp pmta 41 $SENT")\" $(counters cg_in | tr '\n' ' ') \
		${COMMON[*]} $OBJ xdp_mark"
	assert_read cg_in "$SENT"
}

@test "cgroup_skb egress: a locally sent skb has no field (-ENOENT); a set makes one or says -ENOSPC (refused before 6.3)" {
	if ! skb_hooks; then
		assert_refused cg_egress "$NOT_ALLOWED"
		return
	fi
	mount_cgroup2
	# The sender, pmrun's child, sends from the cgroup.
	run sh -c "echo \$\$ > $CG/cgroup.procs && exec $PMRUN -G $CG:cg_egress:egress \
		-s field_id=$ID -c \"$(send_cmd "send_udp pmta 41 $SENT")\" \
		-p eg_seen -p eg_enoent -p eg_other -p eg_set_ok -p eg_set_enospc \
		-p eg_set_other -p eg_read_back $OBJ xdp_mark"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var eg_seen)" = "$SENT" ]
	[ "$(var eg_enoent)" = "$SENT" ]
	[ "$(var eg_other)" = 0 ]
	[ $(($(var eg_set_ok) + $(var eg_set_enospc))) = "$SENT" ]
	[ "$(var eg_set_other)" = 0 ]
	[ "$(var eg_read_back)" = "$(var eg_set_ok)" ]
}

@test "socket filter: reads each packet's own field set at XDP (refused before 6.3)" {
	if ! skb_hooks; then
		assert_refused sock_check "$NOT_ALLOWED"
		return
	fi
	run "$PMRUN" -a pmt0 -u 47000 -S sock_check -s field_id="$ID" \
		-c "$(send_cmd "send_udp pmta 41 $SENT")" $(counters sock) "${COMMON[@]}" "$OBJ" xdp_mark
	assert_read sock "$SENT"
}

@test "sk_skb: a sockmap verdict program reads each packet's own field set at XDP (refused before 6.3)" {
	if ! skb_hooks; then
		assert_refused skskb_check "$NOT_ALLOWED"
		return
	fi
	run "$PMRUN" -a pmt0 -u 47000 -K socks:skskb_check -s field_id="$ID" \
		-c "$(send_cmd "send_udp pmta 41 $SENT")" $(counters skskb) "${COMMON[@]}" "$OBJ" xdp_mark
	assert_read skskb "$SENT"
}

@test "netfilter: a LOCAL_IN program reads each packet's own field through ctx->skb (refused before 6.4)" {
	need_netfilter
	if ! netfilter_hook; then
		assert_refused nf_check "" "$OBJ_NF"
		return
	fi
	run "$PMRUN" -a pmt0 -u 47000 -N nf_check -s field_id="$ID" \
		-c "$(send_cmd "send_udp pmta 41 $SENT")" $(counters nf) "${COMMON[@]}" "$OBJ_NF" xdp_mark
	assert_read nf "$SENT"
}

@test "netfilter: an skb pointer read from the skb (skb->next) is refused as the kfunc's argument" {
	need_netfilter
	if ! netfilter_hook; then
		assert_refused nf_walked "" "$OBJ_NF"
		return
	fi
	assert_refused nf_walked "" "$OBJ_NF"
	# 6.12's verifier names the reason; 7.3 words it otherwise.
	if ! kernel_at_least 7 0; then
		grep -q "must be referenced or trusted" <<< "$output"
	fi
}

@test "lwt in, out and xmit: a forwarded packet's own field set at XDP is read at each (refused before 6.3)" {
	if ! skb_hooks; then
		assert_refused lwt_in_check "$NOT_ALLOWED"
		assert_refused lwt_out_check "$NOT_ALLOWED"
		assert_refused lwt_xmit_check "$NOT_ALLOWED"
		return
	fi
	ip netns add pmtb
	ip link add pmt1 type veth peer name pmt1-p netns pmtb
	ip addr add 10.77.42.2/24 dev pmt1
	ip link set pmt1 up
	ip -n pmtb addr add 10.77.42.1/24 dev pmt1-p
	ip -n pmtb link set pmt1-p up
	ip -n pmta route add 10.77.42.0/24 via 10.77.41.2
	sysctl -qw net.ipv4.ip_forward=1
	mkdir -p "$PIN"
	local cmd="ip route add 10.77.42.1/32 dev pmt1 encap bpf \
		in pinned $PIN/lwt_in_check out pinned $PIN/lwt_out_check \
		xmit pinned $PIN/lwt_xmit_check &&
		$(send_cmd "send_udp_flows pmta 10.77.42.1 $SENT 1") &&
		ip route del 10.77.42.1/32 dev pmt1"
	run "$PMRUN" -a pmt0 -e lwt_in_check -e lwt_out_check -e lwt_xmit_check -P "$PIN" \
		-s field_id="$ID" -c "$cmd" \
		$(counters lwt_in) $(counters lwt_out) $(counters lwt_xmit) "${COMMON[@]}" \
		"$OBJ" xdp_mark
	assert_read lwt_in "$SENT"
	assert_read lwt_out "$SENT"
	assert_read lwt_xmit "$SENT"
}

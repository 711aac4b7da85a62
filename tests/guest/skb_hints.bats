#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# A packet's hints become its skb's own. An XDP program stores rx_hash,
# rx_vlan and rx_timestamp on every test packet and sends it on (cpumap
# with and without a program, a redirect into a veth with and without a
# program there, devmap into a veth, XDP_PASS on veth's own skb); the skb
# the stack builds from it (or veth's own) has
# the stored hash as skb->hash (an L4 hash), the stored tag as an
# accelerated VLAN tag and the stored timestamp as its hardware timestamp.
# skb_hints=0 switches it off. README, "Hints become the skb's own".

load helpers

OBJ=$BPF/tests/skb_hints.bpf.o
SENT=20000
FLOWS=16
PARAM=/sys/module/pktmeta/parameters/skb_hints
RPS=/sys/class/net/pmk0/queues/rx-0/rps_cpus

setup() {
	load_pktmeta
	echo 1 > "$PARAM"
	veth_to_ns pmk0 pmka 24
	ip netns add pmkb
	ip link add pmk1 type veth peer name pmk1-p netns pmkb
	ip link set pmk1 up
	ip -n pmkb link set pmk1-p up
	# A veth takes redirected frames when its peer has NAPI: GRO on, or an
	# XDP program (drivers/net/veth.c veth_xdp_xmit()).
	ip netns exec pmkb ethtool -K pmk1-p gro on > /dev/null
	printf '. %s/helpers.bash\nsend_udp_flows pmka 10.77.24.2 %s %s\n' \
		"$BATS_TEST_DIRNAME" "$SENT" "$FLOWS" > "$BATS_TEST_TMPDIR/send.sh"
	SEND="bash $BATS_TEST_TMPDIR/send.sh"
}

teardown() {
	echo 1 > "$PARAM" 2> /dev/null || true
	echo 0 > "$RPS" 2> /dev/null || true
	pkill -f skb-hints-sink 2> /dev/null || true
	veth_del pmk0 pmka
	veth_del pmk1 pmkb
}

XDP_VARS=(-p xdp_seen -p xdp_set_err)
TC_VARS=(-p tc_seen -p hint_ok -p hint_bad -p bad_seq -p bad_hash -p bad_want_hash
	-p bad_vlan_present -p bad_vlan_tci)

# What arrived is judged: 0 wrong, every skb seen carries its hints, and at
# least 1e4 of the 2e4 sent arrived (a busy machine drops some on veths and
# the cpumap queue).
assert_hints_clean() {
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var sent)" = "$SENT" ]
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var hint_bad)" = 0 ]
	[ "$(var tc_seen)" -le "$(var xdp_seen)" ]
	[ "$(var hint_ok)" = "$(var tc_seen)" ]
	[ "$(var hint_ok)" -ge $((SENT / 2)) ]
}

# The TC check at pmk1-p in pmkb, around the sender, for the redirects.
far_end() { # [-X]: no XDP program at pmk1-p
	echo "ip netns exec pmkb $PMRUN $* -a pmk1-p -t tc_hints ${TC_VARS[*]} -c '$SEND' $OBJ xdp_pass"
}

@test "cpumap: the skb has the stored hash, VLAN tag and timestamp, 2e4 packets over 16 flows, 0 wrong" {
	run "$PMRUN" -a pmk0 -t tc_hints -s use_cpumap=1 -m cpus:1:256 \
		-c "$SEND" "${XDP_VARS[@]}" "${TC_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
}

@test "cpumap with a cpumap program: the skb has the stored hints" {
	run "$PMRUN" -a pmk0 -t tc_hints -s use_cpumap=1 -m cpus:1:256:cpumap_pass \
		-c "$SEND" "${XDP_VARS[@]}" "${TC_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
}

@test "frames redirected into a veth without a program there: the peer's skb has the stored hints" {
	run "$PMRUN" -a pmk0 -s redirect_ifindex="$(cat /sys/class/net/pmk1/ifindex)" \
		-c "$(far_end -X)" "${XDP_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
}

@test "frames redirected into a veth with an XDP program there: the peer's skb has the stored hints" {
	run "$PMRUN" -a pmk0 -s redirect_ifindex="$(cat /sys/class/net/pmk1/ifindex)" \
		-c "$(far_end)" "${XDP_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
}

@test "devmap into a veth, with a devmap program: the peer's skb has the stored hints" {
	run "$PMRUN" -a pmk0 -s use_devmap=1 -m devs:0:pmk1:devmap_pass \
		-c "$(far_end -X)" "${XDP_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
}

@test "XDP_PASS on veth's own skb: the program's stored hash and VLAN tag win over the skb's" {
	run "$PMRUN" -a pmk0 -t tc_hints -c "$SEND" "${XDP_VARS[@]}" "${TC_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
}

@test "a UDP socket with SO_TIMESTAMPING gets the stored timestamp as the packet's hardware timestamp" {
	ip addr add 10.77.24.2/24 dev pmk0
	# A frame loses the skb's CHECKSUM_PARTIAL, so a UDP checksum left for
	# the device to fill would be wrong at the socket: have it computed.
	ip netns exec pmka ethtool -K pmk0-p tx off > /dev/null
	sysctl -qw net.core.rmem_max=33554432
	# SO_TIMESTAMPING (37) with SOF_TIMESTAMPING_RX_HARDWARE | _RAW_HARDWARE;
	# SCM_TIMESTAMPING carries three timespecs, the third the hardware one
	# (Documentation/networking/timestamping.rst). Ends 5 s after the last
	# datagram; creates the file it is given once bound.
	timeout 600 python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32 << 20)
s.setsockopt(socket.SOL_SOCKET, 37, (1 << 2) | (1 << 6))
s.bind(("10.77.24.2", 47000))
open(sys.argv[1], "w").close()
s.settimeout(60)
ok = bad = none = 0
while True:
    try:
        data, anc, _, _ = s.recvmsg(64, socket.CMSG_SPACE(48))
    except socket.timeout:
        break
    s.settimeout(5)
    magic, seq = struct.unpack("<II", data[:8])
    want = 1700000000000000000 + seq * 1000 + 7
    hw = [c for c in anc if c[0] == socket.SOL_SOCKET and c[1] == 37]
    if not hw:
        none += 1
        continue
    sec, nsec = struct.unpack("<qq", hw[0][2][32:48])
    if sec * 1000000000 + nsec == want:
        ok += 1
    else:
        bad += 1
print("ts_ok=%d\nts_bad=%d\nts_none=%d" % (ok, bad, none))
' "$BATS_TEST_TMPDIR/bound" skb-hints-sink > "$BATS_TEST_TMPDIR/sink" &
	local sink=$!
	# Send once the socket is bound: python starts slowly under TCG.
	for _ in $(seq 600); do
		[ -e "$BATS_TEST_TMPDIR/bound" ] && break
		sleep 0.1
	done
	[ -e "$BATS_TEST_TMPDIR/bound" ]
	run "$PMRUN" -a pmk0 -t tc_hints -s use_cpumap=1 -s no_vlan=1 -m cpus:1:256 \
		-c "$SEND" "${XDP_VARS[@]}" "${TC_VARS[@]}" "$OBJ" xdp_store
	assert_hints_clean
	wait "$sink"
	output=$(cat "$BATS_TEST_TMPDIR/sink")
	echo "$output"
	[ "$(var ts_bad)" = 0 ]
	[ "$(var ts_none)" = 0 ]
	# The socket's queue may drop some under load; most arrive.
	[ "$(var ts_ok)" -ge $((SENT / 4)) ]
}

@test "RPS: every skb is processed on the CPU its stored hash selects" {
	echo 3 > "$RPS"
	run "$PMRUN" -a pmk0 -t tc_hints -s use_cpumap=1 -s rps_check=1 -m cpus:1:256 \
		-c "$SEND" "${XDP_VARS[@]}" "${TC_VARS[@]}" -p rps_ok -p rps_bad -p rps_cpus \
		"$OBJ" xdp_store
	assert_hints_clean
	[ "$(var rps_bad)" = 0 ]
	[ "$(var rps_ok)" = "$(var hint_ok)" ]
	# 16 flows' hashes fall on both CPUs (all on one: odds 2^-15).
	[ "$(var rps_cpus)" = 3 ]
}

@test "skb_hints=0: the skb has neither the stored hash nor a VLAN tag" {
	echo 0 > "$PARAM"
	run "$PMRUN" -a pmk0 -t tc_hints -s use_cpumap=1 -s want_off=1 -m cpus:1:256 \
		-c "$SEND" "${XDP_VARS[@]}" -p tc_seen -p off_ok -p off_bad "$OBJ" xdp_store
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var off_bad)" = 0 ]
	[ "$(var off_ok)" = "$(var tc_seen)" ]
	[ "$(var off_ok)" -ge $((SENT / 2)) ]
}

@test "frames redirected without any pktmeta call keep veth's rx_hash: the far end's stack computes the same hash" {
	# skb_hints=0: the far end's skb gets no hash from the hint, so
	# bpf_get_hash_recalc() is the stack's own skb_get_hash().
	echo 0 > "$PARAM"
	run "$PMRUN" -a pmk0 -s redirect_ifindex="$(cat /sys/class/net/pmk1/ifindex)" \
		-c "ip netns exec pmkb $PMRUN -X -a pmk1-p -t tc_hash_recalc -p tc_seen -p rhash_ok -p rhash_missing -p rhash_bad -p bad_hash -p bad_want_hash -c '$SEND' $OBJ xdp_pass" \
		-p xdp_seen "$OBJ" xdp_redirect_only
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var rhash_missing)" = 0 ]
	[ "$(var rhash_bad)" = 0 ]
	[ "$(var rhash_ok)" = "$(var tc_seen)" ]
	[ "$(var tc_seen)" -le "$(var xdp_seen)" ]
	[ "$(var rhash_ok)" -ge $((SENT / 2)) ]
}

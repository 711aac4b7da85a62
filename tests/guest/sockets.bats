#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Fields delivered to sockets (module/sockets.c): a process asks for fields
# on its own UDP, raw or packet socket (pktmeta_socket_request()) and gets,
# with every datagram recvmsg() returns, a control message holding the
# fields its packet carries. The XDP program sets sock.a on even and sock.b
# on every third test packet (bpf/tests/sockets.h) on veth; pmrecv judges
# every datagram that arrived against its own seq: 0 wrong, 0 stale (a
# field on a packet not given it), 0 lost, at least half of what was sent
# (a busy machine drops datagrams on veths).

load helpers
load sockets

SENT=10000
# The debug kernel (KASAN, lockdep) runs a datagram about ten times slower:
# a fifth of them there, for its sanitizers rather than for the counts.
case "$(uname -r)" in
*-pktmeta-debug) SENT=2000 ;;
esac

setup() {
	load_pktmeta
	register_socket_fields
	"$PKTMETACTL" register sock.kept 8 > /dev/null
	veth_to_ns pmt0 pmta 43
	ip addr add 10.77.43.2/24 dev pmt0
	ip addr add fd77:43::2/64 dev pmt0 nodad
	ip -n pmta addr add fd77:43::1/64 dev pmt0-p nodad
	ip -n pmta neigh replace fd77:43::2 lladdr "$(cat /sys/class/net/pmt0/address)" \
		dev pmt0-p nud permanent
	OUT=$BATS_TEST_TMPDIR/recv.out
	READY=$BATS_TEST_TMPDIR/ready
	RECVS=()
}

teardown() {
	recv_stop_all
	veth_del pmt0 pmta
	grep -q '^pktmeta ' /proc/modules || return 0
	unregister_all_fields
}

# Wait until no socket has a request and the hooks are gone (the module
# detaches them from a work item).
sockets_unhooked() {
	local i
	for i in $(seq 1 50); do
		[ "$(head -n 1 "$DEBUGFS/sockets")" = "hooked no" ] && break
		sleep 0.1
	done
	[ "$(head -n 1 "$DEBUGFS/sockets")" = "hooked no" ]
	[ "$(sed -n 2p "$DEBUGFS/sockets")" = "inode ids kind" ]
	[ "$(wc -l < "$DEBUGFS/sockets")" = 2 ]
}

send_cmd() {
	printf "bash -c '. %s/helpers.bash; %s' > /dev/null" "$BATS_TEST_DIRNAME" "$1"
}

@test "fields registered with 'sockets' are offered to sockets, as the hints are" {
	run "$PKTMETACTL" list
	echo "$output"
	[[ "$output" == *"name sock.a size 8 "*" sockets"* ]]
	[[ "$output" == *"name rx_hash "*" hint sockets"* ]]
	[[ "$output" != *"name sock.kept "*"sockets"* ]]
}

@test "only a field's creator offers it: 'sockets' on a kept field is refused" {
	run "$PKTMETACTL" register sock.kept 8 sockets
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"did not offer it to sockets"* ]]
	[ "$(field_col sock.kept refs)" = 1 ]
}

@test "a UDP socket gets each of 1e4 datagrams' own fields over veth (IPv4)" {
	recv_start "$OUT" -t udp4 -f sock.a -f sock.b
	xdp_send pmt0 "$(send_cmd "send_udp pmta 43 $SENT")"
	recv_result "$OUT"
	assert_fields
}

@test "a UDP socket gets each of 1e4 datagrams' own fields over veth (IPv6)" {
	recv_start "$OUT" -t udp6 -f sock.a -f sock.b
	xdp_send pmt0 "$(send_cmd "send_udp6 pmta fd77:43::2 $SENT")"
	recv_result "$OUT"
	assert_fields
}

@test "a raw socket and a packet socket get the fields; one that did not ask gets no message" {
	local raw=$BATS_TEST_TMPDIR/raw.out packet=$BATS_TEST_TMPDIR/packet.out
	recv_start "$raw" -t raw4 -f sock.a -f sock.b
	recv_start "$packet" -t packet -i pmt0 -f sock.a -f sock.b
	recv_start "$OUT" -t udp4 -N
	xdp_send pmt0 "$(send_cmd "send_udp pmta 43 $SENT")"
	recv_result "$OUT"
	[ "$(var received)" -ge $((SENT / 2)) ]
	[ "$(var no_cmsg)" = "$(var received)" ]
	[ "$(var foreign)" = 0 ]
	wait "${RECVS[0]}"
	output=$(cat "$raw")
	echo "$output"
	assert_fields
	wait "${RECVS[1]}"
	output=$(cat "$packet")
	echo "$output"
	assert_fields
}

# What a listener that asked for its SYNs' fields judged of COUNT
# connections, in $output: every connection's own values, read once.
assert_syn_fields() {
	local got=$(var received)
	echo "# $got connections of $1, sock.a $(var a_ok), sock.b $(var b_ok)" >&3
	[ "$got" = "$1" ]
	[ "$(var syn_none)" = 0 ]
	[ "$(var syn_again)" = 0 ]
	[ "$(var wrong)" = 0 ]
	[ "$(var stale)" = 0 ]
	[ "$(var lost)" = 0 ]
	[ "$(var bad)" = 0 ]
	[ $(($(var a_ok) + $(var b_ok))) -gt 0 ]
}

@test "an accepted TCP connection reads its SYN's fields, once (IPv4)" {
	local SENT=300
	recv_start "$OUT" -t tcp4 -f sock.a -f sock.b -n "$SENT"
	xdp_send pmt0 "$(send_cmd "tcp_connects pmta 10.77.43.2 $SENT")"
	recv_result "$OUT"
	assert_syn_fields "$SENT"
}

@test "an accepted TCP connection reads its SYN's fields, once (IPv6)" {
	local SENT=300
	recv_start "$OUT" -t tcp6 -f sock.a -f sock.b -n "$SENT"
	xdp_send pmt0 "$(send_cmd "tcp_connects pmta fd77:43::2 $SENT")"
	recv_result "$OUT"
	assert_syn_fields "$SENT"
}

@test "a short control buffer gets MSG_CTRUNC, never a cut record" {
	recv_start "$OUT" -t udp4 -f sock.a -f sock.b -c 20
	xdp_send pmt0 "$(send_cmd "send_udp pmta 43 $SENT")"
	recv_result "$OUT"
	local got=$(var received)
	[ "$got" -ge $((SENT / 2)) ]
	# Datagrams with a field: cut; with none, the empty message fits.
	[ "$(var ctrunc)" -ge $((got * 2 / 3 - got / 20)) ]
	[ $(($(var ctrunc) + $(var a_ok) + $(var b_ok))) -le "$got" ]
	[ "$(var a_ok)" = 0 ]
	[ "$(var b_ok)" = 0 ]
	[ "$(var bad)" = 0 ]
	[ "$(var wrong)" = 0 ]
}

@test "SO_RXQ_OVFL, which the request turns on, shows no drop count the socket did not ask for" {
	recv_start "$OUT" -t udp4 -f sock.a -B 2048 -D 3
	xdp_send pmt0 "$(send_cmd "send_udp pmta 43 $SENT")"
	recv_result "$OUT"
	[ "$(var drops)" -gt 0 ]
	[ "$(var received)" -gt 0 ]
	[ "$(var foreign)" = 0 ]
	[ "$(var wrong)" = 0 ]
	[ "$(var stale)" = 0 ]
}

@test "bad requests get clear errors and leave nothing behind" {
	local kind expect
	while read -r kind expect names; do
		run "$PMRECV" -R -t "$kind" $names
		echo "$kind: $output"
		[ "$status" -eq 1 ]
		[ "$(var request)" = "$expect" ]
		[ -n "$(var errmsg)" ]
	done <<- EOF
		udp4 -2 -f sock.a -f no.such
		udp4 -1 -f sock.a -f sock.kept
		udp4 -22 -f sock.a -f sock.a
		udp4 -22 -f Bad!
		tcp -91 -f sock.a
		udp4 -91 -S -f sock.a
		file -88 -f sock.a
		closed -9 -f sock.a
	EOF
	sockets_unhooked
}

@test "an unprivileged process asks for its own socket" {
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$PMRECV" -R -t udp4 -f sock.a -f rx_hash
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var request)" = 0 ]
}

@test "requests come and go 20 times: the hooks attach and detach each time" {
	local i
	for i in $(seq 1 20); do
		run "$PMRECV" -R -t udp4 -f sock.a
		[ "$status" -eq 0 ]
		[ "$(var request)" = 0 ]
		# Every other time, wait for the hooks to go before the next.
		[ $((i % 2)) = 1 ] || sockets_unhooked
	done
	sockets_unhooked
}

@test "a request goes with its socket: debugfs lists it while the socket lives" {
	recv_start "$OUT" -t udp4 -f sock.a -f sock.b -H
	[ "$(head -n 1 "$DEBUGFS/sockets")" = "hooked yes" ]
	run awk 'NR > 2 { print $2 }' "$DEBUGFS/sockets"
	[ "$output" = "$A,$B" ]
	kill "${RECVS[-1]}"
	wait "${RECVS[-1]}" || true
	sockets_unhooked
}

@test "rmmod while a socket holds a request forgets it; the socket still works" {
	recv_start "$OUT" -t udp4 -f sock.a -H
	unregister_all_fields
	unload_pktmeta
	kill -0 "${RECVS[-1]}"
	kill "${RECVS[-1]}"
	wait "${RECVS[-1]}" || true
	load_pktmeta
	sockets_unhooked
}

# SPDX-License-Identifier: GPL-2.0
# Helpers of the tests of fields delivered to sockets (sockets.bats, and
# the virtio-net one in virtio_net.bats): the XDP program of
# bpf/tests/sockets.bpf.c sets sock.a and sock.b on the test packets and
# pmrecv (tests/tools/pmrecv.c) judges what a socket received. The caller
# sets OBJ, A and B (register_socket_fields), READY, and RECVS=().

PMRECV=$REPO/build/tools/pmrecv
PKTMETACTL=$REPO/build/tools/pktmetactl
OBJ=$BPF/tests/sockets.bpf.o

# Register the test fields, offered to sockets, and set A and B to their ids.
register_socket_fields() {
	"$PKTMETACTL" register sock.a 8 sockets > /dev/null
	"$PKTMETACTL" register sock.b 4 sockets > /dev/null
	A=$(field_id sock.a)
	B=$(field_id sock.b)
}

# Stop the pmrecv processes still running.
recv_stop_all() {
	local p
	for p in "${RECVS[@]}"; do
		kill "$p" 2> /dev/null || true
		wait "$p" 2> /dev/null || true
	done
}

# Start pmrecv ARGS... in the background, output in FILE (the first
# argument), and wait until its socket is bound and its request made.
recv_start() {
	local out=$1 i
	shift
	rm -f "$READY"
	"$PMRECV" -r "$READY" "$@" > "$out" 2>&1 &
	RECVS+=($!)
	for i in $(seq 1 200); do
		[ -e "$READY" ] && return 0
		kill -0 "${RECVS[-1]}" 2> /dev/null || break
		sleep 0.1
	done
	cat "$out"
	return 1
}

# Wait for the last pmrecv started and put what it printed in $output.
recv_result() {
	wait "${RECVS[-1]}"
	output=$(cat "$1")
	echo "$output"
}

# Run the XDP program on DEV while COMMAND sends SENT datagrams.
xdp_send() {
	run "$PMRUN" -s field_a="$A" -s field_b="$B" -a "$1" -c "$2" \
		-p xdp_seen -p xdp_set -p xdp_set_err "$OBJ" xdp_fields
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var xdp_set_err)" = 0 ]
	[ "$(var xdp_seen)" -ge $((SENT / 2)) ]
}

# What a socket that asked for sock.a and sock.b got, in $output: every
# datagram judged with its fields, none wrong, stale or lost, at least
# half of SENT.
assert_fields() {
	local got
	got=$(var received)
	echo "# received $got of $SENT, sock.a $(var a_ok), sock.b $(var b_ok), drops $(var drops)" >&3
	[ "$got" -ge $((SENT / 2)) ]
	[ "$got" -le "$SENT" ]
	[ "$(var wrong)" = 0 ]
	[ "$(var stale)" = 0 ]
	[ "$(var lost)" = 0 ]
	[ "$(var bad)" = 0 ]
	[ "$(var no_cmsg)" = 0 ]
	[ "$(var ctrunc)" = 0 ]
	[ "$(var foreign)" = 0 ]
	# Half of the datagrams carry sock.a, a third sock.b.
	[ "$(var a_ok)" -ge $((got / 2 - got / 20)) ]
	[ "$(var b_ok)" -ge $((got / 3 - got / 20)) ]
}

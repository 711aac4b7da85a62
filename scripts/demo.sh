#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The pktmeta demo, run inside a guest by `make demo` (pktmeta is loaded,
# installed with DKMS): two applications register their own fields by name;
# an XDP program on one veth sets both on live traffic and redirects the
# packets into a second veth, whose peer (another namespace) reads them at
# XDP, passes them up, a TC program reads both fields and the driver's
# rx_hash hint on the skb, and the receiving application, no BPF of its
# own, gets them with each datagram from recvmsg(). Then the registry and
# counters as an operator sees them. The programs are the examples in
# bpf/examples/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BATS_TEST_DIRNAME=$repo/tests/guest
. "$repo/tests/guest/helpers.bash"
ctl=$repo/build/tools/pktmetactl
ex=$BPF/examples
packets=${DEMO_PACKETS:-2000}

say() { printf '\n== %s\n' "$*"; }
indent() { sed 's/^/   /'; }

say "pktmeta $(cat /sys/module/pktmeta/version) on $(uname -r): the registry starts with the driver hints"
"$ctl" list | indent

say "two applications register their own fields by name"
echo "   flow classifier: pktmetactl register flow.class 4 sockets"
"$ctl" register flow.class 4 sockets | indent
echo "   tracer:          pktmetactl register trace.id 8 sockets"
"$ctl" register trace.id 8 sockets | indent
echo "   ('sockets': applications may receive the field with their datagrams)"
echo "   and the operator asks for every call to be counted: pktmetactl stats on"
"$ctl" stats on
class=$("$ctl" -j lookup flow.class | jq .id)
trace=$("$ctl" -j lookup trace.id | jq .id)

say "the pipeline: namespace client -> veth in0 [XDP chain_classify: set flow.class + trace.id, bpf_redirect]"
echo "   -> veth out0 -> out0-p in namespace server [XDP chain_receive: read, XDP_PASS] -> skb -> [TC ingress tc_read]"
echo "   -> UDP sockets of fields_receiver, which asked for flow.class, trace.id and rx_hash"
modprobe veth 2> /dev/null || true
veth_to_ns in0 client 30
# A redirected frame loses the skb's checksum offload state: the client
# computes its UDP checksums itself, so that the far end can verify them.
ip netns exec client ethtool -K in0-p tx off > /dev/null
ip netns add server
ip link add out0 type veth peer name out0-p netns server
sysctl -qw net.ipv6.conf.out0.disable_ipv6=1	# only the demo's packets at TC
ip link set out0 up
# The redirected frames keep the destination MAC the client sent to (in0's).
ip -n server link set out0-p address "$(cat /sys/class/net/in0/address)"
ip -n server addr add 10.77.30.2/24 dev out0-p
ip -n server link set out0-p up
cleanup() { veth_del in0 client; veth_del out0 server; }
trap cleanup EXIT
recv_out=$(mktemp)
ip netns exec server "$repo/build/examples/fields_receiver" -q -n "$packets" \
	-f flow.class -f trace.id -f rx_hash 47000 47001 47002 47003 47004 > "$recv_out" &
recv=$!
for _ in $(seq 1 100); do
	grep -q '^listening' "$recv_out" && break
	sleep 0.1
done

# The traffic: UDP to five ports, so five classes and five flow hashes.
send=$(mktemp)
cat > "$send" <<EOS
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range($packets):
    s.sendto(b"pktmeta demo", ("10.77.30.2", 47000 + i % 5))
EOS
far=$(mktemp)
cat > "$far" <<EOS
ip netns exec server $PMRUN -X -a out0-p -t tc_read -s class_id=$class -s trace_id=$trace \
	-p with_fields -p without_fields -p with_rx_hash \
	-c "ip netns exec client python3 $send" \
	$ex/tc_reader.bpf.o tc_read
EOS
out=$("$PMRUN" -a in0 -s class_id="$class" -s trace_id="$trace" \
	-s out_ifindex="$(cat /sys/class/net/out0/ifindex)" -p classified \
	-c "ip netns exec server $PMRUN -a out0-p -s class_id=$class -s trace_id=$trace \
		-p received -p received_with_both -c 'bash $far' $ex/redirect_chain.bpf.o chain_receive" \
	"$ex/redirect_chain.bpf.o" chain_classify)
rm -f "$far" "$send"
wait "$recv" || true
v() { printf '%s\n' "$out" | sed -n "s/^$1=//p"; }

say "what each stage saw ($packets UDP packets from namespace client to ports 47000..47004)"
printf '   XDP in0 (chain_classify):       %s packets got flow.class and trace.id, then were redirected\n' "$(v classified)"
printf '   XDP out0-p (chain_receive):     %s packets arrived, %s with both fields intact\n' "$(v received)" "$(v received_with_both)"
printf '   TC ingress out0-p (tc_read):    %s skbs carried both fields, %s with veth'"'"'s rx_hash hint; %s had none\n' \
	"$(v with_fields)" "$(v with_rx_hash)" "$(v without_fields)"
echo "   the receiving application (bpf/examples/fields_receiver.c), from recvmsg()'s control messages:"
indent < "$recv_out"
rm -f "$recv_out"

say "the registry, as pktmetactl list shows it"
"$ctl" list | indent

say "per-field counters (pktmetactl stats) and debugfs"
"$ctl" stats | indent
echo "   /sys/kernel/debug/pktmeta/hooks:"
indent < /sys/kernel/debug/pktmeta/hooks

say "on a real machine"
cat <<'EOT'
   make install                   # DKMS build + install for the running kernel, modprobe, pktmetactl
   pktmetactl register flow.class 4; pktmetactl register trace.id 8
   # load bpf/examples/redirect_chain.bpf.o and tc_reader.bpf.o with libbpf,
   # their class_id/trace_id set from `pktmetactl -j lookup NAME`, on your veth
   # or virtio-net devices; README.md walks through it.
EOT

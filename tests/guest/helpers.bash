# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the guest bats suites (run inside the test VM as root).

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BPF=$REPO/build/bpf
PMRUN=$REPO/build/tools/pmrun
DEBUGFS=/sys/kernel/debug/pktmeta

# Each test names itself in the kernel log, so that a report there (a debug
# kernel's KASAN or lockdep splat) points at the test that was running;
# tests/vm/test-all.sh skips these lines when it judges the log.
if [ -n "${BATS_TEST_NAME:-}" ] && [ -w /dev/kmsg ]; then
	echo "pktmeta-test: ${BATS_TEST_FILENAME##*/} $BATS_TEST_NAME" > /dev/kmsg
fi

load_pktmeta() {
	grep -q '^pktmeta ' /proc/modules || modprobe pktmeta "$@"
}

# Programs that used the kfuncs hold the module until the kernel has freed
# them, which happens after an RCU grace period: retry for a while.
unload_pktmeta() {
	local i
	for i in $(seq 1 50); do
		grep -q '^pktmeta ' /proc/modules || return 0
		rmmod pktmeta 2> /dev/null && return 0
		sleep 0.1
	done
	rmmod pktmeta
}

# The value of VAR in pmrun's output ("VAR=value" lines) in $output.
var() {
	printf '%s\n' "$output" | sed -n "s/^$1=//p"
}

# State and hits of driver hint hook HOOK, from debugfs.
hook_state() {
	awk -v h="$1" '$1 == h { print $2 }' "$DEBUGFS/hooks"
}

# "yes" while a loaded program uses pktmeta's kfuncs and the hooks' probes
# are registered, "no" while they are not (module/demand.c), "always" on a
# kernel that cannot tell (6.1), "off" with hooks=0.
hooks_in_use() {
	cat "$DEBUGFS/hooks_in_use"
}

# Wait until the programs of earlier tests are freed and the probes follow
# (the module looks every second), then print the state a hook that can
# fill hints shows while no program uses pktmeta: idle, or attached where
# the kernel cannot tell.
ready_state() {
	local i
	for i in $(seq 1 300); do
		[ "$(hooks_in_use)" != yes ] && break
		sleep 0.1
	done
	case "$(hooks_in_use)" in
	always) echo attached ;;
	no) echo idle ;;
	*) echo "hooks_in_use: $(hooks_in_use)" ;;
	esac
}

# Whether hook $1 shows ready_state's state, read once no program uses
# pktmeta any more: reading it before ready_state() has waited races with
# the detach that the last test's programs going away starts.
hook_ready() {
	local want
	want=$(ready_state)
	[ "$(hook_state "$1")" = "$want" ]
}

# Expect program PROG of the test's object $OBJ to be rejected at load,
# for the reason the extended regular expression WHY finds in the verifier
# log (6.1 and 6.12 word reasons alike; 7.x words some differently in
# kernel/bpf/verifier.c, and the expressions take both).
rejected() {
	run "$PMRUN" -L "$OBJ" "$1"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var load)" = rejected ]
	echo "$output" | grep -Eq "$2"
}

hook_hits() {
	awk -v h="$1" '$1 == h { print $3 }' "$DEBUGFS/hooks"
}

hook_frame_misses() {
	awk -v h="$1" '$1 == h { print $5 }' "$DEBUGFS/hooks"
}

# Id of the registered field NAME, from debugfs.
field_id() {
	awk -v n="$1" 'NR > 1 && $2 == n { print $1 }' "$DEBUGFS/fields"
}

# Errno values as the kfuncs return them.
ENOENT=-2 EFAULT=-14 EEXIST=-17 EINVAL=-22 ENOSPC=-28 EPERM=-1 EOPNOTSUPP=-95

# Register field NAME of SIZE bytes through a syscall program; prints what
# bpf_pktmeta_register returned (the id, or a negative errno).
register_field() {
	"$PMRUN" -s name="$1" -s size="$2" -p ret "$BPF/tests/registry.bpf.o" do_register |
		sed -n 's/^ret=//p'
}

# Drop one reference on field ID; prints what bpf_pktmeta_unregister returned.
unregister_field() {
	"$PMRUN" -s id="$1" -p ret "$BPF/tests/registry.bpf.o" do_unregister |
		sed -n 's/^ret=//p'
}

# Column COL (a header name of the fields or stats table) of field NAME.
field_col() {
	awk -v n="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == n { print $col[c] }' "$DEBUGFS/fields"
}

# Count sets, gets and clears too (1), or stop (0): they are off after
# modprobe; errors are always counted. pktmetactl stats on|off does the
# same through netlink.
count_successes() {
	echo "$1" > "$DEBUGFS/stats_on"
}

# Where the field NAME (8 bytes) ends, from data_hard_start: the area's
# offset, its header, the field's offset and size.
field_end() {
	local area hdr off
	area=$(awk '$1 == "area_offset" { print $2 }' "$DEBUGFS/layout")
	hdr=$(awk '$1 == "header_size" { print $2 }' "$DEBUGFS/layout")
	off=$(field_col "$1" offset)
	echo $((area + hdr + off + 8))
}

# BPF_PROG_TEST_RUN starts packet data this many bytes after data_hard_start.
HEADROOM=256

stat_of() {
	awk -v n="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$2 == n { print $col[c] }' "$DEBUGFS/stats"
}

# Unregister every field but the hints, dropping all their references.
unregister_all_fields() {
	local id refs i
	[ -r "$DEBUGFS/fields" ] || return 0
	awk 'NR > 1 && $1 > 2 { print $1, $5 }' "$DEBUGFS/fields" |
		while read -r id refs; do
			for ((i = 0; i < refs; i++)); do unregister_field "$id" > /dev/null; done
		done
}

# The interfaces of the root namespace that driver DRIVER drives, by name.
nics_by_driver() {
	local d
	for d in /sys/class/net/*; do
		[ "$(basename "$(readlink -f "$d/device/driver" 2> /dev/null)")" = "$1" ] &&
			basename "$d"
	done | sort
}

# A veth pair for traffic into the root namespace: NAME in the root
# namespace (no address; XDP attaches there), NAME-p in namespace NS with
# address 10.77.N.1/24 and a static neighbour 10.77.N.2 pointing at NAME,
# so that packets sent from NS to 10.77.N.2 arrive on NAME.
veth_to_ns() {
	local name=$1 ns=$2 n=$3 mac
	modprobe veth 2> /dev/null || true	# the kernel cannot autoload from the chroot
	ip netns add "$ns"
	ip link add "$name" type veth peer name "$name-p" netns "$ns"
	ip link set "$name" up
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "10.77.$n.1/24" dev "$name-p"
	ip -n "$ns" link set "$name-p" up
	mac=$(cat "/sys/class/net/$name/address")
	ip -n "$ns" neigh replace "10.77.$n.2" lladdr "$mac" dev "$name-p" nud permanent
}

veth_del() {
	ip link del "$1" 2> /dev/null || true
	ip netns del "$2" 2> /dev/null || true
}

# Send UDP packets from namespace NS to 10.77.N.2 (or to N itself when it
# is an address) port 47000 carrying { magic, seq, flags, tag } as
# little-endian u32 (flags bit 0 on odd seq), then PAD zero bytes: COUNT
# packets, or with SECS > 0 as many as fit in SECS seconds, on CPU. Prints
# the number sent.
send_udp() {
	local ns=$1 n=$2 count=$3 tag=${4:-0} secs=${5:-0} cpu=${6:-} pad=${7:-0}
	local pin=() dst=10.77.$2.2
	[[ $n == *.* ]] && dst=$n
	[ -n "$cpu" ] && pin=(taskset -c "$cpu")
	ip netns exec "$ns" "${pin[@]}" python3 -c '
import socket, struct, sys, time
dst, count, tag, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
pad = bytes(int(sys.argv[5]))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + secs
seq = 0
while (secs > 0 and time.monotonic() < end) or (secs <= 0 and seq < count):
    s.sendto(struct.pack("<IIII", 0x706d7631, seq, seq & 1, tag) + pad, (dst, 47000))
    seq += 1
print(seq)
' "$dst" "$count" "$tag" "$secs" "$pad"
}

# send_udp's packets over IPv6: COUNT of them from namespace NS to ADDR
# port 47000. Prints the number sent.
send_udp6() {
	ip netns exec "$1" python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
count = int(sys.argv[2])
for seq in range(count):
    s.sendto(struct.pack("<IIII", 0x706d7631, seq, seq & 1, 0), (sys.argv[1], 47000))
print(count)
' "$2" "$3"
}

# COUNT TCP connections from namespace NS to ADDR port 47001, each closed
# once established. Prints the number made.
tcp_connects() {
	ip netns exec "$1" python3 -c '
import socket, sys
count = int(sys.argv[2])
for _ in range(count):
    c = socket.create_connection((sys.argv[1], 47001), timeout=60)
    c.close()
print(count)
' "$2" "$3"
}

# send_udp's packets from FLOWS sockets in turn, COUNT in all, from
# namespace NS to ADDR port 47000, each followed by PAD zero bytes: packet
# seq is in flow seq % FLOWS (its own source port). Prints sent=COUNT.
send_udp_flows() {
	ip netns exec "$1" python3 -c '
import socket, struct, sys
dst, count, flows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pad = bytes(int(sys.argv[4]))
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(flows)]
for s in socks:
    s.bind(("0.0.0.0", 0))
assert len({s.getsockname()[1] for s in socks}) == flows
for seq in range(count):
    socks[seq % flows].sendto(struct.pack("<IIII", 0x706d7631, seq, seq & 1, 0) + pad, (dst, 47000))
print("sent=%d" % count)
' "$2" "$3" "$4" "${5:-0}"
}

# Write send_udp's packets (UDP to 10.77.30.2 port 47000, { magic, seq,
# flags, tag }) as COUNT Ethernet frames into tap device DEV, through a
# queue opened non-blocking: tun then builds each skb around a page
# fragment and runs the device's XDP program on it in native mode
# (tun_build_skb(), drivers/net/tun.c; a blocking writer gets generic XDP).
# Prints the number written.
send_tap_frames() {
	python3 - "$1" "$2" "${3:-0}" << 'PY'
import errno, fcntl, os, socket, struct, sys, time
dev, count, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
TUNSETIFF, IFF_TAP, IFF_NO_PI = 0x400454CA, 0x0002, 0x1000
fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", dev.encode(), IFF_TAP | IFF_NO_PI))
mac = bytes.fromhex(open("/sys/class/net/%s/address" % dev).read().strip().replace(":", ""))
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff
src, dst = socket.inet_aton("10.77.30.1"), socket.inet_aton("10.77.30.2")
sent = 0
for seq in range(count):
    payload = struct.pack("<IIII", 0x706d7631, seq, seq & 1, tag)
    udp = struct.pack("!HHHH", 40000, 47000, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq & 0xffff, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    frame = mac + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + udp
    while True:
        try:
            os.write(fd, frame)
            break
        except BlockingIOError:
            time.sleep(0.001)
    sent += 1
print(sent)
PY
}

# Try COUNT TCP connections from namespace NS to ADDR port 9, with a short
# timeout each: SYNs that reach the device under test and go unanswered.
send_tcp_syns() {
	ip netns exec "$1" python3 -c '
import socket, sys
for i in range(int(sys.argv[2])):
    s = socket.socket()
    s.settimeout(0.05)
    try:
        s.connect((sys.argv[1], 9))
    except OSError:
        pass
    s.close()
' "$2" "$3"
}

# ---- pmnic, the test NIC of tests/pmnic, and pktgen ----

# pmnic.ko for this kernel: built by tests/pmnic/build.sh (make test runs
# it) next to the DKMS tree, BUILD_DIR/pmnic/KVER/; PMNIC_KO overrides.
pmnic_ko() {
	local build
	if [ -n "${PMNIC_KO:-}" ]; then
		echo "$PMNIC_KO"
		return
	fi
	build=$(. /results/env && dirname "$PKTMETA_DKMS")
	echo "$build/pmnic/$(uname -r)/pmnic.ko"
}

# Load pmnic with module parameters "$@": pmnic0 and pmnic1 (one cable),
# up, without IPv6 (only the tests' own traffic crosses it).
load_pmnic() {
	local ko d
	ko=$(pmnic_ko)
	if [ ! -f "$ko" ]; then
		echo "no $ko: tests/pmnic/build.sh $(uname -r) builds it" >&2
		return 1
	fi
	insmod "$ko" "$@" || return 1
	for d in pmnic0 pmnic1; do
		sysctl -qw "net.ipv6.conf.$d.disable_ipv6=1"
		ip link set "$d" up
	done
}

unload_pmnic() {
	grep -q '^pmnic ' /proc/modules || return 0
	rmmod pmnic
}

# Counter NAME of `ethtool -S DEV`.
nic_stat() {
	ethtool -S "$1" | awk -v n="$2:" '$1 == n { print $2 }'
}

# Wait up to 5 s for counter NAME of DEV to reach VALUE: packets put into
# a ring wait there for the coalescing timer. Prints the counter.
nic_wait_stat() { # DEV NAME VALUE
	local i v
	for i in $(seq 50); do
		v=$(nic_stat "$1" "$2")
		[ "$v" -ge "$3" ] && break
		sleep 0.1
	done
	echo "$v"
}

PKTGEN=/proc/net/pktgen

# pktgen on DEV (kernel thread kpktgend_0): COUNT UDP packets of 60 bytes
# (0: until stopped) to the device with address DST_MAC, for 10.78.0.2
# port 9, DELAY ns apart (default 0: as fast as it can). pktgen's header
# follows the UDP header; its seq_num counts the packets from 1.
# pktgen_start sends them and returns when they are sent.
#
# Below 100 us of DELAY pktgen's thread busy-waits and never yields the
# CPU: an RCU Tasks grace period, which attaching or detaching ftrace
# probes waits for, then waits until it stops (7.3: minutes).
pktgen_setup() { # DEV DST_MAC COUNT [DELAY]
	local c
	modprobe pktgen || return 1
	echo rem_device_all > "$PKTGEN/kpktgend_0"
	echo "add_device $1" > "$PKTGEN/kpktgend_0"
	for c in "count $3" "clone_skb 0" "pkt_size 60" "delay ${4:-0}" "dst 10.78.0.2" \
		"dst_mac $2" "udp_src_min 9" "udp_src_max 9" "udp_dst_min 9" "udp_dst_max 9"; do
		echo "$c" > "$PKTGEN/$1" || return 1
	done
}

pktgen_start() {
	echo start > "$PKTGEN/pgctrl"
}

# What pktgen sent on DEV in its last run.
pktgen_sent() {
	sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p' "$PKTGEN/$1"
}

pktgen_cleanup() {
	[ -d "$PKTGEN" ] || return 0
	echo rem_device_all > "$PKTGEN/kpktgend_0" 2> /dev/null || true
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The soak, run inside a guest by `make soak` (tests/soak/vm.sh) with
# pktmeta installed and the two virtio-net NICs of VM_NICS=virtio-pair.
# For SOAK_SECONDS (default 600), all at once:
#  - five traffic generators (send.py), each from its own namespace, each
#    paced to SOAK_PPS packets a second, into five pipelines of
#    bpf/tests/soak.bpf.c, each a pmrun:
#      veth     XDP sets the fields, XDP_PASS, TC ingress checks
#      virtio   the same on the virtio-net NIC that the other one sends to
#      redirect XDP sets, bpf_redirect into another veth; XDP at its peer
#               checks and passes, TC ingress there checks
#      cpumap   XDP sets, cpumap to both CPUs; the cpumap program checks and
#               passes, TC ingress checks the skb cpumap built
#      devmap   XDP sets, devmap into another veth; the devmap program
#               checks, XDP at its peer checks and passes, TC checks
#  - registry churn: pktmetactl register/lookup/unregister (netlink) and
#    syscall programs through pmrun (registry.bpf.c, and concurrency.bpf.c's
#    churn, whose fields soak_set sets on every marked packet);
#  - every SOAK_EPOCH seconds (default 60) the pipelines are stopped,
#    pktmeta is unloaded (retried while freed programs still pin it) and
#    loaded again, alternately with hooks=0 and hooks=1, and the pipelines
#    start again; the generators keep sending throughout;
#  - halfway through each epoch, veth or virtio_net (in turn: veth, virtio,
#    virtio, veth, ...) is unloaded under traffic with the pipelines
#    attached, loaded again, its pairs re-created in the same namespaces and
#    its pipelines restarted.
# Under TCG a reload takes tens of seconds: each start of the pipelines is
# followed by at least SOAK_DWELL seconds (default 20) of traffic before the
# next reload, so epochs stretch; the generators and the churn stop when the
# epochs are over (at the latest after 2 * SOAK_SECONDS + 600 s).
# At the end: rmmod pktmeta, two kmemleak scans where the kernel has
# kmemleak, and the kernel log is searched for reports. The last line states
# the counts; the exit status is non-zero on any wrong value, any kernel
# report, a failed reload or pipeline, or a pipeline or stage that never saw
# a correct value. Every loop is bounded in count and time, every generator
# stops by itself. The full log goes to SOAK_OUT (default /results/soak.txt).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here=$repo/tests/soak
pmrun=$repo/build/tools/pmrun
ctl=$repo/build/tools/pktmetactl
obj=$repo/build/bpf/tests/soak.bpf.o
reg_obj=$repo/build/bpf/tests/registry.bpf.o
churn_obj=$repo/build/bpf/tests/concurrency.bpf.o
secs=${SOAK_SECONDS:-600}
epoch=${SOAK_EPOCH:-60}
pps=${SOAK_PPS:-1000}
dwell=${SOAK_DWELL:-20}
out=${SOAK_OUT:-/results/soak.txt}
work=/run/soak
# The kernel log lines that fail the soak (also read by vm.sh).
REPORTS=$(cat "$here/reports.ere")

rm -rf "$work"
mkdir -p "$work/out"
: > "$out"
t0=$(date +%s)	# the log's clock; the soak's starts after the setup
now() { date +%s; }
log() { echo "[$(($(now) - t0))s] $*" | tee -a "$out"; }
die() { log "soak: $*"; exit 1; }

# ---- modules ----

# rmmod MODULE, retried for up to 30 s: programs that used pktmeta's kfuncs
# pin it until the kernel has freed them after an RCU grace period.
unload() {
	local i
	for i in $(seq 300); do
		grep -q "^$1 " /proc/modules || return 0
		rmmod "$1" 2> /dev/null && return 0
		sleep 0.1
	done
	rmmod "$1"
}

# ---- devices and namespaces ----

namespaces="pmsv pmsr pmsc pmsd pmsn"

make_namespaces() {
	local ns
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for ns in $namespaces; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1
	done
}

# A veth NAME (root namespace, no address, where XDP attaches) to NAME-p in
# namespace NS (10.77.N.1), whose neighbour 10.77.N.2 is NAME: what NS sends
# to 10.77.N.2 arrives on NAME.
veth_ingress() {
	local name=$1 ns=$2 n=$3 mac
	ip link add "$name" type veth peer name "$name-p" netns "$ns"
	ip link set "$name" up
	ip -n "$ns" addr add "10.77.$n.1/24" dev "$name-p"
	ip -n "$ns" link set "$name-p" up
	mac=$(cat "/sys/class/net/$name/address")
	ip -n "$ns" neigh replace "10.77.$n.2" lladdr "$mac" dev "$name-p" nud permanent
}

# A veth NAME to NAME-p, both in the root namespace (the redirect's target;
# pinned maps are out of reach under `ip netns exec`, which mounts its own
# /sys), with NAPI at NAME-p (GRO on) so that it takes redirected frames.
veth_far() {
	ip link add "$1" type veth peer name "$1-p"
	ip link set "$1" up
	ip link set "$1-p" up
	ethtool -K "$1-p" gro on > /dev/null
}

make_veths() {
	veth_ingress sv0 pmsv 41
	veth_ingress sr0 pmsr 42
	veth_far sr1
	veth_ingress sc0 pmsc 43
	veth_ingress sd0 pmsd 44
	veth_far sd1
}

# The two virtio-net NICs (run.sh gives them MACs ...:00 and ...:01): RX
# stays in the root namespace, TX goes to namespace pmsn (10.77.49.1),
# whose neighbour 10.77.49.2 is RX. The host's bridge joins them.
virtio_up() {
	local d mac tx=
	RX=
	for d in /sys/class/net/*; do
		[ "$(basename "$(readlink -f "$d/device/driver" 2> /dev/null)")" = virtio_net ] || continue
		case "$(cat "$d/address")" in
		52:54:00:70:6d:00) RX=$(basename "$d") ;;
		52:54:00:70:6d:01) tx=$(basename "$d") ;;
		esac
	done
	{ [ -n "$RX" ] && [ -n "$tx" ]; } ||
		die "no virtio-net pair (boot with VM_NICS=virtio-pair, tests/vm/run.sh)"
	ip link set "$tx" netns pmsn
	ip -n pmsn addr add 10.77.49.1/24 dev "$tx"
	ip -n pmsn link set "$tx" up
	ip link set "$RX" up
	ethtool -K "$RX" rxhash on 2> /dev/null || true
	mac=$(cat "/sys/class/net/$RX/address")
	ip -n pmsn neigh replace 10.77.49.2 lladdr "$mac" dev "$tx" nud permanent
}

# ---- the registry ----

# The soak's field and the pinned maps of the churn fields, after each load.
registry_setup() {
	rm -f /sys/fs/bpf/pm_churn_ids /sys/fs/bpf/pm_churn_live
	value_id=$("$ctl" -j register soak.value 16 | jq .id) || value_id=-1
	[ "$value_id" -gt 2 ] || die "cannot register soak.value: $value_id"
	# Create and pin the churn maps once, before the pipelines share them.
	"$pmrun" -s ops=0 "$churn_obj" churn > /dev/null || die "cannot pin the churn maps"
}

paused() { [ -e "$work/pause" ]; }

# Netlink churn until DEADLINE: register, look up and unregister
# soak.nl.0..2 through pktmetactl; successful operations counted.
netlink_churn() {
	local deadline=$1 ops=0 failed=0 i name
	for ((i = 0; i < 100000 && $(now) < deadline; i++)); do
		[ -e "$work/stop.traffic" ] && break
		if paused; then sleep 0.2; continue; fi
		name=soak.nl.$((i % 3))
		if "$ctl" register "$name" 4 > /dev/null 2>&1; then ops=$((ops + 1)); else failed=$((failed + 1)); fi
		if "$ctl" lookup "$name" > /dev/null 2>&1; then ops=$((ops + 1)); else failed=$((failed + 1)); fi
		if "$ctl" unregister "$name" > /dev/null 2>&1; then ops=$((ops + 1)); else failed=$((failed + 1)); fi
		sleep 0.05
	done
	echo "netlink_ops=$ops netlink_failed=$failed" > "$work/netlink.count"
}

# What pmrun printed for VAR, from stdin.
value() { sed -n "s/^$1=//p"; }

# Syscall-program churn until DEADLINE: registry.bpf.c's register, lookup
# and unregister of soak.sc.0..2, and concurrency.bpf.c's churn of the
# fields soak_set sets.
syscall_churn() {
	local deadline=$1 ops=0 failed=0 i name r id
	for ((i = 0; i < 100000 && $(now) < deadline; i++)); do
		[ -e "$work/stop.traffic" ] && break
		if paused; then sleep 0.2; continue; fi
		name=soak.sc.$((i % 3))
		id=$("$pmrun" -s name="$name" -s size=4 -p ret "$reg_obj" do_register 2> /dev/null | value ret) || true
		if [ "${id:--1}" -ge 0 ]; then
			ops=$((ops + 1))
			r=$("$pmrun" -s name="$name" -p ret "$reg_obj" do_lookup 2> /dev/null | value ret) || true
			if [ "$r" = "$id" ]; then ops=$((ops + 1)); else failed=$((failed + 1)); fi
			r=$("$pmrun" -s id="$id" -p ret "$reg_obj" do_unregister 2> /dev/null | value ret) || true
			if [ "$r" = 0 ]; then ops=$((ops + 1)); else failed=$((failed + 1)); fi
		else
			failed=$((failed + 1))
		fi
		paused && continue
		r=$("$pmrun" -s ops=8 -p registered -p unregistered "$churn_obj" churn 2> /dev/null |
			awk -F= '{ n += $2 } END { print n + 0 }') || true
		ops=$((ops + r))
	done
	echo "syscall_ops=$ops syscall_failed=$failed" > "$work/syscall.count"
}

# ---- pipelines ----

pipelines=(veth virtio redirect cpumap devmap)
declare -A pid started
declare -A total
runs=0 pipeline_failures=0

stage_vars() {
	local s
	for s in "$@"; do
		printf -- '-p %s_pkts -p %s_ok -p %s_absent -p %s_wrong -p %s_cok -p %s_cabsent -p %s_cwrong ' \
			"$s" "$s" "$s" "$s" "$s" "$s" "$s"
	done
	printf -- '-p wrong_stage -p wrong_tag -p wrong_seq -p wrong_key -p wrong_ret -p wrong_v -p wrong_sum'
}
IN_VARS="-p in_pkts -p in_marked -p in_set_err -p in_corrupt -p in_cset_ok -p in_cset_absent -p in_cset_err"

# Start pipeline P: once all its programs are attached, its pmrun creates
# $work/up.P and waits for $work/stop.P (at most an epoch).
start_pipeline() {
	local p=$1 stop=$work/stop.$1 o wait far
	runs=$((runs + 1))
	o=$work/out/$p.$runs
	rm -f "$stop" "$work/up.$p"
	wait="touch $work/up.$p; timeout $((2 * epoch + 300)) sh -c 'until [ -e $stop ]; do sleep 1; done' || true"
	# The far end of a redirect, at the target veth's peer.
	far="$work/far.$p"
	case $p in
	veth|virtio)
		local dev=sv0
		[ "$p" = virtio ] && dev=$RX
		# shellcheck disable=SC2046,SC2086 # option lists
		"$pmrun" -a "$dev" -t soak_tc -s value_id="$value_id" -s mode=0 \
			$IN_VARS $(stage_vars tc) -c "$wait" "$obj" soak_set > "$o" 2>&1 &
		;;
	redirect|devmap)
		local in=sr0 to=sr1 args
		[ "$p" = devmap ] && in=sd0 to=sd1
		cat > "$far" <<-EOF
		$pmrun -a $to-p -t soak_tc -s value_id=$value_id \
			$(stage_vars far tc) -c "$wait" $obj soak_far
		echo inner_status=\$?
		EOF
		if [ "$p" = redirect ]; then
			args="-s mode=1 -s redirect_ifindex=$(cat /sys/class/net/$to/ifindex) $(stage_vars)"
		else
			args="-s mode=2 -m devs:0:$to:soak_devmap $(stage_vars devmap)"
		fi
		# shellcheck disable=SC2086 # option lists
		"$pmrun" -a "$in" -s value_id="$value_id" $args $IN_VARS \
			-c "bash $far" "$obj" soak_set > "$o" 2>&1 &
		;;
	cpumap)
		# shellcheck disable=SC2046,SC2086 # option lists
		"$pmrun" -a sc0 -t soak_tc -s value_id="$value_id" -s mode=3 \
			-m cpus:0:256:soak_cpumap -m cpus:1:256:soak_cpumap \
			$IN_VARS $(stage_vars cpumap tc) -c "$wait" "$obj" soak_set > "$o" 2>&1 &
		;;
	esac
	pid[$p]=$!
	started[$p]=$o
}

# Stop pipelines P...: tell them all, then wait for each pmrun (bounded)
# and add up its counters.
stop_pipelines() {
	local p
	for p in "$@"; do touch "$work/stop.$p"; done
	for p in "$@"; do collect "$p"; done
}

collect() {
	local p=$1 o=${started[$1]} i status=0 k v
	for i in $(seq 120); do
		kill -0 "${pid[$p]}" 2> /dev/null || break
		sleep 0.5
	done
	if kill -0 "${pid[$p]}" 2> /dev/null; then
		log "pipeline $p: pmrun did not stop within 60 s; killing it"
		kill -KILL "${pid[$p]}" 2> /dev/null || true
	fi
	wait "${pid[$p]}" || status=$?
	if [ "$status" != 0 ] || grep -q '^inner_status=[1-9]' "$o"; then
		pipeline_failures=$((pipeline_failures + 1))
		log "pipeline $p failed (exit $status):"
		tee -a "$out" < "$o"
	fi
	while IFS='=' read -r k v; do
		case $k in
		wrong_*|inner_status|'') ;;
		*) [[ $v =~ ^[0-9]+$ ]] && total[$p.$k]=$((${total[$p.$k]:-0} + v)) ;;
		esac
	done < "$o"
	log "$p run ${o##*.} stopped: $(grep -E '^(in_pkts|far_ok|devmap_ok|cpumap_ok|tc_ok|tc_absent)=' "$o" | paste -sd' ')"
	if grep -q '^wrong_stage=[1-9]' "$o"; then
		log "pipeline $p: a wrong value: $(grep '^wrong_' "$o" | paste -sd' ')"
	fi
	unset "pid[$p]"
}

# Wait (at most 2 minutes) until pipelines P... are attached or have failed.
wait_up() {
	local p i pending
	for i in $(seq 240); do
		pending=0
		for p in "$@"; do
			[ -e "$work/up.$p" ] || ! kill -0 "${pid[$p]}" 2> /dev/null || pending=1
		done
		[ "$pending" = 0 ] && return 0
		sleep 0.5
	done
	log "pipelines $* not attached after 2 minutes"
}

start_pipelines() {
	local p
	for p in "$@"; do start_pipeline "$p"; done
	wait_up "$@"
	attached_at=$(now)
	log "pipelines $* attached"
}

stop_all() {
	local p running=()
	for p in "${pipelines[@]}"; do [ -z "${pid[$p]:-}" ] || running+=("$p"); done
	stop_pipelines "${running[@]}"
}

# ---- reloads under traffic ----

pktmeta_reloads=0 veth_reloads=0 virtio_reloads=0 reload_failures=0

# Unload and load pktmeta with hooks=HOOKS while the generators send.
reload_pktmeta() {
	local hooks=$1
	stop_all
	touch "$work/pause"
	if unload pktmeta; then
		modprobe pktmeta capacity=128 hooks="$hooks"
		registry_setup
		pktmeta_reloads=$((pktmeta_reloads + 1))
		log "pktmeta reloaded with hooks=$hooks (field $value_id); hooks: $(awk 'NR > 1 { printf "%s %s; ", $1, $2 }' /sys/kernel/debug/pktmeta/hooks 2> /dev/null)"
	else
		reload_failures=$((reload_failures + 1))
		log "rmmod pktmeta failed for 30 s: $(grep '^pktmeta ' /proc/modules)"
	fi
	rm -f "$work/pause"
	start_pipelines "${pipelines[@]}"
}

# Unload veth under traffic with the pipelines attached, load it again,
# re-create the pairs in their namespaces and restart the veth pipelines.
reload_veth() {
	local p
	if ! unload veth; then
		reload_failures=$((reload_failures + 1))
		log "rmmod veth failed"
		return 0
	fi
	stop_pipelines veth redirect cpumap devmap
	modprobe veth
	make_veths
	start_pipelines veth redirect cpumap devmap
	veth_reloads=$((veth_reloads + 1))
	log "veth reloaded"
}

reload_virtio() {
	if ! unload virtio_net; then
		reload_failures=$((reload_failures + 1))
		log "rmmod virtio_net failed"
		return 0
	fi
	stop_pipelines virtio
	modprobe virtio_net
	virtio_up
	start_pipelines virtio
	virtio_reloads=$((virtio_reloads + 1))
	log "virtio_net reloaded ($RX)"
}

# Sleep until time T, and at least SOAK_DWELL seconds (default 20) after
# the pipelines were last attached: reloads take long under TCG on a busy
# host, and traffic through attached programs is the point.
attached_at=0
settle() {
	local t=$1
	[ "$t" -ge $((attached_at + dwell)) ] || t=$((attached_at + dwell))
	while [ "$(now)" -lt "$t" ]; do sleep 1; done
}

# ---- the run ----

log "soak: $secs s on $(uname -r), pktmeta reloaded every $epoch s, $pps packets/s per generator"
modprobe veth
modprobe virtio_net 2> /dev/null || true	# no udev in the guest
unload pktmeta
modprobe pktmeta capacity=128 hooks=1
make_namespaces
make_veths
virtio_up
registry_setup
log "devices, namespaces and field $value_id ready"

start=$(now)
# The generators and the churn stop when the epochs are over, or at the
# latest after twice the time (reloads under a loaded host take longer).
cap=$((start + 2 * secs + 600))
# The generators: namespace, destination, tag (soak.bpf.c's pipeline tag).
gen=(pmsv 10.77.41.2 1 pmsn 10.77.49.2 2 pmsr 10.77.42.2 3 pmsc 10.77.43.2 4 pmsd 10.77.44.2 5)
gens=()
for ((i = 0; i < ${#gen[@]}; i += 3)); do
	ip netns exec "${gen[i]}" python3 "$here/send.py" "${gen[i + 1]}" "${gen[i + 2]}" \
		$((cap - start)) $((2 * secs * pps + 1000)) "$pps" "$work/stop.traffic" \
		> "$work/sent.${gen[i + 2]}" 2>&1 &
	gens+=($!)
done
netlink_churn "$cap" &
churners=($!)
syscall_churn "$cap" &
churners+=($!)

start_pipelines "${pipelines[@]}"
epochs=$(((secs + epoch - 1) / epoch))
for ((e = 0; e < epochs; e++)); do
	e_start=$((start + e * epoch))
	e_end=$((e_start + epoch))
	[ "$e_end" -gt $((start + secs)) ] && e_end=$((start + secs))
	settle $(((e_start + e_end) / 2))
	case $((e % 4)) in
	0|3) reload_veth ;;
	*) reload_virtio ;;
	esac
	settle "$e_end"
	if [ $((e + 1)) -lt "$epochs" ]; then
		reload_pktmeta $((e % 2))	# epoch 0 ran with hooks=1
	fi
done
stop_all
touch "$work/stop.traffic"
ran=$(($(now) - start))
log "traffic phase over; waiting for the generators and the churn"

# Everything in the background stops by itself; give it a minute.
for p in "${gens[@]}" "${churners[@]}"; do
	for i in $(seq 600); do kill -0 "$p" 2> /dev/null || break; sleep 0.1; done
	kill -0 "$p" 2> /dev/null && { log "process $p did not stop; killing it"; kill -KILL "$p" || true; }
	wait "$p" || true
done
cat "$work"/sent.* | tee -a "$out"
cat "$work/netlink.count" "$work/syscall.count" 2> /dev/null | tee -a "$out"

# ---- teardown and the kernel's verdict ----
rm -f /sys/fs/bpf/pm_churn_ids /sys/fs/bpf/pm_churn_live
for ns in $namespaces; do ip netns del "$ns" 2> /dev/null || true; done
ip link del sr1 2> /dev/null || true
ip link del sd1 2> /dev/null || true
if unload pktmeta; then
	log "pktmeta unloaded"
else
	reload_failures=$((reload_failures + 1))
	log "final rmmod pktmeta failed"
fi
leaks=0
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Objects must be old enough to be reported: scan, wait, scan again.
	echo scan > /sys/kernel/debug/kmemleak || true
	sleep 10
	echo scan > /sys/kernel/debug/kmemleak || true
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak || true)
	[ "$leaks" = 0 ] || head -n 200 /sys/kernel/debug/kmemleak | tee -a "$out"
	log "kmemleak: $leaks unreferenced objects"
fi
reports=$(dmesg | grep -Ec "$REPORTS" || true)
if [ "$reports" != 0 ]; then
	log "kernel reports:"
	dmesg | grep -E -B5 -A30 "$REPORTS" | head -n 300 | tee -a "$out"
fi
reports=$((reports + leaks))
stalls=$(dmesg | grep -Ec 'rcu.*detected stall' || true)

# ---- the counts ----
sum() { # VAR...: the totals of VAR over every pipeline
	local p v n=0
	for p in "${pipelines[@]}"; do
		for v in "$@"; do n=$((n + ${total[$p.$v]:-0})); done
	done
	echo "$n"
}
wrong=$(sum in_corrupt far_wrong far_cwrong devmap_wrong devmap_cwrong cpumap_wrong cpumap_cwrong tc_wrong tc_cwrong)
absent=$(sum far_absent far_cabsent devmap_absent devmap_cabsent cpumap_absent cpumap_cabsent tc_absent tc_cabsent)
packets=$(sum in_pkts)
reg_ops=$(($(sed -n 's/.*netlink_ops=\([0-9]*\).*/\1/p' "$work/netlink.count" 2> /dev/null || echo 0) +
	$(sed -n 's/.*syscall_ops=\([0-9]*\).*/\1/p' "$work/syscall.count" 2> /dev/null || echo 0)))

for p in "${pipelines[@]}"; do
	line="$p:"
	for k in $(printf '%s\n' "${!total[@]}" | sed -n "s/^$p\.//p" | sort); do
		line+=" $k=${total[$p.$k]}"
	done
	log "$line"
done

# The soak did what it says: every pipeline carried traffic and every stage
# read correct values at some point; the reloads happened.
incomplete=()
check_floor() { # PIPELINE VAR
	[ "${total[$1.$2]:-0}" -gt 0 ] || incomplete+=("$1 $2=0")
}
for p in "${pipelines[@]}"; do check_floor "$p" in_pkts; check_floor "$p" tc_ok; done
check_floor redirect far_ok
check_floor devmap far_ok
check_floor devmap devmap_ok
check_floor cpumap cpumap_ok
[ "$pktmeta_reloads" -ge $((epochs - 1)) ] || incomplete+=("pktmeta reloads $pktmeta_reloads of $((epochs - 1))")
[ "$((veth_reloads + virtio_reloads))" -ge "$epochs" ] || incomplete+=("device reloads $((veth_reloads + virtio_reloads)) of $epochs")

status=0
[ "$wrong" = 0 ] || { log "FAIL: $wrong wrong values"; status=1; }
[ "$reports" = 0 ] || { log "FAIL: $reports kernel reports"; status=1; }
[ "$reload_failures" = 0 ] || { log "FAIL: $reload_failures failed unloads"; status=1; }
[ "$pipeline_failures" = 0 ] || { log "FAIL: $pipeline_failures pipeline runs failed"; status=1; }
[ ${#incomplete[@]} = 0 ] || { log "FAIL: incomplete: ${incomplete[*]}"; status=1; }
[ "$stalls" = 0 ] || log "note: $stalls RCU stall reports (TCG under host load?)"
summary="soak: $ran s, $packets packets (veth ${total[veth.in_pkts]:-0}, virtio ${total[virtio.in_pkts]:-0}, redirect ${total[redirect.in_pkts]:-0}, cpumap ${total[cpumap.in_pkts]:-0}, devmap ${total[devmap.in_pkts]:-0}), $wrong wrong, $absent absent, $reg_ops registry ops, $pktmeta_reloads pktmeta reloads, $veth_reloads veth reloads, $virtio_reloads virtio_net reloads, $reports kernel reports"
echo "$summary" | tee -a "$out"
exit "$status"

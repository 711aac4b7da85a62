#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Registry writers against the lockless datapath: userspace registers and
# unregisters fields in a loop while traffic on both vCPUs sets and gets
# them with values that carry a checksum (the registry's contract: readers see a
# consistent snapshot, writers are serialised, stale ids never read other
# fields' bytes). The harness checks the kernel log afterwards.

load helpers

OBJ=$BPF/tests/concurrency.bpf.o
SECS=${PKTMETA_CONCURRENCY_SECS:-15}

setup() {
	unload_pktmeta
	# Room for the hints, a stable field and four churning 16-byte fields.
	load_pktmeta capacity=128
	rm -f /sys/fs/bpf/pm_churn_ids /sys/fs/bpf/pm_churn_live
	stable=$(register_field conc.stable 16)
	[ "$stable" -gt 2 ]
	veth_to_ns pmc0 pmca 2
	veth_to_ns pmc1 pmcb 3
}

teardown() {
	veth_del pmc0 pmca
	veth_del pmc1 pmcb
	if [ -e /sys/fs/bpf/pm_churn_ids ]; then
		"$PMRUN" "$OBJ" churn_cleanup > /dev/null || true
	fi
	rm -f /sys/fs/bpf/pm_churn_ids /sys/fs/bpf/pm_churn_live
	unregister_all_fields
	unload_pktmeta
	load_pktmeta
}

@test "fields registered and unregistered in a loop while both CPUs set and get them: no bad checksum, no leak" {
	# 32 changes per churn run: under TCG on a busy host one run (process,
	# load, verify) takes seconds, and the floors below want real churn, so
	# at least two runs whatever the time (one took all of SECS on the debug
	# kernel of a loaded machine).
	cat > "$BATS_TEST_TMPDIR/load.sh" <<-EOS
	. '$BATS_TEST_DIRNAME/helpers.bash'
	send_udp pmca 2 0 1 $SECS 0 > '$BATS_TEST_TMPDIR/sent0' &
	send_udp pmcb 3 0 2 $SECS 1 > '$BATS_TEST_TMPDIR/sent1' &
	end=\$((SECONDS + $SECS)) runs=0
	while [ \$runs -lt 2 ] || [ \$SECONDS -lt \$end ]; do
		'$PMRUN' -s ops=32 -p registered -p unregistered -p reg_errors '$OBJ' churn ||
			{ echo churn failed; exit 1; }
		runs=\$((runs + 1))
	done > '$BATS_TEST_TMPDIR/churn'
	wait
	EOS
	run "$PMRUN" -a pmc0 -a pmc1 -s stable_id="$stable" -c "bash '$BATS_TEST_TMPDIR/load.sh'" \
		-p pkts -p cpu0_pkts -p cpu1_pkts -p bad_stable -p bad_sum -p bad_value -p leaked \
		-p bad_ret -p churn_set_ok -p churn_get_ok -p churn_enoent -p churn_efault -p churn_enospc \
		"$OBJ" traffic
	echo "$output"
	[ "$status" -eq 0 ]
	reg=$(sed -n 's/^registered=//p' "$BATS_TEST_TMPDIR/churn" | paste -sd+ | bc)
	unreg=$(sed -n 's/^unregistered=//p' "$BATS_TEST_TMPDIR/churn" | paste -sd+ | bc)
	errs=$(sed -n 's/^reg_errors=//p' "$BATS_TEST_TMPDIR/churn" | paste -sd+ | bc)
	echo "sent: $(cat "$BATS_TEST_TMPDIR/sent0") + $(cat "$BATS_TEST_TMPDIR/sent1")"
	echo "registered $reg, unregistered $unreg, errors $errs"
	# The test did what it claims: real churn, traffic on both CPUs, and
	# churned fields set and read on packets.
	[ "$reg" -ge 20 ]
	[ "$unreg" -ge 20 ]
	[ "$errs" = 0 ]
	[ "$(var pkts)" -ge 1000 ]
	[ "$(var cpu0_pkts)" -ge 100 ]
	[ "$(var cpu1_pkts)" -ge 100 ]
	[ "$(var churn_set_ok)" -ge 100 ]
	[ "$(var churn_get_ok)" -ge 100 ]
	# Nothing wrong was ever read.
	[ "$(var bad_stable)" = 0 ]
	[ "$(var bad_sum)" = 0 ]
	[ "$(var bad_value)" = 0 ]
	[ "$(var leaked)" = 0 ]
	[ "$(var bad_ret)" = 0 ]
	[ "$(var churn_enospc)" = 0 ]
	# The registry is back to the hints and the stable field once the
	# churn fields are gone.
	"$PMRUN" "$OBJ" churn_cleanup
	[ "$(awk 'NR > 1' "$DEBUGFS/fields" | wc -l)" = 4 ]
}

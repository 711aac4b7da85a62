#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# Malformed and random messages to the pktmeta generic netlink family: each
# gets an error (or a valid answer), never a crash, and the kernel log stays
# clean of anything but the netlink core's own rate-limited notes about
# malformed attributes.

load helpers

PMCTL=$REPO/build/tools/pktmetactl
FUZZ=$REPO/build/tools/pmnlfuzz
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

setup() {
	load_pktmeta
	DMESG_START=$(dmesg | wc -l)
}

# The kernel log since setup, without the netlink core's notes that any
# family's malformed input triggers (lib/nlattr.c, pr_warn_ratelimited),
# and without the clocksource watchdog's notes of a slow clock read
# (kernel/time/clocksource.c), which a guest sharing a busy host's CPUs
# prints whatever runs in it.
new_log() {
	dmesg | tail -n +"$((DMESG_START + 1))" |
		grep -v -e "netlink: '[^']*': attribute type [0-9]* has an invalid length\.$" \
			-e "^\[ *[0-9.]*\] clocksource: " \
			-e "netlink: [0-9]* bytes leftover after parsing attributes in process \`[^']*'\.$" \
			-e "net_ratelimit: [0-9]* callbacks suppressed" \
			-e "__nla_validate_parse: [0-9]* callbacks suppressed" \
			-e "validate_nla: [0-9]* callbacks suppressed" || true
}

# Only the hints are left, and the family still answers.
registry_clean() {
	[ "$("$PMCTL" -j list | jq length)" = 3 ]
	[ "$("$PMCTL" -j stats | jq -r .registry.fields)" = 3 ]
}

@test "each kind of malformed message gets its error and extended ack" {
	run "$FUZZ" -c
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -q FAIL <<< "$output"
	[ "$(grep -c '^case .*: ok' <<< "$output")" -ge 24 ]
	[ "$(var alive)" = yes ]
	registry_clean
	[ -z "$(new_log)" ]
}

@test "5000 random messages: errors, never a crash, a clean log and registry" {
	run "$FUZZ" -n 5000 -s 1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var alive)" = yes ]
	[[ "$output" == sent=5000* ]]
	# Nearly every message gets an answer (a wrong nlmsg_len may be dropped
	# by the core without one).
	unanswered=$(sed -n 's/.*unanswered=\([0-9]*\).*/\1/p' <<< "$output")
	[ "$unanswered" -lt 250 ]
	registry_clean
	log=$(new_log)
	echo "$log"
	[ -z "$log" ]
}

@test "more seeds, and the module unloads and loads cleanly afterwards" {
	for seed in 2 3 4; do
		run "$FUZZ" -n 2000 -s "$seed"
		[ "$status" -eq 0 ]
		[ "$(var alive)" = yes ]
	done
	registry_clean
	rmmod pktmeta
	modprobe pktmeta
	registry_clean
	[ -z "$(new_log)" ]
}

@test "random messages from an unprivileged user change nothing" {
	"$PMCTL" register fz0 4
	run "${NOBODY[@]}" "$FUZZ" -n 1000 -s 5 -k
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var alive)" = yes ]
	# Some changes were attempted, all refused for permission.
	[ "$(sed -n 's/^errno\.1=\([0-9]*\).*/\1/p' <<< "$output")" -gt 0 ]
	[ "$("$PMCTL" -j list | jq length)" = 4 ]
	[ "$("$PMCTL" -j lookup fz0 | jq -r .refs)" = 1 ]
	"$PMCTL" unregister fz0
	registry_clean
	[ -z "$(new_log)" ]
}

@test "a registration whose reply cannot be delivered keeps no reference" {
	run python3 "$REPO/tests/tools/nl_flood.py" flood.test 4 50
	echo "$output"
	[ "$status" -eq 0 ]
	# Most replies cannot be queued on the tiny receive buffer; each field
	# reference left is one that its caller was told about.
	[ "$(var replies)" -lt 50 ]
	if [ "$(var replies)" = 0 ]; then
		[ -z "$(field_id flood.test)" ]
	else
		[ "$(field_col flood.test refs)" = "$(var replies)" ]
	fi
	unregister_all_fields
	registry_clean
}

#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# pktmetactl and libpktmeta over the generic netlink family: round trips,
# JSON, permissions, owned fields, limits and errors, and fields declared in
# a BPF object.

load helpers

PMCTL=$REPO/build/tools/pktmetactl
LOADER=$REPO/build/examples/declared_fields_loader
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# Drop every reference on every field but the hints.
pm_reset() {
	local id refs i
	"$PMCTL" -j list | jq -r '.[] | select(.hint | not) | "\(.id) \(.refs)"' |
		while read -r id refs; do
			for ((i = 0; i < refs; i++)); do "$PMCTL" unregister id "$id"; done
		done
}

# Field NAME's KEY from the JSON lookup, or nothing if there is no such field.
pm_get() {
	"$PMCTL" -j lookup "$1" 2> /dev/null | jq -r ".$2"
}

setup() {
	load_pktmeta
	pm_reset
	"$PMCTL" stats off
}

teardown() {
	# Background holders of owned fields, if a test failed before killing them.
	[ -n "${HOLDER:-}" ] && kill "$HOLDER" 2> /dev/null || true
	if [ -n "${RELOAD:-}" ]; then
		unload_pktmeta
	fi
	load_pktmeta
	pm_reset
}

@test "list shows the three hint fields, in text and JSON" {
	run "$PMCTL" list
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "id 0 name rx_hash size 8 offset 0 refs 1 hint sockets" ]
	[ "${lines[1]}" = "id 1 name rx_vlan size 4 offset 8 refs 1 hint sockets" ]
	[ "${lines[2]}" = "id 2 name rx_timestamp size 8 offset 16 refs 1 hint sockets" ]
	[ "${#lines[@]}" -eq 3 ]
	run "$PMCTL" -j list
	[ "$status" -eq 0 ]
	[ "$(jq length <<< "$output")" = 3 ]
	[ "$(jq -r '[.[].name] | join(",")' <<< "$output")" = "rx_hash,rx_vlan,rx_timestamp" ]
	[ "$(jq -r '[.[].id] | join(",")' <<< "$output")" = "0,1,2" ]
	[ "$(jq -r 'all(.[]; .hint)' <<< "$output")" = true ]
	[ "$(jq -r 'all(.[]; .sockets)' <<< "$output")" = true ]
	# The same as debugfs.
	[ "$(jq -r '.[] | "\(.id) \(.name) \(.size) \(.offset) \(.refs)"' <<< "$output")" = \
	  "$(awk 'NR > 1 { print $1, $2, $3, $4, $5 }' "$DEBUGFS/fields")" ]
}

@test "register, register again, lookup, unregister: a round trip" {
	run "$PMCTL" -j register flow.tag 4
	[ "$status" -eq 0 ]
	id=$(jq -r .id <<< "$output")
	[ "$id" -gt 2 ]
	[ "$(jq -r .name <<< "$output")" = flow.tag ]
	[ "$(jq -r .size <<< "$output")" = 4 ]
	[ "$(jq -r .refs <<< "$output")" = 1 ]
	[ "$(jq -r .hint <<< "$output")" = false ]
	# The same name and size: the same id, one more reference.
	run "$PMCTL" -j register flow.tag 4
	[ "$(jq -r .id <<< "$output")" = "$id" ]
	[ "$(jq -r .refs <<< "$output")" = 2 ]
	[ "$(pm_get flow.tag id)" = "$id" ]
	[ "$(field_id flow.tag)" = "$id" ]
	run "$PMCTL" lookup flow.tag
	[ "$status" -eq 0 ]
	[ "$output" = "id $id name flow.tag size 4 offset $(field_col flow.tag offset) refs 2" ]
	# One reference by id, the other by name: then it is gone.
	run "$PMCTL" unregister "$id"
	[ "$status" -eq 0 ]
	[ "$(pm_get flow.tag refs)" = 1 ]
	run "$PMCTL" unregister flow.tag
	[ "$status" -eq 0 ]
	run "$PMCTL" lookup flow.tag
	[ "$status" -eq 1 ]
	[[ "$output" == *"No such file or directory"* ]]
	[ -z "$(field_id flow.tag)" ]
	# A new field of the same name gets a new id.
	run "$PMCTL" -j register flow.tag 4
	[ "$(jq -r .id <<< "$output")" != "$id" ]
}

@test "unregister takes explicit id and name keywords; a name of digits needs 'name'" {
	"$PMCTL" register 123 2
	id=$(pm_get 123 id)
	run "$PMCTL" unregister 123
	[ "$status" -eq 1 ]		# 123 is read as an id
	run "$PMCTL" unregister name 123
	[ "$status" -eq 0 ]
	"$PMCTL" register abc 2
	run "$PMCTL" unregister id "$(pm_get abc id)"
	[ "$status" -eq 0 ]
	[ -z "$(pm_get abc id)" ]
	[ "$id" -gt 2 ]
}

@test "JSON output of every command parses with jq, plain and pretty" {
	"$PMCTL" register j.son 8
	for args in "list" "lookup j.son" "stats" "register j.son 8"; do
		# shellcheck disable=SC2086 # word splitting wanted
		run "$PMCTL" -j $args
		[ "$status" -eq 0 ]
		jq -e . <<< "$output" > /dev/null
		[ "${#lines[@]}" -eq 1 ]
		# shellcheck disable=SC2086
		run "$PMCTL" -j -p $args
		jq -e . <<< "$output" > /dev/null
		[ "${#lines[@]}" -gt 1 ]
	done
	run "$PMCTL" -json stats
	[ "$(jq -r .registry.capacity <<< "$output")" = 64 ]
	[ "$(jq -r .registry.max_fields <<< "$output")" = 64 ]
	[ "$(jq -r .registry.fields <<< "$output")" = 4 ]
	[ "$(jq -r .registry.used <<< "$output")" = 28 ]
	[ "$(jq -r '.fields | length' <<< "$output")" = 4 ]
	[ "$(jq -r '.unknown_id | keys | length' <<< "$output")" = 8 ]
}

@test "stats shows the kfunc counters of a field and of unknown ids" {
	id=$("$PMCTL" -j register counted 8 | jq -r .id)
	"$PMCTL" stats on
	run "$PMRUN" -s id="$id" -p set_ret -p get_after "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$status" -eq 0 ]
	[ "$(var set_ret)" = 0 ]
	run "$PMCTL" -j stats
	[ "$(jq -r '.fields[] | select(.name == "counted") | .sets' <<< "$output")" = 1 ]
	[ "$(jq -r '.fields[] | select(.name == "counted") | .gets' <<< "$output")" = \
	  "$(stat_of counted gets)" ]
	[ "$(jq -r '.fields[] | select(.name == "counted") | .sets' <<< "$output")" = \
	  "$(stat_of counted sets)" ]
	# An id that names nothing counts in the unknown row.
	before=$(jq -r .unknown_id.enoent <<< "$output")
	"$PMRUN" -s id=4000000000 "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	run "$PMCTL" -j stats
	[ "$(jq -r .unknown_id.enoent <<< "$output")" -gt "$before" ]
	run "$PMCTL" stats
	[[ "${lines[0]}" == "capacity 64 used 28 fields 4 max_fields 64 generation "* ]]
	[[ "$output" == *"id $id name counted sets 1 "* ]]
	[[ "${lines[-1]}" == "unknown_id sets "* ]]
}

@test "sets, gets and clears are not counted until 'stats on' (shown as -, JSON null); errors always are" {
	id=$("$PMCTL" -j register quiet 8 | jq -r .id)
	[ "$(cat "$DEBUGFS/stats_on")" = 0 ]
	run "$PMRUN" -s id="$id" -p set_ret "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$(var set_ret)" = 0 ]
	"$PMRUN" -s id=4000000000 "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	run "$PMCTL" stats
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == *"not counted"*"pktmetactl stats on"* ]]
	[[ "$output" == *"id $id name quiet sets - gets - clears - enoent 1 "* ]]
	run "$PMCTL" -j stats
	[ "$(jq -r .registry.counting <<< "$output")" = false ]
	[ "$(jq -r '.fields[] | select(.name == "quiet") | .sets' <<< "$output")" = null ]
	[ "$(jq -r '.fields[] | select(.name == "quiet") | .enoent' <<< "$output")" = 1 ]
	[ "$(jq -r .unknown_id.enoent <<< "$output")" -ge 3 ]
	[ "$(stat_of quiet sets)" = - ]
	[ "$(stat_of quiet enoent)" = 1 ]
}

@test "stats on counts sets, gets and clears; off stops; the counts stay; debugfs stats_on agrees" {
	id=$("$PMCTL" -j register loud 8 | jq -r .id)
	run "$PMCTL" stats on
	[ "$status" -eq 0 ]
	[ "$(cat "$DEBUGFS/stats_on")" = 1 ]
	"$PMRUN" -s id="$id" "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$(stat_of loud sets)" = 1 ]
	"$PMCTL" stats off
	[ "$(cat "$DEBUGFS/stats_on")" = 0 ]
	"$PMRUN" -s id="$id" "$BPF/tests/kfunc_smoke.bpf.o" get_set_get
	[ "$(stat_of loud sets)" = - ]
	echo 1 > "$DEBUGFS/stats_on"
	run "$PMCTL" -j stats
	[ "$(jq -r .registry.counting <<< "$output")" = true ]
	[ "$(jq -r '.fields[] | select(.name == "loud") | .sets' <<< "$output")" = 1 ]
	run "$PMCTL" stats maybe
	[ "$status" -eq 2 ]
	[[ "$output" == *"stats takes on, off or nothing"* ]]
	run sh -c "echo 2 > $DEBUGFS/stats_on"
	[ "$status" -ne 0 ]
	[ "$(cat "$DEBUGFS/stats_on")" = 1 ]
}

@test "errors through the tool: exit status and a message that says what to do" {
	"$PMCTL" register taken 4
	run "$PMCTL" register taken 8
	[ "$status" -eq 1 ]
	[[ "$output" == *'field "taken" exists with size 4'* ]]
	run "$PMCTL" register Bad.Name 4
	[ "$status" -eq 2 ]
	[[ "$output" == *"[a-z0-9_.-]"* ]]
	run "$PMCTL" register aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 4
	[ "$status" -eq 2 ]
	run "$PMCTL" register zero 0
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *'invalid size "0": give bytes, 1 to 64 (the loaded module'"'"'s capacity)'* ]]
	run "$PMCTL" register huge 129
	[ "$status" -eq 2 ]
	# Within the protocol's range but above this module's capacity of 64.
	run "$PMCTL" register wide 65
	[ "$status" -eq 2 ]
	[[ "$output" == *'invalid size "65": give bytes, 1 to 64 '* ]]
	[ -z "$(pm_get wide id)" ]
	run "$PMCTL" lookup nothing.here
	[ "$status" -eq 1 ]
	[[ "$output" == *"pktmetactl list"* ]]
	run "$PMCTL" unregister 4000000000
	[ "$status" -eq 1 ]
	[[ "$output" == *"no field with this id"* ]]
	run "$PMCTL" unregister rx_hash
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"*"predefined hint"* ]]
	run "$PMCTL" register taken 4 forever
	[ "$status" -eq 2 ]
	run "$PMCTL" frobnicate
	[ "$status" -eq 2 ]
	[[ "$output" == *'try "pktmetactl help"'* ]]
	run "$PMCTL" -x list
	[ "$status" -eq 2 ]
	run "$PMCTL" list extra
	[ "$status" -eq 2 ]
	run "$PMCTL"
	[ "$status" -eq 2 ]
	run "$PMCTL" help
	[ "$status" -eq 0 ]
	[[ "$output" == Usage:* ]]
	# Abbreviations, as in iproute2.
	run "$PMCTL" l
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "a size error names the capacity the module was loaded with, not the largest one" {
	RELOAD=1
	pm_reset
	unload_pktmeta
	load_pktmeta capacity=40
	[ "$("$PMCTL" -j stats | jq -r .registry.capacity)" = 40 ]
	for size in 41 128 0 x; do
		run "$PMCTL" register too.big "$size"
		echo "$size: $status $output"
		[ "$status" -eq 2 ]
		[ "$output" = "pktmetactl: invalid size \"$size\": give bytes, 1 to 40 (the loaded module's capacity)" ]
	done
	# Within it the kernel decides: the hints take 0..12 and 16..24 of 40.
	run "$PMCTL" register fits 16
	[ "$status" -eq 0 ]
	run "$PMCTL" register no.room 8
	[ "$status" -eq 1 ]
	[[ "$output" == *"No space left on device"* ]]
	# Without the module the tool cannot know it and says the largest.
	pm_reset
	unload_pktmeta
	run "$PMCTL" register too.big 200
	[ "$status" -eq 2 ]
	[[ "$output" == *"1 to the module's capacity (at most 128)"* ]]
}

@test "the registry's limits through the tool: no room, then no slot" {
	# Hints take 20 of 64 bytes, in 0..12 and 16..24: 44 one-byte fields fit.
	for i in $(seq 1 44); do "$PMCTL" register "b$i" 1 > /dev/null; done
	run "$PMCTL" register one.more 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"No space left on device"*"no free field slot or no room"* ]]
	[[ "$output" == *"pktmetactl stats"* ]]
	[ "$("$PMCTL" -j stats | jq -r .registry.used)" = 64 ]
	# A freed byte is used again.
	"$PMCTL" unregister b7
	run "$PMCTL" register one.more 1
	[ "$status" -eq 0 ]

	RELOAD=1
	pm_reset
	unload_pktmeta
	load_pktmeta capacity=128
	# 61 fields and the 3 hints take every slot.
	run "$PMRUN" -s name=f -s count=61 -s size=1 -p ret "$BPF/tests/registry.bpf.o" do_register_many
	[ "$("$PMCTL" -j stats | jq -r .registry.fields)" = 64 ]
	run "$PMCTL" register one.more 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"No space left on device"* ]]
	[ "$("$PMCTL" -j list | jq length)" = 64 ]
}

@test "an unprivileged user can list, look up and read stats, not change anything" {
	"$PMCTL" register shared 4
	run "${NOBODY[@]}" "$PMCTL" register mine 4
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"*"CAP_NET_ADMIN"* ]]
	run "${NOBODY[@]}" "$PMCTL" unregister shared
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"* ]]
	run "${NOBODY[@]}" "$PMCTL" register shared 4 owned
	[ "$status" -eq 1 ]
	[ "$(pm_get shared refs)" = 1 ]
	[ -z "$(pm_get mine id)" ]
	run "${NOBODY[@]}" "$PMCTL" -j list
	[ "$status" -eq 0 ]
	[ "$(jq length <<< "$output")" = 4 ]
	run "${NOBODY[@]}" "$PMCTL" lookup shared
	[ "$status" -eq 0 ]
	run "${NOBODY[@]}" "$PMCTL" stats
	[ "$status" -eq 0 ]
	run "${NOBODY[@]}" "$PMCTL" stats on
	[ "$status" -eq 1 ]
	[[ "$output" == *"Operation not permitted"* ]]
	[ "$(cat "$DEBUGFS/stats_on")" = 0 ]
	# debugfs stays root only.
	run "${NOBODY[@]}" cat "$DEBUGFS/fields"
	[ "$status" -ne 0 ]
}

# Wait (up to 10 s) until field NAME has KEY = VALUE ("" for no field).
wait_field() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(pm_get "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	echo "field $1: $2 is '$(pm_get "$1" "$2")', not '$3'" >&2
	return 1
}

@test "an owned field disappears when its socket closes: stop, crash" {
	"$PMCTL" register held 4 owned > "$BATS_TEST_TMPDIR/out" 2>&1 &
	HOLDER=$!
	wait_field held owned_refs 1
	[ "$(pm_get held refs)" = 1 ]
	run "$PMCTL" list
	[[ "$output" == *"name held size 4 offset "*" refs 1 owned 1"* ]]
	kill -TERM "$HOLDER"
	wait "$HOLDER" || true
	wait_field held id ""
	grep -q "name held" "$BATS_TEST_TMPDIR/out"

	# A crash (SIGKILL) drops it too.
	"$PMCTL" register held 4 owned > /dev/null 2>&1 &
	HOLDER=$!
	wait_field held owned_refs 1
	kill -KILL "$HOLDER"
	wait "$HOLDER" || true
	wait_field held id ""
}

@test "owned and plain references add up; only the owned one goes with the socket" {
	"$PMCTL" register both 8
	"$PMCTL" register both 8 owned > /dev/null 2>&1 &
	HOLDER=$!
	wait_field both owned_refs 1
	[ "$(pm_get both refs)" = 2 ]
	"$PMCTL" register both 8 owned > /dev/null 2>&1 &
	second=$!
	wait_field both owned_refs 2
	kill "$HOLDER"
	wait "$HOLDER" || true
	wait_field both owned_refs 1
	[ "$(pm_get both refs)" = 2 ]
	kill "$second"
	wait "$second" || true
	wait_field both owned_refs 0
	[ "$(pm_get both refs)" = 1 ]
	"$PMCTL" unregister both
	[ -z "$(pm_get both id)" ]
}

@test "a field unregistered by someone else while owned: the owner's close is harmless" {
	"$PMCTL" register gone.early 4 owned > /dev/null 2>&1 &
	HOLDER=$!
	wait_field gone.early owned_refs 1
	"$PMCTL" unregister gone.early
	[ -z "$(pm_get gone.early id)" ]
	# A new field of that name must survive the old owner's close.
	"$PMCTL" register gone.early 4
	kill "$HOLDER"
	wait "$HOLDER" || true
	sleep 0.5
	[ "$(pm_get gone.early refs)" = 1 ]
}

@test "a declared-field program loads and works with the ids it was given" {
	run "$LOADER" -c "$PMCTL -j list > $BATS_TEST_TMPDIR/during"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var declared)" = 3 ]
	[ "$(var check.run)" = ok ]
	[ "$(var check.id.flow_tag)" = ok ]
	[ "$(var check.id.lb_backend)" = ok ]
	[ "$(var check.id.example.trace-id)" = ok ]
	[ "$(var check.values)" = ok ]
	[ "$(var check.unregister)" = ok ]
	# While the loader ran, the registry had the fields with the same ids.
	during=$(cat "$BATS_TEST_TMPDIR/during")
	[ "$(jq -r '.[] | select(.name == "flow_tag") | .id' <<< "$during")" = "$(var id.flow_tag)" ]
	[ "$(jq -r '.[] | select(.name == "lb_backend") | .size' <<< "$during")" = 2 ]
	[ "$(jq -r '.[] | select(.name == "example.trace-id") | .size' <<< "$during")" = 8 ]
	# And its references are dropped again.
	[ "$("$PMCTL" -j list | jq length)" = 3 ]
}

@test "declared fields: an existing field of the same name and size is shared" {
	id=$("$PMCTL" -j register flow_tag 4 | jq -r .id)
	run "$LOADER" -c "$PMCTL -j lookup flow_tag > $BATS_TEST_TMPDIR/during"
	[ "$status" -eq 0 ]
	[ "$(var id.flow_tag)" = "$id" ]
	[ "$(jq -r .refs "$BATS_TEST_TMPDIR/during")" = 2 ]
	[ "$(pm_get flow_tag refs)" = 1 ]
}

@test "declared fields: owned by the loader's socket, gone when it exits; kept with -k" {
	run "$LOADER" -o -c "$PMCTL -j lookup lb_backend > $BATS_TEST_TMPDIR/during"
	[ "$status" -eq 0 ]
	[ "$(jq -r .owned_refs "$BATS_TEST_TMPDIR/during")" = 1 ]
	[ -z "$(pm_get lb_backend id)" ]
	run "$LOADER" -k
	[ "$status" -eq 0 ]
	[ "$(pm_get lb_backend id)" = "$(var id.lb_backend)" ]
	[ "$(pm_get example.trace-id refs)" = 1 ]
}

@test "declared fields: a conflict fails the registration and rolls back the others" {
	# The last declared field exists with another size.
	"$PMCTL" register example.trace-id 4
	run "$LOADER"
	[ "$status" -eq 1 ]
	[[ "$output" == *"field example.trace-id (8 bytes)"* ]]
	[ -z "$(pm_get flow_tag id)" ]
	[ -z "$(pm_get lb_backend id)" ]
	[ "$(pm_get example.trace-id refs)" = 1 ]
}

@test "without the module the tool says to load it, with exit status 3" {
	RELOAD=1
	unload_pktmeta
	run "$PMCTL" list
	[ "$status" -eq 3 ]
	[[ "$output" == *"modprobe pktmeta"* ]]
	run "$LOADER"
	[ "$status" -eq 1 ]
	[[ "$output" == *"modprobe pktmeta"* ]]
}

@test "tools-install puts pktmetactl and its man page under PREFIX" {
	d=$BATS_TEST_TMPDIR/inst
	run make -s -C "$REPO" tools-install DESTDIR="$d" PREFIX=/usr/local
	[ "$status" -eq 0 ]
	[ -x "$d/usr/local/sbin/pktmetactl" ]
	[ -f "$d/usr/local/share/man/man8/pktmetactl.8" ]
	run man -l "$d/usr/local/share/man/man8/pktmetactl.8"
	[[ "$output" == *"pktmetactl"* ]]
}

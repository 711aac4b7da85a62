#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The family driven by the kernel's own netlink client, tools/net/ynl/cli.py
# of linux-source-6.12 (extracted into build/ynl by `make ynl`), through
# Documentation/netlink/specs/pktmeta.yaml: every command, the replies
# against debugfs, and errors the same as pktmetactl's.

load helpers

PMCTL=$REPO/build/tools/pktmetactl
YNL_DIR=$REPO/build/ynl
SPEC=$REPO/Documentation/netlink/specs/pktmeta.yaml
SCHEMA=$YNL_DIR/Documentation/netlink/genetlink-legacy.yaml
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# cli.py with the spec, JSON output. The first test validates the spec
# against its schema; the others skip jsonschema, slow to import under TCG.
ynl() {
	python3 "$YNL_DIR/tools/net/ynl/cli.py" --spec "$SPEC" --no-schema --output-json "$@"
}

# The extended ack message in cli.py's report of a failed request (the repr
# of a dict: 'msg': '...', or "..." when the message holds a ').
ynl_extack() {
	sed -n -e "s/.*'msg': '\([^']*\)'.*/\1/p" -e "s/.*'msg': \"\([^\"]*\)\".*/\1/p" <<< "$1"
}

# What pktmetactl's report of a failed request says after ERRNO's text:
# the kernel's message, without the tool's own advice after "; ".
pmctl_extack() {
	local msg=${1#*"$2: "}
	echo "${msg%%; *}"
}

setup_file() {
	# The guest sees the host's build/ynl; it cannot make it itself.
	[ -f "$YNL_DIR/tools/net/ynl/cli.py" ] || {
		echo "no $YNL_DIR/tools/net/ynl/cli.py: run 'make ynl' on the host" >&3
		return 1
	}
}

setup() {
	load_pktmeta
	unregister_all_fields
}

teardown() {
	unregister_all_fields
	echo 0 > "$DEBUGFS/stats_on"
}

@test "the spec validates against its schema and lists the module's seven commands" {
	run python3 "$YNL_DIR/tools/net/ynl/cli.py" --spec "$SPEC" --schema "$SCHEMA" --list-ops
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(awk '{ print $1 }' <<< "$output" | paste -sd ' ')" = "register unregister get info set-stats sock-request sock-syn" ]
	[[ "${lines[2]}" == *do* && "${lines[2]}" == *dump* ]]
}

@test "dump get lists the three hint fields as debugfs does, hint flag and stats nest decoded" {
	run ynl --dump get
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq length <<< "$output")" = 3 ]
	[ "$(jq -r '[.[].name] | join(",")' <<< "$output")" = "rx_hash,rx_vlan,rx_timestamp" ]
	[ "$(jq -r '[.[].id] | join(",")' <<< "$output")" = "0,1,2" ]
	[ "$(jq -r 'all(.[]; .hint == true)' <<< "$output")" = true ]
	[ "$(jq -r 'all(.[]; .stats | has("enoent"))' <<< "$output")" = true ]
	[ "$(jq -r '.[] | "\(.id) \(.name) \(.size) \(.offset) \(.refs)"' <<< "$output")" = \
	  "$(awk 'NR > 1 { print $1, $2, $3, $4, $5 }' "$DEBUGFS/fields")" ]
}

@test "register replies with the new field's id as debugfs has it; get and unregister by id and by name" {
	run ynl --do register --json '{"name": "ynl.tag", "size": 4}'
	echo "$output"
	[ "$status" -eq 0 ]
	id=$(jq -r .id <<< "$output")
	[ "$id" -gt 2 ]
	[ "$(field_id ynl.tag)" = "$id" ]
	[ "$(jq -r '"\(.name) \(.size) \(.offset) \(.refs) \(.["owned-refs"])"' <<< "$output")" = \
	  "ynl.tag 4 $(field_col ynl.tag offset) 1 0" ]
	[ "$(jq -r 'has("hint")' <<< "$output")" = false ]
	# The same name and size again: the same id, a second reference.
	run ynl --do register --json '{"name": "ynl.tag", "size": 4}'
	[ "$(jq -r '"\(.id) \(.refs)"' <<< "$output")" = "$id 2" ]
	run ynl --do get --json '{"name": "ynl.tag"}'
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<< "$output")" = "$id" ]
	run ynl --do get --json "{\"id\": $id}"
	[ "$(jq -r .name <<< "$output")" = ynl.tag ]
	# One reference by id, the other by name: then it is gone.
	run ynl --do unregister --json "{\"id\": $id}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(field_col ynl.tag refs)" = 1 ]
	run ynl --do unregister --json '{"name": "ynl.tag"}'
	[ "$status" -eq 0 ]
	[ -z "$(field_id ynl.tag)" ]
	run ynl --do get --json "{\"id\": $id}"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Netlink error: No such file or directory"* ]]
}

@test "register with flags [owned]: the reference goes when cli.py's socket closes" {
	"$PMCTL" register ynl.own 8
	run ynl --do register --json '{"name": "ynl.own", "size": 8, "flags": ["owned"]}'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '"\(.refs) \(.["owned-refs"])"' <<< "$output")" = "2 1" ]
	# cli.py has exited: its reference was dropped, pktmetactl's stays.
	[ "$(field_col ynl.own refs)" = 1 ]
	run ynl --do register --json '{"name": "ynl.own", "size": 8, "flags": 4}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"Netlink error: Invalid argument"* ]]
}

@test "info and set-stats: the registry's use and the counting switch, as debugfs has them" {
	run ynl --do info
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(jq -r '"\(.capacity) \(.fields) \(.["max-fields"]) \(.["stats-on"])"' <<< "$output")" = "64 3 64 0" ]
	[ "$(jq -r .used <<< "$output")" = 20 ]
	run ynl --do set-stats --json '{"stats-on": 1}'
	[ "$status" -eq 0 ]
	[ "$(cat "$DEBUGFS/stats_on")" = 1 ]
	[ "$(ynl --do info | jq -r '.["stats-on"]')" = 1 ]
	run ynl --do set-stats --json '{"stats-on": 2}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"Netlink error: Numerical result out of range"* ]]
	[ "$(cat "$DEBUGFS/stats_on")" = 1 ]
}

@test "unregister of an unknown id: ENOENT and the extended ack pktmetactl shows" {
	run "$PMCTL" unregister 4000000000
	[ "$status" -eq 1 ]
	want=$(pmctl_extack "$output" "No such file or directory")
	[ -n "$want" ]
	run ynl --do unregister --json '{"id": 4000000000}'
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Netlink error: No such file or directory"* ]]
	[ "$(ynl_extack "$output")" = "$want" ]
	[ "$want" = "pktmeta: no field with this id" ]
}

@test "register of a taken name with another size: EEXIST as pktmetactl gets it, the kernel's extended ack" {
	"$PMCTL" register ynl.taken 4
	run "$PMCTL" register ynl.taken 8
	echo "$output"
	[ "$status" -eq 1 ]
	# pktmetactl looks the field up and says its size itself.
	[[ "$output" == *'field "ynl.taken" exists with size 4'* ]]
	run ynl --do register --json '{"name": "ynl.taken", "size": 8}'
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"Netlink error: File exists"* ]]
	# Formatted extended acks appeared in 6.2 (module/compat.h).
	if [ "$(printf '%s\n' 6.2 "$(uname -r)" | sort -V | head -n 1)" = 6.2 ]; then
		[ "$(ynl_extack "$output")" = "pktmeta: field 'ynl.taken' exists with size 4" ]
	else
		[ "$(ynl_extack "$output")" = "pktmeta: a field of this name exists with another size" ]
	fi
	[ "$(field_col ynl.taken size)" = 4 ]
	[ "$(field_col ynl.taken refs)" = 1 ]
}

@test "an unprivileged user dumps and gets through ynl, and is refused register (EPERM)" {
	"$PMCTL" register ynl.shared 4
	run "${NOBODY[@]}" python3 "$YNL_DIR/tools/net/ynl/cli.py" --spec "$SPEC" --no-schema \
		--output-json --dump get
	[ "$status" -eq 0 ]
	[ "$(jq length <<< "$output")" = 4 ]
	run "${NOBODY[@]}" python3 "$YNL_DIR/tools/net/ynl/cli.py" --spec "$SPEC" --no-schema \
		--do register --json '{"name": "ynl.mine", "size": 4}'
	[ "$status" -eq 1 ]
	[[ "$output" == *"Netlink error: Operation not permitted"* ]]
	[ -z "$(field_id ynl.mine)" ]
}

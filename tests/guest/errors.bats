#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# The error matrix of the kfuncs (README, API): each error of the XDP and registry
# kfuncs, provoked on purpose, with its exact value, and the debugfs stats
# counters that move with it.

load helpers

ERR=$BPF/tests/errors.bpf.o
REG=$BPF/tests/registry.bpf.o

setup() {
	load_pktmeta
	count_successes 1
}

teardown() {
	count_successes 0
	if [ -n "${RELOAD:-}" ]; then
		unload_pktmeta
		load_pktmeta
	else
		unregister_all_fields
	fi
}

# bpf_xdp_adjust_head into the last 4 bytes of field ID, which ends at END
# (field_end), then back (push_pop): the field reads -ENOENT.
push_into_last_bytes() { # ID END
	run "$PMRUN" -s id="$1" -s head_delta=$(($2 - 4 - HEADROOM)) \
		-p pre_set_ret -p adjust_ret -p get_ret -p got "$ERR" push_pop
	echo "$output"
	[ "$(var pre_set_ret)" = 0 ]
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var get_ret)" = "$ENOENT" ]
	[ "$(var got)" = 0 ]
}

# The stats row of unknown ids, column COL.
unknown_stat() {
	awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == "-" { print $col[c] }' "$DEBUGFS/stats"
}

@test "set, get and clear of an unknown id return -ENOENT and count as unknown" {
	before=$(unknown_stat enoent)
	run "$PMRUN" -s id=12345 -p set_ret -p get_ret -p got "$ERR" set_get
	[ "$status" -eq 0 ]
	[ "$(var set_ret)" = "$ENOENT" ]
	[ "$(var get_ret)" = "$ENOENT" ]
	[ "$(var got)" = 0 ]
	[ "$(unknown_stat enoent)" = $((before + 2)) ]
}

@test "a stale id returns -ENOENT and never another field's bytes, even when that field took its slot and bytes" {
	old=$(register_field stale.old 8)
	[ "$old" -gt 2 ]
	old_off=$(field_col stale.old offset)
	[ "$(unregister_field "$old")" = 0 ]
	new=$(register_field stale.new 8)
	# The new field reuses the slot and the bytes, under another id.
	[ "$((new & 63))" = "$((old & 63))" ]
	[ "$new" != "$old" ]
	[ "$(field_col stale.new offset)" = "$old_off" ]
	before=$(unknown_stat enoent)
	run "$PMRUN" -s id="$old" -s id2="$new" -p set_ret -p get_ret -p got -p clear_ret \
		-p get2_ret -p got2 "$ERR" stale
	[ "$status" -eq 0 ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_ret)" = "$ENOENT" ]
	[ "$(var got)" = 0 ]
	[ "$(var clear_ret)" = "$ENOENT" ]
	[ "$(var get2_ret)" = 0 ]
	[ "$(var got2)" = "$(printf %u 0x99aabbccddeeff00)" ]
	# get, clear and set with the stale id count as unknown ids.
	[ "$(unknown_stat enoent)" = $((before + 3)) ]
	[ "$(stat_of stale.new sets)" = 1 ]
	[ "$(stat_of stale.new gets)" = 1 ]
}

@test "set and get with a size other than the field's return -EINVAL" {
	id=$(register_field size.probe 8)
	run "$PMRUN" -s id="$id" -s set_size=4 -s get_size=16 -p set_ret -p get_ret -p got -p got_hi "$ERR" set_get
	[ "$(var set_ret)" = "$EINVAL" ]
	[ "$(var get_ret)" = "$EINVAL" ]
	[ "$(var got)" = 0 ]
	[ "$(var got_hi)" = 0 ]
	run "$PMRUN" -s id="$id" -s set_size=16 -s get_size=8 -p set_ret -p get_ret "$ERR" set_get
	[ "$(var set_ret)" = "$EINVAL" ]
	[ "$(var get_ret)" = "$ENOENT" ]
	run "$PMRUN" -s id="$id" -s set_size=8 -s get_size=7 -p set_ret -p get_ret "$ERR" set_get
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_ret)" = "$EINVAL" ]
	[ "$(stat_of size.probe einval)" = 4 ]
	[ "$(stat_of size.probe sets)" = 1 ]
	[ "$(stat_of size.probe gets)" = 0 ]
}

@test "a field registered after the packet's area was initialised returns -EFAULT, older fields still work" {
	a=$(register_field early.a 8)
	[ "$a" -gt 2 ]
	# late_field's first run sets early.a; the command registers late.b
	# while the same test run (one packet, replayed by repeat) goes on.
	run "$PMRUN" -r 100000000 -s id="$a" -w phase -o id_b \
		-c "'$PMRUN' -s name=late.b -s size=8 -p ret '$REG' do_register | sed -n 's/^ret=//p'" \
		-p set_ret -p set_b -p get_b -p got2 -p clear_b -p get_ret -p got -p runs -p id_b "$ERR" late_field
	echo "$output"
	[ "$status" -eq 0 ]
	b=$(field_id late.b)
	[ "$(var id_b)" = "$b" ]
	[ "$(var runs)" -ge 2 ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var set_b)" = "$EFAULT" ]
	[ "$(var get_b)" = "$EFAULT" ]
	[ "$(var got2)" = 0 ]
	[ "$(var clear_b)" = "$EFAULT" ]
	[ "$(var get_ret)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
	[ "$(stat_of late.b efault)" = 3 ]
	# On a new packet the late field works.
	run "$PMRUN" -s id="$b" -p set_ret -p get_ret "$ERR" set_get
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_ret)" = 0 ]
}

@test "headroom taken by bpf_xdp_adjust_head returns -ENOSPC and leaves the packet bytes alone" {
	id=$(register_field room.head 8)
	end=$(field_end room.head)
	# data right after the field: it fits.
	run "$PMRUN" -s id="$id" -s head_delta=$((end - HEADROOM)) \
		-p adjust_ret -p set_ret -p get_ret -p got -p pattern_ok "$ERR" headroom
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_ret)" = 0 ]
	[ "$(var got)" = $((0x5555555555555555)) ]
	[ "$(var pattern_ok)" = 1 ]
	# One byte, then four bytes into the field.
	for d in 1 4; do
		run "$PMRUN" -s id="$id" -s head_delta=$((end - d - HEADROOM)) \
			-p adjust_ret -p set_ret -p get_ret -p got -p pattern_ok "$ERR" headroom
		[ "$(var adjust_ret)" = 0 ]
		[ "$(var set_ret)" = "$ENOSPC" ]
		[ "$(var get_ret)" = "$ENOSPC" ]
		[ "$(var got)" = 0 ]
		[ "$(var pattern_ok)" = 1 ]
	done
	# Set first, then push a header over the field: get must not return
	# packet bytes as the field's value.
	run "$PMRUN" -s id="$id" -s pre_set=1 -s head_delta=$((end - 4 - HEADROOM)) \
		-p pre_set_ret -p set_ret -p get_ret -p got -p pattern_ok "$ERR" headroom
	[ "$(var pre_set_ret)" = 0 ]
	[ "$(var set_ret)" = "$ENOSPC" ]
	[ "$(var get_ret)" = "$ENOSPC" ]
	[ "$(var got)" = 0 ]
	[ "$(var pattern_ok)" = 1 ]
	[ "$(stat_of room.head enospc)" = 6 ]
	[ "$(stat_of room.head sets)" = 2 ]
}

@test "headroom taken by bpf_xdp_adjust_meta returns -ENOSPC and leaves meta and packet bytes alone" {
	id=$(register_field room.meta 8)
	end=$(field_end room.meta)
	# data 16 bytes after the field, data_meta 16 bytes before data: fits.
	run "$PMRUN" -s id="$id" -s head_delta=$((end + 16 - HEADROOM)) -s meta_delta=-16 \
		-p adjust_ret -p set_ret -p get_ret -p got -p pattern_ok "$ERR" headroom
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_ret)" = 0 ]
	[ "$(var pattern_ok)" = 1 ]
	# data_meta 4 bytes into the field.
	run "$PMRUN" -s id="$id" -s head_delta=$((end + 16 - HEADROOM)) -s meta_delta=-20 \
		-p adjust_ret -p set_ret -p get_ret -p got -p pattern_ok "$ERR" headroom
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var set_ret)" = "$ENOSPC" ]
	[ "$(var get_ret)" = "$ENOSPC" ]
	[ "$(var got)" = 0 ]
	[ "$(var pattern_ok)" = 1 ]
	# Set first, then grow data_meta over the field.
	run "$PMRUN" -s id="$id" -s pre_set=1 -s head_delta=$((end + 16 - HEADROOM)) -s meta_delta=-20 \
		-p pre_set_ret -p set_ret -p get_ret -p got -p pattern_ok "$ERR" headroom
	[ "$(var pre_set_ret)" = 0 ]
	[ "$(var set_ret)" = "$ENOSPC" ]
	[ "$(var get_ret)" = "$ENOSPC" ]
	[ "$(var got)" = 0 ]
	[ "$(var pattern_ok)" = 1 ]
	[ "$(stat_of room.meta enospc)" = 4 ]
}

@test "a push over a set field, written and popped again: the field reads -ENOENT, never the pushed bytes" {
	id=$(register_field room.pop 8)
	end=$(field_end room.pop)
	push_into_last_bytes "$id" "$end"
	# data_meta grown over the field, then shrunk.
	run "$PMRUN" -s id="$id" -s head_delta=$((end + 16 - HEADROOM)) -s meta_delta=-20 \
		-p pre_set_ret -p adjust_ret -p get_ret -p got "$ERR" push_pop
	echo "$output"
	[ "$(var pre_set_ret)" = 0 ]
	[ "$(var get_ret)" = "$ENOENT" ]
	[ "$(var got)" = 0 ]
	# A push that stops right after the field keeps it.
	run "$PMRUN" -s id="$id" -s head_delta=$((end - HEADROOM)) \
		-p pre_set_ret -p adjust_ret -p get_ret -p got "$ERR" push_pop
	[ "$(var adjust_ret)" = 0 ]
	[ "$(var get_ret)" = 0 ]
	[ "$(var got)" = $((0x1122334455667788)) ]
	[ "$(hook_hits push)" -ge 2 ]
}

@test "with hooks=0 the push probes still follow the programs that use pktmeta: a push over a field unsets it" {
	RELOAD=1
	unload_pktmeta
	load_pktmeta hooks=0
	[ "$(hooks_in_use)" = off ]
	# Registered while a program uses pktmeta; from modprobe on 6.1.
	case "$(uname -r)" in
	6.1.*) [ "$(hook_state push)" = attached ] ;;
	*) [ "$(hook_state push)" = idle ] ;;
	esac
	id=$(register_field room.pop 8)
	end=$(field_end room.pop)
	push_into_last_bytes "$id" "$end"
	# The probe ran: it unset the field at bpf_xdp_adjust_head()'s entry.
	[ "$(hook_hits push)" = 1 ]
}

@test "64 fields in all, the 3 hints among them: the 65th returns -ENOSPC" {
	RELOAD=1
	unload_pktmeta
	load_pktmeta capacity=128
	run "$PMRUN" -s name=f -s count=61 -s size=1 -p ret "$REG" do_register_many
	[ "$(var ret)" -gt 2 ]
	grep -q '^fields 64$' "$DEBUGFS/layout"
	[ "$(register_field one.more 1)" = "$ENOSPC" ]
	# An existing name still gets its id (a reference, no new slot).
	id=$(field_id f.60)
	[ "$(register_field f.60 1)" = "$id" ]
	# A freed slot takes the next field.
	[ "$(unregister_field "$(field_id f.07)")" = 0 ]
	[ "$(register_field one.more 1)" -gt 2 ]
}

@test "a full area returns -ENOSPC while slots are free, and freed bytes are reused" {
	# Hints use 0..12 and 16..24 of 64 bytes.
	grep -q '^capacity 64$' "$DEBUGFS/layout"
	big=$(register_field big 40)
	[ "$(field_col big offset)" = 24 ]
	small=$(register_field small 4)
	[ "$(field_col small offset)" = 12 ]
	grep -q '^used 64$' "$DEBUGFS/layout"
	[ "$(register_field tiny 1)" = "$ENOSPC" ]
	[ "$(unregister_field "$big")" = 0 ]
	# The hole big left is used again, first fit.
	a=$(register_field a 8)
	b=$(register_field b 8)
	c=$(register_field c 8)
	[ "$(field_col a offset)" = 24 ]
	[ "$(field_col b offset)" = 32 ]
	[ "$(field_col c offset)" = 40 ]
	[ "$(unregister_field "$b")" = 0 ]
	d=$(register_field d 2)
	[ "$(field_col d offset)" = 32 ]
	e=$(register_field e 4)
	[ "$(field_col e offset)" = 36 ]
}

@test "bad names are refused with -EINVAL: empty, 32 characters, uppercase, slash, space" {
	for n in "" "$(printf 'a%.0s' {1..32})" "$(printf 'a%.0s' {1..40})" Flow flow/class "flow class" "flow:x" "é"; do
		run "$PMRUN" -s "name=$n" -s size=4 -p ret "$REG" do_register
		[ "$(var ret)" = "$EINVAL" ] || { echo "name '$n': $output"; false; }
		run "$PMRUN" -s "name=$n" -p ret "$REG" do_lookup
		[ "$(var ret)" = "$EINVAL" ] || { echo "lookup '$n': $output"; false; }
	done
	# 31 characters of the whole alphabet are fine.
	n=$(printf 'a%.0s' {1..20})_.-09zyxw
	[ ${#n} = 29 ]
	n=${n}zz
	id=$(register_field "$n" 4)
	[ "$id" -gt 2 ]
	[ "$(field_id "$n")" = "$id" ]
	# The registry counts nothing for refused names.
	[ "$(awk 'NR > 1' "$DEBUGFS/fields" | wc -l)" = 4 ]
}

@test "sizes 0 and above the capacity are refused with -EINVAL" {
	grep -q '^capacity 64$' "$DEBUGFS/layout"
	[ "$(register_field zero 0)" = "$EINVAL" ]
	[ "$(register_field huge 65)" = "$EINVAL" ]
	[ "$(register_field huge 129)" = "$EINVAL" ]
	[ "$(register_field huge 4294967295)" = "$EINVAL" ]
	# The capacity itself is a valid size that does not fit next to hints.
	[ "$(register_field whole 64)" = "$ENOSPC" ]
}

@test "the same name and size returns the same id and takes a reference" {
	id=$(register_field twice 8)
	[ "$(register_field twice 8)" = "$id" ]
	[ "$(field_col twice refs)" = 2 ]
	[ "$(unregister_field "$id")" = 0 ]
	[ "$(field_col twice refs)" = 1 ]
	[ "$(field_id twice)" = "$id" ]
	[ "$(unregister_field "$id")" = 0 ]
	[ -z "$(field_id twice)" ]
	[ "$(unregister_field "$id")" = "$ENOENT" ]
}

@test "the same name with another size returns -EEXIST" {
	id=$(register_field sized 8)
	[ "$(register_field sized 4)" = "$EEXIST" ]
	[ "$(register_field sized 16)" = "$EEXIST" ]
	[ "$(field_col sized refs)" = 1 ]
	[ "$(field_col sized size)" = 8 ]
}

@test "unregistering a hint returns -EPERM and the hint stays" {
	for id in 0 1 2; do
		[ "$(unregister_field "$id")" = "$EPERM" ]
	done
	[ "$(field_id rx_hash)" = 0 ]
	[ "$(field_id rx_vlan)" = 1 ]
	[ "$(field_id rx_timestamp)" = 2 ]
}

@test "unregistering an id that was never handed out returns -ENOENT" {
	[ "$(unregister_field 12345)" = "$ENOENT" ]
	[ "$(unregister_field 63)" = "$ENOENT" ]
}

@test "a live-frame test run is accepted: each run sets and reads its own value" {
	hook_ready xdp_run
	id=$(register_field live.probe 8)
	run "$PMRUN" -F -r 16 -s id="$id" -s value=7 -p set_ret -p get_ret -p got "$ERR" set_get
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var set_ret)" = 0 ]
	[ "$(var get_ret)" = 0 ]
	[ "$(var got)" = 7 ]
	[ "$(stat_of live.probe sets)" = 16 ]
	[ "$(stat_of live.probe gets)" = 16 ]
}

@test "without the xdp_run probe (hooks=0), a live-frame test run returns -EOPNOTSUPP, counted" {
	RELOAD=1
	unload_pktmeta
	load_pktmeta hooks=0
	count_successes 1
	[ "$(hook_state xdp_run)" = off ]
	id=$(register_field live.probe 8)
	run "$PMRUN" -F -r 16 -s id="$id" -p set_ret -p get_ret -p got "$ERR" set_get
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var set_ret)" = "$EOPNOTSUPP" ]
	[ "$(var get_ret)" = "$EOPNOTSUPP" ]
	[ "$(var got)" = 0 ]
	[ "$(stat_of live.probe eopnotsupp)" = 32 ]
	[ "$(stat_of live.probe sets)" = 0 ]
	# debugfs refused: the run's device (loopback, no driver) refused 32 times
	run awk '$2 == "lo" { print $3, $4 }' "$DEBUGFS/refused"
	[ "$output" = "- 32" ]
}

@test "stats count each call once, on the field's row, by outcome" {
	id=$(register_field count.me 8)
	for c in sets gets clears enoent einval efault enospc eopnotsupp; do
		[ "$(stat_of count.me $c)" = 0 ]
	done
	"$PMRUN" -s id="$id" "$ERR" set_get > /dev/null	# set, get
	"$PMRUN" -s id="$id" -s set_size=4 "$ERR" set_get > /dev/null	# einval, enoent
	"$PMRUN" -s id="$id" -s get_size=2 "$ERR" set_get > /dev/null	# set, einval
	run awk '$2 == "count.me" { $1 = ""; print }' "$DEBUGFS/stats"
	[ "$output" = " count.me 2 1 0 1 2 0 0 0" ]	# eopnotsupp: the test above
	# A new field in the same slot starts from zero.
	[ "$(unregister_field "$id")" = 0 ]
	register_field count.again 8
	[ "$(stat_of count.again sets)" = 0 ]
	[ "$(stat_of count.again einval)" = 0 ]
}

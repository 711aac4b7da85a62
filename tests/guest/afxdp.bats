#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# AF_XDP export (README, "AF_XDP"): bpf_xdp_pktmeta_export() writes the
# fields set on a packet into its data_meta in the block of
# uapi/linux/pktmeta.h, all or nothing; an AF_XDP consumer (the example
# bpf/examples/afxdp_reader.c, on libxdp's xsk API) reads each packet's
# own fields from its umem frame on a veth, copy mode.

load helpers

OBJ=$BPF/tests/afxdp.bpf.o
READER=$REPO/build/examples/afxdp_reader
IDS=/sys/fs/bpf/pmxsk_ids

setup() {
	modprobe veth
	load_pktmeta
}

teardown() {
	veth_del pmx0 pmxa
	rm -f "$IDS"
	unregister_all_fields
}

# Register COUNT fields xsk.tN of SIZE bytes and put their ids into the
# map afxdp.bpf.c reads them from (pinned; pmrun sets scalars only).
fields_to_map() { # COUNT SIZE
	local i id b=$BATS_TEST_TMPDIR/ids.batch
	rm -f "$IDS"
	bpftool map create "$IDS" type array key 4 value 4 entries 64 name pmxsk_ids
	: > "$b"
	for ((i = 0; i < $1; i++)); do
		id=$(register_field "xsk.t$i" "$2")
		[ "$id" -ge 0 ] || return 1
		printf 'map update pinned %s key %d 0 0 0 value %d %d %d %d\n' "$IDS" "$i" \
			$((id & 255)) $((id >> 8 & 255)) $((id >> 16 & 255)) $((id >> 24 & 255)) >> "$b"
	done
	[ "$1" = 0 ] || bpftool batch file "$b"
}

OUT=(-p export_ret -p meta_len -p hdr_ok -p recs_ok -p blk_len -p blk_count
     -p set_errors -p last_set_err -p meta_max)

@test "one u64 field: a 20-byte block ending at data, header and record as the uapi says" {
	fields_to_map 1 8
	run "$PMRUN" -s n=1 -s size=8 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var set_errors)" = 0 ]
	[ "$(var export_ret)" = 20 ]
	[ "$(var meta_len)" = 20 ]
	[ "$(var hdr_ok)" = 1 ]
	[ "$(var recs_ok)" = 1 ]
	[ "$(var blk_count)" = 1 ]
}

@test "fields of 1 to 3 bytes are padded to 4; a packet without fields gets an empty block" {
	fields_to_map 2 3
	run "$PMRUN" -s n=2 -s size=3 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var export_ret)" = $((4 + 2 * 12)) ]
	[ "$(var hdr_ok)" = 1 ]
	[ "$(var recs_ok)" = 1 ]
	[ "$(var blk_count)" = 2 ]
	run "$PMRUN" -s n=0 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var export_ret)" = 4 ]
	[ "$(var hdr_ok)" = 1 ]
	[ "$(var blk_count)" = 0 ]
}

@test "the hint fields are exported unless PKTMETA_EXPORT_F_NO_HINTS" {
	run "$PMRUN" -s set_hint=1 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var set_errors)" = 0 ]
	[ "$(var export_ret)" = $((4 + 16)) ]
	[ "$(var recs_ok)" = 1 ]
	[ "$(var blk_count)" = 1 ]
	run "$PMRUN" -s set_hint=1 -s flags=1 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var export_ret)" = 4 ]
	[ "$(var recs_ok)" = 1 ]
	[ "$(var blk_count)" = 0 ]
}

# The most 1-byte fields xsk.t0.. (set in that order) whose block fits:
# within the kernel's data_meta limit MAX and, with data HEADROOM bytes
# into the buffer, clear of the area's header and of every exported
# field's bytes (offsets from debugfs). Which rule binds depends on the
# kernel: 6.1's 32-byte limit, or on 6.12 and 7.3 (252) the area.
fields_that_fit() { # MAX COUNT
	local area hdr n ext=0 off fit=0 len lowest
	area=$(awk '$1 == "area_offset" { print $2 }' "$DEBUGFS/layout")
	hdr=$(awk '$1 == "header_size" { print $2 }' "$DEBUGFS/layout")
	for ((n = 1; n <= $2; n++)); do
		off=$(field_col "xsk.t$((n - 1))" offset)
		[ $((off + 1)) -gt "$ext" ] && ext=$((off + 1))
		len=$((4 + 12 * n))
		lowest=$((area + hdr + ext))
		[ "$len" -le "$1" ] && [ $((HEADROOM - len)) -ge "$lowest" ] || break
		fit=$n
	done
	echo "$fit"
}

@test "-ENOSPC past the kernel's data_meta limit or into the area, all or nothing: data_meta stays at data" {
	local max fit
	run "$PMRUN" -s n=0 "${OUT[@]}" "$OBJ" export_fields
	max=$(var meta_max)
	[ "$max" = 32 ] || [ "$max" = 252 ]
	fields_to_map 30 1
	fit=$(fields_that_fit "$max" 30)
	echo "# data_meta limit $max: $fit 1-byte fields fit" >&3
	[ "$fit" -ge 2 ] && [ "$fit" -lt 30 ]
	run "$PMRUN" -s n="$fit" -s size=1 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var set_errors)" = 0 ]
	[ "$(var export_ret)" = $((4 + 12 * fit)) ]
	[ "$(var recs_ok)" = 1 ]
	[ "$(var blk_count)" = "$fit" ]
	run "$PMRUN" -s n=$((fit + 1)) -s size=1 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var set_errors)" = 0 ]
	[ "$(var export_ret)" = "$ENOSPC" ]
	[ "$(var meta_len)" = 0 ]
}

@test "-ENOSPC when the block would reach the area's bytes; it fits at the byte where it does not" {
	local end
	fields_to_map 1 8
	end=$(field_end xsk.t0)
	# data moved down to end + 16: a 20-byte block would cover the field.
	run "$PMRUN" -s n=1 -s head_delta=$((end + 16 - HEADROOM)) "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var set_errors)" = 0 ]
	[ "$(var export_ret)" = "$ENOSPC" ]
	[ "$(var meta_len)" = 0 ]
	run "$PMRUN" -s n=1 -s head_delta=$((end + 20 - HEADROOM)) "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var export_ret)" = 20 ]
	[ "$(var recs_ok)" = 1 ]
}

@test "-EBUSY when data_meta is already in use, -EINVAL for an unknown flag; nothing written" {
	fields_to_map 1 8
	run "$PMRUN" -s n=1 -s pre_meta=8 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var export_ret)" = -16 ]
	[ "$(var meta_len)" = 8 ]
	run "$PMRUN" -s n=1 -s flags=2 "${OUT[@]}" "$OBJ" export_fields
	echo "$output"
	[ "$(var export_ret)" = "$EINVAL" ]
	[ "$(var meta_len)" = 0 ]
}

# The reader's verdict on SENT packets, judged by what arrived: 0 wrong,
# 0 stale (another packet's fields), 0 without a block, 0 malformed, no
# export error, every frame read accounted for, and at least half of the
# packets sent received (a stated floor: UDP over veth under TCG drops some
# when the consumer falls behind). EVERY_OTHER=1: odd sequence numbers carry
# no field, and at least a fifth of SENT arrive in each kind.
assert_reader_clean() {
	local sent=$1 every_other=${2:-0} rx
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(var cmd_status)" = 0 ]
	[ "$(var sent)" = "$sent" ]
	[ "$(var wrong)" = 0 ]
	[ "$(var stale)" = 0 ]
	[ "$(var none)" = 0 ]
	[ "$(var bad)" = 0 ]
	[ "$(var not_test)" = 0 ]
	[ "$(var export_err)" = 0 ]
	[ "$(var set_err)" = 0 ]
	rx=$(var rx)
	echo "# received $rx of $sent: ok_set=$(var ok_set) ok_unset=$(var ok_unset) wrong=$(var wrong) stale=$(var stale)" >&3
	[ "$rx" -le "$sent" ]
	[ "$rx" -ge $((sent / 2)) ]
	[ "$rx" -le "$(var exported)" ]
	[ $(($(var ok_set) + $(var ok_unset))) = "$rx" ]
	if [ "$every_other" = 1 ]; then
		[ "$(var ok_set)" -ge $((sent / 5)) ]
		[ "$(var ok_unset)" -ge $((sent / 5)) ]
	else
		[ "$(var ok_unset)" = 0 ]
	fi
}

send_cmd() { # COUNT
	printf "bash -c '. %s/helpers.bash; echo sent=\$(send_udp pmxa 51 %d)'" \
		"$BATS_TEST_DIRNAME" "$1"
}

@test "AF_XDP on veth, native XDP: 20000 packets, each frame read with its own fields" {
	veth_to_ns pmx0 pmxa 51
	run "$READER" -i pmx0 -v 2 -c "$(send_cmd 20000)"
	assert_reader_clean 20000
	[ "$(var last_len)" = $((4 + 12 + 16)) ]
}

@test "AF_XDP on veth: every other packet without fields reads as an empty block, never an earlier packet's" {
	veth_to_ns pmx0 pmxa 51
	run "$READER" -i pmx0 -e -c "$(send_cmd 20000)"
	assert_reader_clean 20000 1
}

@test "AF_XDP on veth, generic XDP: 10000 packets with their own fields" {
	veth_to_ns pmx0 pmxa 51
	run "$READER" -i pmx0 -g -e -c "$(send_cmd 10000)"
	assert_reader_clean 10000 1
}

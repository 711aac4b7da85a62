# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the guest bats suites (run inside the test VM as root).

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BPF=$REPO/build/bpf
PMRUN=$REPO/build/tools/pmrun
DEBUGFS=/sys/kernel/debug/pktmeta

load_pktmeta() {
	grep -q '^pktmeta ' /proc/modules || modprobe pktmeta "$@"
}

unload_pktmeta() {
	if grep -q '^pktmeta ' /proc/modules; then rmmod pktmeta; fi
}

# The value of VAR in pmrun's output ("VAR=value" lines) in $output.
var() {
	printf '%s\n' "$output" | sed -n "s/^$1=//p"
}

# Id of the registered field NAME, from debugfs.
field_id() {
	awk -v n="$1" 'NR > 1 && $2 == n { print $1 }' "$DEBUGFS/fields"
}

# Errno values as the kfuncs return them.
ENOENT=-2 EFAULT=-14 EEXIST=-17 EINVAL=-22 ENOSPC=-28 EPERM=-1 EOPNOTSUPP=-95

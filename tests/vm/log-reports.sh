#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Judge a guest's kernel log: print every report in it (BUG, WARNING, Oops,
# lockup, leak, sanitizer, lockdep and RCU splats), each headed by the test
# that was running (the "pktmeta-test:" lines of tests/guest/helpers.bash),
# and exit 1 if there is any.
#
#   log-reports.sh DMESG [LINES]   LINES: lines shown per report (default 40)
set -euo pipefail
log=$1 lines=${2:-40}

# Lockdep and RCU checks print "WARNING: possible circular locking ...",
# "WARNING: suspicious RCU usage", "BUG: sleeping function called from
# invalid context"; SLUB debugging prints "BUG kmalloc-64 (...): Redzone
# overwritten" (mm/slub.c slab_bug()); kmemleak "unreferenced object" and
# "suspected memory leaks" (not its "memory leak detector initialized");
# ref_tracker "leaked N references"; unregister_netdevice's "waiting for
# DEV to become free".
bad='BUG:|BUG [^ ]+ \(|WARNING:|Oops|[Ll]ockup|soft lockup|hung_task|blocked for more than|suspected memory leak|leaked|to become free|UBSAN|KASAN|Call Trace:|general protection|circular locking|suspicious RCU|sleeping function|unreferenced object'

awk -v bad="$bad" -v lines="$lines" '
/ pktmeta-test: / { sub(/.* pktmeta-test: /, ""); test = $0; next }
left > 0 { print "    " $0; left--; next }
$0 ~ bad {
	n++
	print "  report " n " (during " (test == "" ? "no test: boot or module load/unload" : test) "):"
	print "    " $0
	left = lines - 1
}
END { exit n > 0 }
' "$log"

# SPDX-License-Identifier: GPL-2.0
# A soak traffic generator (tests/soak/soak.sh): UDP to DST port 47100 with
# payload { magic, seq, tag, csum } (little-endian u32, the format of
# bpf/tests/soak.bpf.c) and 0, 100 or 200 bytes of padding, at most PPS
# packets a second, until SECONDS have passed or MAX packets were sent,
# whichever comes first, or until the file STOP exists. Errors (the device or its route gone while a driver
# is reloaded) are counted and waited out. Prints "tag=N sent=N errors=N"
# and the first error.
#
#   python3 send.py DST TAG SECONDS MAX PPS STOP
import os
import socket
import struct
import sys
import time

MAGIC = 0x706D7631
PORT = 47100
BURST = 16


def csum(seq, tag):
    return ((seq * 0x9E3779B1) ^ (tag * 0x85EBCA6B) ^ MAGIC) & 0xFFFFFFFF


def main():
    dst, tag = sys.argv[1], int(sys.argv[2])
    secs, most, pps = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    stop = sys.argv[6]
    pads = [bytes(0), bytes(100), bytes(200)]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    start = time.monotonic()
    end = start + secs
    seq = errors = 0
    first_error = ""
    check = start
    while seq < most:
        now = time.monotonic()
        if now >= end:
            break
        if now >= check:  # twice a second
            if os.path.exists(stop):
                break
            check = now + 0.5
        # Pace: packet seq is due at start + seq / pps.
        ahead = start + seq / pps - now
        if ahead < -1:  # after a pause (errors): no burst to catch up
            start = now - seq / pps
            ahead = 0
        if ahead > 0:
            time.sleep(min(ahead, end - now))
            continue
        for _ in range(BURST):
            msg = struct.pack("<IIII", MAGIC, seq, tag, csum(seq, tag)) + pads[seq % 3]
            try:
                s.sendto(msg, (dst, PORT))
            except OSError as e:
                if not errors:
                    first_error = " first_error=%s" % (e.strerror or e).replace(" ", "_")
                errors += 1
                time.sleep(0.05)
                break
            seq += 1
            if seq >= most:
                break
    print("tag=%d sent=%d errors=%d%s" % (tag, seq, errors, first_error))


main()

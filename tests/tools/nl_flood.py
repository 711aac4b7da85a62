#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Register one pktmeta field COUNT times on a generic netlink socket whose
receive buffer is too small for the replies, then read what arrived.

The kernel cannot queue most replies: a registration whose reply was lost
must not keep its reference (the caller never learned the id). Prints
"replies=N" (registrations answered with the field) and "errors=N"
(answered with an error), for the test to compare with the field's
references in debugfs.

    nl_flood.py NAME SIZE COUNT
"""
import errno
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLMSG_ERROR = 2
PKTMETA_CMD_REGISTER = 1
PKTMETA_A_NAME = 1
PKTMETA_A_SIZE = 2


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * (-length % 4)


def message(family, seq, cmd, version, attrs):
    body = struct.pack("=BBH", cmd, version, 0) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST, seq, 0) + body


def messages(data):
    while len(data) >= 16:
        length, kind = struct.unpack_from("=IH", data)
        yield kind, data[16:length]
        data = data[(length + 3) & ~3:]


def family_id(sock, name):
    sock.send(message(GENL_ID_CTRL, 1, CTRL_CMD_GETFAMILY, 1,
                      [attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0")]))
    for kind, body in messages(sock.recv(65536)):
        off = 4
        while kind == GENL_ID_CTRL and off + 4 <= len(body):
            length, atype = struct.unpack_from("=HH", body, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", body, off + 4)[0]
            off += (length + 3) & ~3
    sys.exit("nl_flood: no generic netlink family " + name)


def main():
    name, size, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.bind((0, 0))
    family = family_id(sock, "pktmeta")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)  # the minimum
    request = [attr(PKTMETA_A_NAME, name.encode() + b"\0"),
               attr(PKTMETA_A_SIZE, struct.pack("=I", size))]
    for seq in range(count):
        sock.send(message(family, 100 + seq, PKTMETA_CMD_REGISTER, 1, request))
    replies = errors = 0
    sock.setblocking(False)
    while True:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            break
        except OSError as e:  # ENOBUFS: the kernel dropped messages for us
            if e.errno != errno.ENOBUFS:
                raise
            continue
        for kind, body in messages(data):
            if kind == family:
                replies += 1
            elif kind == NLMSG_ERROR and struct.unpack_from("=i", body)[0] < 0:
                errors += 1
    print(f"replies={replies}")
    print(f"errors={errors}")


if __name__ == "__main__":
    main()

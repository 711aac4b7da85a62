# SPDX-License-Identifier: GPL-2.0
# Helpers of tests/guest/virtio_net.bats, also sourced by the commands it
# runs under pmrun -c.

# CONNS TCP connections from namespace NS to ADDR port 47001, each sending
# BYTES bytes to a receiver in the root namespace that reads them to the end.
tcp_transfer() {
	local ns=$1 addr=$2 conns=$3 bytes=$4 srv
	python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 47001))
s.listen(8)
s.settimeout(60)
for _ in range(int(sys.argv[2])):
    c, _ = s.accept()
    c.settimeout(60)
    while c.recv(65536):
        pass
    c.close()
' "$addr" "$conns" &
	srv=$!
	ip netns exec "$ns" python3 -c '
import socket, sys, time
data = b"p" * int(sys.argv[3])
for i in range(int(sys.argv[2])):
    for _ in range(100):
        try:
            c = socket.create_connection((sys.argv[1], 47001), timeout=60)
            break
        except ConnectionRefusedError:
            time.sleep(0.05)
    c.sendall(data)
    c.close()
' "$addr" "$conns" "$bytes"
	wait "$srv"
}

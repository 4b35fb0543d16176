"""DHCP readiness probe for bench/network-dhcp.ts: sends a DHCPDISCOVER every 20 ms on one
interface (no address needed: the socket is bound to the device) until a DHCPOFFER for it comes
back, then prints the arrival time (Unix seconds) and exits; exits 1 after 60 s without one.

    python3 bench/dhcp-probe.py IFNAME MAC
"""
import os
import socket
import struct
import sys
import time

ifname, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(':', ''))
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, ifname.encode())
sock.bind(('0.0.0.0', 68))
sock.settimeout(0.02)
xid = int.from_bytes(os.urandom(4), 'big')
# BOOTREQUEST, Ethernet, broadcast flag (the offer comes to 255.255.255.255), option 53 = DISCOVER.
discover = struct.pack('!BBBBIHH16s16s64s128s', 1, 1, 6, 0, xid, 0, 0x8000, b'', mac, b'', b'')
discover += b'\x63\x82\x53\x63' + bytes([53, 1, 1, 255])
print('ready', flush=True)
deadline = time.time() + 60
while time.time() < deadline:
    try:
        sock.sendto(discover, ('255.255.255.255', 67))
    except OSError:
        pass  # the link is not up or not bridged yet
    try:
        reply = sock.recv(2048)
    except (socket.timeout, OSError):
        continue
    if len(reply) >= 240 and reply[0] == 2 and int.from_bytes(reply[4:8], 'big') == xid:
        print(f'offer {time.time():.4f}', flush=True)
        sys.exit(0)
sys.exit(1)

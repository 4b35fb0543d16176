"""Byte sequences printed in /work/shared/docs/wire-protocol.md, as bytes."""


def hexbytes(text):
    """bytes from the doc's notation: hex words, separators `|` ignored."""
    return bytes.fromhex(text.replace("|", " ").replace("\n", " "))


def xdr_string(text):
    raw = text.encode()
    return len(raw).to_bytes(4, "big") + raw + b"\0" * ((4 - len(raw) % 4) % 4)


# §1.2: the first frame every client sends (AUTH_LIST, serial 0)
AUTH_LIST_FRAME = hexbytes("0000001c 20008086 00000001 00000042 00000000 00000000 00000000")

# §1.7: REPLY ERROR to `virsh dumpxml no-such-domain-rpcf` (224 bytes)
NO_DOMAIN_MESSAGE = "Domain not found: no domain with matching name 'no-such-domain-rpcf'"
NO_DOMAIN_STR1 = "Domain not found: %s"
NO_DOMAIN_STR2 = "no domain with matching name 'no-such-domain-rpcf'"
NO_DOMAIN_REPLY = (
    hexbytes("000000e0 20008086 00000001 00000017 00000001 00000006 00000001")
    + hexbytes("0000002a 0000000a")
    + hexbytes("00000001 00000044") + NO_DOMAIN_MESSAGE.encode()
    + hexbytes("00000002")
    + hexbytes("00000000")
    + hexbytes("00000001 00000014") + NO_DOMAIN_STR1.encode()
    + hexbytes("00000001 00000032") + NO_DOMAIN_STR2.encode() + hexbytes("0000")
    + hexbytes("00000000 ffffffff ffffffff 00000000")
)
NO_DOMAIN_PAYLOAD = NO_DOMAIN_REPLY[28:]

# §2.1: Dom(rpcf-vm, 11111111-2222-3333-4444-555555555555, id 62)
RPCF_UUID = bytes.fromhex("11111111222233334444555555555555")
DOM_RPCF_ACTIVE = hexbytes("00000007 72706366 2d766d00 | 11111111 22223333 44445555 55555555 | 0000003e")

# §4.3: DOMAIN_GET_INFO reply body
DOMAIN_GET_INFO_RET = hexbytes(
    "00000001 | 00000000 00020000 | 00000000 00020000 | 00000001 | 00000000 fdea7100")
DOMAIN_GET_INFO_LAYOUT = [("state", "uchar"), ("maxMem", "uhyper"), ("memory", "uhyper"),
                          ("nrVirtCpu", "ushort"), ("cpuTime", "uhyper")]

# §6.3: DEFINED lifecycle event (72 bytes)
DEFINED_EVENT_FRAME = hexbytes(
    "00000048 20008086 00000001 0000013e 00000002 00000001 00000000 | 00000000 | "
    "00000007 72706366 2d766d00 11111111 22223333 44445555 55555555 ffffffff | 00000000 00000000")
LIFECYCLE_LAYOUT = [("callbackID", "int"), ("dom", "Dom"), ("event", "int"), ("detail", "int")]

# §3.1: keepalive PING and PONG
PING_FRAME = hexbytes("0000001c 6b656570 00000001 00000001 00000002 00000000 00000000")
PONG_FRAME = hexbytes("0000001c 6b656570 00000001 00000002 00000002 00000000 00000000")

# §7: STREAM_HOLE of 0xff000 bytes in a sparse download (serial 10, proc 209)
SPARSE_HOLE_FRAME = hexbytes(
    "00000028 20008086 00000001 000000d1 00000006 0000000a 00000002 00000000 000ff000 00000000")

# §2.2: DOMAIN_GET_JOB_STATS reply after a backup (the two elided params filled in)
JOB_STATS_RET = (
    hexbytes("00000003 00000006")
    + hexbytes("00000009 6f706572 6174696f 6e000000 00000001 00000009")
    + hexbytes("0000000c 74696d65 5f656c61 70736564 00000004 00000000 00000032")
    + hexbytes("0000000a 6469736b 5f746f74 616c0000 00000004 00000000 04000000")
    + xdr_string("disk_processed") + hexbytes("00000004 00000000 04000000")
    + xdr_string("disk_remaining") + hexbytes("00000004 00000000 00000000")
    + hexbytes("00000007 73756363 65737300 00000006 00000001")
)

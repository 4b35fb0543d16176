"""libvirt RPC framing: the length word, the 24-byte header, and the protocol constants."""
import collections
import struct

from ._xdr import XdrError

# programs
REMOTE_PROGRAM = 0x20008086
QEMU_PROGRAM = 0x20008087
LXC_PROGRAM = 0x00068000
KEEPALIVE_PROGRAM = 0x6B656570  # "keep"
ADMIN_PROGRAM = 0x06900690
PROGRAM_VERSION = 1

# keepalive procedures
KEEPALIVE_PING = 1
KEEPALIVE_PONG = 2

# message types
CALL = 0
REPLY = 1
MESSAGE = 2
STREAM = 3
CALL_WITH_FDS = 4
REPLY_WITH_FDS = 5
STREAM_HOLE = 6

# status
OK = 0
ERROR = 1
CONTINUE = 2

# sizes
MESSAGE_MAX = 33554432          # max frame size excluding the length word
HEADER_SIZE = 24
PAYLOAD_MAX = MESSAGE_MAX - HEADER_SIZE
STREAM_CHUNK_MAX = 262120       # libvirt's data bytes per STREAM frame

Header = collections.namedtuple("Header", "prog vers proc type serial status")

_LENGTH = struct.Struct(">I")
_HEADER = struct.Struct(">IIiiIi")


def build_frame(header, payload=b""):
    """One complete frame: length word + header + payload."""
    if len(payload) > PAYLOAD_MAX:
        raise XdrError("payload of %d bytes exceeds the %d-byte message limit"
                       % (len(payload), PAYLOAD_MAX))
    return _LENGTH.pack(4 + HEADER_SIZE + len(payload)) + _HEADER.pack(*header) + payload


def frame_length(first4):
    """Total frame length from the first 4 bytes, validated against the protocol limits."""
    length = _LENGTH.unpack(first4)[0]
    if length < 4 + HEADER_SIZE:
        raise XdrError("frame length %d is too short to hold a header" % length)
    if length - 4 > MESSAGE_MAX:
        raise XdrError("frame length %d exceeds the %d-byte message limit" % (length, MESSAGE_MAX))
    return length


def parse_frame(frame):
    """(Header, payload) of one complete frame including its length word."""
    if len(frame) < 4 + HEADER_SIZE:
        raise XdrError("frame of %d bytes is shorter than a header" % len(frame))
    length = frame_length(frame[:4])
    if length != len(frame):
        raise XdrError("frame length word says %d, frame has %d bytes" % (length, len(frame)))
    return Header(*_HEADER.unpack(frame[4:4 + HEADER_SIZE])), bytes(frame[4 + HEADER_SIZE:])

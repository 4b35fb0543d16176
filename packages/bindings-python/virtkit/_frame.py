"""libvirt RPC framing: the length word and the 24-byte header."""
import collections
import struct

from . import _wire
from ._xdr import XdrError

# The protocol's numbers live in the generated wire tables; these are the short names the
# runtime uses for them.
REMOTE_PROGRAM = _wire.REMOTE_PROGRAM
QEMU_PROGRAM = _wire.QEMU_PROGRAM
KEEPALIVE_PROGRAM = _wire.KEEPALIVE_PROGRAM
PROGRAM_VERSION = _wire.REMOTE_PROTOCOL_VERSION

CALL = _wire.VIR_NET_CALL
REPLY = _wire.VIR_NET_REPLY
MESSAGE = _wire.VIR_NET_MESSAGE
STREAM = _wire.VIR_NET_STREAM
REPLY_WITH_FDS = _wire.VIR_NET_REPLY_WITH_FDS
STREAM_HOLE = _wire.VIR_NET_STREAM_HOLE

OK = _wire.VIR_NET_OK
ERROR = _wire.VIR_NET_ERROR
CONTINUE = _wire.VIR_NET_CONTINUE

MESSAGE_MAX = _wire.VIR_NET_MESSAGE_MAX          # max frame size excluding the length word
HEADER_SIZE = _wire.VIR_NET_MESSAGE_HEADER_MAX
PAYLOAD_MAX = MESSAGE_MAX - HEADER_SIZE
STREAM_CHUNK_MAX = _wire.VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX  # data bytes per STREAM frame

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

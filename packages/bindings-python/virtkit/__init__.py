"""virtkit: pure-Python libvirt bindings speaking libvirt's RPC protocol to a daemon.

The hand-written runtime (transport, framing, keepalive, streams, URIs and an interpreter of the
wire tables) lives in the private modules; the classes, constants and wire tables are generated
from the API definition into `_generated.py` and `_wire.py`.
"""
from ._errors import libvirtError as libvirtError
from ._rpc import open as open
from ._rpc import openAuth as openAuth
from ._rpc import openReadOnly as openReadOnly
from ._stream import virStream as virStream
from ._generated import *  # noqa: F403 (the classes and constants of the API definition)

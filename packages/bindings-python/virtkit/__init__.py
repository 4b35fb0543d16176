"""virtkit: pure-Python libvirt bindings speaking libvirt's RPC protocol to a daemon.

The hand-written runtime (XDR, framing, connection, streams, URIs) lives in the private
modules; the classes and constants with libvirt-python's names are generated into
`_generated.py` from the API definition.
"""
from ._errors import libvirtError
from ._rpc import open, openAuth, openReadOnly
from ._stream import virStream

try:
    from ._generated import *  # noqa: F401,F403
except ModuleNotFoundError as _e:
    if _e.name != __name__ + "._generated":
        raise
    del _e

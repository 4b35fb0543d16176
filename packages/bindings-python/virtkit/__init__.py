"""virtkit: pure-Python libvirt bindings speaking libvirt's RPC protocol to a daemon.

The hand-written runtime (transport, framing, keepalive, streams, URIs, event loop and an
interpreter of the wire tables) lives in the private modules; the classes, constants and wire
tables are generated from the API definition into `_generated.py`, `_unsupported.py` and `_wire.py`.
"""
from ._errors import libvirtError as libvirtError
from ._errors import registerErrorHandler as registerErrorHandler
from ._errors import virGetLastError as virGetLastError
from ._errors import virGetLastErrorCode as virGetLastErrorCode
from ._errors import virGetLastErrorDomain as virGetLastErrorDomain
from ._errors import virGetLastErrorMessage as virGetLastErrorMessage
from ._errors import virResetLastError as virResetLastError
from ._event import virEventAddHandle as virEventAddHandle
from ._event import virEventAddTimeout as virEventAddTimeout
from ._event import virEventInvokeFreeCallback as virEventInvokeFreeCallback
from ._event import virEventInvokeHandleCallback as virEventInvokeHandleCallback
from ._event import virEventInvokeTimeoutCallback as virEventInvokeTimeoutCallback
from ._event import virEventRegisterDefaultImpl as virEventRegisterDefaultImpl
from ._event import virEventRegisterImpl as virEventRegisterImpl
from ._event import virEventRemoveHandle as virEventRemoveHandle
from ._event import virEventRemoveTimeout as virEventRemoveTimeout
from ._event import virEventRunDefaultImpl as virEventRunDefaultImpl
from ._event import virEventUpdateHandle as virEventUpdateHandle
from ._event import virEventUpdateTimeout as virEventUpdateTimeout
from ._library import getVersion as getVersion
from ._library import virInitialize as virInitialize
from ._rpc import open as open
from ._rpc import openAuth as openAuth
from ._rpc import openReadOnly as openReadOnly
from ._stream import virStream as virStream
from ._version import API_VERSION as API_VERSION
from ._version import __version__ as __version__
from ._generated import *  # noqa: F403 (the classes and constants of the API definition)

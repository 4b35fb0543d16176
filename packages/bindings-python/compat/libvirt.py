"""An opt-in `libvirt` module backed by virtkit, for running code written for libvirt-python.

Nothing imports this by accident: it is found only when this directory is put first on the
module path, e.g.

    PYTHONPATH=packages/bindings-python/compat:packages/bindings-python python3 app.py

(after `pip install virtkit`, `python3 -m virtkit.compat` prints the installed copy of this directory). A URI without a
transport (`test:///default`) goes to virtkitd's socket ($VIRTKIT_SOCKET, else the default one).
"""
from virtkit import *  # noqa: F401,F403
from virtkit import _event, _errors, _library, _rpc

libvirtError = _errors.libvirtError
open = _rpc.open
openReadOnly = _rpc.openReadOnly
openAuth = _rpc.openAuth
getVersion = _library.getVersion
virInitialize = _library.virInitialize
registerErrorHandler = _errors.registerErrorHandler
virGetLastError = _errors.virGetLastError
virGetLastErrorCode = _errors.virGetLastErrorCode
virGetLastErrorDomain = _errors.virGetLastErrorDomain
virGetLastErrorMessage = _errors.virGetLastErrorMessage
virResetLastError = _errors.virResetLastError
virEventRegisterDefaultImpl = _event.virEventRegisterDefaultImpl
virEventRunDefaultImpl = _event.virEventRunDefaultImpl
virEventAddHandle = _event.virEventAddHandle
virEventUpdateHandle = _event.virEventUpdateHandle
virEventRemoveHandle = _event.virEventRemoveHandle
virEventAddTimeout = _event.virEventAddTimeout
virEventUpdateTimeout = _event.virEventUpdateTimeout
virEventRemoveTimeout = _event.virEventRemoveTimeout
virEventInvokeFreeCallback = _event.virEventInvokeFreeCallback


def virEventRegisterImpl(addHandle, updateHandle, removeHandle, addTimeout, updateTimeout, removeTimeout):
    _event.virEventRegisterImpl(addHandle, updateHandle, removeHandle, addTimeout, updateTimeout, removeTimeout)


# libvirt-python's type aliases, for code that annotates with them
_T = object
_EventCB = object
_TimerCB = object

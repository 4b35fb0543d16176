"""The hand-written half of virConnect: closing, liveness, streams and domain events.

The generated virConnect (in _generated.py) inherits from virConnectBase and adds one method per
call of the API definition.
"""
from ._stream import virStream

_EVENT_REGISTER = 316
_EVENT_DEREGISTER = 317
_REMOTE_PROGRAM = 0x20008086


class virConnectBase(object):
    """State shared by every connection: the RPC runtime, the URI, and event callbacks."""

    def __init__(self, rpc, uri):
        self._rpc = rpc
        self._uri = uri
        # callbackID assigned by the server -> (callback, opaque, wrap)
        self._event_callbacks = {}

    def close(self):
        self._rpc.close()
        return 0

    def isAlive(self):
        return 1 if self._rpc.is_alive() else 0

    def getURI(self):
        return self._uri

    def newStream(self, flags=0):
        return virStream(self, flags)

    def domainEventRegisterAny(self, dom, eventID, cb, opaque=None):
        """Call cb(conn, dom, *payload, opaque) for each event eventID of dom (or of every domain)."""
        proc, layout = self._event_layouts()[eventID]
        self._rpc.register_event(proc, layout, self._dispatch_event)
        ref = None if dom is None else dom._ref
        reply = self._rpc.call(_REMOTE_PROGRAM, _EVENT_REGISTER, [("eventID", "int"), ("dom", "Dom?")],
                               [eventID, ref], [("callbackID", "int")])
        self._event_callbacks[reply[0]] = (cb, opaque)
        return reply[0]

    def domainEventDeregisterAny(self, callbackID):
        self._rpc.call(_REMOTE_PROGRAM, _EVENT_DEREGISTER, [("callbackID", "int")], [callbackID], [])
        self._event_callbacks.pop(callbackID, None)
        return 0

    def _dispatch_event(self, values):
        # Every callback-style event message starts with callbackID, then the domain.
        entry = self._event_callbacks.get(values[0])
        if entry is None:
            return
        cb, opaque = entry
        cb(self, self._domain_class()(self, values[1]), *values[2:], opaque)

    def _event_layouts(self):
        raise NotImplementedError  # provided by the generated class

    def _domain_class(self):
        raise NotImplementedError  # provided by the generated class

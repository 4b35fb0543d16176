"""The hand-written half of virConnect: closing, liveness, streams and domain and network events.

The generated virConnect (in _generated.py) inherits from virConnectBase and adds one method per
call of the API definition.
"""
import weakref

from . import _wire
from ._errors import make_error
from ._stream import virStream
from ._wire import VIR_ERR_INVALID_ARG, VIR_ERR_OPERATION_INVALID, VIR_FROM_NONE, VIR_FROM_REMOTE


class virConnectBase(object):
    """State shared by every connection: the RPC runtime, the URI, and event callbacks."""

    def __init__(self, rpc, uri):
        self._rpc = rpc
        self._uri = uri
        # callbackID assigned by the server -> (callback, opaque)
        self._event_callbacks = {}
        # network callbacks by the id libvirt's client hands out (its own count from 0, not the
        # server's) -> (server's callbackID, callback, opaque)
        self._network_callbacks = {}
        self._next_network_callback = 0
        self._close_callback = None   # (callback, opaque) of registerCloseCallback
        self._handles = weakref.WeakSet()  # live handles made from this connection

    def close(self):
        """Close the connection. As libvirt's virConnectClose: 1 while handles (domains, pools,
        streams, ...) made from it are alive (each holds a reference), else 0."""
        self._rpc.close()
        return 1 if len(self._handles) else 0

    def isAlive(self):
        return 1 if self._rpc.is_alive() else 0

    def getURI(self):
        return self._uri

    def newStream(self, flags=0):
        return virStream(self, flags)

    def setKeepAlive(self, interval, count):
        """Send a keepalive PING after `interval` idle seconds; close the connection after
        `count` unanswered ones (interval <= 0: stop sending PINGs)."""
        return self._rpc.set_keepalive(interval, count)

    def registerCloseCallback(self, cb, opaque):
        """Call cb(conn, reason, opaque) once when the connection closes for a reason other
        than close(): VIR_CONNECT_CLOSE_REASON_EOF, _ERROR, _KEEPALIVE, or the daemon's."""
        if self._close_callback is not None:
            raise make_error(VIR_ERR_OPERATION_INVALID, VIR_FROM_REMOTE,
                             "Requested operation is not valid: A close callback is already registered")
        if self._rpc.features.get(_wire.VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK):
            self._rpc.register_event(_wire.REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED,
                                     lambda values: self._rpc.notify_closed(values[0]))
            self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK, [])
        self._close_callback = (cb, opaque)
        self._rpc.attach_loop()
        self._rpc.set_close_callback(lambda reason: cb(self, reason, opaque))
        return 0

    def unregisterCloseCallback(self):
        """Remove the callback of registerCloseCallback."""
        if self._close_callback is None:
            raise make_error(VIR_ERR_OPERATION_INVALID, VIR_FROM_REMOTE,
                             "Requested operation is not valid: A different callback was requested")
        if self._rpc.features.get(_wire.VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK):
            self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK, [])
            self._rpc.unregister_event(_wire.REMOTE_PROC_CONNECT_EVENT_CONNECTION_CLOSED)
        self._close_callback = None
        self._rpc.set_close_callback(None)
        self._detach_loop_if_idle()
        return 0

    def domainEventRegisterAny(self, dom, eventID, cb, opaque):
        """Call cb(conn, dom, *payload, opaque) for each event eventID of dom (or of every domain)."""
        self._rpc.register_event(_wire.EVENTS[eventID], self._dispatch_event)
        self._rpc.attach_loop()
        ref = None if dom is None else dom._ref
        reply = self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                                 [eventID, ref])
        # Where the domain sits in the message: after callbackID, or after the PM events' reason.
        at = [name for name, _ in _wire.EVENTS[eventID].fields].index("dom")
        self._event_callbacks[reply[0]] = (cb, opaque, at)
        return reply[0]

    def domainEventDeregisterAny(self, callbackID):
        self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, [callbackID])
        self._event_callbacks.pop(callbackID, None)
        self._detach_loop_if_idle()
        # libvirt-python returns None here

    def networkEventRegisterAny(self, net, eventID, cb, opaque):
        """Call cb(conn, net, event, detail, opaque) for each lifecycle event of net (or of every network)."""
        self._rpc.register_event(_wire.REMOTE_PROC_NETWORK_EVENT_LIFECYCLE, self._dispatch_network_event)
        self._rpc.attach_loop()
        ref = None if net is None else net._ref
        server_id = self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, [eventID, ref])[0]
        callback_id = self._next_network_callback
        self._next_network_callback += 1
        self._network_callbacks[callback_id] = (server_id, cb, opaque)
        return callback_id

    def networkEventDeregisterAny(self, callbackID):
        entry = self._network_callbacks.get(callbackID)
        if entry is None:
            # checked by libvirt's client before it asks the server
            raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                             "invalid argument: event callback id %d not registered" % callbackID)
        self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, [entry[0]])
        del self._network_callbacks[callbackID]
        self._detach_loop_if_idle()
        # libvirt-python returns None here

    def _dispatch_network_event(self, values):
        for server_id, cb, opaque in list(self._network_callbacks.values()):
            if server_id == values[0]:
                cb(self, self._network_class()(self, values[1]), values[2], values[3], opaque)

    def _detach_loop_if_idle(self):
        # the event loop watches the socket only while some callback waits for it
        if not self._event_callbacks and not self._network_callbacks and self._close_callback is None:
            self._rpc.detach_loop()

    def getAllDomainStats(self, stats=0, flags=0):
        """[(virDomain, {stat: value}), ...] for every domain the flags select."""
        return self._domain_stats([], stats, flags)

    def domainListGetStats(self, doms, stats=0, flags=0):
        """[(virDomain, {stat: value}), ...] for the given domains."""
        return self._domain_stats([d._ref for d in doms], stats, flags)

    def _domain_stats(self, refs, stats, flags):
        # one procedure serves both calls: an empty list means every domain
        records = self._rpc.invoke(_wire.REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, [refs, stats, flags])[0]
        cls = self._domain_class()
        return [(cls(self, r["dom"]), {p[0]: p[2] for p in r["params"]}) for r in records]

    def _dispatch_event(self, values):
        # libvirt-python passes the domain first, then the rest of the payload (a PM event's
        # reason, which its callback message carries before the domain, included).
        entry = self._event_callbacks.get(values[0])
        if entry is None:
            return
        cb, opaque, at = entry
        rest = values[1:at] + values[at + 1:]
        cb(self, self._domain_class()(self, values[at]), *rest, opaque)

    def _domain_class(self):
        raise NotImplementedError  # provided by the generated class

    def _network_class(self):
        raise NotImplementedError  # provided by the generated class

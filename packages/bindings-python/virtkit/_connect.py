"""The hand-written half of virConnect: closing, liveness, streams, and domain, network, storage
pool, node device and secret events.

The generated virConnect (in _generated.py) inherits from virConnectBase and adds one method per
call of the API definition.
"""
import weakref

from . import _wire
from ._errors import make_error
from ._stream import virStream
from ._wire import VIR_ERR_INVALID_ARG, VIR_ERR_OPERATION_INVALID, VIR_FROM_NONE, VIR_FROM_REMOTE


class _ObjectEventKind(object):
    """The procedures of one kind of object events, and the handle class its messages carry."""

    def __init__(self, register, deregister, messages, handle_class):
        self.register = register
        self.deregister = deregister
        self.messages = messages  # the message of each event ID
        self.handle_class = handle_class


_NETWORK = _ObjectEventKind(_wire.REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY,
                            _wire.REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY,
                            (_wire.REMOTE_PROC_NETWORK_EVENT_LIFECYCLE,), "_network_class")
_STORAGE_POOL = _ObjectEventKind(_wire.REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
                                 _wire.REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY,
                                 (_wire.REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE,
                                  _wire.REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH), "_storage_pool_class")
_NODE_DEVICE = _ObjectEventKind(_wire.REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY,
                                _wire.REMOTE_PROC_CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY,
                                (_wire.REMOTE_PROC_NODE_DEVICE_EVENT_LIFECYCLE,
                                 _wire.REMOTE_PROC_NODE_DEVICE_EVENT_UPDATE), "_node_device_class")
_SECRET = _ObjectEventKind(_wire.REMOTE_PROC_CONNECT_SECRET_EVENT_REGISTER_ANY,
                           _wire.REMOTE_PROC_CONNECT_SECRET_EVENT_DEREGISTER_ANY,
                           (_wire.REMOTE_PROC_SECRET_EVENT_LIFECYCLE,
                            _wire.REMOTE_PROC_SECRET_EVENT_VALUE_CHANGED), "_secret_class")


class virConnectBase(object):
    """State shared by every connection: the RPC runtime, the URI, and event callbacks."""

    def __init__(self, rpc, uri):
        self._rpc = rpc
        self._uri = uri
        # callbackID assigned by the server -> (callback, opaque)
        self._event_callbacks = {}
        # network, pool, node device and secret callbacks by the id libvirt's client hands out
        # (its own count from 0, not the server's) -> (kind, server's callbackID, callback, opaque)
        self._object_callbacks = {}
        self._next_object_callback = 0
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
        return self._object_event_register(_NETWORK, net, eventID, cb, opaque)

    def networkEventDeregisterAny(self, callbackID):
        self._object_event_deregister(_NETWORK, callbackID)
        # libvirt-python returns None here

    def storagePoolEventRegisterAny(self, pool, eventID, cb, opaque):
        """Call cb(conn, pool, event, detail, opaque) for each lifecycle event, or cb(conn, pool,
        opaque) for each refresh, of pool (or of every pool)."""
        return self._object_event_register(_STORAGE_POOL, pool, eventID, cb, opaque)

    def storagePoolEventDeregisterAny(self, callbackID):
        self._object_event_deregister(_STORAGE_POOL, callbackID)

    def nodeDeviceEventRegisterAny(self, dev, eventID, cb, opaque):
        """Call cb(conn, dev, event, detail, opaque) for each lifecycle event, or cb(conn, dev,
        opaque) for each update, of dev (or of every device)."""
        return self._object_event_register(_NODE_DEVICE, dev, eventID, cb, opaque)

    def nodeDeviceEventDeregisterAny(self, callbackID):
        self._object_event_deregister(_NODE_DEVICE, callbackID)

    def secretEventRegisterAny(self, secret, eventID, cb, opaque):
        """Call cb(conn, secret, event, detail, opaque) for each lifecycle event, or cb(conn,
        secret, opaque) for each value change, of secret (or of every secret)."""
        return self._object_event_register(_SECRET, secret, eventID, cb, opaque)

    def secretEventDeregisterAny(self, callbackID):
        self._object_event_deregister(_SECRET, callbackID)

    def _object_event_register(self, kind, obj, eventID, cb, opaque):
        if 0 <= eventID < len(kind.messages):
            message = kind.messages[eventID]
            self._rpc.register_event(message, lambda values: self._dispatch_object_event(message, values))
        self._rpc.attach_loop()
        ref = None if obj is None else obj._ref
        server_id = self._rpc.invoke(kind.register, [eventID, ref])[0]
        callback_id = self._next_object_callback
        self._next_object_callback += 1
        self._object_callbacks[callback_id] = (kind, server_id, cb, opaque)
        return callback_id

    def _object_event_deregister(self, kind, callbackID):
        entry = self._object_callbacks.get(callbackID)
        if entry is None or entry[0] is not kind:
            # checked by libvirt's client before it asks the server
            raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_NONE,
                             "invalid argument: event callback id %d not registered" % callbackID)
        self._rpc.invoke(kind.deregister, [entry[1]])
        del self._object_callbacks[callbackID]
        self._detach_loop_if_idle()

    def _dispatch_object_event(self, message, values):
        # values: callbackID, the object's handle, then event and detail for a lifecycle event
        for kind, server_id, cb, opaque in list(self._object_callbacks.values()):
            if server_id == values[0] and message in kind.messages:
                cb(self, getattr(self, kind.handle_class)()(self, values[1]), *values[2:], opaque)

    def _detach_loop_if_idle(self):
        # the event loop watches the socket only while some callback waits for it
        if not self._event_callbacks and not self._object_callbacks and self._close_callback is None:
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

    def _storage_pool_class(self):
        raise NotImplementedError  # provided by the generated class

    def _node_device_class(self):
        raise NotImplementedError  # provided by the generated class

    def _secret_class(self):
        raise NotImplementedError  # provided by the generated class

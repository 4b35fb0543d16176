"""libvirt's event-loop hooks (libvirt-event.h) for Python.

An application either registers the built-in loop (virEventRegisterDefaultImpl, then calls
virEventRunDefaultImpl in a loop) or its own (virEventRegisterImpl with the six add/update/remove
handle and timeout functions, as libvirtaio does for asyncio). virEventAddHandle and the other
module functions forward to whichever is registered.

Once a loop is registered, a connection with event or close callbacks puts its socket in it
(`attach`): the loop reads the daemon's frames when the socket is readable and runs the callbacks,
so events arrive with no call in flight and in the loop's thread, as with libvirt. Without a
loop, events are delivered by whichever thread reads the socket (a call, or the keepalive timer).
"""
import os
import select
import threading
import time

from ._errors import make_error
from ._wire import (VIR_ERR_INTERNAL_ERROR, VIR_EVENT_HANDLE_ERROR, VIR_EVENT_HANDLE_HANGUP,
                    VIR_EVENT_HANDLE_READABLE, VIR_EVENT_HANDLE_WRITABLE, VIR_FROM_EVENT)

_POLL_OF = ((VIR_EVENT_HANDLE_READABLE, select.POLLIN), (VIR_EVENT_HANDLE_WRITABLE, select.POLLOUT),
            (VIR_EVENT_HANDLE_ERROR, select.POLLERR), (VIR_EVENT_HANDLE_HANGUP, select.POLLHUP))


def _to_poll(events):
    return sum(p for v, p in _POLL_OF if events & v)


def _from_poll(revents):
    return sum(v for v, p in _POLL_OF if revents & p)


class _Impl(object):
    """The six functions of a registered loop."""

    def __init__(self, add_handle, update_handle, remove_handle, add_timeout, update_timeout, remove_timeout):
        self.add_handle = add_handle
        self.update_handle = update_handle
        self.remove_handle = remove_handle
        self.add_timeout = add_timeout
        self.update_timeout = update_timeout
        self.remove_timeout = remove_timeout


class DefaultLoop(object):
    """libvirt's poll()-based default loop: handles, timers, and a pipe that wakes a poll()
    when another thread changes them."""

    def __init__(self):
        self._lock = threading.RLock()
        self._handles = {}   # watch -> [fd, events, cb, opaque]
        self._timers = {}    # timer -> [interval ms, cb, opaque, due (monotonic) or None]
        self._next_id = 1
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)

    def _wake(self):
        try:
            os.write(self._wake_w, b"x")
        except BlockingIOError:
            pass   # already awake

    def _new_id(self):
        ident, self._next_id = self._next_id, self._next_id + 1
        return ident

    def add_handle(self, fd, events, cb, opaque):
        with self._lock:
            watch = self._new_id()
            self._handles[watch] = [fd, events, cb, opaque]
        self._wake()
        return watch

    def update_handle(self, watch, events):
        with self._lock:
            if watch in self._handles:
                self._handles[watch][1] = events
        self._wake()

    def remove_handle(self, watch):
        with self._lock:
            found = self._handles.pop(watch, None)
        self._wake()
        return -1 if found is None else 0

    def add_timeout(self, interval, cb, opaque):
        with self._lock:
            timer = self._new_id()
            self._timers[timer] = [interval, cb, opaque, self._due(interval)]
        self._wake()
        return timer

    def update_timeout(self, timer, interval):
        with self._lock:
            if timer in self._timers:
                self._timers[timer][0] = interval
                self._timers[timer][3] = self._due(interval)
        self._wake()

    def remove_timeout(self, timer):
        with self._lock:
            found = self._timers.pop(timer, None)
        self._wake()
        return -1 if found is None else 0

    @staticmethod
    def _due(interval):
        return None if interval < 0 else time.monotonic() + interval / 1000.0

    def run_once(self):
        """One iteration: wait for the first handle event or timer, then run what is due."""
        with self._lock:
            dues = [t[3] for t in self._timers.values() if t[3] is not None]
            handles = {w: (h[0], h[1]) for w, h in self._handles.items() if h[1]}
        poller = select.poll()
        poller.register(self._wake_r, select.POLLIN)
        for fd, events in set(handles.values()):
            poller.register(fd, _to_poll(events))
        wait = None if not dues else max(0.0, min(dues) - time.monotonic())
        ready = dict(poller.poll(None if wait is None else int(wait * 1000) + 1))
        if self._wake_r in ready:
            try:
                os.read(self._wake_r, 4096)
            except BlockingIOError:
                pass
        self._run_timers()
        for watch, (fd, events) in handles.items():
            revents = _from_poll(ready.get(fd, 0)) & (events | VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP)
            with self._lock:
                entry = self._handles.get(watch)
            if revents and entry is not None:
                entry[2](watch, fd, revents, entry[3])
        return 0

    def _run_timers(self):
        now = time.monotonic()
        with self._lock:
            due = [(t, v[1], v[2]) for t, v in self._timers.items() if v[3] is not None and v[3] <= now]
            for timer, _, _ in due:
                v = self._timers[timer]
                v[3] = self._due(v[0])
        for timer, cb, opaque in due:
            cb(timer, opaque)


_impl = None      # the registered loop's functions
_default = None   # the DefaultLoop, when that is the registered one


def _no_loop():
    return make_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_EVENT, "internal error: no event loop registered")


def virEventRegisterDefaultImpl():
    """Register the built-in loop; run it with virEventRunDefaultImpl(). Returns 0."""
    global _impl, _default
    if _default is None:
        _default = DefaultLoop()
    d = _default
    _impl = _Impl(d.add_handle, d.update_handle, d.remove_handle, d.add_timeout, d.update_timeout, d.remove_timeout)
    return 0


def virEventRegisterImpl(addHandle, updateHandle, removeHandle, addTimeout, updateTimeout, removeTimeout):
    """Register an application's loop: its functions take libvirt's arguments
    (addHandle(fd, events, cb, opaque) -> watch, ..., addTimeout(ms, cb, opaque) -> timer) and
    call cb(watch, fd, events, opaque) / cb(timer, opaque)."""
    global _impl, _default
    _default = None
    _impl = _Impl(addHandle, updateHandle, removeHandle, addTimeout, updateTimeout, removeTimeout)


def virEventRunDefaultImpl():
    """One iteration of the built-in loop."""
    if _default is None:
        raise _no_loop()
    return _default.run_once()


def _registered():
    if _impl is None:
        raise _no_loop()
    return _impl


def virEventAddHandle(fd, events, cb, opaque):
    return _registered().add_handle(fd, events, cb, opaque)


def virEventUpdateHandle(watch, events):
    _registered().update_handle(watch, events)


def virEventRemoveHandle(watch):
    ret = _registered().remove_handle(watch)
    if ret == -1:
        raise make_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_EVENT, "internal error: no such handle %d" % watch)
    return ret


def virEventAddTimeout(timeout, cb, opaque):
    return _registered().add_timeout(timeout, cb, opaque)


def virEventUpdateTimeout(timer, timeout):
    _registered().update_timeout(timer, timeout)


def virEventRemoveTimeout(timer):
    ret = _registered().remove_timeout(timer)
    if ret == -1:
        raise make_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_EVENT, "internal error: no such timer %d" % timer)
    return ret


def virEventInvokeHandleCallback(watch, fd, event, opaque, opaquecompat=None):
    """libvirt-python's helper for loops that got (cb, opaque) as opaque."""
    cb, data = (opaque, opaquecompat) if opaquecompat is not None else opaque
    cb(watch, fd, event, data)


def virEventInvokeTimeoutCallback(timer, opaque, opaquecompat=None):
    cb, data = (opaque, opaquecompat) if opaquecompat is not None else opaque
    cb(timer, data)


def virEventInvokeFreeCallback(opaque):
    """Nothing to free in Python: the opaque data is garbage-collected."""


class LoopAttachment(object):
    """A connection's socket watch and wake-up timer in the registered loop."""

    def __init__(self, rpc):
        self._impl = _registered()
        self._rpc = rpc
        self.watch = self._impl.add_handle(rpc.fileno(), VIR_EVENT_HANDLE_READABLE, self._readable, None)
        self.timer = self._impl.add_timeout(-1, self._woken, None)
        self._closed = False

    def _readable(self, watch, fd, events, opaque):
        self._rpc.dispatch_in_loop()

    def _woken(self, timer, opaque):
        self._impl.update_timeout(self.timer, -1)
        self._rpc.dispatch_in_loop()

    def wake(self):
        """Events were read by another thread: run them from the loop."""
        if not self._closed:
            self._impl.update_timeout(self.timer, 0)

    def detach(self):
        if self._closed:
            return
        self._closed = True
        self._impl.remove_handle(self.watch)
        self._impl.remove_timeout(self.timer)


def attach(rpc):
    """A LoopAttachment for rpc, or None when no loop is registered."""
    return None if _impl is None else LoopAttachment(rpc)

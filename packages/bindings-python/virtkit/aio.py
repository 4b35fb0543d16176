"""libvirt events on an asyncio loop, with libvirtaio's interface.

    import asyncio, virtkit, virtkit.aio
    async def main():
        virtkit.aio.virEventRegisterAsyncIOImpl()
        conn = virtkit.open("test:///default")
        conn.domainEventRegisterAny(None, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE, callback, None)
        ...

Handles become the loop's readers/writers, timers its call_later handles; removing one leaves a
"pending" release that `drain()` waits for, so `is_idle()` after `await drain()` tells whether a
connection left anything registered (libvirtaio's contract).
"""
import asyncio
import itertools
from typing import Optional

from . import _event
from ._event import VIR_EVENT_HANDLE_READABLE, VIR_EVENT_HANDLE_WRITABLE


class _Handle(object):
    def __init__(self, fd, event, cb, opaque):
        self.fd, self.event, self.cb, self.opaque = fd, event, cb, opaque


class _Timer(object):
    def __init__(self, cb, opaque):
        self.cb, self.opaque = cb, opaque
        self.timeout = -1
        self.scheduled: Optional[asyncio.TimerHandle] = None   # the loop's handle while armed


class virEventAsyncIOImpl(object):
    """libvirt's six event-loop functions on an asyncio loop (the current one by default)."""

    def __init__(self, loop=None):
        self.loop = loop or asyncio.get_event_loop()
        self.callbacks = {}     # watch or timer id -> _Handle or _Timer
        self._ids = itertools.count(1)
        self._pending = 0       # removals whose release has not run on the loop yet
        self._finished = None   # asyncio.Event that drain() waits on

    def _register_function(self):
        return _event.virEventRegisterImpl

    def register(self):
        self._register_function()(self._add_handle, self._update_handle, self._remove_handle,
                                  self._add_timeout, self._update_timeout, self._remove_timeout)
        return self

    async def drain(self):
        """Wait until every removed handle and timer is released."""
        if self._pending:
            self._finished = asyncio.Event()
            await self._finished.wait()
            self._finished = None

    def is_idle(self):
        """True when nothing is registered and nothing waits for release."""
        return not self.callbacks and not self._pending

    # ---- handles -----------------------------------------------------------------------

    def _watch_fd(self, fd):
        events = 0
        for c in self.callbacks.values():
            if isinstance(c, _Handle) and c.fd == fd:
                events |= c.event
        self.loop.remove_reader(fd)
        self.loop.remove_writer(fd)
        if events & VIR_EVENT_HANDLE_READABLE:
            self.loop.add_reader(fd, self._fire, fd, VIR_EVENT_HANDLE_READABLE)
        if events & VIR_EVENT_HANDLE_WRITABLE:
            self.loop.add_writer(fd, self._fire, fd, VIR_EVENT_HANDLE_WRITABLE)

    def _fire(self, fd, event):
        for watch, c in list(self.callbacks.items()):
            if isinstance(c, _Handle) and c.fd == fd and c.event & event:
                c.cb(watch, fd, event, c.opaque)

    def _add_handle(self, fd, event, cb, opaque):
        watch = next(self._ids)
        self.callbacks[watch] = _Handle(fd, event, cb, opaque)
        self._watch_fd(fd)
        return watch

    def _update_handle(self, watch, event):
        c = self.callbacks.get(watch)
        if isinstance(c, _Handle):
            c.event = event
            self._watch_fd(c.fd)

    def _remove_handle(self, watch):
        return self._remove(watch)

    # ---- timers --------------------------------------------------------------------------

    def _add_timeout(self, timeout, cb, opaque):
        timer = next(self._ids)
        self.callbacks[timer] = _Timer(cb, opaque)
        self._update_timeout(timer, timeout)
        return timer

    def _update_timeout(self, timer, timeout):
        c = self.callbacks.get(timer)
        if not isinstance(c, _Timer):
            return
        c.timeout = timeout
        if c.scheduled is not None:
            c.scheduled.cancel()
            c.scheduled = None
        if timeout >= 0:
            c.scheduled = self.loop.call_later(timeout / 1000.0, self._tick, timer)

    def _tick(self, timer):
        c = self.callbacks.get(timer)
        if not isinstance(c, _Timer):
            return
        c.scheduled = None
        c.cb(timer, c.opaque)
        if c.timeout >= 0 and c.scheduled is None and timer in self.callbacks:
            c.scheduled = self.loop.call_later(c.timeout / 1000.0, self._tick, timer)

    def _remove_timeout(self, timer):
        return self._remove(timer)

    # ---- release ---------------------------------------------------------------------------

    def _remove(self, ident):
        c = self.callbacks.pop(ident, None)
        if c is None:
            return -1
        if isinstance(c, _Timer):
            if c.scheduled is not None:
                c.scheduled.cancel()
        else:
            self._watch_fd(c.fd)
        self._pending += 1
        self.loop.call_soon_threadsafe(self._released)
        return 0

    def _released(self):
        self._pending -= 1
        if self._pending == 0 and self._finished is not None:
            self._finished.set()


_current_impl = None


def getCurrentImpl():
    """The registered implementation, or None."""
    return _current_impl


def virEventRegisterAsyncIOImpl(loop=None):
    """Run libvirt's callbacks on `loop` (the current loop by default); returns the implementation."""
    global _current_impl
    _current_impl = virEventAsyncIOImpl(loop=loop).register()
    return _current_impl

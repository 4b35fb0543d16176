"""The event loop of the bindings against a real virtkitd: with virEventRegisterDefaultImpl a
thread running virEventRunDefaultImpl receives domain events while no call is in flight (the
keepalive timer is off, so nothing else reads the socket), and virtkit.aio delivers them on an
asyncio loop; handles and timers of the loop work on their own."""
import asyncio
import os
import sys
import threading
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python"))

import virtkit  # noqa: E402
import virtkit.aio  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402


class EventLoop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Virtkitd().start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def test_default_loop_timers_and_handles(self):
        virtkit.virEventRegisterDefaultImpl()
        fired = []
        timer = virtkit.virEventAddTimeout(10, lambda t, opaque: fired.append(("timer", opaque)), "t")
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        watch = virtkit.virEventAddHandle(r, virtkit.VIR_EVENT_HANDLE_READABLE,
                                          lambda wt, fd, ev, opaque: fired.append(("fd", os.read(fd, 10), ev)), None)
        os.write(w, b"hi")
        deadline = time.time() + 5
        while len(fired) < 2 and time.time() < deadline:
            virtkit.virEventRunDefaultImpl()
        virtkit.virEventRemoveTimeout(timer)
        virtkit.virEventRemoveHandle(watch)
        self.assertIn(("timer", "t"), fired)
        self.assertIn(("fd", b"hi", virtkit.VIR_EVENT_HANDLE_READABLE), fired)
        with self.assertRaises(virtkit.libvirtError):
            virtkit.virEventRemoveHandle(watch)

    def test_default_loop_delivers_events_with_no_call_in_flight(self):
        virtkit.virEventRegisterDefaultImpl()
        listener = virtkit.open(self.daemon.uri("test:///default"))
        self.addCleanup(listener.close)
        listener.setKeepAlive(0, 0)   # no keepalive thread: only the loop reads this socket
        events = []
        got = threading.Event()

        def on_lifecycle(conn, dom, event, detail, opaque):
            events.append((dom.name(), event, threading.current_thread().name))
            got.set()

        cid = listener.domainEventRegisterAny(None, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
        stop = threading.Event()

        def run_loop():
            while not stop.is_set():
                virtkit.virEventRunDefaultImpl()

        loop = threading.Thread(target=run_loop, name="event-loop", daemon=True)
        loop.start()
        other = virtkit.open(self.daemon.uri("test:///default"))
        self.addCleanup(other.close)
        dom = other.lookupByName("test")
        dom.suspend()
        self.addCleanup(dom.resume)
        self.assertTrue(got.wait(5), "no event delivered by the loop")
        self.assertEqual(events[0], ("test", virtkit.VIR_DOMAIN_EVENT_SUSPENDED, "event-loop"))
        listener.domainEventDeregisterAny(cid)
        stop.set()
        virtkit.virEventAddTimeout(0, lambda t, o: None, None)   # wake the loop so it sees stop
        loop.join(5)

    def test_asyncio_loop_delivers_events(self):
        async def scenario():
            impl = virtkit.aio.virEventRegisterAsyncIOImpl()
            conn = virtkit.open(self.daemon.uri("test:///default"))
            conn.setKeepAlive(0, 0)
            self.assertTrue(impl.is_idle())
            got = asyncio.Event()
            cid = conn.domainEventRegisterAny(None, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                              lambda *a: got.set(), None)
            self.assertFalse(impl.is_idle())
            other = virtkit.open(self.daemon.uri("test:///default"))
            dom = other.lookupByName("test")
            dom.suspend()
            try:
                await asyncio.wait_for(got.wait(), 5)
            finally:
                dom.resume()
            conn.domainEventDeregisterAny(cid)
            await impl.drain()
            self.assertTrue(impl.is_idle())
            conn.close()
            other.close()
        asyncio.run(scenario())


if __name__ == "__main__":
    unittest.main()

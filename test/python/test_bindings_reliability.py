"""The Python bindings never hang on a daemon that stopped answering (issue 12 item 8).

A real virtkitd is stopped with SIGSTOP (its socket still accepts and buffers, nothing answers):
keepalive closes an open connection and fails the waiting call, a call timeout fails one call
and leaves the connection usable once the daemon runs again, and a new open gives up after its
timeout. The close callback gets libvirt's VIR_CONNECT_CLOSE_REASON_* values.
"""
import os
import signal
import sys
import threading
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python"))

import virtkit  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

VIR_ERR_INTERNAL_ERROR = 1
VIR_ERR_OPERATION_INVALID = 55
VIR_ERR_OPERATION_TIMEOUT = 68
VIR_FROM_RPC = 7


def in_thread(fn, limit):
    """Run fn() in a thread; (result, exception, seconds), or fail the test if it outlives `limit`."""
    out = {}

    def body():
        started = time.monotonic()
        try:
            out["result"] = fn()
        except BaseException as e:  # examined by the test
            out["error"] = e
        out["seconds"] = time.monotonic() - started
    t = threading.Thread(target=body, daemon=True)
    t.start()
    t.join(limit)
    if t.is_alive():
        raise AssertionError("still blocked after %g seconds" % limit)
    return out.get("result"), out.get("error"), out["seconds"]


class StoppedDaemon(unittest.TestCase):
    def setUp(self):
        self.daemon = Virtkitd().start()
        self.addCleanup(self.daemon.stop)
        self.uri = self.daemon.uri("test:///default")

    def stop_daemon(self):
        os.kill(self.daemon.proc.pid, signal.SIGSTOP)
        self.addCleanup(self.resume_daemon)

    def resume_daemon(self):
        if self.daemon.proc.poll() is None:
            os.kill(self.daemon.proc.pid, signal.SIGCONT)

    def test_keepalive_fails_a_call_to_a_stopped_daemon_and_tells_the_close_callback(self):
        conn = virtkit.open(self.uri)
        self.addCleanup(conn.close)
        reasons = []

        def on_close(c, reason, opaque):
            reasons.append((c, reason, opaque))
        self.assertEqual(conn.registerCloseCallback(on_close, "op"), 0)
        self.assertEqual(conn.setKeepAlive(1, 1), 0)
        self.assertEqual(conn.getType(), "TEST")
        self.stop_daemon()
        _, err, seconds = in_thread(conn.getType, 10)
        self.assertIsInstance(err, virtkit.libvirtError)
        self.assertEqual(str(err), "internal error: connection closed due to keepalive timeout")
        self.assertEqual((err.get_error_code(), err.get_error_domain()), (VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC))
        self.assertLess(seconds, 4)   # 1 s interval, 1 unanswered PING: dead after about 2 s
        self.assertEqual(reasons, [(conn, virtkit.VIR_CONNECT_CLOSE_REASON_KEEPALIVE, "op")])
        self.assertEqual(conn.isAlive(), 0)
        _, err, _ = in_thread(conn.getType, 2)   # later calls fail at once too
        self.assertIsInstance(err, virtkit.libvirtError)

    def test_call_timeout_fails_one_call_and_the_connection_survives(self):
        conn = virtkit.open(self.uri, timeout=1.5)
        self.addCleanup(conn.close)
        self.stop_daemon()
        _, err, seconds = in_thread(conn.getHostname, 10)
        self.assertIsInstance(err, virtkit.libvirtError)
        self.assertEqual(err.get_error_code(), VIR_ERR_OPERATION_TIMEOUT)
        self.assertEqual(str(err), "Timed out during operation: no reply to REMOTE_PROC_CONNECT_GET_HOSTNAME"
                                   " within 1.5 seconds")
        self.assertLess(seconds, 3)
        self.resume_daemon()
        # the late reply to the abandoned call is dropped; the next call gets its own
        self.assertEqual(conn.getType(), "TEST")
        self.assertEqual(conn.isAlive(), 1)

    def test_open_gives_up_on_a_stopped_daemon(self):
        self.stop_daemon()
        _, err, seconds = in_thread(lambda: virtkit.open(self.uri, timeout=1), 10)
        self.assertIsInstance(err, virtkit.libvirtError)
        self.assertEqual(err.get_error_code(), VIR_ERR_OPERATION_TIMEOUT)
        self.assertIn("REMOTE_PROC_AUTH_LIST", str(err))
        self.assertLess(seconds, 3)

    def test_close_callback_on_daemon_exit_and_not_on_close(self):
        conn = virtkit.open(self.uri)
        reasons = []
        conn.registerCloseCallback(lambda c, reason, opaque: reasons.append(reason), None)
        with self.assertRaises(virtkit.libvirtError) as cm:
            conn.registerCloseCallback(lambda *a: None, None)
        self.assertEqual(cm.exception.get_error_code(), VIR_ERR_OPERATION_INVALID)
        self.assertEqual(str(cm.exception), "Requested operation is not valid: A close callback is already registered")
        self.daemon.proc.kill()
        deadline = time.monotonic() + 5
        while not reasons and time.monotonic() < deadline:
            time.sleep(0.05)   # nobody calls: the keepalive timer's reader notices the EOF
        self.assertEqual(reasons, [virtkit.VIR_CONNECT_CLOSE_REASON_EOF])
        conn.close()
        self.assertEqual(reasons, [virtkit.VIR_CONNECT_CLOSE_REASON_EOF])

    def test_close_callback_gets_the_reason_the_stopping_daemon_sends(self):
        conn = virtkit.open(self.uri)
        reasons = []
        conn.registerCloseCallback(lambda c, reason, opaque: reasons.append(reason), None)
        self.daemon.proc.terminate()   # virtkitd sends CONNECTION_CLOSED (reason error), then closes
        deadline = time.monotonic() + 5
        while not reasons and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(reasons, [virtkit.VIR_CONNECT_CLOSE_REASON_ERROR])
        conn.close()

    def test_unregistered_close_callback_is_not_called(self):
        conn = virtkit.open(self.uri)
        reasons = []
        conn.registerCloseCallback(lambda c, reason, opaque: reasons.append(reason), None)
        self.assertEqual(conn.unregisterCloseCallback(), 0)
        with self.assertRaises(virtkit.libvirtError) as cm:
            conn.unregisterCloseCallback()
        self.assertEqual(str(cm.exception), "Requested operation is not valid: A different callback was requested")
        self.daemon.proc.kill()
        time.sleep(1.5)
        self.assertEqual(conn.isAlive(), 0)
        self.assertEqual(reasons, [])
        conn.close()


if __name__ == "__main__":
    unittest.main()

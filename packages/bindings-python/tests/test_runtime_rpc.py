"""RpcConnection against a scripted fake daemon on a socketpair / UNIX socket."""
import os
import socket
import tempfile
import threading
import time
import unittest

import runtime_paths  # noqa: F401
from runtime_golden import (AUTH_LIST_FRAME, DEFINED_EVENT_FRAME, LIFECYCLE_LAYOUT,
                            NO_DOMAIN_PAYLOAD, PING_FRAME, PONG_FRAME, RPCF_UUID, hexbytes)
import virtkit
from virtkit import _frame as F
from virtkit import _wire
from virtkit import _xdr as xdr
from virtkit._rpc import RpcConnection
from virtkit._xdr import DomRef

R = F.REMOTE_PROGRAM
LIFECYCLE = _wire.Message(R, 318, "REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE", LIFECYCLE_LAYOUT)


class FakeDaemon(object):
    """The server end of a socketpair, driven by a script running in a thread."""

    def __init__(self, sock=None):
        if sock is None:
            client, self.sock = socket.socketpair()
            self.rpc = RpcConnection(client)
        else:
            self.sock, self.rpc = sock, None
        self.sock.settimeout(10)
        self.thread = None
        self.failure = None

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("client closed")
            buf += chunk
        return buf

    def recv_raw(self):
        head = self.recv_exact(4)
        return head + self.recv_exact(int.from_bytes(head, "big") - 4)

    def recv(self):
        return F.parse_frame(self.recv_raw())

    def send(self, header, payload=b""):
        self.sock.sendall(F.build_frame(header, payload))

    def reply(self, call, payload=b"", status=F.OK):
        self.send(F.Header(call.prog, call.vers, call.proc, F.REPLY, call.serial, status), payload)

    def stream(self, call, status, payload=b"", mtype=F.STREAM):
        self.send(F.Header(call.prog, call.vers, call.proc, mtype, call.serial, status), payload)

    def event(self, proc, payload, prog=R):
        self.send(F.Header(prog, 1, proc, F.MESSAGE, 1, F.OK), payload)

    def run(self, script):
        def body():
            try:
                script(self)
            except BaseException as e:  # reported by join()
                self.failure = e
        self.thread = threading.Thread(target=body, daemon=True)
        self.thread.start()
        return self

    def close(self):
        self.sock.close()
        if self.rpc is not None:
            self.rpc._sock.close()

    def join(self):
        self.thread.join(10)
        if self.thread.is_alive():
            raise AssertionError("fake daemon script did not finish")
        if self.failure is not None:
            raise self.failure


def answer_preamble(d, expect_uri, expect_flags=0):
    """Serve AUTH_LIST, CONNECT_OPEN, SUPPORTS_FEATURE 14/15 and check each call."""
    raw = d.recv_raw()
    assert raw == AUTH_LIST_FRAME, raw.hex()
    d.reply(F.parse_frame(raw)[0], xdr.encode_value(("array", "int", 20), [0]))
    h, p = d.recv()
    assert (h.proc, h.serial) == (1, 1), h
    assert xdr.decode([("name", ("optional", "string")), ("flags", "uint")], p) == [expect_uri, expect_flags], p
    d.reply(h)
    for serial, feature in ((2, 14), (3, 15)):
        h, p = d.recv()
        assert (h.proc, h.serial, xdr.decode_value("int", p)) == (60, serial, feature)
        d.reply(h, xdr.encode_value("int", 1))


class FakeDaemonTest(unittest.TestCase):
    def fake(self):
        d = FakeDaemon()
        self.addCleanup(d.close)
        return d


class Preamble(FakeDaemonTest):
    def test_open_sends_libvirt_python_preamble(self):
        d = self.fake().run(lambda d: answer_preamble(d, "test:///default"))
        d.rpc.open_remote("test:///default", 0)
        d.join()
        self.assertEqual(d.rpc.features, {14: True, 15: True})

    def test_open_by_uri_strips_transport_and_socket(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "fake.sock")
            listener = socket.socket(socket.AF_UNIX)
            listener.bind(path)
            listener.listen(1)

            def serve(_):
                conn, _ = listener.accept()
                d = FakeDaemon(conn)
                answer_preamble(d, "qemu:///system", 1)   # read-only -> flag 1
                h, p = d.recv()   # the keepalive probe: not supported here
                assert (h.proc, h.serial, xdr.decode_value("int", p)) == (60, 4, 10), h
                d.reply(h, xdr.encode_value("int", 0))
                h, _ = d.recv()
                assert h.proc == 2 and h.serial == 5, h   # CONNECT_CLOSE
                d.reply(h)
                d.close()

            failures = []

            def guarded():
                try:
                    serve(None)
                except BaseException as e:
                    failures.append(e)
            server = threading.Thread(target=guarded, daemon=True)
            server.start()
            conn = virtkit.openReadOnly("qemu+unix:///system?socket=" + path)
            rpc = getattr(conn, "_rpc", conn)
            self.assertEqual(rpc.uri, "qemu:///system")
            conn.close()
            server.join(10)
            listener.close()
            if failures:
                raise failures[0]

    def test_auth_list_unknown_procedure_means_no_auth(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h, xdr.encode([("c", "int"), ("d", "int"), ("m", ("optional", "string")), ("l", "int"),
                                   ("dom", ("optional", "Dom")), ("s1", ("optional", "string")),
                                   ("s2", ("optional", "string")), ("s3", ("optional", "string")),
                                   ("i1", "int"), ("i2", "int"), ("n", ("optional", "Net"))],
                                  [39, 7, "unknown procedure: 66", 2, None, None, None, None, -1, -1, None]),
                    status=F.ERROR)
            h, _ = d.recv()
            assert h.proc == 1
            d.reply(h)
            for _ in range(2):
                h, _ = d.recv()
                d.reply(h, xdr.encode_value("int", 0))
        d = self.fake().run(script)
        d.rpc.open_remote("", 0)
        d.join()
        self.assertEqual(d.rpc.features, {14: False, 15: False})

    def test_connect_failure(self):
        with self.assertRaises(virtkit.libvirtError) as cm:
            virtkit.open("test+unix:///default?socket=/nonexistent/virtkit.sock")
        self.assertEqual(cm.exception.get_error_code(), 38)
        self.assertIn("/nonexistent/virtkit.sock", str(cm.exception))


class Calls(FakeDaemonTest):
    def test_serials_and_reply_decoding(self):
        def script(d):
            for expected in range(3):
                h, p = d.recv()
                assert h.serial == expected and h.proc == 3 and h.type == F.CALL
                d.reply(h, xdr.encode_value("string", "TEST%d" % expected))
        d = self.fake().run(script)
        for i in range(3):
            self.assertEqual(d.rpc.call(R, 3, [], [], [("type", "string")]), ["TEST%d" % i])
        d.join()

    def test_error_reply_raises_libvirt_error(self):
        def script(d):
            h, p = d.recv()
            assert xdr.decode([("name", "string")], p) == ["no-such-domain-rpcf"]
            d.reply(h, NO_DOMAIN_PAYLOAD, status=F.ERROR)
        d = self.fake().run(script)
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.call(R, 23, [("name", "string")], ["no-such-domain-rpcf"], [("dom", "Dom")])
        d.join()
        self.assertEqual((cm.exception.get_error_code(), cm.exception.get_error_domain()), (42, 10))
        self.assertTrue(d.rpc.is_alive())

    def test_unknown_procedure_maps_to_no_support(self):
        def script(d):
            h, _ = d.recv()
            err = [39, 7, "unknown procedure: 9999", 2, None, "%s", "unknown procedure: 9999",
                   None, -1, -1, None]
            from virtkit._errors import REMOTE_ERROR_LAYOUT
            d.reply(h, xdr.encode(REMOTE_ERROR_LAYOUT, err), status=F.ERROR)
        d = self.fake().run(script)
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.call(R, 9999, [], [], [])
        d.join()
        self.assertEqual(cm.exception.get_error_code(), 3)

    def test_reply_for_another_procedure_is_rejected(self):
        def script(d):
            h, _ = d.recv()
            d.send(F.Header(R, 1, 4, F.REPLY, h.serial, F.OK))
        d = self.fake().run(script)
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.call(R, 3, [], [], [])
        d.join()
        self.assertEqual(cm.exception.get_error_code(), 39)

    def test_undecodable_reply(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h, hexbytes("00000007 7270"))
        d = self.fake().run(script)
        with self.assertRaisesRegex(virtkit.libvirtError, "decode"):
            d.rpc.call(R, 3, [], [], [("type", "string")])
        d.join()

    def test_ping_while_waiting_is_answered(self):
        def script(d):
            h, _ = d.recv()
            d.sock.sendall(PING_FRAME)
            assert d.recv_raw() == PONG_FRAME
            d.reply(h, xdr.encode_value("int", 7))
        d = self.fake().run(script)
        self.assertEqual(d.rpc.call(R, 51, [], [], [("num", "int")]), [7])
        d.join()

    def test_event_while_waiting_is_delivered(self):
        seen = []

        def script(d):
            h, _ = d.recv()
            d.sock.sendall(DEFINED_EVENT_FRAME)
            d.event(319, xdr.encode([("cb", "int"), ("dom", "Dom")], [0, ("x", RPCF_UUID, 1)]))
            d.reply(h)
        d = self.fake().run(script)
        d.rpc.register_event(LIFECYCLE, seen.append)
        d.rpc.call(R, 34, [("dom", "Dom")], [("rpcf-vm", RPCF_UUID, -1)], [])
        d.join()
        # 319 (REBOOT) has no registration and is dropped
        self.assertEqual(seen, [[0, DomRef("rpcf-vm", RPCF_UUID, -1), 0, 0]])

    def test_callback_may_call_back_into_the_connection(self):
        results = []

        def script(d):
            d.sock.sendall(DEFINED_EVENT_FRAME)
            h, _ = d.recv()
            d.reply(h, xdr.encode_value("string", "TEST"))

        def on_event(values):
            results.append(d.rpc.call(R, 3, [], [], [("type", "string")])[0])
        d = self.fake()
        d.rpc.register_event(LIFECYCLE, on_event)
        d.run(script)
        self.assertTrue(d.rpc.run_event_loop_once(5))
        d.join()
        self.assertEqual(results, ["TEST"])

    def test_run_event_loop_once(self):
        seen = []
        d = self.fake()
        d.rpc.register_event(LIFECYCLE, seen.append)
        start = time.monotonic()
        self.assertFalse(d.rpc.run_event_loop_once(0.1))
        self.assertGreaterEqual(time.monotonic() - start, 0.09)
        d.sock.sendall(DEFINED_EVENT_FRAME[:30])       # half a frame: nothing yet
        self.assertFalse(d.rpc.run_event_loop_once(0.05))
        d.sock.sendall(DEFINED_EVENT_FRAME[30:] + PING_FRAME)
        self.assertTrue(d.rpc.run_event_loop_once(1))
        self.assertEqual(len(seen), 1)
        self.assertEqual(d.recv_raw(), PONG_FRAME)
        d.rpc.unregister_event(LIFECYCLE)
        d.sock.sendall(DEFINED_EVENT_FRAME)
        self.assertTrue(d.rpc.run_event_loop_once(1))
        self.assertEqual(len(seen), 1)

    def test_concurrent_calls_with_replies_out_of_order(self):
        n = 4

        def script(d):
            calls = [d.recv() for _ in range(n)]
            for h, p in reversed(calls):
                d.reply(h, p)   # echo the argument back
        d = self.fake().run(script)
        results = {}

        def worker(i):
            results[i] = d.rpc.call(R, 100, [("x", "int")], [i], [("x", "int")])[0]
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        d.join()
        self.assertEqual(results, {i: i for i in range(n)})

    def test_oversize_frame_breaks_the_connection(self):
        def script(d):
            d.recv()
            d.sock.sendall(hexbytes("02000005") + b"\0" * 24)
        d = self.fake().run(script)
        with self.assertRaisesRegex(virtkit.libvirtError, "exceeds") as cm:
            d.rpc.call(R, 3, [], [], [])
        d.join()
        self.assertEqual(cm.exception.get_error_code(), 39)
        self.assertFalse(d.rpc.is_alive())
        with self.assertRaises(virtkit.libvirtError):
            d.rpc.call(R, 3, [], [], [])

    def test_eof_fails_pending_call(self):
        def script(d):
            d.recv()
            d.sock.close()
        d = self.fake().run(script)
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.call(R, 3, [], [], [])
        d.join()
        self.assertEqual((cm.exception.get_error_code(), cm.exception.get_error_domain()), (38, 7))

    def test_close_sends_connect_close_once(self):
        def script(d):
            h, _ = d.recv()
            assert h.proc == 2
            d.reply(h)
        d = self.fake().run(script)
        d.rpc.close()
        d.rpc.close()
        d.join()
        self.assertFalse(d.rpc.is_alive())


VOL = ("pool", "v1.raw", "/images/v1.raw")
UPLOAD_ARGS = [("vol", "Vol"), ("offset", "uhyper"), ("length", "uhyper"), ("flags", "uint")]


class Reliability(FakeDaemonTest):
    """What libvirt's client does when the daemon misbehaves or goes silent (issue 12 item 8)."""

    def test_reply_with_unexpected_serial_fails_the_call_at_once(self):
        def script(d):
            h, _ = d.recv()
            d.send(F.Header(h.prog, h.vers, h.proc, F.REPLY, 99, F.OK), xdr.encode_value("string", "x"))
            time.sleep(3)   # a client that ignores the stray reply would wait here for ever
            d.reply(h, xdr.encode_value("string", "TEST"))
        d = self.fake().run(script)
        reasons = []
        d.rpc.set_close_callback(reasons.append)
        started = time.monotonic()
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.invoke(_wire.REMOTE_PROC_CONNECT_GET_TYPE, [])
        self.assertLess(time.monotonic() - started, 2)
        self.assertEqual(str(cm.exception), "no call waiting for reply with prog 536903814 vers 1 serial 99")
        self.assertEqual((cm.exception.get_error_code(), cm.exception.get_error_domain()), (39, 7))
        self.assertFalse(d.rpc.is_alive())
        self.assertEqual(reasons, [_wire.VIR_CONNECT_CLOSE_REASON_ERROR])
        with self.assertRaises(virtkit.libvirtError):
            d.rpc.invoke(_wire.REMOTE_PROC_CONNECT_GET_TYPE, [])

    def test_timed_out_call_drops_its_late_reply_and_the_next_call_works(self):
        def script(d):
            late, _ = d.recv()
            h, _ = d.recv()
            assert (late.serial, h.serial) == (0, 1), (late, h)
            d.reply(late, xdr.encode_value("string", "LATE"))
            d.reply(h, xdr.encode_value("string", "TEST"))
        d = self.fake().run(script)
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.invoke(_wire.REMOTE_PROC_CONNECT_GET_TYPE, [], timeout=0.3)
        self.assertEqual(cm.exception.get_error_code(), 68)
        self.assertEqual(str(cm.exception),
                         "Timed out during operation: no reply to REMOTE_PROC_CONNECT_GET_TYPE within 0.3 seconds")
        self.assertEqual(d.rpc.invoke(_wire.REMOTE_PROC_CONNECT_GET_TYPE, []), ["TEST"])
        d.join()
        self.assertTrue(d.rpc.is_alive())

    def test_keepalive_closes_a_silent_connection(self):
        pings = []

        def script(d):
            h, p = d.recv()   # the keepalive probe
            assert (h.proc, xdr.decode_value("int", p)) == (60, 10), h
            d.reply(h, xdr.encode_value("int", 1))
            while True:      # read PINGs, never answer
                try:
                    pings.append(d.recv_raw())
                except (EOFError, OSError):
                    return
        d = self.fake().run(script)
        reasons = []
        d.rpc.set_close_callback(reasons.append)
        d.rpc.set_keepalive(0.4, 2)
        started = time.monotonic()
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.run_event_loop_once(10)
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual(str(cm.exception), "internal error: connection closed due to keepalive timeout")
        self.assertEqual(reasons, [_wire.VIR_CONNECT_CLOSE_REASON_KEEPALIVE])
        d.join()
        self.assertEqual(pings, [PING_FRAME] * 2)

    def test_keepalive_needs_the_daemon_to_have_it(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h, xdr.encode_value("int", 0))
        d = self.fake().run(script)
        with self.assertRaises(virtkit.libvirtError) as cm:
            d.rpc.set_keepalive(5, 5)
        self.assertIn("doesn't support keepalive protocol", str(cm.exception))
        d.join()


class Streams(FakeDaemonTest):
    def test_upload_chunks_and_finish(self):
        data = os.urandom(600000)
        received = []

        def script(d):
            h, _ = d.recv()
            assert h.proc == 208
            d.reply(h)
            while True:
                sh, payload = d.recv()
                assert (sh.type, sh.serial, sh.proc, sh.prog) == (F.STREAM, h.serial, 208, R), sh
                if sh.status == F.OK:
                    break
                assert sh.status == F.CONTINUE
                received.append(payload)
            d.stream(h, F.OK)
        d = self.fake().run(script)
        st = virtkit.virStream(d.rpc)
        d.rpc.call(R, 208, UPLOAD_ARGS, [VOL, 0, len(data), 0], [], stream=st)
        self.assertEqual(st.send(data), len(data))
        self.assertEqual(st.finish(), 0)
        d.join()
        self.assertEqual([len(c) for c in received], [262120, 262120, 75760])
        self.assertEqual(b"".join(received), data)

    def test_sparse_download(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h)
            d.stream(h, F.CONTINUE, b"a" * 4096)
            d.stream(h, F.CONTINUE, xdr.encode([("l", "hyper"), ("f", "uint")], [0xFF000, 0]),
                     mtype=F.STREAM_HOLE)
            d.stream(h, F.CONTINUE, b"b" * 4096)
            d.stream(h, F.CONTINUE)            # EOF
            sh, _ = d.recv()
            assert (sh.type, sh.status) == (F.STREAM, F.OK)
            d.stream(h, F.OK)
        d = self.fake().run(script)
        st = d.rpc.new_stream()
        d.rpc.call(R, 209, UPLOAD_ARGS, [VOL, 0, 0, 1], [], stream=st)
        self.assertEqual(st.recvFlags(65536, 1), b"a" * 4096)
        self.assertEqual(st.recvFlags(65536, 1), -3)
        self.assertEqual(st.recvHole(), 0xFF000)
        self.assertEqual(st.recv(65536), b"b" * 4096)
        self.assertEqual(st.recv(65536), b"")
        st.finish()
        d.join()

    def test_hole_reads_as_zeros_without_stop_at_hole(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h)
            d.stream(h, F.CONTINUE, xdr.encode([("l", "hyper"), ("f", "uint")], [10, 0]),
                     mtype=F.STREAM_HOLE)
            d.stream(h, F.CONTINUE)
        d = self.fake().run(script)
        st = d.rpc.new_stream()
        d.rpc.call(R, 209, UPLOAD_ARGS, [VOL, 0, 0, 1], [], stream=st)
        chunks = []
        st.recvAll(lambda s, data, opaque: opaque.append(data), chunks)
        self.assertEqual(b"".join(chunks), b"\0" * 10)
        d.join()

    def test_stream_error_from_daemon(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h)
            sh, _ = d.recv()      # the data
            d.stream(h, F.ERROR, NO_DOMAIN_PAYLOAD)
            sh, _ = d.recv()      # the finish request
            assert sh.status == F.OK
        d = self.fake().run(script)
        st = d.rpc.new_stream()
        d.rpc.call(R, 208, UPLOAD_ARGS, [VOL, 0, 0, 0], [], stream=st)
        st.send(b"x")
        with self.assertRaises(virtkit.libvirtError) as cm:
            st.finish()
        d.join()
        self.assertEqual(cm.exception.get_error_code(), 42)

    def test_failed_opening_call_leaves_stream_unusable(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h, NO_DOMAIN_PAYLOAD, status=F.ERROR)
        d = self.fake().run(script)
        st = d.rpc.new_stream()
        with self.assertRaises(virtkit.libvirtError):
            d.rpc.call(R, 208, UPLOAD_ARGS, [VOL, 0, 0, 0], [], stream=st)
        d.join()
        with self.assertRaises(virtkit.libvirtError):
            st.send(b"x")
        self.assertEqual(d.rpc._streams, {})

    def test_abort(self):
        def script(d):
            h, _ = d.recv()
            d.reply(h)
            sh, payload = d.recv()
            assert (sh.type, sh.status, payload) == (F.STREAM, F.ERROR, b""), sh
            d.stream(h, F.OK)
        d = self.fake().run(script)
        st = d.rpc.new_stream()
        d.rpc.call(R, 209, UPLOAD_ARGS, [VOL, 0, 0, 0], [], stream=st)
        self.assertEqual(st.abort(), 0)
        d.join()
        self.assertEqual(d.rpc._streams, {})


if __name__ == "__main__":
    unittest.main()

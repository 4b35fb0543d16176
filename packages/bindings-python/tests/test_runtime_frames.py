"""Framing and wire-level errors against the golden frames of wire-protocol.md."""
import unittest

import runtime_paths  # noqa: F401
from runtime_golden import (AUTH_LIST_FRAME, DEFINED_EVENT_FRAME, LIFECYCLE_LAYOUT,
                            NO_DOMAIN_MESSAGE, NO_DOMAIN_PAYLOAD, NO_DOMAIN_REPLY, NO_DOMAIN_STR1,
                            NO_DOMAIN_STR2, PING_FRAME, PONG_FRAME, RPCF_UUID, SPARSE_HOLE_FRAME,
                            hexbytes)
from virtkit import _frame as F
from virtkit import _wire
from virtkit import _xdr as xdr
from virtkit._errors import REMOTE_ERROR_LAYOUT, error_from_wire, libvirtError
from virtkit._xdr import DomRef, XdrError


class Frames(unittest.TestCase):
    def test_auth_list_frame(self):
        frame = F.build_frame(F.Header(F.REMOTE_PROGRAM, 1, 66, F.CALL, 0, F.OK))
        self.assertEqual(frame, AUTH_LIST_FRAME)
        header, payload = F.parse_frame(AUTH_LIST_FRAME)
        self.assertEqual(header, F.Header(0x20008086, 1, 66, F.CALL, 0, F.OK))
        self.assertEqual(payload, b"")

    def test_keepalive_frames(self):
        self.assertEqual(F.build_frame(F.Header(_wire.KEEPALIVE_PROGRAM, 1, _wire.KEEPALIVE_PROC_PING.proc,
                                                F.MESSAGE, 0, F.OK)), PING_FRAME)
        header, _ = F.parse_frame(PONG_FRAME)
        self.assertEqual((header.prog, header.proc, header.type), (0x6B656570, 2, F.MESSAGE))

    def test_defined_event_frame(self):
        self.assertEqual(len(DEFINED_EVENT_FRAME), 72)
        header, payload = F.parse_frame(DEFINED_EVENT_FRAME)
        self.assertEqual(header, F.Header(F.REMOTE_PROGRAM, 1, 318, F.MESSAGE, 1, F.OK))
        self.assertEqual(xdr.decode(LIFECYCLE_LAYOUT, payload),
                         [0, DomRef("rpcf-vm", RPCF_UUID, -1), 0, 0])

    def test_sparse_hole_frame(self):
        header, payload = F.parse_frame(SPARSE_HOLE_FRAME)
        self.assertEqual(header, F.Header(F.REMOTE_PROGRAM, 1, 209, F.STREAM_HOLE, 10, F.CONTINUE))
        self.assertEqual(xdr.decode([("length", "hyper"), ("flags", "uint")], payload), [0xFF000, 0])
        self.assertEqual(F.build_frame(header, payload), SPARSE_HOLE_FRAME)

    def test_size_limits(self):
        self.assertEqual(F.frame_length(hexbytes("02000004")), 33554436)  # 32 MiB + 4 is accepted
        with self.assertRaisesRegex(XdrError, "exceeds"):
            F.frame_length(hexbytes("02000005"))
        with self.assertRaisesRegex(XdrError, "too short"):
            F.frame_length(hexbytes("00000008"))
        F.build_frame(F.Header(1, 1, 1, 0, 0, 0), b"\0" * F.PAYLOAD_MAX)
        with self.assertRaisesRegex(XdrError, "exceeds"):
            F.build_frame(F.Header(1, 1, 1, 0, 0, 0), b"\0" * (F.PAYLOAD_MAX + 1))

    def test_length_word_must_match(self):
        with self.assertRaises(XdrError):
            F.parse_frame(AUTH_LIST_FRAME + b"\0\0\0\0")


class WireErrors(unittest.TestCase):
    def test_no_domain_error_reply(self):
        self.assertEqual(len(NO_DOMAIN_REPLY), 224)
        self.assertEqual(len(NO_DOMAIN_MESSAGE), 0x44)
        header, payload = F.parse_frame(NO_DOMAIN_REPLY)
        self.assertEqual(header, F.Header(F.REMOTE_PROGRAM, 1, 23, F.REPLY, 6, F.ERROR))
        err = error_from_wire(xdr.decode(REMOTE_ERROR_LAYOUT, payload))
        self.assertIsInstance(err, libvirtError)
        self.assertEqual(err.get_error_code(), 42)
        self.assertEqual(err.get_error_domain(), 10)
        self.assertEqual(err.get_error_message(), NO_DOMAIN_MESSAGE)
        self.assertEqual(str(err), NO_DOMAIN_MESSAGE)
        self.assertEqual(err.get_error_level(), 2)
        self.assertEqual(err.get_str1(), NO_DOMAIN_STR1)
        self.assertEqual(err.get_str2(), NO_DOMAIN_STR2)
        self.assertIsNone(err.get_str3())
        self.assertEqual((err.get_int1(), err.get_int2()), (-1, -1))
        # and the encoder reproduces the daemon's bytes
        values = xdr.decode(REMOTE_ERROR_LAYOUT, NO_DOMAIN_PAYLOAD)
        self.assertEqual(xdr.encode(REMOTE_ERROR_LAYOUT, values), NO_DOMAIN_PAYLOAD)

    def wire_error(self, code, domain, message, level=2):
        return error_from_wire([code, domain, message, level, None, None, None, None, -1, -1, None])

    def test_unknown_procedure_becomes_no_support(self):
        for domain in (7, 13):
            err = self.wire_error(39, domain, "unknown procedure: 9999")
            self.assertEqual(err.get_error_code(), 3)
            self.assertEqual(err.get_error_domain(), domain)
            self.assertEqual(err.get_error_message(), "unknown procedure: 9999")

    def test_other_rpc_errors_are_kept(self):
        self.assertEqual(self.wire_error(39, 7, "authentication required").get_error_code(), 39)
        self.assertEqual(self.wire_error(39, 10, "unknown procedure: 1").get_error_code(), 39)
        self.assertEqual(self.wire_error(39, 7, "unknown procedure: 1", level=1).get_error_code(), 39)

    def test_missing_message(self):
        err = self.wire_error(1, 0, None)
        self.assertIsNone(err.get_error_message())
        self.assertEqual(str(err), "unknown error")


if __name__ == "__main__":
    unittest.main()

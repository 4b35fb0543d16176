"""XDR codec: the wire tables' descriptors, golden encodings from wire-protocol.md, limits, errors."""
import unittest
import uuid

import runtime_paths  # noqa: F401
from runtime_golden import (DOM_RPCF_ACTIVE, DOMAIN_GET_INFO_LAYOUT, DOMAIN_GET_INFO_RET,
                            JOB_STATS_RET, RPCF_UUID, hexbytes)
from virtkit import _wire
from virtkit import _xdr as xdr
from virtkit._xdr import DomRef, PoolRef, SnapRef, TypedParam, VolRef, XdrError


def enc(t, v):
    return xdr.encode_value(t, v)


def dec(t, data):
    return xdr.decode_value(t, data)


class GoldenEncodings(unittest.TestCase):
    """The examples in wire-protocol.md §2."""

    def test_scalars(self):
        self.assertEqual(enc("int", -1), hexbytes("ffffffff"))
        self.assertEqual(enc("int", 62), hexbytes("0000003e"))
        self.assertEqual(enc("uint", 3), hexbytes("00000003"))
        self.assertEqual(enc("hyper", 1044480), hexbytes("00000000 000ff000"))
        self.assertEqual(enc("uhyper", 131072), hexbytes("00000000 00020000"))
        self.assertEqual(enc("uchar", 1), hexbytes("00000001"))
        self.assertEqual(enc("bool", True), hexbytes("00000001"))

    def test_char_fixed_array_is_a_nul_padded_string(self):
        golden = hexbytes("00000078 00000038 00000036 0000005f 00000036 00000034") + b"\0" * (26 * 4)
        self.assertEqual(len(golden), 128)
        self.assertEqual(enc(("fixed_chars", 32, True), "x86_64"), golden)
        self.assertEqual(dec(("fixed_chars", 32, True), golden), "x86_64")

    def test_char_variable_array_carries_the_nul(self):
        golden = hexbytes("00000005 0000006e 0000006f 0000006e 00000065 00000000")
        self.assertEqual(enc(("chars", 257, True), "none"), golden)
        self.assertEqual(dec(("chars", 257, True), golden), "none")

    def test_strings(self):
        self.assertEqual(enc("string", "rpcf-vm"), hexbytes("00000007 72706366 2d766d00"))
        self.assertEqual(enc("string", ""), hexbytes("00000000"))
        self.assertEqual(enc(("optional", "string"), "qemu:///system"),
                         hexbytes("00000001 0000000e 71656d75 3a2f2f2f 73797374 656d0000"))
        self.assertEqual(enc(("optional", "string"), None), hexbytes("00000000"))
        self.assertEqual(enc(("optional", "string"), ""), hexbytes("00000001 00000000"))
        self.assertEqual(dec(("optional", "string"), hexbytes("00000000")), None)

    def test_uuid(self):
        self.assertEqual(enc("uuid", RPCF_UUID), RPCF_UUID)
        self.assertEqual(enc("uuid", "11111111-2222-3333-4444-555555555555"), RPCF_UUID)
        self.assertEqual(enc("uuid", uuid.UUID(bytes=RPCF_UUID)), RPCF_UUID)
        self.assertEqual(dec("uuid", RPCF_UUID), RPCF_UUID)

    def test_auth_list_ret(self):
        self.assertEqual(enc(("array", "int", 20), [0]), hexbytes("00000001 00000000"))

    def test_dom_handle(self):
        self.assertEqual(enc("Dom", ("rpcf-vm", RPCF_UUID, 62)), DOM_RPCF_ACTIVE)
        dom = dec("Dom", DOM_RPCF_ACTIVE)
        self.assertEqual(dom, DomRef("rpcf-vm", RPCF_UUID, 62))
        self.assertEqual(dom.id, 62)

    def test_domain_get_info_reply_body(self):
        self.assertEqual(xdr.decode(DOMAIN_GET_INFO_LAYOUT, DOMAIN_GET_INFO_RET),
                         [1, 131072, 131072, 1, 4260000000])
        self.assertEqual(xdr.encode(DOMAIN_GET_INFO_LAYOUT, [1, 131072, 131072, 1, 4260000000]),
                         DOMAIN_GET_INFO_RET)

    def test_typed_param_list(self):
        layout = [("type", "int"), ("params", ("typed_params", 64))]
        kind, params = xdr.decode(layout, JOB_STATS_RET)
        self.assertEqual(kind, 3)
        self.assertEqual(params, [
            TypedParam("operation", _wire.VIR_TYPED_PARAM_INT, 9),
            TypedParam("time_elapsed", _wire.VIR_TYPED_PARAM_ULLONG, 50),
            TypedParam("disk_total", _wire.VIR_TYPED_PARAM_ULLONG, 67108864),
            TypedParam("disk_processed", _wire.VIR_TYPED_PARAM_ULLONG, 67108864),
            TypedParam("disk_remaining", _wire.VIR_TYPED_PARAM_ULLONG, 0),
            TypedParam("success", _wire.VIR_TYPED_PARAM_BOOLEAN, True),
        ])
        self.assertEqual(xdr.encode(layout, [kind, params]), JOB_STATS_RET)
        self.assertEqual(xdr.typed_params_to_dict(params)["disk_total"], 67108864)


class RoundTrips(unittest.TestCase):
    def roundtrip(self, t, v, expected=None):
        self.assertEqual(dec(t, enc(t, v)), v if expected is None else expected)

    def test_scalars(self):
        for t, v in [("int", -2 ** 31), ("int", 2 ** 31 - 1), ("uint", 2 ** 32 - 1),
                     ("hyper", -2 ** 63), ("uhyper", 2 ** 64 - 1), ("double", 3.25),
                     ("double", -0.5), ("char", -5), ("uchar", 255), ("short", -300),
                     ("ushort", 65535), ("bool", False), ("bool", True)]:
            self.roundtrip(t, v)

    def test_widened_small_types_take_four_bytes(self):
        for t in ("char", "uchar", "short", "ushort"):
            self.assertEqual(len(enc(t, 1)), 4)
        self.assertEqual(enc("char", -1), hexbytes("ffffffff"))

    def test_strings_and_padding(self):
        for s in ["", "a", "ab", "abc", "abcd", "abcde", "héllo wörld", "x" * 1001]:
            data = enc("string", s)
            self.assertEqual(len(data) % 4, 0)
            self.roundtrip("string", s)

    def test_handles(self):
        dom = DomRef("vm", RPCF_UUID, -1)
        self.roundtrip("Dom", dom)
        self.roundtrip(("optional", "Dom"), dom)
        self.roundtrip(("optional", "Dom"), None)
        self.roundtrip("Pool", PoolRef("default", RPCF_UUID))
        self.roundtrip("Vol", VolRef("default", "v1.raw", "/var/lib/images/v1.raw"))
        self.roundtrip("Snap", SnapRef("snap1", dom))
        self.roundtrip("Chk", xdr.ChkRef("cp1", dom))
        self.roundtrip("Net", xdr.NetRef("default", RPCF_UUID))
        self.roundtrip(("optional", "Pool"), None)
        # dicts and objects with the right attributes encode too
        self.assertEqual(enc("Dom", {"name": "vm", "uuid": RPCF_UUID, "id": -1}), enc("Dom", dom))

    def test_arrays(self):
        self.roundtrip(("array", "int", 5), [1, 2, 3])
        self.roundtrip(("array", "int", 5), [])
        self.roundtrip(("array", "string", 16384), ["a", "bb", ""])
        self.roundtrip(("array", "Dom", 16384), [DomRef("a", RPCF_UUID, 1), DomRef("b", RPCF_UUID, -1)])
        self.roundtrip(("fixed", "uhyper", 3), [1, 2, 3])
        self.roundtrip(("array", "int", None), list(range(100)))
        self.assertEqual(len(enc(("fixed", "uhyper", 3), [1, 2, 3])), 24)

    def test_opaque(self):
        self.roundtrip(("opaque", 10), b"abcde")
        self.assertEqual(enc(("opaque", 10), b"abcde"), hexbytes("00000005 61626364 65000000"))
        self.roundtrip(("fixed_opaque", 3), b"xyz")
        self.assertEqual(len(enc(("fixed_opaque", 3), b"xyz")), 4)

    def test_anonymous_struct(self):
        t = ("array", ("struct", (("field", "string"), ("value", "uhyper"))), 16)
        self.roundtrip(t, [{"field": "user", "value": 10}, {"field": "idle", "value": 2 ** 40}])

    def test_typed_params_from_dict(self):
        params = xdr.decode_value(("typed_params", 16), enc(("typed_params", 16), {
            "a": 1, "b": True, "c": 1.5, "d": "x", "e": 2 ** 64 - 1, "f": (_wire.VIR_TYPED_PARAM_UINT, 7)}))
        self.assertEqual([(p.field, p.type, p.value) for p in params], [
            ("a", _wire.VIR_TYPED_PARAM_LLONG, 1), ("b", _wire.VIR_TYPED_PARAM_BOOLEAN, True),
            ("c", _wire.VIR_TYPED_PARAM_DOUBLE, 1.5), ("d", _wire.VIR_TYPED_PARAM_STRING, "x"),
            ("e", _wire.VIR_TYPED_PARAM_ULLONG, 2 ** 64 - 1), ("f", _wire.VIR_TYPED_PARAM_UINT, 7)])

    def test_layout_with_dict_values(self):
        layout = [("name", ("optional", "string")), ("flags", "uint")]
        self.assertEqual(xdr.encode(layout, {"name": "test:///default", "flags": 1}),
                         xdr.encode(layout, ["test:///default", 1]))


class Errors(unittest.TestCase):
    def test_truncated_input(self):
        cases = [("int", "000000"), ("hyper", "00000000 000000"), ("string", "00000007 72706366"),
                 ("string", "00000007 72706366 2d766d"), ("Dom", DOM_RPCF_ACTIVE[:-4].hex()),
                 (("array", "int", 5), "00000002 00000001"), (("optional", "string"), "00000001"),
                 (("fixed_chars", 32, True), "00000078"),
                 (("typed_params", 4), "00000001 00000001 61000000")]
        for t, hx in cases:
            with self.subTest(type=t), self.assertRaises(XdrError) as cm:
                dec(t, hexbytes(hx))
            self.assertIn("truncated", str(cm.exception))

    def test_error_names_the_field(self):
        layout = [("domains", ("array", "Dom", 16384)), ("ret", "uint")]
        data = xdr.encode(layout, [[DomRef("a", RPCF_UUID, 1)], 1])
        with self.assertRaises(XdrError) as cm:
            xdr.decode(layout, data[:10])
        self.assertIn("domains[0].", str(cm.exception))

    def test_trailing_bytes(self):
        with self.assertRaisesRegex(XdrError, "trailing"):
            xdr.decode([("a", "int")], hexbytes("00000001 00000002"))

    def test_oversize_arrays_rejected_both_ways(self):
        with self.assertRaisesRegex(XdrError, "maximum"):
            enc(("array", "int", 2), [1, 2, 3])
        with self.assertRaisesRegex(XdrError, "maximum"):
            dec(("array", "int", 2), hexbytes("00000003 00000001 00000002 00000003"))
        with self.assertRaisesRegex(XdrError, "maximum"):
            enc(("typed_params", 1), [("a", 1, 1), ("b", 1, 2)])
        with self.assertRaisesRegex(XdrError, "maximum"):
            dec(("array", "Dom", 16384), hexbytes("00004001"))
        with self.assertRaisesRegex(XdrError, "maximum"):
            dec(("opaque", 4), hexbytes("00000005 00000000 00000000"))
        with self.assertRaisesRegex(XdrError, "maximum"):
            dec(("chars", 4, True), hexbytes("00000005"))
        with self.assertRaises(XdrError):
            enc(("fixed_chars", 2, True), "abc")
        # a huge announced string length fails before any allocation
        with self.assertRaisesRegex(XdrError, "maximum"):
            dec("string", hexbytes("7fffffff"))

    def test_fixed_array_size_enforced(self):
        with self.assertRaises(XdrError):
            enc(("fixed", "int", 3), [1, 2])
        with self.assertRaises(XdrError):
            enc(("fixed_opaque", 16), b"short")
        with self.assertRaises(XdrError):
            enc("uuid", "not-a-uuid")

    def test_out_of_range_and_wrong_types(self):
        for t, v in [("int", 2 ** 31), ("uint", -1), ("uhyper", 2 ** 64), ("uchar", 256),
                     ("int", "1"), ("string", 5), ("double", "x"), (("array", "int", 5), "abc")]:
            with self.subTest(type=t, value=v), self.assertRaises(XdrError):
                enc(t, v)

    def test_bad_presence_flag_and_bool(self):
        with self.assertRaises(XdrError):
            dec(("optional", "string"), hexbytes("00000002"))
        with self.assertRaises(XdrError):
            dec("bool", hexbytes("00000002"))

    def test_unknown_typed_param_type(self):
        with self.assertRaisesRegex(XdrError, "typed parameter type"):
            dec(("typed_params", 4), hexbytes("00000001 00000001 61000000 00000009 00000000"))

    def test_unknown_descriptors(self):
        # the grammar lives in the generator: a type string is not a descriptor
        for t in ["integer", "int<5>", "string?", "Dom?", ("vector", "int", 5), (),
                  ("optional", "nope")]:
            with self.subTest(type=t), self.assertRaises(XdrError):
                xdr.codec(t)

    def test_value_count_must_match_layout(self):
        with self.assertRaisesRegex(XdrError, "2 fields"):
            xdr.encode([("a", "int"), ("b", "int")], [1])
        with self.assertRaisesRegex(XdrError, "missing"):
            xdr.encode([("a", "int"), ("b", "int")], {"a": 1})


if __name__ == "__main__":
    unittest.main()

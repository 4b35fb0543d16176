"""virtkit has libvirt-python 9.0's surface: every class, method (with its argument list) and
constant of api/python/libvirt-python-9.0.json; the calls libvirt-python users trip over behave as
there against a real virtkitd; a method whose call api/ lacks raises VIR_ERR_NO_SUPPORT."""
import inspect
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python"))

import virtkit  # noqa: E402
from virtkit import _unsupported  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python", "tests"))
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402

with open(os.path.join(ROOT, "api", "python", "libvirt-python-9.0.json")) as f:
    SURFACE = json.load(f)

VIR_ERR_NO_SUPPORT = 3


def signature(func):
    params = list(inspect.signature(func).parameters.values())[1:]
    return [(p.name, None if p.default is inspect.Parameter.empty else repr(p.default)) for p in params]


class Surface(unittest.TestCase):
    def test_every_class_and_method_has_libvirt_pythons_argument_list(self):
        for cls, body in SURFACE["classes"].items():
            ours = getattr(virtkit, cls)
            for name, sig in body["methods"].items():
                with self.subTest(method="%s.%s" % (cls, name)):
                    want = [(p["name"], p.get("default")) for p in sig["params"]]
                    self.assertEqual(signature(getattr(ours, name)), want)

    def test_every_module_function_has_libvirt_pythons_argument_list(self):
        # ours may add keyword arguments of their own after libvirt-python's (open's timeout=)
        for name, sig in SURFACE["functions"].items():
            with self.subTest(function=name):
                params = list(inspect.signature(getattr(virtkit, name)).parameters.values())
                ours = [(p.name, None if p.default is inspect.Parameter.empty else repr(p.default)) for p in params]
                want = [(p["name"], p.get("default")) for p in sig["params"]]
                self.assertEqual(ours[:len(want)], want)
                self.assertTrue(all(default is not None for _, default in ours[len(want):]), ours)

    def test_every_constant_has_libvirt_pythons_value(self):
        for name, value in SURFACE["constants"].items():
            self.assertEqual(getattr(virtkit, name, "missing"), value, name)

    def test_hand_written_methods_are_not_stubbed(self):
        self.assertNotIn("close", _unsupported.UNSUPPORTED["virConnect"])
        self.assertNotIn("recvAll", _unsupported.UNSUPPORTED["virStream"])
        self.assertNotIn("close", vars(_unsupported.virConnectUnsupported))

    def test_the_calls_of_api_are_bound_not_stubbed(self):
        bound = {"virConnect": ["listDomainsID", "listDefinedDomains", "lookupByName", "getCapabilities"],
                 "virDomain": ["snapshotListNames", "revertToSnapshot", "info", "blockStats", "memoryStats"],
                 "virDomainSnapshot": ["listChildrenNames", "getDomain"]}
        for cls, names in bound.items():
            for name in names:
                self.assertNotIn(name, _unsupported.UNSUPPORTED[cls], "%s.%s" % (cls, name))


class AgainstVirtkitd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Virtkitd().start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def open(self):
        conn = virtkit.open(self.daemon.uri("test:///default"))
        self.addCleanup(conn.close)
        return conn

    def test_lists_take_no_count(self):
        conn = self.open()
        self.assertEqual(conn.listDomainsID(), [1])
        self.assertEqual(conn.listDefinedDomains(), [])
        self.assertEqual(conn.listNetworks(), ["default"])

    def test_snapshot_names_and_revert_on_the_domain(self):
        conn = self.open()
        dom = conn.lookupByName("test")
        snap = dom.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>")
        self.addCleanup(snap.delete)
        self.assertEqual(dom.snapshotListNames(), ["s1"])
        self.assertEqual(snap.listChildrenNames(), [])
        self.assertEqual(dom.revertToSnapshot(snap), 0)
        self.assertEqual(snap.getDomain().name(), "test")

    def test_close_returns_whether_handles_still_reference_the_connection(self):
        conn = virtkit.open(self.daemon.uri("test:///default"))
        self.assertEqual(conn.close(), 0)
        conn = virtkit.open(self.daemon.uri("test:///default"))
        dom = conn.lookupByName("test")
        self.assertEqual(conn.close(), 1)
        del dom

    def test_domain_stats_are_domain_and_dict_pairs_as_libvirt_python_gets_them(self):
        conn = self.open()
        ours = [(d.name(), sorted(stats)) for d, stats in conn.getAllDomainStats()]
        self.assertEqual(ours[0][0], "test")
        self.assertIn("state.state", ours[0][1])
        dom = conn.lookupByName("test")
        self.assertEqual([(d.name(), sorted(s)) for d, s in conn.domainListGetStats([dom])], ours)
        script = ("import libvirt, sys, json; c = libvirt.open(sys.argv[1]); "
                  "print(json.dumps([[d.name(), sorted(s)] for d, s in c.getAllDomainStats()]))")
        ref = subprocess.run(["/usr/bin/python3", "-c", script, self.daemon.uri("test:///default")],
                             capture_output=True, text=True, timeout=60)
        if ref.returncode:
            self.skipTest("libvirt-python is not available: " + ref.stderr[-200:])
        self.assertEqual(json.loads(ref.stdout), [list(x) for x in ours])

    def test_raw_uuid_is_the_text_uuids_bytes(self):
        conn = self.open()
        dom = conn.lookupByName("test")
        self.assertEqual(dom.UUID(), __import__("uuid").UUID(dom.UUIDString()).bytes)
        self.assertNotIn("UUID", _unsupported.UNSUPPORTED["virDomain"])

    def test_event_deregister_returns_none(self):
        conn = self.open()
        cid = conn.domainEventRegisterAny(None, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lambda *a: None, None)
        self.assertIsNone(conn.domainEventDeregisterAny(cid))

    def test_open_auth_takes_libvirt_pythons_credential_list(self):
        asked = []
        auth = [[virtkit.VIR_CRED_AUTHNAME, virtkit.VIR_CRED_PASSPHRASE], lambda creds, data: asked.append(creds), None]
        conn = virtkit.openAuth(self.daemon.uri("test:///default"), auth, 0)
        self.addCleanup(conn.close)
        self.assertEqual(conn.lookupByName("test").name(), "test")
        self.assertEqual(asked, [])   # a daemon without SASL asks for nothing, as with libvirt-python
        for bad in (None, [virtkit.VIR_CRED_AUTHNAME], [["x"], None, None], [[1], 5, None]):
            with self.subTest(auth=bad), self.assertRaises(TypeError):
                virtkit.openAuth(self.daemon.uri("test:///default"), bad, 0)

    def test_a_call_api_lacks_fails_at_call_time_with_no_support(self):
        conn = self.open()
        dom = conn.lookupByName("test")
        with self.assertRaises(virtkit.libvirtError) as cm:
            dom.fSTrim(None, 0, 0)
        self.assertEqual(cm.exception.get_error_code(), VIR_ERR_NO_SUPPORT)
        self.assertIn("virDomainFSTrim", cm.exception.get_error_message())
        self.assertIn("fSTrim", _unsupported.UNSUPPORTED["virDomain"])


def _time_outcomes(mod, dom):
    """What setTime makes of each argument libvirt-python's override checks, then getTime."""
    cases = [({"seconds": 5, "nseconds": 7}, 0), ({"nseconds": 5}, 0), ({"seconds": 5, "other": 1}, 0),
             (None, 0), (5, 0), ({"seconds": 9}, 0), (None, 1)]
    out = []
    for time, flags in cases:
        try:
            out.append(["returned", dom.setTime(time, flags), dom.getTime()])
        except mod.libvirtError as e:
            out.append(["libvirtError", e.get_error_code(), e.get_error_message()])
        except Exception as e:  # noqa: BLE001 (the exception's type is what is compared)
            out.append([type(e).__name__, str(e)])
    return out


@unittest.skipIf(libvirtd_unavailable_reason(), libvirtd_unavailable_reason())
class AgainstLibvirtd(unittest.TestCase):
    """Calls whose libvirt-python shape only libvirtd's test driver can show (virtkitd's test
    driver has no clock): both modules against the same libvirtd."""

    @classmethod
    def setUpClass(cls):
        cls.daemon = Libvirtd().start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def test_set_time_takes_a_dict_and_get_time_returns_one_as_libvirt_python(self):
        uri = self.daemon.uri("test:///default")
        conn = virtkit.open(uri)
        self.addCleanup(conn.close)
        ours = _time_outcomes(virtkit, conn.lookupByName("test"))
        script = ("import inspect, json, libvirt, sys\nlibvirt.registerErrorHandler(lambda *a: None, None)\n"
                  "exec(sys.argv[2])\n"
                  "print(json.dumps(_time_outcomes(libvirt, libvirt.open(sys.argv[1]).lookupByName('test'))))")
        ref = subprocess.run(["/usr/bin/python3", "-c", script, uri, inspect.getsource(_time_outcomes)],
                             capture_output=True, text=True, timeout=60)
        if ref.returncode:
            self.skipTest("libvirt-python is not available: " + ref.stderr[-300:])
        self.assertEqual(ours, json.loads(ref.stdout))
        self.assertEqual(ours[0], ["returned", 0, {"seconds": 5, "nseconds": 7}])


if __name__ == "__main__":
    unittest.main()

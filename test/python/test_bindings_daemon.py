"""virtkit's generated pure-Python bindings against a real virtkitd (bin/virtkitd).

The daemon runs the test driver on a temporary socket directory; the bindings open
`test+unix:///default?socket=…`, list, define, start, snapshot, receive lifecycle events on a
second connection, and get libvirt-shaped errors.
"""
import json
import os
import shutil
import subprocess
import sys
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python"))

import virtkit  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

VM_UUID = "33333333-4444-5555-6666-777777777777"
VM_XML = """<domain type='test'>
  <name>pyb-vm</name>
  <uuid>%s</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
""" % VM_UUID

# The reference libvirt-python (Debian's python3-libvirt), run as a separate interpreter.
REFERENCE_PYTHON = "/usr/bin/python3"
REFERENCE_SCRIPT = """
import json, sys, libvirt
conn = libvirt.open(sys.argv[1])
dom = conn.lookupByName("test")
pool = conn.storagePoolLookupByName("default-pool")
out = {"getInfo": conn.getInfo(), "info": dom.info()[:4], "state": dom.state(),
       "pool.info": pool.info(), "maxMemory": dom.maxMemory(),
       "OSType": dom.OSType(), "autostart": dom.autostart(), "isPersistent": dom.isPersistent(),
       "getFreeMemory": conn.getFreeMemory(), "isSecure": conn.isSecure(), "vcpusFlags": dom.vcpusFlags(0),
       "getSysinfo": conn.getSysinfo(0)}
dom.suspend()
out["suspended"] = [dom.info()[0], dom.state()]
dom.resume()
conn.close()
print(json.dumps(out))
"""


def _have_reference():
    if not os.path.exists(REFERENCE_PYTHON):
        return False
    return subprocess.run([REFERENCE_PYTHON, "-c", "import libvirt"], capture_output=True).returncode == 0


VIR_ERR_NO_DOMAIN = 42
VIR_ERR_OPERATION_DENIED = 29
VIR_FROM_DOMAIN = 20


def _missing_tool():
    if shutil.which("node") is None:
        return "node is not installed"
    return None


@unittest.skipIf(_missing_tool(), _missing_tool() or "")
class BindingsAgainstVirtkitd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Virtkitd().start()
        cls.uri = cls.daemon.uri("test:///default")
        cls.ro_uri = cls.daemon.uri("test:///default", read_only=True)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()

    def open(self, uri=None):
        conn = virtkit.open(uri or self.uri)
        self.addCleanup(conn.close)
        return conn

    def test_connection_facts(self):
        conn = self.open()
        self.assertIsInstance(conn, virtkit.virConnect)
        self.assertEqual(conn.getType(), "TEST")
        self.assertEqual(conn.getURI(), self.uri)
        self.assertEqual(conn.isAlive(), 1)
        self.assertEqual(sorted(d.name() for d in conn.listAllDomains()), ["test"])

    def test_define_start_snapshot_with_lifecycle_events(self):
        listener = self.open()
        conn = self.open()
        events = []

        def on_lifecycle(cb_conn, dom, event, detail, opaque):
            events.append((cb_conn is listener, dom.name(), event, detail, opaque))

        cid = listener.domainEventRegisterAny(None, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, "op")
        self.assertIsInstance(cid, int)

        dom = conn.defineXML(VM_XML)
        self.addCleanup(self._undefine, conn, "pyb-vm")
        self.assertEqual([dom.name(), dom.UUIDString(), dom.ID(), dom.isActive()], ["pyb-vm", VM_UUID, -1, 0])
        self.assertEqual(dom.create(), 0)
        # As with libvirt's client, the handle learns the id of the started domain.
        self.assertGreater(dom.ID(), 0)
        running = conn.lookupByUUIDString(VM_UUID)
        self.assertEqual(running.ID(), dom.ID())
        self.assertEqual(running.isActive(), 1)
        self.assertEqual(running.info()[0], virtkit.VIR_DOMAIN_RUNNING)
        self.assertEqual(running.state(), [virtkit.VIR_DOMAIN_RUNNING, virtkit.VIR_DOMAIN_RUNNING_BOOTED])

        snap = running.snapshotCreateXML("<domainsnapshot><name>pyb-snap</name></domainsnapshot>", 0)
        self.assertEqual(snap.getName(), "pyb-snap")
        self.assertEqual([s.getName() for s in running.listAllSnapshots()], ["pyb-snap"])
        self.assertIn("<name>pyb-snap</name>", snap.getXMLDesc())
        self.assertEqual(running.snapshotCurrent().getName(), "pyb-snap")
        self.assertEqual(sorted(d.name() for d in conn.listAllDomains()), ["pyb-vm", "test"])

        deadline = time.time() + 10
        while len(events) < 2 and time.time() < deadline:
            listener._rpc.run_event_loop_once(0.2)
        self.assertEqual(events[:2], [
            (True, "pyb-vm", virtkit.VIR_DOMAIN_EVENT_DEFINED, virtkit.VIR_DOMAIN_EVENT_DEFINED_ADDED, "op"),
            (True, "pyb-vm", virtkit.VIR_DOMAIN_EVENT_STARTED, virtkit.VIR_DOMAIN_EVENT_STARTED_BOOTED, "op"),
        ])
        self.assertIsNone(listener.domainEventDeregisterAny(cid))  # as libvirt-python

        self.assertEqual(snap.delete(), 0)
        self.assertEqual(running.destroy(), 0)
        self.assertEqual(running.ID(), -1)
        self.assertEqual(running.isActive(), 0)
        self.assertEqual(running.createWithFlags(0), 0)
        self.assertGreater(running.ID(), 0)
        self.assertEqual(running.destroyFlags(0), 0)
        self.assertEqual(running.undefine(), 0)
        self.assertEqual(sorted(d.name() for d in conn.listAllDomains()), ["test"])

    def _undefine(self, conn, name):
        try:
            dom = conn.lookupByName(name)
        except virtkit.libvirtError:
            return
        if dom.isActive():
            dom.destroy()
        dom.undefineFlags(virtkit.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)

    @unittest.skipUnless(_have_reference(), "libvirt-python is not importable by " + REFERENCE_PYTHON)
    def test_results_are_shaped_as_libvirt_python_shapes_them(self):
        ref = subprocess.run([REFERENCE_PYTHON, "-c", REFERENCE_SCRIPT, self.uri],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(ref.returncode, 0, ref.stderr)
        want = json.loads(ref.stdout)
        conn = self.open()
        dom = conn.lookupByName("test")
        pool = conn.storagePoolLookupByName("default-pool")
        got = {"getInfo": conn.getInfo(), "info": dom.info()[:4], "state": dom.state(),
               "pool.info": pool.info(), "maxMemory": dom.maxMemory(),
               "OSType": dom.OSType(), "autostart": dom.autostart(), "isPersistent": dom.isPersistent(),
               "getFreeMemory": conn.getFreeMemory(), "isSecure": conn.isSecure(), "vcpusFlags": dom.vcpusFlags(0),
               "getSysinfo": conn.getSysinfo(0)}
        dom.suspend()
        got["suspended"] = [dom.info()[0], dom.state()]
        dom.resume()
        self.assertEqual(json.loads(json.dumps(got)), want)

    def test_missing_domain_is_a_libvirt_error(self):
        conn = self.open()
        with self.assertRaises(virtkit.libvirtError) as ctx:
            conn.lookupByName("no-such-domain")
        err = ctx.exception
        self.assertEqual(err.get_error_code(), VIR_ERR_NO_DOMAIN)
        self.assertEqual(err.get_error_level(), 2)
        self.assertTrue(err.get_error_message().startswith("Domain not found"), err.get_error_message())
        self.assertEqual(str(err), err.get_error_message())

    def test_read_only_socket_refuses_writes(self):
        conn = self.open(self.ro_uri)
        self.assertEqual(sorted(d.name() for d in conn.listAllDomains()), ["test"])
        with self.assertRaises(virtkit.libvirtError) as ctx:
            conn.lookupByName("test").suspend()
        err = ctx.exception
        self.assertEqual([err.get_error_code(), err.get_error_domain(), err.get_error_message()],
                         [VIR_ERR_OPERATION_DENIED, VIR_FROM_DOMAIN,
                          "operation forbidden: read only access prevents virDomainSuspend"])


if __name__ == "__main__":
    unittest.main()

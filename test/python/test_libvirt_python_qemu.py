"""The reference libvirt-python (Debian's python3-libvirt 9.0) against a real virtkitd on the QEMU
driver.

virtkitd serves `qemu:///system` from a private root (`--qemu-root`), so nothing touches the
machine's /etc/virtkit, /var/lib/virtkit or /run/virtkit. The client opens
`qemu+unix:///system?socket=...`, defines a TCG guest with a qcow2 disk, starts it, takes an
internal snapshot, receives lifecycle events through libvirt's default event loop running in a
thread, destroys and undefines it.
"""
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

from virtkitd_fixture import Virtkitd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SYSTEM_SITE = "/usr/lib/python3/dist-packages"
QEMU = "/usr/bin/qemu-system-x86_64"


def _load_libvirt():
    """libvirt-python from this interpreter, or Debian's copy when its C module fits this one."""
    try:
        import libvirt
        return libvirt
    except ImportError:
        pass
    mod_path = None
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = os.path.join(SYSTEM_SITE, "libvirtmod" + suffix)
        if os.path.exists(candidate):
            mod_path = candidate
            break
    if mod_path is None or not os.path.exists(os.path.join(SYSTEM_SITE, "libvirt.py")):
        return None
    for name, path in (("libvirtmod", mod_path), ("libvirt", os.path.join(SYSTEM_SITE, "libvirt.py"))):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules["libvirt"]


libvirt = _load_libvirt()


def _missing():
    if libvirt is None:
        return "libvirt-python is not importable (Debian: python3-libvirt)"
    if shutil.which("node") is None:
        return "node is not installed"
    if not os.path.exists(QEMU) or shutil.which("qemu-img") is None:
        return "QEMU is not installed"
    return None


DOM = "pyq-vm"


def _domain_xml(disk):
    return ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
            "<os><type arch='x86_64'>hvm</type></os><devices>"
            "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='%s'/>"
            "<target dev='hda' bus='ide'/></disk></devices></domain>") % (DOM, disk)


class EventLoop:
    """libvirt's default event implementation, run by a thread until stopped."""

    def __init__(self):
        libvirt.virEventRegisterDefaultImpl()
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while self.running:
            libvirt.virEventRunDefaultImpl()

    def stop(self):
        self.running = False
        # A timer that fires at once wakes the loop so the thread sees the flag.
        timer = libvirt.virEventAddTimeout(0, lambda timer, opaque: None, None)
        self.thread.join(5)
        libvirt.virEventRemoveTimeout(timer)


@unittest.skipIf(_missing(), _missing() or "")
class LibvirtPythonOnQemu(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="virtkit-pyq-")
        cls.daemon = Virtkitd().start()
        cls.qemu_root = cls.daemon.qemu_root
        cls.uri = cls.daemon.uri("qemu:///system")
        cls.disk = os.path.join(cls.dir, "disk.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", cls.disk, "32M"], check=True)
        cls.loop = EventLoop()

    @classmethod
    def tearDownClass(cls):
        try:
            conn = libvirt.open(cls.uri)
            for dom in conn.listAllDomains():
                if dom.isActive():
                    dom.destroy()
            conn.close()
        except libvirt.libvirtError:
            pass
        cls.loop.stop()
        cls.daemon.stop()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def open(self):
        conn = libvirt.open(self.uri)
        self.addCleanup(conn.close)
        return conn

    def test_connection_facts(self):
        conn = self.open()
        self.assertEqual(conn.getType(), "QEMU")
        self.assertEqual(conn.getURI(), self.uri)
        self.assertEqual(conn.isAlive(), 1)
        major = conn.getVersion() // 1000000
        self.assertGreaterEqual(major, 2)
        self.assertIn("<arch>x86_64</arch>", conn.getCapabilities())
        self.assertEqual(conn.listAllDomains(), [])
        with self.assertRaises(libvirt.libvirtError) as missing:
            conn.lookupByName("no-such-domain")
        self.assertEqual(missing.exception.get_error_code(), libvirt.VIR_ERR_NO_DOMAIN)
        self.assertEqual(missing.exception.get_error_message(),
                         "Domain not found: no domain with matching name 'no-such-domain'")

    def _record_lifecycle(self, listener, opaque):
        """Register a lifecycle callback on `listener`. Returns its callback id and wait(n, timeout),
        which waits for n events and returns them as (domain name, event, detail, opaque)."""
        events = []
        seen = threading.Condition()

        def on_lifecycle(cb_conn, dom, event, detail, cb_opaque):
            with seen:
                events.append((dom.name(), event, detail, cb_opaque))
                seen.notify_all()

        def wait(n, timeout):
            with seen:
                seen.wait_for(lambda: len(events) >= n, timeout=timeout)
                return list(events)

        return listener.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, opaque), wait

    def test_define_start_snapshot_events_destroy_undefine(self):
        listener = self.open()
        conn = self.open()
        cid, wait = self._record_lifecycle(listener, "op")
        self.addCleanup(self._undefine, conn)

        dom = conn.defineXML(_domain_xml(self.disk))
        self.assertEqual([dom.name(), dom.ID(), dom.isActive(), dom.isPersistent()], [DOM, -1, 0, 1])
        self.assertTrue(os.path.exists(os.path.join(self.qemu_root, "etc", DOM + ".xml")))
        self.assertEqual([d.name() for d in conn.listAllDomains()], [DOM])

        self.assertEqual(dom.create(), 0)
        self.assertGreater(dom.ID(), 0)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_BOOTED])
        info = dom.info()
        self.assertEqual(info[:4], [libvirt.VIR_DOMAIN_RUNNING, 65536, 65536, 1])
        self.assertEqual(conn.listDomainsID(), [dom.ID()])
        with open(os.path.join(self.qemu_root, "run", DOM + ".json")) as f:
            self.assertIn('"pid"', f.read())

        snap = dom.snapshotCreateXML("<domainsnapshot><name>pyq-snap</name></domainsnapshot>", 0)
        self.assertEqual(snap.getName(), "pyq-snap")
        self.assertEqual(dom.snapshotListNames(), ["pyq-snap"])
        self.assertEqual(dom.snapshotCurrent().getName(), "pyq-snap")
        self.assertIn("<state>running</state>", snap.getXMLDesc())
        img = subprocess.run(["qemu-img", "snapshot", "-U", "-l", self.disk], capture_output=True, text=True)
        self.assertIn("pyq-snap", img.stdout)

        self.assertEqual(dom.destroy(), 0)
        self.assertEqual(dom.ID(), -1)
        self.assertEqual(dom.state(), [libvirt.VIR_DOMAIN_SHUTOFF, libvirt.VIR_DOMAIN_SHUTOFF_DESTROYED])

        # The internal snapshot pauses the guest around QEMU's savevm, as libvirt's does; start
        # and destroy add QEMU's RESUME and SHUTDOWN, as libvirtd reports them.
        want = [
            (DOM, libvirt.VIR_DOMAIN_EVENT_DEFINED, libvirt.VIR_DOMAIN_EVENT_DEFINED_ADDED, "op"),
            (DOM, libvirt.VIR_DOMAIN_EVENT_RESUMED, libvirt.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, "op"),
            (DOM, libvirt.VIR_DOMAIN_EVENT_STARTED, libvirt.VIR_DOMAIN_EVENT_STARTED_BOOTED, "op"),
            (DOM, libvirt.VIR_DOMAIN_EVENT_SUSPENDED, libvirt.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, "op"),
            (DOM, libvirt.VIR_DOMAIN_EVENT_RESUMED, libvirt.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, "op"),
            (DOM, libvirt.VIR_DOMAIN_EVENT_SHUTDOWN, libvirt.VIR_DOMAIN_EVENT_SHUTDOWN_HOST, "op"),
            (DOM, libvirt.VIR_DOMAIN_EVENT_STOPPED, libvirt.VIR_DOMAIN_EVENT_STOPPED_DESTROYED, "op"),
        ]
        self.assertEqual(wait(len(want), 10), want)
        listener.domainEventDeregisterAny(cid)

        with self.assertRaises(libvirt.libvirtError) as refused:
            dom.undefine()
        self.assertEqual(refused.exception.get_error_code(), libvirt.VIR_ERR_OPERATION_INVALID)
        self.assertEqual(dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA), 0)
        self.assertEqual(conn.listAllDomains(), [])
        self.assertFalse(os.path.exists(os.path.join(self.qemu_root, "etc", DOM + ".xml")))

    # libvirtd 9.0's QEMU driver (measured with the same calls) sends "Resumed Unpaused" before
    # "Started Booted" and "Shutdown Finished" before "Stopped Destroyed", from QEMU's RESUME and
    # SHUTDOWN events.
    def test_start_and_destroy_events_match_libvirtd(self):
        listener = self.open()
        conn = self.open()
        cid, wait = self._record_lifecycle(listener, None)
        self.addCleanup(listener.domainEventDeregisterAny, cid)
        dom = conn.createXML(_domain_xml(self.disk).replace(DOM, "pyq-transient"), 0)
        dom.destroy()
        want = [
            ("pyq-transient", libvirt.VIR_DOMAIN_EVENT_RESUMED, libvirt.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED, None),
            ("pyq-transient", libvirt.VIR_DOMAIN_EVENT_STARTED, libvirt.VIR_DOMAIN_EVENT_STARTED_BOOTED, None),
            ("pyq-transient", libvirt.VIR_DOMAIN_EVENT_SHUTDOWN, libvirt.VIR_DOMAIN_EVENT_SHUTDOWN_HOST, None),
            ("pyq-transient", libvirt.VIR_DOMAIN_EVENT_STOPPED, libvirt.VIR_DOMAIN_EVENT_STOPPED_DESTROYED, None),
        ]
        self.assertEqual(wait(len(want), 3), want)

    def _undefine(self, conn):
        try:
            dom = conn.lookupByName(DOM)
        except libvirt.libvirtError:
            return
        if dom.isActive():
            dom.destroy()
        dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)


if __name__ == "__main__":
    unittest.main()

"""The bindings over TLS (`test+tls://127.0.0.1:PORT/default?pkipath=DIR`) to a private libvirtd 9.0
and to virtkitd, each listening on TLS with certificates this test makes: the client certificate
from ?pkipath=, the server's checked against our CA, the daemon's check byte; calls, a stream
larger than one TLS record and events read by the default event loop. The refusals are compared
with the real libvirt-python's against the same libvirtd."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINDINGS = os.path.join(ROOT, "packages", "bindings-python")
sys.path.insert(0, BINDINGS)
sys.path.insert(0, os.path.join(BINDINGS, "tests"))

import virtkit  # noqa: E402
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402
from pki_fixture import make_pki, openssl_unavailable_reason, readable_by_all  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

REFERENCE_PYTHON = "/usr/bin/python3"
VIR_ERR_SYSTEM_ERROR = 38
VIR_ERR_AUTH_FAILED = 45


def setUpModule():
    # the default loop, run by a thread of its own, reads the connections that wait for events
    virtkit.virEventRegisterDefaultImpl()
    threading.Thread(target=lambda: [virtkit.virEventRunDefaultImpl() for _ in iter(int, 1)],
                     name="event-loop", daemon=True).start()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on port %d" % port)


def mixed_pki(tmp, name, ca_from, client_from):
    """A ?pkipath= whose CA and client certificate come from different PKIs."""
    path = os.path.join(tmp, name)
    os.mkdir(path)
    shutil.copy(os.path.join(ca_from.client_dir, "cacert.pem"), path)
    for f in ("clientcert.pem", "clientkey.pem"):
        shutil.copy(os.path.join(client_from.client_dir, f), path)
    return path


def reference_open(uri):
    """[code, domain, message] of libvirt-python's failure to open `uri`, or "opened"."""
    script = ("import json, libvirt\nlibvirt.registerErrorHandler(lambda *a: None, None)\n"
              "try:\n    libvirt.open(%r).close(); print(json.dumps('opened'))\n"
              "except libvirt.libvirtError as e:\n"
              "    print(json.dumps([e.get_error_code(), e.get_error_domain(), e.get_error_message()]))\n" % uri)
    out = subprocess.run([REFERENCE_PYTHON, "-c", script], capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


def ours_open(uri):
    try:
        virtkit.open(uri, timeout=20).close()
        return "opened"
    except virtkit.libvirtError as e:
        return [e.get_error_code(), e.get_error_domain(), e.get_error_message()]


class TlsChecks(object):
    """The checks both daemons get; a subclass starts one and sets cls.port."""

    @classmethod
    def make_pkis(cls):
        cls.tmp = tempfile.mkdtemp(prefix="virtkit-py-tls-")
        cls.pki = make_pki(os.path.join(cls.tmp, "pki"))
        cls.other = make_pki(os.path.join(cls.tmp, "other"))
        readable_by_all(cls.tmp)
        cls.port = free_port()

    def uri(self, pkipath=None, extra=""):
        return "test+tls://127.0.0.1:%d/default?pkipath=%s%s" % (self.port, pkipath or self.pki.client_dir, extra)

    def test_calls_streams_and_events_over_tls(self):
        conn = virtkit.open(self.uri())
        self.addCleanup(conn.close)
        self.assertEqual(conn.getType(), "TEST")
        dom = conn.lookupByName("test")
        self.assertEqual(dom.info()[0], virtkit.VIR_DOMAIN_RUNNING)
        # the screenshot is larger than one TLS record
        stream = conn.newStream()
        self.assertEqual(dom.screenshot(stream, 0, 0), "image/png")
        image = bytearray()
        stream.recvAll(lambda st, data, buf: buf.extend(data), image)
        stream.finish()
        self.assertGreater(len(image), 16384)
        self.assertEqual(bytes(image[:8]), b"\x89PNG\r\n\x1a\n")
        # events arrive through the default loop with no call in flight (no keepalive thread reads)
        conn.setKeepAlive(0, 0)
        seen = []
        got = threading.Event()

        def on_lifecycle(c, d, event, detail, opaque):
            seen.append((d.name(), event, threading.current_thread().name))
            got.set()

        conn.domainEventRegisterAny(dom, virtkit.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
        other = virtkit.open(self.uri())
        other.lookupByName("test").suspend()
        other.close()
        self.assertTrue(got.wait(10), "no lifecycle event over TLS")
        self.assertEqual(seen[0], ("test", virtkit.VIR_DOMAIN_EVENT_SUSPENDED, "event-loop"))
        dom.resume()

    def test_no_verify_accepts_a_server_certificate_our_ca_did_not_sign(self):
        # our CA is another one, so the server's certificate fails our check unless ?no_verify=1;
        # ?no_sanity=1 lets us present a client certificate that CA did not sign (the daemon's)
        path = mixed_pki(self.tmp, "no-verify-%s" % type(self).__name__, self.other, self.pki)
        self.assertEqual(ours_open(self.uri(path, "&no_sanity=1"))[0], VIR_ERR_AUTH_FAILED)
        conn = virtkit.open(self.uri(path, "&no_sanity=1&no_verify=1"))
        self.assertEqual(conn.getType(), "TEST")
        conn.close()

    def test_a_missing_ca_certificate_is_named(self):
        empty = os.path.join(self.tmp, "empty-%s" % type(self).__name__)
        os.mkdir(empty)
        code, _, message = ours_open(self.uri(empty))
        self.assertEqual(code, VIR_ERR_SYSTEM_ERROR)
        self.assertIn("Cannot read CA certificate '%s/cacert.pem'" % empty, message)

    def test_refusals_are_libvirt_pythons(self):
        """Each refusal, error for error, as the real libvirt-python gets it from the same daemon."""
        if subprocess.run([REFERENCE_PYTHON, "-c", "import libvirt"]).returncode:
            self.skipTest("the reference libvirt-python (Debian python3-libvirt) is not installed")
        name = type(self).__name__
        cases = [
            # our own certificate not from our CA: libvirt's sanity check
            ("own-cert-%s" % name, self.other, self.pki, ""),
            # the server's certificate not from our CA
            ("foreign-ca-%s" % name, self.other, self.other, ""),
            ("no-sanity-%s" % name, self.other, self.pki, "&no_sanity=1"),
            # a client certificate the daemon does not trust: its check byte says no
            ("untrusted-client-%s" % name, self.pki, self.other, "&no_sanity=1"),
        ]
        for case, ca_from, client_from, extra in cases:
            with self.subTest(case=case):
                uri = self.uri(mixed_pki(self.tmp, case, ca_from, client_from), extra)
                reference = reference_open(uri)
                self.assertNotEqual(reference, "opened")
                self.assertEqual(ours_open(uri), reference)


@unittest.skipIf(libvirtd_unavailable_reason() or openssl_unavailable_reason(),
                 libvirtd_unavailable_reason() or openssl_unavailable_reason())
class AgainstLibvirtd(TlsChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.make_pkis()
        cls.daemon = Libvirtd(tls=dict(port=cls.port, **cls.pki.server)).start()
        wait_for_port(cls.port)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)


class AgainstVirtkitd(TlsChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        reason = openssl_unavailable_reason()
        if reason:
            raise unittest.SkipTest(reason)
        cls.make_pkis()
        cls.conf = os.path.join(cls.tmp, "virtkitd.conf")
        with open(cls.conf, "w") as f:
            f.write('listen_tls = 1\nlisten_tcp = 0\ntls_port = "%d"\nlisten_addr = "127.0.0.1"\nauth_tls = "none"\n'
                    'ca_file = "%s"\ncert_file = "%s"\nkey_file = "%s"\n'
                    % (cls.port, cls.pki.server["ca"], cls.pki.server["cert"], cls.pki.server["key"]))
        cls.daemon = Virtkitd("--listen", "-f", cls.conf).start()
        wait_for_port(cls.port)

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()

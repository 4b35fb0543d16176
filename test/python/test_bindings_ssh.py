"""The bindings over ssh (`test+ssh://root@127.0.0.1:PORT/default?keyfile=...`) through a private
OpenSSH server (sshd_fixture) to virtkitd and to a private libvirtd 9.0: the system ssh runs
virt-ssh-helper on the far side (or `nc -U` for ?socket=), as libvirt's client does. The ssh
command line and every refusal are compared with the real libvirt-python's for the same URI.
"""
import json
import os
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINDINGS = os.path.join(ROOT, "packages", "bindings-python")
sys.path.insert(0, BINDINGS)
sys.path.insert(0, os.path.join(BINDINGS, "tests"))

import virtkit  # noqa: E402
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402
from sshd_fixture import Sshd, sshd_unavailable_reason  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

REFERENCE_PYTHON = "/usr/bin/python3"
VIR_ERR_SYSTEM_ERROR = 38


def reference_available():
    return subprocess.run([REFERENCE_PYTHON, "-c", "import libvirt"], capture_output=True).returncode == 0


def reference_open(uri, read_only=False):
    """What libvirt-python makes of `uri`: ["opened", type, domain names] or [code, domain, message]."""
    opener = "openReadOnly" if read_only else "open"
    script = ("import json, libvirt\nlibvirt.registerErrorHandler(lambda *a: None, None)\n"
              "try:\n    c = libvirt.%s(%r)\n"
              "    print(json.dumps(['opened', c.getType(), sorted(d.name() for d in c.listAllDomains())]))\n"
              "    c.close()\n"
              "except libvirt.libvirtError as e:\n"
              "    print(json.dumps([e.get_error_code(), e.get_error_domain(), e.get_error_message()]))\n"
              % (opener, uri))
    out = subprocess.run([REFERENCE_PYTHON, "-c", script], capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


def ours_open(uri, read_only=False):
    try:
        conn = (virtkit.openReadOnly if read_only else virtkit.open)(uri, timeout=30)
    except virtkit.libvirtError as e:
        return [e.get_error_code(), e.get_error_domain(), e.get_error_message()]
    try:
        return ["opened", conn.getType(), sorted(d.name() for d in conn.listAllDomains())]
    finally:
        conn.close()


class SshChecks(object):
    """The checks both daemons get; a subclass starts the daemon as cls.daemon_socket."""

    @classmethod
    def start_sshd(cls):
        cls.sshd = Sshd(cls.daemon_socket, cls.daemon_socket_ro).start()

    def uri(self, extra=""):
        return ("test+ssh://root@127.0.0.1:%d/default?keyfile=%s&no_tty=1&command=%s%s"
                % (self.sshd.port, self.sshd.client_key, self.sshd.ssh_command, extra))

    def setUp(self):
        self.sshd.trust_host_key()
        self.sshd.logged_args()

    def test_calls_through_virt_ssh_helper(self):
        conn = virtkit.open(self.uri())
        self.addCleanup(conn.close)
        self.assertEqual(conn.getType(), "TEST")
        dom = conn.lookupByName("test")
        dom.suspend()
        self.assertEqual(dom.info()[0], virtkit.VIR_DOMAIN_PAUSED)
        dom.resume()
        self.assertIn("virt-ssh-helper 'test:///default'", self.sshd.logged_args()[0])

    def test_an_unknown_host_key_is_refused_unless_no_verify(self):
        self.sshd.forget_host_key()
        code, _, message = ours_open(self.uri())
        self.assertEqual(code, VIR_ERR_SYSTEM_ERROR)
        self.assertIn("Host key verification failed", message)
        self.assertEqual(ours_open(self.uri("&no_verify=1")), ["opened", "TEST", ["test"]])

    def test_the_same_ssh_command_and_outcomes_as_libvirt_python(self):
        """virt-ssh-helper (-r when read-only), nc for ?socket= or ?netcat=, an unknown host key:
        the same ssh command line, and the same result, as libvirt-python's for each URI."""
        if not reference_available():
            self.skipTest("the reference libvirt-python (Debian python3-libvirt) is not installed")
        cases = [("helper", self.uri(), False), ("read-only", self.uri(), True),
                 ("netcat", self.uri("&socket=/run/libvirt/libvirt-sock"), False),
                 ("netcat path", self.uri("&netcat=nc"), False),
                 ("unknown host", self.uri(), False)]
        for name, uri, read_only in cases:
            with self.subTest(case=name):
                if name == "unknown host":
                    self.sshd.forget_host_key()
                reference = reference_open(uri, read_only)
                reference_args = self.sshd.logged_args()
                self.sshd.trust_host_key() if name != "unknown host" else self.sshd.forget_host_key()
                ours = ours_open(uri, read_only)
                self.assertEqual(self.sshd.logged_args(), reference_args)
                if name == "unknown host":
                    # ssh's own words differ only in the host key it prints
                    self.assertEqual(ours[:2], reference[:2])
                    self.assertIn("Host key verification failed", reference[2])
                else:
                    self.assertEqual(ours, reference)


@unittest.skipIf(sshd_unavailable_reason(), sshd_unavailable_reason())
class AgainstVirtkitd(SshChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Virtkitd().start()
        cls.daemon_socket, cls.daemon_socket_ro = cls.daemon.socket, cls.daemon.socket_ro
        cls.start_sshd()

    @classmethod
    def tearDownClass(cls):
        cls.sshd.stop()
        cls.daemon.stop()


@unittest.skipIf(sshd_unavailable_reason() or libvirtd_unavailable_reason(),
                 sshd_unavailable_reason() or libvirtd_unavailable_reason())
class AgainstLibvirtd(SshChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Libvirtd().start()
        # unprivileged, libvirtd makes no read-only socket: its read-write one stands in
        cls.daemon_socket = cls.daemon_socket_ro = cls.daemon.socket_path
        cls.start_sshd()

    @classmethod
    def tearDownClass(cls):
        cls.sshd.stop()
        cls.daemon.stop()


if __name__ == "__main__":
    unittest.main()

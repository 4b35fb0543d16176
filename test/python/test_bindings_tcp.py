"""The bindings over TCP (`test+tcp://HOST:PORT/default`) to a real virtkitd listening on a free
loopback port (listen_tcp, auth_tcp none, no TLS), and the error of a port nobody listens on."""
import os
import socket
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python"))

import virtkit  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

VIR_ERR_SYSTEM_ERROR = 38


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OverTcp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
        cls.conf.write("listen_tcp = 1\nlisten_tls = 0\nauth_tcp = \"none\"\ntcp_port = \"%d\"\n"
                       "listen_addr = \"127.0.0.1\"\n" % cls.port)
        cls.conf.close()
        cls.daemon = Virtkitd("--listen", "-f", cls.conf.name).start()

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        os.unlink(cls.conf.name)

    def test_calls_and_events_over_tcp(self):
        conn = virtkit.open("test+tcp://127.0.0.1:%d/default" % self.port)
        self.addCleanup(conn.close)
        self.assertEqual(conn.getURI(), "test+tcp://127.0.0.1:%d/default" % self.port)
        dom = conn.lookupByName("test")
        self.assertEqual(dom.info()[0], virtkit.VIR_DOMAIN_RUNNING)
        self.assertEqual(conn.listDomainsID(), [dom.ID()])

    def test_refused_port_is_a_system_error(self):
        with self.assertRaises(virtkit.libvirtError) as cm:
            virtkit.open("test+tcp://127.0.0.1:%d/default" % free_port(), timeout=5)
        self.assertEqual(cm.exception.get_error_code(), VIR_ERR_SYSTEM_ERROR)
        self.assertIn("unable to connect to server at '127.0.0.1:", cm.exception.get_error_message())


if __name__ == "__main__":
    unittest.main()

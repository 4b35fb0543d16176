"""URI parsing: socket selection and the URI sent in CONNECT_OPEN."""
import os
import unittest
from unittest import mock

import runtime_paths  # noqa: F401
from virtkit import _uri
from virtkit._errors import libvirtError
from virtkit._uri import parse_uri


class Uris(unittest.TestCase):
    def setUp(self):
        patcher = mock.patch.dict(os.environ, {}, clear=False)
        patcher.start()
        self.addCleanup(patcher.stop)
        os.environ.pop("VIRTKIT_SOCKET", None)

    def test_explicit_socket_is_stripped(self):
        t = parse_uri("test+unix:///default?socket=/tmp/x.sock")
        self.assertEqual(t[:2], ("/tmp/x.sock", "test:///default"))
        t = parse_uri("qemu+unix:///system?socket=/run/a.sock")
        self.assertEqual(t[:2], ("/run/a.sock", "qemu:///system"))

    def test_other_parameters_are_kept(self):
        t = parse_uri("qemu+unix:///session?socket=/s&foo=bar")
        self.assertEqual(t[:2], ("/s", "qemu:///session?foo=bar"))

    def test_plain_uri_uses_default_socket(self):
        os.environ["VIRTKIT_SOCKET"] = "/override.sock"
        self.assertEqual(parse_uri("qemu:///system")[:2], ("/override.sock", "qemu:///system"))
        self.assertEqual(parse_uri("test+unix:///default")[:2], ("/override.sock", "test:///default"))

    def test_null_uri(self):
        os.environ["VIRTKIT_SOCKET"] = "/override.sock"
        self.assertEqual(parse_uri(None)[:2], ("/override.sock", ""))
        self.assertEqual(parse_uri("")[:2], ("/override.sock", ""))

    def test_default_socket_for_root_and_users(self):
        with mock.patch.object(_uri.os, "geteuid", return_value=0):
            self.assertEqual(_uri.default_socket_path(), "/run/virtkit/virtkit-sock")
        with mock.patch.object(_uri.os, "geteuid", return_value=1000):
            os.environ["XDG_RUNTIME_DIR"] = "/run/user/1000"
            self.assertEqual(_uri.default_socket_path(), "/run/user/1000/virtkit/virtkit-sock")
            os.environ["VIRTKIT_SOCKET"] = "/x"
            self.assertEqual(_uri.default_socket_path(), "/x")

    def test_tcp_uris_name_host_and_port(self):
        self.assertEqual(parse_uri("qemu+tcp://host/system")[:5], (None, "qemu:///system", "host", 16509, "tcp"))
        self.assertEqual(parse_uri("test+tcp://127.0.0.1:1234/default?x=1")[:4],
                         (None, "test:///default?x=1", "127.0.0.1", 1234))
        self.assertEqual(parse_uri("test+tcp:///default")[:4], (None, "test:///default", "localhost", 16509))

    def test_a_host_without_transport_is_tls(self):
        t = parse_uri("qemu://host/system?pkipath=/p&no_verify=1")
        self.assertEqual(t[:5], (None, "qemu:///system", "host", 16514, "tls"))
        self.assertEqual(t.params, {"pkipath": "/p", "no_verify": "1"})

    def test_ssh_uris_keep_user_port_and_client_parameters_apart(self):
        t = parse_uri("qemu+ssh://root@far:2222/system?keyfile=/k&no_tty=1&socket=/s&mode=legacy&foo=bar")
        self.assertEqual(t[:6], ("/s", "qemu:///system?foo=bar", "far", 2222, "ssh", "root"))
        self.assertEqual(t.params, {"keyfile": "/k", "no_tty": "1", "socket": "/s", "mode": "legacy"})
        self.assertEqual(parse_uri("qemu+ssh://far/system").port, None)   # ssh's own default
        self.assertEqual(parse_uri("qemu+ssh://far/system?name=qemu:///session").wire_uri, "qemu:///session")

    def test_unsupported_uris(self):
        for uri in ["qemu+unix://host/system", "qemu+tcp://host:x/system", "qemu+bogus://h/system",
                    "qemu+libssh2://h/system", "/just/a/path"]:
            with self.subTest(uri=uri), self.assertRaises(libvirtError):
                parse_uri(uri)


if __name__ == "__main__":
    unittest.main()

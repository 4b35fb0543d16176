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
        self.assertEqual(parse_uri("qemu+tcp://host/system"), (None, "qemu:///system", "host", 16509))
        self.assertEqual(parse_uri("test+tcp://127.0.0.1:1234/default?x=1"),
                         (None, "test:///default?x=1", "127.0.0.1", 1234))
        self.assertEqual(parse_uri("test+tcp:///default"), (None, "test:///default", "localhost", 16509))

    def test_unsupported_uris(self):
        for uri in ["qemu+ssh://host/system", "qemu+unix://host/system", "qemu+tcp://host:x/system",
                    "/just/a/path"]:
            with self.subTest(uri=uri), self.assertRaises(libvirtError):
                parse_uri(uri)


if __name__ == "__main__":
    unittest.main()

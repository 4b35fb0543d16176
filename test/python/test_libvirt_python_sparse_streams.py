"""sparse_stream_transcript.py (a sparse upload with virStream.sparseSendAll and a sparse
download with sparseRecvAll, through a directory pool) prints the same transcript with the real
libvirt-python and with virtkit's `libvirt` compatibility module against the same daemon: a
private libvirtd's storage driver (storage:///session), whose downloads carry holes, and
virtkitd's qemu:///system, whose downloads are all data."""
import os
import shutil
import sys
import tempfile
import unittest

import transcript_runner
from transcript_runner import BINDINGS, COMPAT_ENV, HERE, REFERENCE_PYTHON, have_reference

SCRIPT = os.path.join(HERE, "sparse_stream_transcript.py")

sys.path.insert(0, os.path.join(BINDINGS, "tests"))
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

LAYOUT = "[('data', 65536), ('hole', 2031616), ('data', 131072), ('hole', 1966080)]"


def transcript(python, uri, env):
    pool, work = tempfile.mkdtemp(prefix="sparse-pool-"), tempfile.mkdtemp(prefix="sparse-work-")
    os.chmod(pool, 0o777)   # libvirtd runs as nobody when the tests run as root
    try:
        return transcript_runner.transcript(python, SCRIPT, [uri, pool, work], env)
    finally:
        shutil.rmtree(pool, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


class SparseStreams(unittest.TestCase):
    def run_against(self, daemon, driver_uri):
        try:
            uri = daemon.start().uri(driver_uri)
            ours = transcript(sys.executable, uri, COMPAT_ENV)
            theirs = transcript(REFERENCE_PYTHON, uri, {}) if have_reference() else None
        finally:
            daemon.stop()
        self.assertIn("sent: %s\n" % LAYOUT, ours)
        self.assertIn("same bytes: True\n", ours)
        if theirs is None:
            self.skipTest("libvirt-python missing")
        self.assertEqual(ours, theirs)
        return ours

    def test_holes_both_ways_against_libvirtd(self):
        reason = libvirtd_unavailable_reason()
        if reason:
            self.skipTest(reason)
        ours = self.run_against(Libvirtd(), "storage:///session")
        self.assertIn("received: %s\n" % LAYOUT, ours)

    def test_sparse_upload_against_virtkitd(self):
        self.run_against(Virtkitd(), "qemu:///system")


if __name__ == "__main__":
    unittest.main()

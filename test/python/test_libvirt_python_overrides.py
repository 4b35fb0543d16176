"""override_transcript.py (the methods libvirt-python shapes by hand: CPU maps and pinning,
IOThreads, memory/blkio/NUMA/perf parameters, host CPU map and statistics, PM calls, network,
storage pool and node device events) prints the same transcript with the real libvirt-python and
with virtkit's `libvirt` compatibility module against the same daemon, for a private libvirtd and for virtkitd; and
virtkitd's transcript matches libvirtd's."""
import os
import sys
import unittest

from transcript_runner import BINDINGS, COMPAT_ENV, HERE, REFERENCE_PYTHON, have_reference, transcript

SCRIPT = os.path.join(HERE, "override_transcript.py")

sys.path.insert(0, os.path.join(BINDINGS, "tests"))
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402

class OverrideTranscript(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        daemons = [("virtkitd", Virtkitd())]
        if not libvirtd_unavailable_reason():
            daemons.append(("libvirtd", Libvirtd()))
        cls.outputs = {}
        try:
            for name, daemon in daemons:
                uri = daemon.start().uri("test:///default")
                cls.outputs[(name, "virtkit")] = transcript(sys.executable, SCRIPT, [uri], COMPAT_ENV)
                if have_reference():
                    cls.outputs[(name, "libvirt-python")] = transcript(REFERENCE_PYTHON, SCRIPT, [uri], {})
        finally:
            for _, daemon in daemons:
                daemon.stop()

    def test_virtkit_calls_reach_the_daemon(self):
        ours = self.outputs[("virtkitd", "virtkit")]
        self.assertIn("pinVcpu: 0\n", ours)
        self.assertIn("pinVcpu list: 'TypeError: Unexpected type, tuple is required'", ours)
        self.assertIn("emulatorPinInfo after pin: (False, True, True, False, False, False, False, False)", ours)
        self.assertIn("ioThreadInfo after pin: [(3, [True, True, False, False, False, False, False, False])]", ours)
        self.assertIn("'hard_limit': 2097152", ours)
        self.assertIn("network events: [('transcript-net', 0, 0, 'all'), ('transcript-net', 2, 0, 'all')", ours)
        self.assertIn("pool and device events: [('transcript-pool', 0, 0, 'pools'), "
                      "('transcript-pool', 4, 0, 'pools'), "
                      "('transcript-pool', 2, 0, 'pools'), ('default-pool', 'refresh of default-pool'), "
                      "('transcript-pool', 3, 0, 'pools'), ('transcript-pool', 5, 0, 'pools'), "
                      "('transcript-pool', 1, 0, 'pools'), ('scsi_host12', 0, 0, 'devices'), "
                      "('scsi_host12', 1, 0, 'devices')]", ours)

    def test_same_transcript_as_libvirt_python_on_each_daemon(self):
        compared = 0
        for daemon in ("virtkitd", "libvirtd"):
            reference = self.outputs.get((daemon, "libvirt-python"))
            if reference is not None:
                self.assertEqual(self.outputs[(daemon, "virtkit")], reference, "virtkit differs against %s" % daemon)
                compared += 1
        if compared < 2:
            self.skipTest("compared on %d of 2 daemons: libvirtd or libvirt-python missing" % compared)

    def test_virtkitd_answers_as_libvirtd(self):
        theirs = self.outputs.get(("libvirtd", "virtkit"))
        if theirs is None:
            self.skipTest("libvirtd missing")
        self.assertEqual(self.outputs[("virtkitd", "virtkit")], theirs)


if __name__ == "__main__":
    unittest.main()

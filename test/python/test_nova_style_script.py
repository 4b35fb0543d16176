"""examples/python/nova_style.py (what Nova's libvirt driver does: capabilities, define, create,
info, XMLDesc, snapshots, blockStats, memoryStats, events via the default loop, destroy,
undefine) prints the same transcript with the real libvirt-python and with virtkit's `libvirt`
compatibility module, against a private libvirtd and against virtkitd."""
import os
import sys
import unittest

from transcript_runner import BINDINGS, COMPAT_ENV, REFERENCE_PYTHON, ROOT, have_reference, transcript

SCRIPT = os.path.join(ROOT, "examples", "python", "nova_style.py")

sys.path.insert(0, os.path.join(BINDINGS, "tests"))
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402
from virtkitd_fixture import Virtkitd  # noqa: E402


class NovaStyleScript(unittest.TestCase):
    def test_same_transcript_with_both_modules_against_both_daemons(self):
        daemons = [("virtkitd", Virtkitd())]
        if not libvirtd_unavailable_reason():
            daemons.append(("libvirtd", Libvirtd()))
        outputs = {}
        try:
            for name, daemon in daemons:
                uri = daemon.start().uri("test:///default")
                outputs[(name, "virtkit")] = transcript(sys.executable, SCRIPT, [uri], COMPAT_ENV)
                if have_reference():
                    outputs[(name, "libvirt-python")] = transcript(REFERENCE_PYTHON, SCRIPT, [uri], {})
        finally:
            for _, daemon in daemons:
                daemon.stop()
        ours = outputs[("virtkitd", "virtkit")]
        self.assertIn("events: [('nova-instance-1', 0, 0), ('nova-instance-1', 2, 0)", ours)
        self.assertIn("lookup after undefine: 42 12 Domain not found", ours)
        for key, text in outputs.items():
            self.assertEqual(text, ours, "%s differs from virtkit against virtkitd" % (key,))
        if len(outputs) < 4:
            self.skipTest("compared %d of 4 runs: libvirtd or libvirt-python missing" % len(outputs))


if __name__ == "__main__":
    unittest.main()

"""The bindings' typing stubs (virtkit/__init__.pyi, py.typed): `mypy --strict` accepts the
sample client examples/python/typed_client.py, rejects it once a call gets a wrong argument list
(so the stubs are what mypy reads), and the sample runs against a real virtkitd."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINDINGS = os.path.join(ROOT, "packages", "bindings-python")
SAMPLE = os.path.join(ROOT, "examples", "python", "typed_client.py")
MYPY_PYTHON = "/usr/bin/python3"   # Debian's python3-mypy (scripts/system-packages.sh test)

sys.path.insert(0, HERE)
from virtkitd_fixture import Virtkitd  # noqa: E402


def mypy_unavailable():
    if subprocess.run([MYPY_PYTHON, "-m", "mypy", "--version"], capture_output=True).returncode:
        return "mypy is not installed (Debian python3-mypy)"
    return None


def mypy_strict(path, cache):
    env = dict(os.environ, MYPYPATH=BINDINGS)
    return subprocess.run([MYPY_PYTHON, "-m", "mypy", "--strict", "--cache-dir", cache, path],
                          env=env, capture_output=True, text=True, timeout=300)


@unittest.skipIf(mypy_unavailable(), mypy_unavailable())
class Typing(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="virtkit-mypy-")
        self.addCleanup(shutil.rmtree, self.tmp)

    def test_mypy_strict_accepts_the_sample(self):
        self.assertTrue(os.path.exists(os.path.join(BINDINGS, "virtkit", "py.typed")))
        out = mypy_strict(SAMPLE, self.tmp)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_mypy_strict_rejects_a_wrong_argument_list(self):
        with open(SAMPLE) as f:
            text = f.read()
        bad = os.path.join(self.tmp, "bad_client.py")
        with open(bad, "w") as f:
            f.write(text.replace("conn.listDomainsID()", "conn.listDomainsID(5)"))
        out = mypy_strict(bad, self.tmp)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn('Too many arguments for "listDomainsID" of "virConnect"', out.stdout)

    def test_the_sample_runs(self):
        with Virtkitd() as daemon:
            out = subprocess.run([sys.executable, SAMPLE, daemon.uri("test:///default")], capture_output=True,
                                 text=True, timeout=60, env=dict(os.environ, PYTHONPATH=BINDINGS))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("{'test': 1}", out.stdout)


if __name__ == "__main__":
    unittest.main()

"""The bindings' wheel: built from a copy of packages/bindings-python with setuptools (no
compiler, no libvirt C library), it carries the licence, py.typed, the stubs and the
compatibility modules; `pip install` of it in a fresh venv (no network: --no-index) gives a
working `virtkit` that talks to a real virtkitd, and `python -m virtkit.compat` names the
directory whose `libvirt` module then runs libvirt-python code. The sdist carries the licence,
README and everything a wheel is built from; both are versioned as virtkit/_version.py, which
scripts/check-versions.mjs ties to the API's symbol version."""
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINDINGS = os.path.join(ROOT, "packages", "bindings-python")
SYSTEM_PYTHON = "/usr/bin/python3"   # Debian's, with python3-setuptools, python3-wheel, python3-venv

sys.path.insert(0, HERE)
from virtkitd_fixture import Virtkitd  # noqa: E402

CLIENT = """
import sys, virtkit
conn = virtkit.open(sys.argv[1])
print(conn.lookupByName("test").info()[0], conn.listDomainsID())
"""
COMPAT_CLIENT = """
import sys, libvirt
print(libvirt.__file__)
print(libvirt.open(sys.argv[1]).lookupByName("test").name())
"""


def unavailable():
    probe = "import setuptools.build_meta, wheel, ensurepip"
    if subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True).returncode:
        return "python3-setuptools, python3-wheel or python3-venv is not installed"
    return None


@unittest.skipIf(unavailable(), unavailable())
class Wheel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="virtkit-wheel-")
        src = os.path.join(cls.tmp, "src")
        shutil.copytree(BINDINGS, src, ignore=shutil.ignore_patterns("__pycache__", "tests", "build", "*.egg-info"))
        out = os.path.join(cls.tmp, "dist")
        os.mkdir(out)
        subprocess.run([SYSTEM_PYTHON, "-c", "import sys; from setuptools import build_meta as b; "
                        "print(b.build_wheel(sys.argv[1]))", out], cwd=src, check=True, capture_output=True,
                       timeout=300)
        cls.wheel = glob.glob(os.path.join(out, "virtkit-*.whl"))[0]
        subprocess.run([SYSTEM_PYTHON, "-c", "import sys; from setuptools import build_meta as b; "
                        "print(b.build_sdist(sys.argv[1]))", out], cwd=src, check=True, capture_output=True,
                       timeout=300)
        cls.sdist = glob.glob(os.path.join(out, "virtkit-*.tar.gz"))[0]
        cls.venv = os.path.join(cls.tmp, "venv")
        subprocess.run([SYSTEM_PYTHON, "-m", "venv", cls.venv], check=True, capture_output=True, timeout=300)
        cls.python = os.path.join(cls.venv, "bin", "python")
        subprocess.run([cls.python, "-m", "pip", "install", "--no-index", "--no-deps", cls.wheel],
                       check=True, capture_output=True, timeout=300)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_wheel_is_pure_python_with_licence_types_and_compat(self):
        self.assertTrue(os.path.basename(self.wheel).endswith("-py3-none-any.whl"))
        names = zipfile.ZipFile(self.wheel).namelist()
        self.assertTrue(any(n.endswith(".dist-info/COPYING") or "/licenses/COPYING" in n for n in names), names)
        for member in ("virtkit/py.typed", "virtkit/__init__.pyi", "virtkit/compat/libvirt.py",
                       "virtkit/compat/libvirtaio.py", "virtkit/_generated.py"):
            self.assertIn(member, names)
        self.assertFalse([n for n in names if n.endswith((".so", ".c"))])

    def test_both_are_versioned_as_the_api(self):
        version = {}
        with open(os.path.join(BINDINGS, "virtkit", "_version.py")) as f:
            exec(f.read(), version)
        self.assertEqual(os.path.basename(self.wheel), "virtkit-%s-py3-none-any.whl" % version["__version__"])
        self.assertEqual(os.path.basename(self.sdist), "virtkit-%s.tar.gz" % version["__version__"])
        out = subprocess.run([self.python, "-c", "import virtkit; print(virtkit.__version__, virtkit.API_VERSION)"],
                             capture_output=True, text=True, check=True, cwd=self.tmp)
        self.assertEqual(out.stdout.split(), [version["__version__"], version["API_VERSION"]])

    def test_the_sdist_has_licence_readme_and_builds_the_same_wheel(self):
        top = os.path.basename(self.sdist)[:-len(".tar.gz")]
        with tarfile.open(self.sdist) as tar:
            names = tar.getnames()
            for member in ("COPYING", "README.md", "pyproject.toml", "PKG-INFO", "virtkit/_generated.py",
                           "virtkit/__init__.pyi", "virtkit/py.typed", "compat/libvirt.py"):
                self.assertIn("%s/%s" % (top, member), names)
            unpacked = os.path.join(self.tmp, "from-sdist")
            tar.extractall(unpacked)
        out = os.path.join(self.tmp, "dist-from-sdist")
        os.mkdir(out)
        subprocess.run([SYSTEM_PYTHON, "-c", "import sys; from setuptools import build_meta as b; "
                        "print(b.build_wheel(sys.argv[1]))", out], cwd=os.path.join(unpacked, top), check=True,
                       capture_output=True, timeout=300)
        rebuilt = glob.glob(os.path.join(out, "virtkit-*.whl"))[0]
        self.assertEqual(sorted(zipfile.ZipFile(rebuilt).namelist()), sorted(zipfile.ZipFile(self.wheel).namelist()))

    def test_installed_in_a_fresh_venv_it_talks_to_virtkitd(self):
        with Virtkitd() as daemon:
            uri = daemon.uri("test:///default")
            out = subprocess.run([self.python, "-c", CLIENT, uri], capture_output=True, text=True,
                                 timeout=60, cwd=self.tmp)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(out.stdout.strip(), "1 [1]")
            compat = subprocess.run([self.python, "-m", "virtkit.compat"], capture_output=True, text=True,
                                    check=True, cwd=self.tmp).stdout.strip()
            self.assertTrue(compat.startswith(self.venv), compat)
            out = subprocess.run([self.python, "-c", COMPAT_CLIENT, uri], capture_output=True, text=True,
                                 timeout=60, cwd=self.tmp, env=dict(os.environ, PYTHONPATH=compat))
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertEqual(out.stdout.split(), [os.path.join(compat, "libvirt.py"), "test"])


if __name__ == "__main__":
    unittest.main()

"""Runs a transcript script under one Python (the real libvirt-python's, or ours with virtkit's
`libvirt` compatibility module first on the path) and returns what it printed; the differential
tests compare these transcripts across modules and daemons."""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BINDINGS = os.path.join(ROOT, "packages", "bindings-python")
REFERENCE_PYTHON = "/usr/bin/python3"
# The environment that makes `import libvirt` find virtkit's compatibility module.
COMPAT_ENV = {"PYTHONPATH": os.pathsep.join([os.path.join(BINDINGS, "compat"), BINDINGS])}


def transcript(python, script, args, env):
    proc = subprocess.run([python, script, *args], env=dict(os.environ, **env),
                          capture_output=True, text=True, timeout=120)
    if proc.returncode:
        raise AssertionError("%s failed against %s:\n%s%s" % (python, args[0], proc.stdout, proc.stderr))
    return proc.stdout


def have_reference():
    """Whether the real libvirt-python is installed to compare with."""
    return subprocess.run([REFERENCE_PYTHON, "-c", "import libvirt"], capture_output=True).returncode == 0

"""A private virtkitd (bin/virtkitd) for Python tests and benchmarks.

    daemon = Virtkitd().start()        # in setUpClass
    daemon.uri("test:///default")      # "test+unix:///default?socket=<its socket>"
    daemon.stop()                      # in tearDownClass

Its sockets, log and `qemu:///system` root (`--qemu-root`, so nothing touches the machine's
/etc/virtkit or /var/lib/virtkit) live in a temporary directory removed by stop(); it is ready
once it logs "ready" (at level info, on stderr).
"""
import os
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIRTKITD = os.path.join(ROOT, "bin", "virtkitd")


class Virtkitd(object):
    def __init__(self, *extra_args):
        self.extra_args = list(extra_args)
        self.dir = tempfile.mkdtemp(prefix="virtkitd-py-")
        self.sock_dir = os.path.join(self.dir, "run")
        self.socket = os.path.join(self.sock_dir, "virtkit-sock")
        self.socket_ro = os.path.join(self.sock_dir, "virtkit-sock-ro")
        self.log_path = os.path.join(self.dir, "virtkitd.log")
        self.qemu_root = os.path.join(self.dir, "qemu-root")
        self.proc = None
        self._log = None

    def start(self, timeout=30.0):
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [VIRTKITD, "--socket-dir", self.sock_dir, "--qemu-root", self.qemu_root, "--log-level", "info"]
            + self.extra_args,
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log)
        deadline = time.time() + timeout
        while "ready" not in self.log_text():
            if time.time() > deadline or self.proc.poll() is not None:
                text = self.log_text()
                self.stop()
                raise RuntimeError("virtkitd did not start:\n" + text)
            time.sleep(0.05)
        return self

    def uri(self, driver_uri, read_only=False):
        """`driver:///path` turned into `driver+unix:///path?socket=<our socket>`."""
        scheme, rest = driver_uri.split("://", 1)
        return "%s+unix://%s?socket=%s" % (scheme, rest, self.socket_ro if read_only else self.socket)

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        """SIGTERM (SIGKILL after 15 s), then remove the directory."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not None:
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

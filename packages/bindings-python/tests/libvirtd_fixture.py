"""A private, throw-away libvirtd 9.0 for tests that compare against the real thing.

    from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason

    reason = libvirtd_unavailable_reason()
    if reason: raise unittest.SkipTest(reason)
    daemon = Libvirtd().start()          # in setUpClass
    uri = daemon.uri("test:///default")  # "test+unix:///default?socket=<its socket>"
    daemon.stop()                        # in tearDownClass

Isolation, so nothing collides with a system libvirt:
  * its own config file: sockets in a temp dir, auth "none" on both sockets, no TCP; TLS only
    when asked (`Libvirtd(tls=dict(port=..., ca=..., cert=..., key=...))`, on 127.0.0.1);
  * it runs in the foreground as a child process, stopped by its pid;
  * HOME / XDG_* point into the temp dir;
  * it runs unprivileged (as `nobody` when the tests run as root), so the drivers use
    per-user state under the temp dir instead of /etc/libvirt and /run/libvirt;
  * LIBVIRT_DRIVER_DIR points at a temp dir linking only the requested driver modules.
    The test driver (test:///default) is built into libvirt itself and always there; the
    QEMU module is left out by default because it wants a `libvirt-qemu` user and QEMU.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

LIBVIRTD_CANDIDATES = ("/usr/sbin/libvirtd", "/usr/local/sbin/libvirtd")


def find_libvirtd():
    for path in LIBVIRTD_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("libvirtd")


def find_driver_module_dir():
    """Directory of libvirt's connection-driver modules (libvirt_driver_*.so), or None."""
    for pattern in ("/usr/lib/*/libvirt/connection-driver", "/usr/lib64/libvirt/connection-driver",
                    "/usr/lib/libvirt/connection-driver"):
        for path in sorted(glob.glob(pattern)):
            if os.path.isdir(path):
                return path
    return None


def libvirtd_unavailable_reason():
    """None when a libvirtd binary exists, else why tests needing it must skip."""
    if os.environ.get("VIRTKIT_SKIP_LIBVIRTD"):
        return "VIRTKIT_SKIP_LIBVIRTD is set"
    if find_libvirtd() is None:
        return ("libvirtd is not installed (Debian: libvirt-daemon libvirt-daemon-driver-qemu; "
                "scripts/system-packages.sh test installs it)")
    return None


def _unprivileged_user():
    """(uid, gid) to run the daemon as when we are root, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


class Libvirtd(object):
    """One libvirtd process with its own config, sockets and state."""

    def __init__(self, drivers=("storage",), extra_config="", tls=None):
        self.drivers = tuple(drivers)
        self.extra_config = extra_config
        self.tls = tls
        self.proc = None
        self.tmpdir = None
        self.socket_path = None
        self.log_path = None
        self.run_as = _unprivileged_user()

    @property
    def unprivileged(self):
        return self.run_as is not None or os.geteuid() != 0

    def uri(self, driver_uri):
        """`driver:///path` turned into `driver+unix:///path?socket=<our socket>`."""
        scheme, rest = driver_uri.split("://", 1)
        sep = "&" if "?" in rest else "?"
        return "%s+unix://%s%ssocket=%s" % (scheme, rest, sep, self.socket_path)

    def start(self, timeout=20.0):
        binary = find_libvirtd()
        if binary is None:
            raise RuntimeError(libvirtd_unavailable_reason())
        self.tmpdir = tempfile.mkdtemp(prefix="virtkit-libvirtd-")
        rundir = os.path.join(self.tmpdir, "run")
        drvdir = os.path.join(self.tmpdir, "drivers")
        for sub in ("run", "drivers", "home", "xdg-runtime", "xdg-config", "xdg-cache", "data"):
            os.mkdir(os.path.join(self.tmpdir, sub), 0o700)
        modules = find_driver_module_dir()
        for name in self.drivers:
            src = modules and os.path.join(modules, "libvirt_driver_%s.so" % name)
            if src and os.path.exists(src):
                os.symlink(src, os.path.join(drvdir, os.path.basename(src)))
        self.socket_path = os.path.join(rundir, "libvirt-sock")
        self.log_path = os.path.join(self.tmpdir, "libvirtd.log")
        conf = os.path.join(self.tmpdir, "libvirtd.conf")
        listen = ('listen_tls = 1\ntls_port = "%(port)d"\nauth_tls = "none"\nlisten_addr = "127.0.0.1"\n'
                  'ca_file = "%(ca)s"\ncert_file = "%(cert)s"\nkey_file = "%(key)s"\n' % self.tls
                  if self.tls else 'listen_tls = 0\n')
        with open(conf, "w") as f:
            f.write(listen + 'listen_tcp = 0\n'
                    'unix_sock_dir = "%s"\n'
                    'auth_unix_rw = "none"\nauth_unix_ro = "none"\n'
                    'unix_sock_rw_perms = "0777"\nunix_sock_ro_perms = "0777"\n'
                    '%s\n' % (rundir, self.extra_config))
        if self.run_as is not None:
            for root, dirs, files in os.walk(self.tmpdir):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    os.lchown(name, *self.run_as)
        env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "HOME": os.path.join(self.tmpdir, "home"),
            "XDG_RUNTIME_DIR": os.path.join(self.tmpdir, "xdg-runtime"),
            "XDG_CONFIG_HOME": os.path.join(self.tmpdir, "xdg-config"),
            "XDG_CACHE_HOME": os.path.join(self.tmpdir, "xdg-cache"),
            "LIBVIRT_DRIVER_DIR": drvdir,
        }
        user_args = {}
        if self.run_as is not None:
            user_args = dict(user=self.run_as[0], group=self.run_as[1], extra_groups=[])
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                [binary, "--config", conf, "--pid-file", os.path.join(self.tmpdir, "libvirtd.pid")]
                + (["--listen"] if self.tls else []),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                cwd=self.tmpdir, **user_args)
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.socket_path):
            if self.proc.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError("libvirtd exited with %s before creating its socket:\n%s"
                                   % (self.proc.returncode, tail))
            if time.monotonic() > deadline:
                tail = self.log_tail()
                self.stop()
                raise RuntimeError("libvirtd did not create %s within %ss:\n%s"
                                   % (self.socket_path, timeout, tail))
            time.sleep(0.05)
        return self

    def data_dir(self):
        """A directory the daemon may write to (e.g. for a dir storage pool)."""
        return os.path.join(self.tmpdir, "data")

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        """Stop the daemon by its pid and remove its files."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

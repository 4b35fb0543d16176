#!/usr/bin/python3
"""Calls per second of real libvirt-python against virtkitd and against libvirtd 9.0.

Two drivers are measured, each on private unix sockets:
  * test (`test:///default`): both daemons serve their test driver's "test" domain;
  * qemu (`qemu:///system`): virtkitd serves it from a private root (`--qemu-root`); libvirtd 9.0
    runs as root with its QEMU driver in its own mount namespace, where private directories are
    bound over /etc/libvirt, /var/lib/libvirt, /run/libvirt, /var/cache/libvirt and
    /var/log/libvirt (qemu.conf: user/group root, no security driver), so it neither reads nor
    writes the machine's libvirt state. One domain is defined on each, measured, and undefined.
The client is Debian's python3-libvirt in every run, so the difference is the daemon alone. Each
client is its own process with its own connection, as separate programs would be.

    /usr/bin/python3 bench/daemon_python.py [--seconds S] [--repeat N] [--drivers test,qemu]
"""
import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python", "tests"))
sys.path.insert(0, os.path.join(ROOT, "test", "python"))
from libvirtd_fixture import (  # noqa: E402
    Libvirtd, find_driver_module_dir, find_libvirtd, libvirtd_unavailable_reason)
from virtkitd_fixture import Virtkitd  # noqa: E402

CALLS = ("lookupByName", "getInfo")


def client(uri, dom_name, call, seconds, start_at, result):
    import libvirt
    libvirt.registerErrorHandler(lambda *_: None, None)
    conn = libvirt.open(uri)
    dom = conn.lookupByName(dom_name)
    op = (lambda: conn.lookupByName(dom_name)) if call == "lookupByName" else dom.info
    op()  # warm up the connection before the clock starts
    while time.time() < start_at:
        time.sleep(0.001)
    n = 0
    end = start_at + seconds
    while time.time() < end:
        op()
        n += 1
    conn.close()
    result.put(n)


def calls_per_second(uri, dom_name, call, clients, seconds):
    result = multiprocessing.Queue()
    start_at = time.time() + 0.5
    procs = [multiprocessing.Process(target=client, args=(uri, dom_name, call, seconds, start_at, result))
             for _ in range(clients)]
    for p in procs:
        p.start()
    total = sum(result.get() for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


QEMU_DOMAIN = "bench-vm"
QEMU_DOMAIN_XML = ("<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                   "<os><type arch='x86_64'>hvm</type></os></domain>" % QEMU_DOMAIN)


# libvirtd's own directories, each replaced by a private one inside its mount namespace.
LIBVIRTD_DIRS = ("/etc/libvirt", "/var/lib/libvirt", "/run/libvirt", "/var/cache/libvirt", "/var/log/libvirt")


class LibvirtdQemu(object):
    """libvirtd 9.0 as root with only its QEMU driver, isolated by a private mount namespace."""

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="libvirtd-qemu-bench-")
        self.sock_dir = os.path.join(self.dir, "sock")
        os.mkdir(self.sock_dir)
        self.sock = os.path.join(self.sock_dir, "libvirt-sock")
        # A bind mount needs its mount point: the ones missing on this machine are made (empty)
        # and removed again afterwards.
        self.made_mount_points = [d for d in LIBVIRTD_DIRS if not os.path.isdir(d)]
        for d in self.made_mount_points:
            os.makedirs(d)
        mounts = []
        for d in LIBVIRTD_DIRS:
            private = os.path.join(self.dir, d.strip("/").replace("/", "-"))
            os.mkdir(private)
            mounts.append("mount --bind %s %s" % (private, d))
        etc = os.path.join(self.dir, "etc-libvirt")
        with open(os.path.join(etc, "qemu.conf"), "w") as f:
            # No guest is started, so QEMU's stdio goes to plain files (no virtlogd needed).
            f.write('user = "root"\ngroup = "root"\nsecurity_driver = "none"\nstdio_handler = "file"\n')
        conf = os.path.join(etc, "libvirtd.conf")
        with open(conf, "w") as f:
            f.write('listen_tls = 0\nlisten_tcp = 0\nunix_sock_dir = "%s"\n'
                    'auth_unix_rw = "none"\nauth_unix_ro = "none"\n' % self.sock_dir)
        drivers = os.path.join(self.dir, "drivers")
        os.mkdir(drivers)
        modules = find_driver_module_dir()
        os.symlink(os.path.join(modules, "libvirt_driver_qemu.so"), os.path.join(drivers, "libvirt_driver_qemu.so"))
        script = " && ".join(mounts + ['exec "$0" --config /etc/libvirt/libvirtd.conf --pid-file "$1"'])
        env = dict(os.environ, LIBVIRT_DRIVER_DIR=drivers)
        self.log = open(os.path.join(self.dir, "libvirtd.log"), "wb")
        self.proc = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, find_libvirtd(),
             os.path.join(self.dir, "libvirtd.pid")],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 60
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.time() > deadline:
                self.__exit__()
                raise RuntimeError("libvirtd (qemu) did not start")
            time.sleep(0.05)
        return self

    def uri(self, driver_uri):
        return "%s?socket=%s" % (driver_uri.replace("://", "+unix://", 1), self.sock)

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        for d in self.made_mount_points:
            os.rmdir(d)
        shutil.rmtree(self.dir, ignore_errors=True)


class DefinedDomain(object):
    """One inactive QEMU domain defined for the measurement, undefined afterwards."""

    def __init__(self, uri):
        self.uri = uri

    def __enter__(self):
        import libvirt
        self.conn = libvirt.open(self.uri)
        self.conn.defineXML(QEMU_DOMAIN_XML)
        return self

    def __exit__(self, *exc):
        self.conn.lookupByName(QEMU_DOMAIN).undefine()
        self.conn.close()


def measure(driver, ours, theirs, dom_name, seconds, repeat, rows):
    """Median of `repeat` runs per daemon, the two daemons taking turns so load swings hit both."""
    # An untimed round first: a freshly started Node daemon runs its first calls unoptimised.
    for uri in (ours, theirs):
        for call in CALLS:
            calls_per_second(uri, dom_name, call, 1, 1.0)
    for call in CALLS:
        for clients in (1, 4):
            mine, ref = [], []
            for _ in range(repeat):
                mine.append(calls_per_second(ours, dom_name, call, clients, seconds))
                ref.append(calls_per_second(theirs, dom_name, call, clients, seconds))
            rows.append((driver, call, clients, statistics.median(mine), statistics.median(ref)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--drivers", default="test,qemu")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown")
    args = parser.parse_args()
    reason = libvirtd_unavailable_reason()
    if reason:
        sys.exit("cannot compare: " + reason)
    drivers = args.drivers.split(",")
    load_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    rows = []
    with Virtkitd() as ours:
        if "test" in drivers:
            with Libvirtd(drivers=()) as ref:
                measure("test", ours.uri("test:///default"), ref.uri("test:///default"), "test", args.seconds, args.repeat, rows)
        if "qemu" in drivers:
            with LibvirtdQemu() as ref:
                mine_uri, ref_uri = ours.uri("qemu:///system"), ref.uri("qemu:///system")
                with DefinedDomain(mine_uri), DefinedDomain(ref_uri):
                    measure("qemu", mine_uri, ref_uri, QEMU_DOMAIN, args.seconds, args.repeat, rows)
    load_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print("| driver | call | clients | virtkitd calls/s | libvirtd 9.0 calls/s | ratio |")
    print("|---|---|---|---|---|---|")
    for driver, call, clients, mine, theirs in rows:
        print("| %s | %s | %d | %.0f | %.0f | %.2f× |" % (driver, call, clients, mine, theirs, mine / theirs))
    print()
    print("load before: " + load_before)
    print("load after:  " + load_after)


if __name__ == "__main__":
    main()

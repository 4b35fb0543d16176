#!/usr/bin/python3
"""Calls per second of real libvirt-python against virtkitd and against libvirtd 9.0.

Both daemons serve the test driver (`test:///default`) on private unix sockets; the client is
Debian's python3-libvirt in both runs, so the difference is the daemon alone. Each client is its
own process with its own connection, as separate programs would be.

    /usr/bin/python3 bench/daemon_python.py [--seconds S]
"""
import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "packages", "bindings-python", "tests"))
from libvirtd_fixture import Libvirtd, libvirtd_unavailable_reason  # noqa: E402

CALLS = ("lookupByName", "getInfo")


def client(uri, call, seconds, start_at, result):
    import libvirt
    libvirt.registerErrorHandler(lambda *_: None, None)
    conn = libvirt.open(uri)
    dom = conn.lookupByName("test")
    op = (lambda: conn.lookupByName("test")) if call == "lookupByName" else dom.info
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


def calls_per_second(uri, call, clients, seconds):
    result = multiprocessing.Queue()
    start_at = time.time() + 0.5
    procs = [multiprocessing.Process(target=client, args=(uri, call, seconds, start_at, result))
             for _ in range(clients)]
    for p in procs:
        p.start()
    total = sum(result.get() for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


class Virtkitd(object):
    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="virtkitd-bench-")
        self.sock = os.path.join(self.dir, "virtkit-sock")
        self.proc = subprocess.Popen([os.path.join(ROOT, "bin", "virtkitd"), "--socket-dir", self.dir,
                                      "--log-level", "error"], stdin=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("virtkitd did not start")
            time.sleep(0.05)
        return self

    def uri(self, driver_uri):
        return "%s?socket=%s" % (driver_uri.replace("://", "+unix://", 1), self.sock)

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    reason = libvirtd_unavailable_reason()
    if reason:
        sys.exit("cannot compare: " + reason)
    rows = []
    with Virtkitd() as ours, Libvirtd(drivers=()) as ref:
        for call in CALLS:
            for clients in (1, 4):
                mine = calls_per_second(ours.uri("test:///default"), call, clients, args.seconds)
                theirs = calls_per_second(ref.uri("test:///default"), call, clients, args.seconds)
                rows.append((call, clients, mine, theirs))
    print("| call | clients | virtkitd calls/s | libvirtd 9.0 calls/s | ratio |")
    print("|---|---|---|---|---|")
    for call, clients, mine, theirs in rows:
        print("| %s | %d | %.0f | %.0f | %.2f× |" % (call, clients, mine, theirs, mine / theirs))


if __name__ == "__main__":
    main()

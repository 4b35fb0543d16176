#!/usr/bin/python3
"""Calls per second of virtkit's Python bindings and of libvirt-python, against the same virtkitd.

One virtkitd (test driver, private unix socket); each client is its own process with one
connection and makes one call in a loop for --seconds: `conn.lookupByName("test")` and
`dom.info()` (libvirt's virDomainGetInfo). The daemon is the same for both, so the ratio is the
client library's cost. libvirt-python is Debian's python3-libvirt under /usr/bin/python3; virtkit
runs under the same interpreter from packages/bindings-python. The two clients' runs alternate.

    /usr/bin/python3 bench/bindings_python.py [--seconds S] [--repeat N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "python"))
from virtkitd_fixture import Virtkitd  # noqa: E402

CLIENT = r"""
import sys, time, json
module, uri, call, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
if module == "virtkit":
    sys.path.insert(0, sys.argv[5])
    import virtkit as lv
else:
    import libvirt as lv
conn = lv.open(uri)
dom = conn.lookupByName("test")
fn = (lambda: conn.lookupByName("test")) if call == "lookupByName" else dom.info
for _ in range(200):
    fn()
n = 0
end = time.perf_counter() + seconds
start = time.perf_counter()
while time.perf_counter() < end:
    fn(); fn(); fn(); fn(); fn()
    n += 5
print(json.dumps(n / (time.perf_counter() - start)))
conn.close()
"""


def rate(module, uri, call, seconds):
    out = subprocess.run(["/usr/bin/python3", "-c", CLIENT, module, uri, call, str(seconds),
                          os.path.join(ROOT, "packages", "bindings-python")],
                         capture_output=True, text=True, check=True, timeout=seconds * 10 + 60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with Virtkitd() as daemon:
        uri = daemon.uri("test:///default")
        print("| call | libvirt-python (calls/s) | virtkit (calls/s) | virtkit / libvirt-python |")
        print("|---|---|---|---|")
        for call in ("lookupByName", "getInfo"):
            # the two clients take turns, so a burst of load on this shared machine hits both alike
            runs = {"libvirt": [], "virtkit": []}
            for _ in range(args.repeat):
                for module in runs:
                    runs[module].append(rate(module, uri, call, args.seconds))
            medians = {module: statistics.median(r) for module, r in runs.items()}
            print("| %s | %.0f | %.0f | %.2f× |" % (call, medians["libvirt"], medians["virtkit"],
                                                    medians["virtkit"] / medians["libvirt"]))


if __name__ == "__main__":
    main()

"""In-process start/destroy rounds through python3-libvirt: `dom.create()` until it returns
(the domain is running then) and `dom.destroy()`. Prints one JSON object with the times in ms.

    python3 libvirt_rounds.py URI NAME ROUNDS
"""
import json
import sys
import time

import libvirt


def main():
    uri, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    conn = libvirt.open(uri)
    dom = conn.lookupByName(name)
    start, destroy = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        dom.create()
        start.append((time.perf_counter() - t0) * 1000)
        if dom.state()[0] != libvirt.VIR_DOMAIN_RUNNING:
            raise SystemExit("not running after create()")
        t0 = time.perf_counter()
        dom.destroy()
        destroy.append((time.perf_counter() - t0) * 1000)
    conn.close()
    print(json.dumps({"start": start, "destroy": destroy}))


if __name__ == "__main__":
    main()

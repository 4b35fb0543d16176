"""Run a private libvirtd with only the storage driver for the storage comparison test.

Prints one JSON line {"uri": ..., "data": ...} once the daemon listens, then stops it when its
standard input closes (the test ends or dies).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bindings-python", "tests"))
from libvirtd_fixture import Libvirtd  # noqa: E402

daemon = Libvirtd(drivers=("storage",)).start()
try:
    print(json.dumps({"uri": daemon.uri("storage:///session"), "data": daemon.data_dir()}), flush=True)
    sys.stdin.read()
finally:
    daemon.stop()

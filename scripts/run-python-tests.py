"""Runs every Python test suite with unittest and writes its counts as JSON for the summary.

Each test module runs in a process of its own: an event implementation registered by one module
(virEventRegisterDefaultImpl, as in libvirt-python, lasts for the life of the process) would
otherwise route every later module's connection callbacks through a loop nobody runs.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import unittest

SUITES = ["packages/bindings-python/tests", "test/python"]


def run_module(start, module, out_path):
    sys.path.insert(0, os.path.abspath(start))
    suite = unittest.TestLoader().loadTestsFromName(module)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    with open(out_path, "w") as f:
        json.dump({"passed": result.testsRun - failed - skipped, "failed": failed, "skipped": skipped}, f)


def main(out_path):
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for start in SUITES:
            for path in sorted(glob.glob(os.path.join(start, "test*.py"))):
                module = os.path.basename(path)[:-3]
                counts_file = os.path.join(tmp, f"{module}.json")
                subprocess.run([sys.executable, __file__, "--module", start, module, counts_file], check=False)
                try:
                    with open(counts_file) as f:
                        counts = json.load(f)
                except (OSError, ValueError):
                    counts = {"passed": 0, "failed": 1, "skipped": 0}   # the module did not even load
                for k in totals:
                    totals[k] += counts[k]
    with open(out_path, "w") as f:
        json.dump(totals, f)
    print(f"python: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped", file=sys.stderr)
    return 0 if totals["failed"] == 0 else 1


if __name__ == "__main__":
    if sys.argv[1] == "--module":
        run_module(*sys.argv[2:5])
    else:
        sys.exit(main(sys.argv[1]))

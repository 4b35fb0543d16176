"""Runs every Python test suite with unittest and writes its counts as JSON for the summary."""
import json
import sys
import unittest

SUITES = ["packages/bindings-python/tests", "test/python"]


def main(out_path):
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    import os
    for start in SUITES:
        if os.path.isdir(start):
            suite.addTests(loader.discover(start, top_level_dir=start))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    counts = {"passed": result.testsRun - failed - skipped, "failed": failed, "skipped": skipped}
    with open(out_path, "w") as f:
        json.dump(counts, f)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

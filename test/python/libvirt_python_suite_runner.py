"""Runs libvirt-python's copied tests in this interpreter and prints {test id: outcome} as JSON.

    python3 libvirt_python_suite_runner.py TESTS_DIR [SOCKET]

With SOCKET, the `libvirt` module's open functions send a URI without a transport
(`test:///default`, `test:///tmp/x.xml`) to that daemon socket (`test+unix:///…?socket=SOCKET`):
that is how the real libvirt-python is pointed at a private libvirtd. virtkit's compatibility
module needs no rewriting: it sends such URIs to $VIRTKIT_SOCKET.
"""
import json
import sys
import unittest


def redirect(libvirt, socket):
    def to_daemon(uri):
        if uri and "://" in uri and "+" not in uri.split("://", 1)[0]:
            scheme, rest = uri.split("://", 1)
            return "%s+unix://%s?socket=%s" % (scheme, rest, socket)
        return uri
    for name in ("open", "openReadOnly"):
        real = getattr(libvirt, name)
        setattr(libvirt, name, lambda uri=None, _real=real: _real(to_daemon(uri)))
    real_auth = libvirt.openAuth
    libvirt.openAuth = lambda uri, auth, flags=0: real_auth(to_daemon(uri), auth, flags)


class Recorder(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes[test.id()] = "passed"

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes[test.id()] = "failed"

    def addError(self, test, err):
        super().addError(test, err)
        self.outcomes[test.id()] = "error"

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes[test.id()] = "skipped"


def main(tests_dir, socket=None):
    sys.path.insert(0, tests_dir)
    if socket:
        import libvirt
        redirect(libvirt, socket)
    suite = unittest.TestLoader().discover(tests_dir, top_level_dir=tests_dir)
    runner = unittest.TextTestRunner(stream=sys.stderr, verbosity=2, resultclass=Recorder)
    result = runner.run(suite)
    # a module that cannot be imported shows up as one failing "test" named after it
    for test, _ in result.errors:
        result.outcomes.setdefault(test.id(), "error")
    print(json.dumps(result.outcomes, sort_keys=True))


if __name__ == "__main__":
    main(*sys.argv[1:])

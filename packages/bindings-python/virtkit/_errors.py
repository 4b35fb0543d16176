"""libvirtError, shaped like libvirt-python's, and its construction from wire errors; the
per-thread last error and the global error handler (virGetLastError, registerErrorHandler)."""
import threading

from . import _wire
from ._wire import (VIR_ERR_ERROR, VIR_ERR_INTERNAL_ERROR, VIR_ERR_NO_SUPPORT, VIR_ERR_RPC,
                    VIR_FROM_NONE, VIR_FROM_REMOTE, VIR_FROM_RPC)

# remote_error, the payload of every failed REPLY and of a failed STREAM packet
REMOTE_ERROR_LAYOUT = _wire.REMOTE_ERROR


class libvirtError(Exception):
    """The error libvirt reported, with libvirt-python's accessors.

    `err` is libvirt-python's 9-tuple
    (code, domain, message, level, str1, str2, str3, int1, int2).
    """

    def __init__(self, defmsg, err=None):
        if err is None:
            err = (VIR_ERR_INTERNAL_ERROR, VIR_FROM_NONE, defmsg, VIR_ERR_ERROR,
                   None, None, None, 0, 0)
        msg = err[2] if err[2] is not None else defmsg
        Exception.__init__(self, msg)
        self.err = tuple(err)
        _report(self.err)

    def get_error_code(self):
        return self.err[0]

    def get_error_domain(self):
        return self.err[1]

    def get_error_message(self):
        return self.err[2]

    def get_error_level(self):
        return self.err[3]

    def get_str1(self):
        return self.err[4]

    def get_str2(self):
        return self.err[5]

    def get_str3(self):
        return self.err[6]

    def get_int1(self):
        return self.err[7]

    def get_int2(self):
        return self.err[8]


def make_error(code, domain, message):
    """A locally raised error (connection problems, protocol violations)."""
    return libvirtError(message, (code, domain, message, VIR_ERR_ERROR, None, None, None, 0, 0))


def report_error(code, domain, detail):
    """An error the library reports as libvirt's virReportError does: the detail in its code's message."""
    return make_error(code, domain, _wire.ERROR_TEMPLATES.get(code, "%s") % detail)


def error_from_wire(values):
    """libvirtError from decoded REMOTE_ERROR_LAYOUT values.

    Like the libvirt client (virNetClientProgramDispatchError), an RPC error whose message
    starts with "unknown procedure" becomes VIR_ERR_NO_SUPPORT, so callers can fall back
    the way they do when a driver lacks an API.
    """
    code, domain, message, level, _dom, str1, str2, str3, int1, int2, _net = values
    if (domain in (VIR_FROM_REMOTE, VIR_FROM_RPC) and code == VIR_ERR_RPC
            and level == VIR_ERR_ERROR and message and message.startswith("unknown procedure")):
        code = VIR_ERR_NO_SUPPORT
    return libvirtError(message or "unknown error",
                        (code, domain, message, level, str1, str2, str3, int1, int2))


# As libvirt: the last error is kept per thread, and every reported error goes to the handler.
_last = threading.local()
_handler = None   # (f, ctx) of registerErrorHandler


def _report(err):
    _last.err = err
    handler = _handler
    if handler is not None:
        handler[0](handler[1], list(err))


def registerErrorHandler(f, ctx):
    """Call f(ctx, error) for every error, error being libvirt-python's 9-item list; f=None
    removes the handler. Returns 1, as libvirt-python."""
    global _handler
    _handler = None if f is None else (f, ctx)
    return 1


def virGetLastError():
    """The last error of this thread as libvirt-python's 9-tuple, or None."""
    return getattr(_last, "err", None)


def virGetLastErrorCode():
    err = virGetLastError()
    return 0 if err is None else err[0]


def virGetLastErrorDomain():
    err = virGetLastError()
    return 0 if err is None else err[1]


def virGetLastErrorMessage():
    err = virGetLastError()
    return "no error" if err is None else err[2]


def virResetLastError():
    _last.err = None

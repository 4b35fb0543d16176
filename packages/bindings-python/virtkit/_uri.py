"""Connection URIs: where to connect, and which URI to send in CONNECT_OPEN.

Accepted forms:
  DRIVER+tcp://HOST[:PORT]/PATH        TCP to HOST (default localhost), port 16509 by default
  DRIVER+unix:///PATH?socket=/x.sock   connect to /x.sock
  DRIVER+unix:///PATH                  connect to the default socket
  DRIVER:///PATH                       connect to the default socket
  None or ""                           default socket; the daemon picks the driver
The daemon is sent DRIVER:///PATH: the transport and the client-side `socket` parameter
are stripped, other query parameters are kept (as the libvirt client does).
"""
import collections
import os
from urllib.parse import parse_qsl, urlencode, urlsplit

from ._errors import make_error
from ._wire import VIR_ERR_INVALID_ARG, VIR_ERR_NO_SUPPORT, VIR_FROM_REMOTE

# socket_path for unix; host and port for tcp (socket_path None)
ConnectTarget = collections.namedtuple("ConnectTarget", "socket_path wire_uri host port")
ConnectTarget.__new__.__defaults__ = (None, None)

# libvirt's default port of listen_tcp
DEFAULT_TCP_PORT = 16509

SOCKET_ENV = "VIRTKIT_SOCKET"
SOCKET_NAME = "virtkit-sock"


def default_socket_path():
    """$VIRTKIT_SOCKET, else /run/virtkit/virtkit-sock for root, else the per-user runtime dir."""
    override = os.environ.get(SOCKET_ENV)
    if override:
        return override
    if os.geteuid() == 0:
        return "/run/virtkit/" + SOCKET_NAME
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime:
        # libvirt's fallback when no runtime dir is set
        runtime = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(runtime, "virtkit", SOCKET_NAME)


def parse_uri(uri):
    """ConnectTarget for `uri`; raises libvirtError for URIs this runtime cannot reach."""
    if not uri:
        # like libvirt's NULL URI: a present empty string lets the daemon choose
        return ConnectTarget(default_socket_path(), "")
    parts = urlsplit(uri)
    if not parts.scheme:
        raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "invalid connection URI '%s'" % uri)
    driver, _, transport = parts.scheme.partition("+")
    if transport not in ("", "unix", "tcp"):
        raise make_error(VIR_ERR_NO_SUPPORT, VIR_FROM_REMOTE,
                         "transport '%s' is not supported by virtkit's Python runtime "
                         "(unix and tcp)" % transport)
    if transport == "tcp":
        return _tcp_target(driver, parts)
    if parts.netloc:
        raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                         "remote host '%s' is not supported with a unix socket URI" % parts.netloc)
    socket_path = None
    kept = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "socket":
            socket_path = value
        else:
            kept.append((key, value))
    wire = "%s://%s" % (driver, parts.path)
    if kept:
        wire += "?" + urlencode(kept)
    if parts.fragment:
        wire += "#" + parts.fragment
    return ConnectTarget(socket_path or default_socket_path(), wire)


def _tcp_target(driver, parts):
    """`DRIVER+tcp://HOST:PORT/PATH`: the daemon is sent `DRIVER:///PATH` with the query kept."""
    try:
        port = parts.port or DEFAULT_TCP_PORT
    except ValueError:
        raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                         "invalid connection URI '%s'" % parts.geturl()) from None
    wire = "%s://%s" % (driver, parts.path)
    if parts.query:
        wire += "?" + parts.query
    return ConnectTarget(None, wire, parts.hostname or "localhost", port)

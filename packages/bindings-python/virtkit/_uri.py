"""Connection URIs: which transport reaches the daemon, and which URI to send in CONNECT_OPEN.

Accepted forms (libvirt's remote driver rules):
  DRIVER+unix:///PATH?socket=/x.sock   connect to /x.sock
  DRIVER+unix:///PATH, DRIVER:///PATH  connect to the default socket
  DRIVER+tcp://HOST[:PORT]/PATH        TCP, port 16509 by default
  DRIVER+tls://HOST[:PORT]/PATH        TLS, port 16514 by default (also DRIVER://HOST/PATH)
  DRIVER+ssh://[USER@]HOST[:PORT]/PATH the system ssh running virt-ssh-helper or nc on HOST
  None or ""                           default socket; the daemon picks the driver
The daemon is sent DRIVER:///PATH (or ?name=): transport, user, host, port and the parameters
only the client reads are stripped; other query parameters are kept, as the libvirt client does.
"""
import collections
import os
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from ._errors import make_error
from ._wire import VIR_ERR_INVALID_ARG, VIR_ERR_NO_SUPPORT, VIR_FROM_REMOTE

# transport: unix | tcp | tls | ssh; socket_path: unix (and the far socket for ssh's netcat);
# params: the client-only query parameters
ConnectTarget = collections.namedtuple("ConnectTarget", "socket_path wire_uri host port transport user params")
ConnectTarget.__new__.__defaults__ = (None, None, "unix", None, {})

SOCKET_ENV = "VIRTKIT_SOCKET"
SOCKET_NAME = "virtkit-sock"

# what libvirt's doRemoteOpen extracts from the query (and authfile, which virauth.c reads)
CLIENT_PARAMS = frozenset(["name", "command", "socket", "auth", "sshauth", "netcat", "keyfile", "pkipath",
                           "known_hosts", "known_hosts_verify", "tls_priority", "mode", "proxy",
                           "no_sanity", "no_verify", "no_tty", "authfile"])

TRANSPORTS = ("unix", "tcp", "tls", "ssh")
# libvirt's listen_tcp and listen_tls ports
DEFAULT_PORTS = {"tcp": 16509, "tls": 16514}


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


def flag_param(params, name):
    """libvirt's EXTRACT_URI_ARG_BOOL: a parameter is on when its value is a non-zero number."""
    try:
        return int(params.get(name, "0")) != 0
    except ValueError:
        return False


def _invalid(uri):
    return make_error(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE, "invalid connection URI '%s'" % uri)


def parse_uri(uri):
    """ConnectTarget for `uri`; raises libvirtError for URIs no transport can reach."""
    if not uri:
        # like libvirt's NULL URI: a present empty string lets the daemon choose
        return ConnectTarget(default_socket_path(), "")
    parts = urlsplit(uri)
    if not parts.scheme:
        raise _invalid(uri)
    driver, _, transport = parts.scheme.partition("+")
    transport = transport.lower() or ("tls" if parts.hostname else "unix")
    if transport in ("ext", "libssh2", "libssh"):
        raise make_error(VIR_ERR_NO_SUPPORT, VIR_FROM_REMOTE,
                         "this function is not supported by the connection driver: transport '%s' "
                         "(virtkit's Python runtime has unix, tcp, tls and ssh)" % transport)
    if transport not in TRANSPORTS:
        raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                         "invalid argument: remote_open: transport in URL not recognised "
                         "(should be tls|unix|ssh|ext|tcp|libssh2|libssh)")
    try:
        port = parts.port
    except ValueError:
        raise _invalid(uri) from None
    if transport == "unix" and parts.netloc:
        raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_REMOTE,
                         "invalid argument: using unix socket and remote server '%s' is not supported."
                         % parts.hostname)
    params = {}
    kept = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in CLIENT_PARAMS:
            params[key.lower()] = value
        else:
            kept.append((key, value))
    wire = params.get("name")
    if wire is None:
        wire = "%s://%s" % (driver, parts.path)
        if kept:
            wire += "?" + urlencode(kept)
        if parts.fragment:
            wire += "#" + parts.fragment
    user = unquote(parts.username) if parts.username else None
    if transport == "unix":
        return ConnectTarget(params.get("socket") or default_socket_path(), wire, None, None, "unix", None, params)
    port = port or DEFAULT_PORTS.get(transport)   # ssh's default is ssh's own
    return ConnectTarget(params.get("socket"), wire, parts.hostname or "localhost", port, transport, user, params)

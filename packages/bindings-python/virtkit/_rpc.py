"""The client side of libvirt's RPC protocol over one of _transport's byte streams.

Threading model: sends are serialised by one lock; at any moment at most one thread reads
the socket (the "reader"). A thread waiting for something (its reply, stream data, or an
event-loop tick) becomes the reader when nobody else is, reads frames and files each one
where it belongs (replies by serial, stream packets by stream, events in a queue),
answers keepalive PINGs at once, and hands the reader role back after every frame so
other waiters can take over. Event callbacks run after the role is released, in the
thread that read them, so they may make calls themselves.

Nothing waits for ever on a silent daemon: calls may carry a timeout, opening is bounded,
and the keepalive timer (`_keepalive`) closes a connection whose daemon stopped answering.
"""
import select
import socket
import sys
import threading
import time
import traceback

from . import _frame as F
from . import _event
from . import _wire
from ._errors import REMOTE_ERROR_LAYOUT, error_from_wire, libvirtError, make_error
from ._generated import virConnect
from ._keepalive import DEFAULT_COUNT, DEFAULT_INTERVAL, KeepAlive
from ._stream import virStream
from . import _transport as T
from ._uri import flag_param, parse_uri
from ._wire import (VIR_CONNECT_CLOSE_REASON_EOF, VIR_CONNECT_CLOSE_REASON_ERROR,
                    VIR_CONNECT_CLOSE_REASON_KEEPALIVE, VIR_CONNECT_RO, VIR_ERR_AUTH_FAILED,
                    VIR_ERR_AUTH_UNAVAILABLE, VIR_ERR_INTERNAL_ERROR, VIR_ERR_NO_SUPPORT,
                    VIR_ERR_OPERATION_INVALID, VIR_ERR_OPERATION_TIMEOUT, VIR_ERR_RPC,
                    VIR_ERR_SYSTEM_ERROR, VIR_FROM_REMOTE, VIR_FROM_RPC)
from ._xdr import XdrError, decode, encode

__all__ = ["RpcConnection", "open", "openReadOnly", "openAuth", "libvirtError", "virStream"]

# How long opening a connection (connect and preamble) may take when the caller gives no timeout:
# as long as the default keepalive takes to give up on a silent daemon.
DEFAULT_OPEN_TIMEOUT = DEFAULT_INTERVAL * (DEFAULT_COUNT + 1)

_RECV_SIZE = 262144


class RpcConnection(object):
    """One connection to a libvirt-protocol daemon."""

    def __init__(self, sock):
        self._sock = sock
        self._send_lock = threading.Lock()
        self._state = threading.Condition()   # guards every attribute below
        self._next_serial = 0
        self._pending_calls = {}    # serial -> True while the call waits for its reply
        self._abandoned = set()     # serials of timed-out calls: their late replies are dropped
        self._replies = {}          # serial -> (Header, payload)
        self._streams = {}          # serial -> virStream
        self._events = {}           # (program, proc) -> (layout, callback)
        self._event_queue = []      # (callback, values) read but not yet delivered
        self._reader = None         # thread ident of the current reader
        self._frames_read = 0
        self._last_received = time.monotonic()
        self._broken = None         # libvirtError once the connection is unusable
        self._closed = False
        self._close_callback = None  # callback(reason), called once when the link breaks
        self._keepalive = None
        self._rbuf = bytearray()    # only touched by the reader
        self._dispatch_lock = threading.RLock()  # keeps event delivery in arrival order
        self.uri = None             # the URI sent in CONNECT_OPEN
        self.flags = 0
        self.features = {}          # feature number -> bool, from SUPPORTS_FEATURE
        self.call_timeout = None    # seconds a call may wait for its reply; None: no limit
        self._loop = None           # _event.LoopAttachment while a registered event loop reads for us

    # ---- setup and teardown ------------------------------------------------------

    @classmethod
    def connect_unix(cls, path):
        """Connect to the daemon's socket (no RPC yet)."""
        return cls(T.connect_unix(path))

    def open_remote(self, wire_uri, flags=0, timeout=None):
        """The preamble libvirt-python 9.0 sends without an event loop (wire-protocol §4.3):
        AUTH_LIST, CONNECT_OPEN, SUPPORTS_FEATURE(14), SUPPORTS_FEATURE(15); each call waits
        at most `timeout` seconds."""
        self._authenticate(timeout)
        self.invoke(_wire.REMOTE_PROC_CONNECT_OPEN, [wire_uri, flags], timeout=timeout)
        self.uri, self.flags = wire_uri, flags
        for feature in (_wire.VIR_DRV_FEATURE_REMOTE_EVENT_CALLBACK,
                        _wire.VIR_DRV_FEATURE_REMOTE_CLOSE_CALLBACK):
            self.features[feature] = self.supports_feature(feature, timeout)

    def _authenticate(self, timeout):
        try:
            types = self.invoke(_wire.REMOTE_PROC_AUTH_LIST, [], timeout=timeout)[0]
        except libvirtError as e:
            # as in libvirt: a daemon without AUTH_LIST needs no authentication
            if e.get_error_code() != VIR_ERR_NO_SUPPORT:
                raise
            types = []
        if not types or _wire.REMOTE_AUTH_NONE in types:
            return
        if _wire.REMOTE_AUTH_POLKIT in types:
            complete = self.invoke(_wire.REMOTE_PROC_AUTH_POLKIT, [], timeout=timeout)[0]
            if not complete:
                raise make_error(VIR_ERR_AUTH_FAILED, VIR_FROM_REMOTE, "authentication failed: polkit")
            return
        raise make_error(VIR_ERR_AUTH_UNAVAILABLE, VIR_FROM_REMOTE,
                         "authentication types %s are not supported by virtkit's Python runtime"
                         % (types,))

    def supports_feature(self, feature, timeout=None):
        reply = self.invoke(_wire.REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, [feature], timeout=timeout)
        return bool(reply[0])

    def set_keepalive(self, interval, count, timeout=None):
        """libvirt's virConnectSetKeepAlive: PING after `interval` idle seconds, give up after
        `count` unanswered PINGs; interval <= 0 stops sending PINGs."""
        if self._keepalive is not None:
            self._keepalive.stop()
            self._keepalive = None
        if interval <= 0:
            return 0
        if not self.features.get(_wire.VIR_DRV_FEATURE_PROGRAM_KEEPALIVE):
            supported = self.supports_feature(_wire.VIR_DRV_FEATURE_PROGRAM_KEEPALIVE, timeout)
            self.features[_wire.VIR_DRV_FEATURE_PROGRAM_KEEPALIVE] = supported
            if not supported:
                # libvirt's answer when the keepalive program is not available
                raise make_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                                 "internal error: the caller doesn't support keepalive protocol;"
                                 " perhaps it's missing event loop implementation")
        with self._state:
            self._last_received = time.monotonic()
        self._keepalive = KeepAlive(self, interval, count).start()
        return 0

    def set_close_callback(self, callback):
        """callback(reason) runs once when the connection breaks (not on close())."""
        with self._state:
            self._close_callback = callback

    def close(self):
        """CONNECT_CLOSE, then close the socket. Safe to call twice."""
        with self._state:
            if self._closed:
                return 0
            usable = self._broken is None
            self._close_callback = None   # as libvirt: an explicit close notifies nobody
        if self._keepalive is not None:
            self._keepalive.stop()
        self.detach_loop()
        try:
            if usable:
                self.invoke(_wire.REMOTE_PROC_CONNECT_CLOSE, [])
        except libvirtError:
            # as virConnectClose: the driver's close happens on release and reports nothing (a
            # tunnel such as virt-ssh-helper may end before the daemon's last reply reaches us)
            pass
        finally:
            with self._state:
                self._closed = True
                if self._broken is None:
                    self._broken = make_error(VIR_ERR_OPERATION_INVALID, VIR_FROM_RPC,
                                              "connection is closed")
                self._state.notify_all()
            self._shutdown()
            self._sock.close()
        return 0

    def fileno(self):
        return self._sock.fileno()

    def attach_loop(self):
        """Let the registered event loop (if any) read the socket and run event callbacks."""
        if self._loop is None:
            self._loop = _event.attach(self)

    def detach_loop(self):
        loop, self._loop = self._loop, None
        if loop is not None:
            loop.detach()

    def dispatch_in_loop(self):
        """The loop saw the socket readable (or was woken): read what is there, run the events."""
        try:
            self._poll(in_loop=True)
        except libvirtError:
            self.detach_loop()

    def is_alive(self):
        with self._state:
            return self._broken is None and not self._closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- calls ---------------------------------------------------------------------

    def invoke(self, procedure, args, stream=None, timeout=None):
        """Call one procedure of the wire tables (`_wire.Procedure`); returns the reply values."""
        return self.call(procedure.program, procedure.proc, procedure.args, args, procedure.ret,
                         stream=stream, timeout=timeout, name=procedure.name)

    def call(self, program, proc, args_layout, args, ret_layout, stream=None, timeout=None,
             name=None):
        """Send one CALL and return the decoded reply fields (a list in ret_layout order).

        With `stream`, the call opens that virStream: later STREAM frames carrying this
        call's serial are routed to it. Without a reply within `timeout` seconds (default:
        `call_timeout`) the call fails with VIR_ERR_OPERATION_TIMEOUT; its late reply is dropped.
        """
        payload = encode(args_layout, args)
        if timeout is None:
            timeout = self.call_timeout
        with self._state:
            self._raise_if_unusable()
            serial = self._next_serial
            self._next_serial = (self._next_serial + 1) & 0xFFFFFFFF
            self._pending_calls[serial] = True
            if stream is not None:
                stream._bind(self, program, proc, serial)
                self._streams[serial] = stream
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            self._send_frame(F.build_frame(
                F.Header(program, F.PROGRAM_VERSION, proc, F.CALL, serial, F.OK), payload))
            if not self._wait(lambda: serial in self._replies, deadline):
                with self._state:
                    self._abandoned.add(serial)
                raise make_error(VIR_ERR_OPERATION_TIMEOUT, VIR_FROM_RPC,
                                 "Timed out during operation: no reply to %s within %g seconds"
                                 % (name or "procedure %d" % proc, timeout))
            with self._state:
                header, body = self._replies.pop(serial)
        except BaseException as e:
            with self._state:
                self._pending_calls.pop(serial, None)
                self._replies.pop(serial, None)
            if stream is not None:
                stream._on_call_failed(e if isinstance(e, libvirtError) else None)
            raise
        with self._state:
            self._pending_calls.pop(serial, None)
        try:
            return self._reply_values(header, body, program, proc, ret_layout)
        except libvirtError as e:
            if stream is not None:
                stream._on_call_failed(e)
            raise

    def _reply_values(self, header, body, program, proc, ret_layout):
        if header.prog != program or header.proc != proc:
            raise make_error(VIR_ERR_RPC, VIR_FROM_RPC,
                             "reply for program %#x procedure %d answers a call to %#x/%d"
                             % (header.prog, header.proc, program, proc))
        if header.status == F.ERROR:
            raise self._error_from_payload(body)
        if header.status != F.OK:
            raise make_error(VIR_ERR_RPC, VIR_FROM_RPC, "unexpected reply status %d" % header.status)
        try:
            return decode(ret_layout, body)
        except XdrError as e:
            raise make_error(VIR_ERR_RPC, VIR_FROM_RPC,
                             "Unable to decode reply of procedure %d: %s" % (proc, e)) from None

    def _error_from_payload(self, body):
        try:
            return error_from_wire(decode(REMOTE_ERROR_LAYOUT, body))
        except XdrError as e:
            return make_error(VIR_ERR_RPC, VIR_FROM_RPC, "Unable to decode error payload: %s" % e)

    def new_stream(self, flags=0):
        """An unbound virStream whose connect() is this connection."""
        return virStream(self, flags)

    # ---- events ----------------------------------------------------------------------

    def register_event(self, message, callback):
        """Decode frames of `message` (a `_wire.Message`) and pass the value list to
        callback(values). One callback per message: registering again replaces it."""
        with self._state:
            self._events[(message.program, message.proc)] = (message.fields, callback)

    def unregister_event(self, message):
        with self._state:
            self._events.pop((message.program, message.proc), None)

    def run_event_loop_once(self, timeout=None):
        """Wait up to `timeout` seconds (None: forever) for at least one frame, process
        everything already received, deliver events. Returns True if a frame arrived."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._state:
            seen = self._frames_read
        arrived = self._wait(lambda: self._frames_read > seen, deadline)
        self._poll()
        return arrived

    # ---- keepalive -------------------------------------------------------------------

    def last_received(self):
        """monotonic time of the last frame read from the daemon."""
        with self._state:
            return self._last_received

    def poll_quietly(self):
        """Process frames already received (answering PINGs) without raising; left to the
        event loop when one reads the socket."""
        if self._loop is not None:
            return
        try:
            self._poll()
        except libvirtError:
            pass

    def send_ping(self):
        """A keepalive PING, unless another send holds the socket (then False: try later)."""
        if not self._send_lock.acquire(blocking=False):
            return False
        try:
            _, writable, _ = select.select([], [self._sock], [], 0)
            if not writable:
                return False
            ping = _wire.KEEPALIVE_PROC_PING
            self._sock.sendall(F.build_frame(F.Header(
                ping.program, F.PROGRAM_VERSION, ping.proc, F.MESSAGE, 0, F.OK)))
            return True
        except OSError:
            return False
        finally:
            self._send_lock.release()

    def fail_keepalive(self):
        """The daemon stopped answering: close the connection as libvirt does."""
        self._fail(make_error(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                              "internal error: connection closed due to keepalive timeout"),
                   VIR_CONNECT_CLOSE_REASON_KEEPALIVE)

    # ---- the reader ------------------------------------------------------------------

    def _raise_if_unusable(self):
        # called with _state held
        if self._broken is not None:
            err = self._broken
            raise libvirtError(str(err), err.err)

    def _wait(self, ready, deadline=None):
        """Read frames until ready() is true (checked under the state lock).
        Returns False if the deadline passed first."""
        me = threading.get_ident()
        try:
            while True:
                with self._state:
                    while True:
                        if ready():
                            return True
                        self._raise_if_unusable()
                        remaining = None if deadline is None else deadline - time.monotonic()
                        if remaining is not None and remaining <= 0:
                            return False
                        if self._reader is None:
                            self._reader = me
                            break
                        self._state.wait(remaining)
                try:
                    frame = self._read_frame(deadline)
                    if frame is not None:
                        self._handle_frame(frame)
                finally:
                    with self._state:
                        self._reader = None
                        self._state.notify_all()
                if frame is None:
                    with self._state:
                        return ready()
        finally:
            self._deliver_events()

    def _poll(self, in_loop=False):
        """Process frames already waiting in the socket without blocking."""
        while True:
            with self._state:
                if self._reader is not None or self._broken is not None:
                    break
                self._reader = threading.get_ident()
            try:
                frame = self._read_frame(time.monotonic())
                if frame is not None:
                    self._handle_frame(frame)
            finally:
                with self._state:
                    self._reader = None
                    self._state.notify_all()
            if frame is None:
                break
        self._deliver_events(in_loop)

    def _read_frame(self, deadline):
        """One complete frame, or None if the deadline passed before it was complete
        (partial data stays buffered). Marks the connection broken on EOF or bad framing."""
        try:
            while True:
                if len(self._rbuf) >= 4:
                    length = F.frame_length(bytes(self._rbuf[:4]))
                    if len(self._rbuf) >= length:
                        frame = bytes(self._rbuf[:length])
                        del self._rbuf[:length]
                        return frame
                if deadline is not None and not self._buffered():
                    remaining = max(0.0, deadline - time.monotonic())
                    readable, _, _ = select.select([self._sock], [], [], remaining)
                    if not readable:
                        return None
                chunk = self._sock.recv(_RECV_SIZE)
                if chunk is None:
                    continue    # a TLS record still in pieces
                if not chunk:
                    raise EOFError()
                self._rbuf += chunk
        except EOFError:
            self._fail(make_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                                  self._with_error_output("End of file while reading data", "Input/output error")),
                       VIR_CONNECT_CLOSE_REASON_EOF)
        except XdrError as e:
            self._fail(make_error(VIR_ERR_RPC, VIR_FROM_RPC, "protocol error: %s" % e),
                       VIR_CONNECT_CLOSE_REASON_ERROR)
        except (OSError, ValueError) as e:
            self._fail(make_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                                  self._with_error_output("Cannot recv data", getattr(e, "strerror", None) or e)),
                       VIR_CONNECT_CLOSE_REASON_ERROR)
        self._raise_if_broken()

    def _buffered(self):
        """Payload the transport holds already decrypted (select cannot see it)."""
        pending = getattr(self._sock, "pending", None)
        return bool(pending and pending())

    def _with_error_output(self, what, reason):
        # as libvirt: a tunnel command's stderr (ssh's reason) explains a failed read
        errout = getattr(self._sock, "error_output", lambda: None)()
        return "%s: %s: %s" % (what, errout, reason) if errout else "%s: %s" % (what, reason)

    def _raise_if_broken(self):
        with self._state:
            self._raise_if_unusable()

    def _handle_frame(self, frame):
        header, payload = F.parse_frame(frame)
        send_pong = False
        stray = None
        with self._state:
            self._frames_read += 1
            self._last_received = time.monotonic()
            if header.type in (F.REPLY, F.REPLY_WITH_FDS):
                if header.serial in self._pending_calls:
                    self._replies[header.serial] = (header, payload)
                elif header.serial in self._abandoned:
                    self._abandoned.discard(header.serial)   # the caller gave up waiting
                else:
                    stray = header
            elif header.type in (F.STREAM, F.STREAM_HOLE):
                stream = self._streams.get(header.serial)
                if stream is not None:
                    stream._on_packet(header, payload)
            elif header.type == F.MESSAGE:
                if header.prog == _wire.KEEPALIVE_PROGRAM:
                    send_pong = header.proc == _wire.KEEPALIVE_PROC_PING.proc
                else:
                    self._queue_event(header, payload)
        if stray is not None:
            # as libvirt's client: a reply nobody waits for means the peers disagree, so the
            # connection cannot be trusted any more
            self._fail(make_error(VIR_ERR_RPC, VIR_FROM_RPC,
                                  "no call waiting for reply with prog %d vers %d serial %d"
                                  % (stray.prog, stray.vers, stray.serial)),
                       VIR_CONNECT_CLOSE_REASON_ERROR)
            self._raise_if_broken()
        if send_pong:
            pong = _wire.KEEPALIVE_PROC_PONG
            self._send_frame(F.build_frame(F.Header(
                pong.program, F.PROGRAM_VERSION, pong.proc, F.MESSAGE, 0, F.OK)))

    def _queue_event(self, header, payload):
        # called with _state held
        entry = self._events.get((header.prog, header.proc))
        if entry is None:
            return  # nobody asked for this event
        layout, callback = entry
        try:
            values = decode(layout, payload)
        except XdrError as e:
            sys.stderr.write("virtkit: dropping undecodable event %d: %s\n" % (header.proc, e))
            return
        self._event_queue.append((callback, values))

    def _deliver_events(self, in_loop=False):
        loop = self._loop
        if loop is not None and not in_loop:
            loop.wake()   # as libvirt: callbacks run in the event loop's thread
            return
        with self._dispatch_lock:
            while True:
                with self._state:
                    if not self._event_queue:
                        return
                    callback, values = self._event_queue.pop(0)
                try:
                    callback(values)
                except Exception:
                    # a failing user callback must not break the connection
                    traceback.print_exc()

    def _send_frame(self, frame):
        with self._send_lock:
            self._raise_if_broken()
            try:
                self._sock.sendall(frame)
            except OSError as e:
                self._fail(make_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC,
                                      "Cannot write data: %s" % (e.strerror or e)),
                           VIR_CONNECT_CLOSE_REASON_ERROR)
                self._raise_if_broken()

    def _forget_stream(self, serial):
        with self._state:
            self._streams.pop(serial, None)

    def notify_closed(self, reason):
        """Run the close callback (once) with `reason`."""
        with self._state:
            callback, self._close_callback = self._close_callback, None
        if callback is not None:
            try:
                callback(reason)
            except Exception:
                traceback.print_exc()

    def _fail(self, err, reason):
        """Mark the connection unusable, tell the close callback why, then wake every waiter
        (they raise `err`) and unblock a reader or sender stuck on the socket."""
        with self._state:
            first = self._broken is None and not self._closed
            if self._broken is None:
                self._broken = err
        if first:
            self.detach_loop()
            # what arrived before the break comes first: the daemon's own CONNECTION_CLOSED
            # event names the reason, as in libvirt, where the first notification wins
            self._deliver_events()
            self.notify_closed(reason)
            self._shutdown()
            if self._keepalive is not None:
                self._keepalive.stop()
        with self._state:
            self._state.notify_all()

    def _shutdown(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _connect(target, readonly, timeout):
    """The byte stream to the daemon `target` names, as libvirt's doRemoteOpen opens it."""
    params = target.params
    if target.transport == "unix":
        return T.connect_unix(target.socket_path)
    if target.transport == "tcp":
        return T.connect_tcp(target.host, target.port, timeout)
    if target.transport == "tls":
        verify = not flag_param(params, "no_verify")
        sanity = not flag_param(params, "no_sanity")
        return T.connect_tls(target.host, target.port, params.get("pkipath"), verify, sanity, timeout)
    socket_path = target.socket_path or (T.LEGACY_SOCKET_RO if readonly else T.LEGACY_SOCKET)
    proxy = params.get("proxy") or ("netcat" if target.socket_path else "auto")
    command = T.ssh_remote_command(proxy, params.get("netcat"), socket_path, target.wire_uri, readonly)
    return T.CommandChannel(T.ssh_arguments(params.get("command"), target.host, target.port, target.user,
                                            params.get("keyfile"), flag_param(params, "no_tty"),
                                            flag_param(params, "no_verify"), command))


def _open(name, flags, timeout):
    """Connect, run the preamble and start keepalive; nothing here waits longer than
    `timeout` (DEFAULT_OPEN_TIMEOUT when None), which then bounds every call."""
    target = parse_uri(name)
    open_timeout = DEFAULT_OPEN_TIMEOUT if timeout is None else timeout
    rpc = RpcConnection(_connect(target, bool(flags & VIR_CONNECT_RO), open_timeout))
    try:
        rpc.open_remote(target.wire_uri, flags, open_timeout)
        _start_default_keepalive(rpc, open_timeout)
    except BaseException:
        rpc._shutdown()
        rpc._sock.close()
        raise
    rpc.call_timeout = timeout
    return virConnect(rpc, name)


def _start_default_keepalive(rpc, timeout):
    """Keepalive with libvirt.conf's defaults when the daemon has the keepalive program, as
    libvirt's remote driver does for a client with an event loop (this runtime's threads)."""
    keepalive = _wire.VIR_DRV_FEATURE_PROGRAM_KEEPALIVE
    rpc.features[keepalive] = rpc.supports_feature(keepalive, timeout)
    if rpc.features[keepalive]:
        rpc.set_keepalive(DEFAULT_INTERVAL, DEFAULT_COUNT)


def open(name=None, timeout=None):
    """Connect read-write, like libvirt.open(). `timeout` (seconds) bounds opening and every call."""
    return _open(name, 0, timeout)


def openReadOnly(name=None, timeout=None):
    """Connect read-only (CONNECT_OPEN flag 1), like libvirt.openReadOnly()."""
    return _open(name, VIR_CONNECT_RO, timeout)


def openAuth(uri, auth=None, flags=0, timeout=None):
    """libvirt.openAuth(); credentials are not supported (only auth "none" and polkit)."""
    return _open(uri, flags, timeout)

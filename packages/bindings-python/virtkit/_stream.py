"""virStream: data streams opened by stream-capable calls (volume upload/download, console).

A stream is created unbound (`virStream(conn)`, like libvirt-python's `conn.newStream()`),
then passed as `stream=` to the call that opens it (e.g. STORAGE_VOL_UPLOAD); from then
on every STREAM frame re-uses that call's program, procedure and serial.
"""
import collections
from typing import Any

from . import _frame as F
from . import _wire
from ._errors import make_error
from ._unsupported import virStreamUnsupported
from ._xdr import XdrError, decode, encode
from ._wire import (VIR_ERR_INTERNAL_ERROR, VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS,
                    VIR_STREAM_RECV_STOP_AT_HOLE)

# what the reader thread queues for a stream
_DATA, _HOLE, _EOF, _ACK, _ERROR = range(5)



def _check_handler(stream, result, name):
    """A negative int from a sparse handler aborts the stream (libvirt-python's RuntimeError)."""
    if isinstance(result, int) and result < 0:
        stream.abort()
        raise RuntimeError("%s returned %d" % (name, result))


class virStream(virStreamUnsupported):
    """libvirt-python's virStream over the runtime's connection."""

    def __init__(self, conn, flags=0):
        self._conn = conn
        self.flags = flags
        handles = getattr(conn, "_handles", None)   # a bare RpcConnection tracks none
        if handles is not None:
            handles.add(self)
        self._rpc: Any = None     # the RpcConnection, once the opening call binds the stream
        self._program = self._proc = self._serial = None
        self._incoming = collections.deque()  # filled by the connection's reader
        self._data = b""          # received bytes not yet handed to the caller
        self._hole = 0            # bytes of a received hole not yet handed out
        self._eof = False
        self._error = None
        self._closed = False

    def connect(self):
        return self._conn

    # ---- called by the connection --------------------------------------------------

    def _bind(self, rpc, program, proc, serial):
        if self._rpc is not None:
            raise make_error(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "stream is already in use")
        self._rpc, self._program, self._proc, self._serial = rpc, program, proc, serial

    def _on_packet(self, header, payload):
        """Queue one server packet (runs in the reader thread, under the connection lock)."""
        if header.type == F.STREAM_HOLE:
            try:
                self._incoming.append((_HOLE, decode(_wire.STREAM_HOLE, payload)[0]))
            except XdrError:
                self._incoming.append((_ERROR, make_error(
                    VIR_ERR_INTERNAL_ERROR, VIR_FROM_STREAMS, "malformed stream hole")))
        elif header.status == F.CONTINUE:
            self._incoming.append((_DATA, payload) if payload else (_EOF, None))
        elif header.status == F.OK:
            self._incoming.append((_ACK, None))
        else:
            self._incoming.append((_ERROR, self._rpc._error_from_payload(payload)))

    def _on_call_failed(self, err):
        self._error = err
        self._release()

    # ---- helpers --------------------------------------------------------------------

    def _check_open(self):
        if self._error is not None:
            raise self._error
        if self._rpc is None or self._closed:
            raise make_error(VIR_ERR_OPERATION_INVALID, VIR_FROM_STREAMS, "stream is not open")

    def _send_packet(self, mtype, status, payload=b""):
        header = F.Header(self._program, F.PROGRAM_VERSION, self._proc, mtype, self._serial, status)
        self._rpc._send_frame(F.build_frame(header, payload))

    def _next_event(self):
        """Pop one queued packet, reading the socket (with a single reader) until one is queued."""
        if not self._incoming:
            self._rpc._wait(lambda: bool(self._incoming))
        return self._incoming.popleft()

    def _received_event(self):
        """Pop one packet already received (reading what the socket holds), or None."""
        if not self._incoming:
            self._rpc._poll()
            if not self._incoming:
                return None
        return self._incoming.popleft()

    def _release(self):
        self._closed = True
        if self._rpc is not None:
            self._rpc._forget_stream(self._serial)

    def _absorb(self, event):
        """Apply a data-side event to the receive state; raise stream errors."""
        kind, value = event
        if kind == _DATA:
            self._data += value
        elif kind == _HOLE:
            self._hole += value
        elif kind == _EOF:
            self._eof = True
        elif kind == _ERROR:
            self._error = value
            self._release()
            raise value
        # a stray _ACK before finish() is ignored

    # ---- libvirt-python API -------------------------------------------------------

    def send(self, data):
        """Send bytes as STREAM CONTINUE frames of at most 262120 bytes; returns len(data)."""
        self._check_open()
        # pick up an error the daemon already reported (e.g. the volume cannot be written)
        while True:
            event = self._received_event()
            if event is None:
                break
            self._absorb(event)
        view = memoryview(bytes(data))
        for start in range(0, len(view), F.STREAM_CHUNK_MAX):
            self._send_packet(F.STREAM, F.CONTINUE, bytes(view[start:start + F.STREAM_CHUNK_MAX]))
        return len(view)

    def sendHole(self, length, flags=0):
        """Send a hole (sparse streams only: the opening call needs the sparse flag)."""
        self._check_open()
        self._send_packet(F.STREAM_HOLE, F.CONTINUE, encode(_wire.STREAM_HOLE, [length, flags]))
        return 0

    def recvFlags(self, nbytes, flags=0):
        """Up to nbytes of data; b"" at end of stream; -3 at a hole with STOP_AT_HOLE."""
        self._check_open()
        while True:
            if self._data:
                chunk, self._data = self._data[:nbytes], self._data[nbytes:]
                return chunk
            if self._hole:
                if flags & VIR_STREAM_RECV_STOP_AT_HOLE:
                    return -3
                # a reader that does not handle holes gets them as zeros, as with libvirt
                n = min(nbytes, self._hole)
                self._hole -= n
                return b"\0" * n
            if self._eof:
                return b""
            self._absorb(self._next_event())

    def recv(self, nbytes):
        return self.recvFlags(nbytes, 0)

    def recvHole(self, flags=0):
        """Length of the hole the stream is at (after recvFlags returned -3), else 0."""
        self._check_open()
        length, self._hole = self._hole, 0
        return length

    def finish(self):
        """Tell the daemon we are done and wait for its confirmation (or error)."""
        self._check_open()
        self._send_packet(F.STREAM, F.OK)
        try:
            while True:
                kind, value = self._next_event()
                if kind == _ACK:
                    return 0
                if kind == _ERROR:
                    self._error = value
                    raise value
                # data still in flight after the caller stopped reading is dropped
        finally:
            self._release()

    def abort(self):
        """Cancel the transfer; the daemon confirms (its error, if any, is ignored)."""
        if self._rpc is None or self._closed:
            return 0
        try:
            self._send_packet(F.STREAM, F.ERROR)
            while True:
                kind, _ = self._next_event()
                if kind in (_ACK, _ERROR):
                    break
        except Exception:
            pass  # aborting a broken stream must not fail
        finally:
            self._release()
        return 0

    def sendAll(self, handler, opaque):
        """Send everything handler(stream, nbytes, opaque) returns until it returns b""."""
        try:
            while True:
                data = handler(self, F.STREAM_CHUNK_MAX, opaque)
                if not data:
                    break
                self.send(data)
        except BaseException:
            self.abort()
            raise
        return 0

    def sparseRecvAll(self, handler, holeHandler, opaque):
        """Pass received data to handler(stream, data, opaque) and each hole's length to
        holeHandler(stream, length, opaque) until end of stream; a negative int from either
        aborts the stream and raises RuntimeError, as libvirt-python."""
        while True:
            got = self.recvFlags(F.STREAM_CHUNK_MAX, VIR_STREAM_RECV_STOP_AT_HOLE)
            if got == -3:
                length = self.recvHole()
                _check_handler(self, holeHandler(self, length, opaque), "holeHandler handler")
                continue
            if not got:
                return
            _check_handler(self, handler(self, got, opaque), "sparseRecvAll handler")

    def sparseSendAll(self, handler, holeHandler, skipHandler, opaque):
        """Send a sparse source: holeHandler(stream, opaque) says (inData, sectionLen) at the
        current position; a hole is sent and skipped with skipHandler(stream, length, opaque),
        data is read with handler(stream, nbytes, opaque) until it returns b""."""
        while True:
            in_data, section = holeHandler(self, opaque)
            if not in_data and section > 0:
                if self.sendHole(section) < 0 or skipHandler(self, section, opaque) < 0:
                    self.abort()
                continue
            got = handler(self, min(F.STREAM_CHUNK_MAX, section), opaque)
            _check_handler(self, got, "sparseSendAll handler")
            if not got:
                return
            self.send(got)

    def recvAll(self, handler, opaque):
        """Pass every received chunk to handler(stream, data, opaque) until end of stream."""
        try:
            while True:
                data = self.recv(F.STREAM_CHUNK_MAX)
                if not data:
                    break
                handler(self, data, opaque)
        except BaseException:
            self.abort()
            raise
        return 0

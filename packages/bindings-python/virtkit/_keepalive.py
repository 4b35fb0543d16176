"""The client side of libvirt's keepalive protocol (virkeepalive.c).

After `interval` seconds without any packet from the daemon the client sends a PING, and again
every `interval` seconds; once `count` PINGs went unanswered (so after interval * (count + 1)
seconds of silence) the daemon is taken for dead and the connection is closed with
VIR_CONNECT_CLOSE_REASON_KEEPALIVE. A stopped or wedged daemon thus fails every waiting call
instead of hanging it. The timer runs in a daemon thread that also reads the socket while no
caller does, so the daemon's own PINGs are answered on an idle connection.
"""
import threading
import time

# libvirt.conf's keepalive_interval and keepalive_count defaults
DEFAULT_INTERVAL = 5
DEFAULT_COUNT = 5


class KeepAlive(object):
    """One connection's keepalive timer; `stop()` ends its thread."""

    def __init__(self, rpc, interval, count):
        self._rpc = rpc
        self.interval = interval
        self.count = count
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="virtkit-keepalive", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stopped.set()
        if self._thread is not threading.current_thread() and self._thread.is_alive():
            self._thread.join(5)   # it never blocks long: every socket wait it makes is bounded

    def _run(self):
        tick = min(1.0, self.interval / 4.0)
        last_ping = 0.0
        while not self._stopped.wait(tick):
            if not self._rpc.is_alive():
                return
            self._rpc.poll_quietly()
            now = time.monotonic()
            silence = now - self._rpc.last_received()
            if silence >= self.interval * (self.count + 1):
                self._rpc.fail_keepalive()
                return
            if silence >= self.interval and now - last_ping >= self.interval:
                if self._rpc.send_ping():
                    last_ping = now

"""Byte streams to a daemon, one per transport, opened as libvirt's remote driver opens them.

  unix   a UNIX socket
  tcp    plain TCP (port 16509)
  tls    TCP (port 16514) with TLS: libvirt's pki layout, the server's certificate checked against
         our CA and the host name (unless ?no_verify=1), then the daemon's check byte (1: it
         accepted our certificate)
  ssh    the system `ssh` (or ?command=) with its stdin/stdout on a socketpair, running
         virt-ssh-helper or `nc -U` on the far host (libvirt's ?proxy= rules)

Every stream offers what the RPC runtime uses of a socket: fileno (for select and event loops),
recv (None: bytes arrived but no payload yet, as a TLS record in pieces), sendall, shutdown, close.
"""
import os
import socket
import ssl
import subprocess
import tempfile
import threading

from ._errors import make_error
from ._wire import VIR_ERR_AUTH_FAILED, VIR_ERR_INVALID_ARG, VIR_ERR_RPC, VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC

# libvirt's system-wide pki files (virnettlscontext.c), and the per-user folder tried when not root
SYSTEM_CACERT = "/etc/pki/CA/cacert.pem"
SYSTEM_CACRL = "/etc/pki/CA/cacrl.pem"
SYSTEM_CLIENTCERT = "/etc/pki/libvirt/clientcert.pem"
SYSTEM_CLIENTKEY = "/etc/pki/libvirt/private/clientkey.pem"

# the daemon's sockets on the far host of an ssh tunnel (libvirt's legacy libvirtd paths)
LEGACY_SOCKET = "/var/run/libvirt/libvirt-sock"
LEGACY_SOCKET_RO = "/var/run/libvirt/libvirt-sock-ro"

_RAW_READ = 262144


def system_error(detail):
    return make_error(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, detail)


def connect_unix(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError as e:
        sock.close()
        raise system_error("Failed to connect socket to '%s': %s" % (path, e.strerror or e)) from None
    return sock


def connect_tcp(host, port, timeout):
    try:
        sock = socket.create_connection((host, port), timeout)
    except OSError as e:
        raise system_error("unable to connect to server at '%s:%d': %s" % (host, port, e.strerror or e)) from None
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


# ---- TLS ----------------------------------------------------------------------------------

def pki_files(pkipath):
    """(cacert, cacrl, clientcert, clientkey) as libvirt locates them: all in ?pkipath= when
    given; else, when not root, those of ~/.pki/libvirt that exist (cert and key as a pair);
    else /etc/pki."""
    if pkipath:
        return tuple(os.path.join(pkipath, n) for n in ("cacert.pem", "cacrl.pem", "clientcert.pem", "clientkey.pem"))
    cacert, cacrl, cert, key = SYSTEM_CACERT, SYSTEM_CACRL, SYSTEM_CLIENTCERT, SYSTEM_CLIENTKEY
    if os.geteuid() != 0:
        user = os.path.join(os.path.expanduser("~"), ".pki", "libvirt")
        if os.path.exists(os.path.join(user, "cacert.pem")):
            cacert = os.path.join(user, "cacert.pem")
        if os.path.exists(os.path.join(user, "cacrl.pem")):
            cacrl = os.path.join(user, "cacrl.pem")
        if os.path.exists(os.path.join(user, "clientcert.pem")) and os.path.exists(os.path.join(user, "clientkey.pem")):
            cert, key = os.path.join(user, "clientcert.pem"), os.path.join(user, "clientkey.pem")
    return cacert, cacrl, cert, key


# OpenSSL's verify codes for "no known issuer" (gnutls' GNUTLS_CERT_SIGNER_NOT_FOUND), and revoked
_UNKNOWN_ISSUER = (2, 18, 19, 20, 21)
_REVOKED = 23


def _feed_each_other(a, a_out, b, b_in):
    data = a_out.read()
    if data:
        b_in.write(data)
    return bool(data)


def check_own_certificate(cacert, cacrl, cert, key):
    """libvirt's sanity check of the client's own certificate: it must verify against our CA
    (as a client certificate). OpenSSL has no offline verify call in Python, so two TLS ends
    shake hands in memory: one presents our certificate, the other checks it against the CA."""
    checker = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    checker.load_cert_chain(cert, key)          # any key will do for the checking end
    checker.load_verify_locations(cacert)
    if os.path.exists(cacrl):
        checker.load_verify_locations(cacrl)
        checker.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    checker.verify_mode = ssl.CERT_REQUIRED
    presenter = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    presenter.check_hostname = False
    presenter.verify_mode = ssl.CERT_NONE
    presenter.load_cert_chain(cert, key)
    p_in, p_out, c_in, c_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    ends = [(presenter.wrap_bio(p_in, p_out), p_out), (checker.wrap_bio(c_in, c_out, server_side=True), c_out)]
    done = [False, False]
    for _ in range(20):
        for i, (end, _out) in enumerate(ends):
            if done[i]:
                continue
            try:
                end.do_handshake()
                done[i] = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLCertVerificationError as e:
                reason = ("The certificate hasn't got a known issuer." if e.verify_code in _UNKNOWN_ISSUER
                          else "The certificate has been revoked." if e.verify_code == _REVOKED
                          else "The certificate is not trusted.")
                raise system_error("Our own certificate %s failed validation against %s: %s"
                                   % (cert, cacert, reason)) from None
            except ssl.SSLError:
                return    # the presenting end gave up once the checker refused; nothing more to learn
        moved = _feed_each_other(ends[0][0], p_out, ends[1][0], c_in)
        moved = _feed_each_other(ends[1][0], c_out, ends[0][0], p_in) or moved
        if all(done) or not moved:
            return


def tls_context(pkipath, verify, sanity=True):
    """The client context: our CA (required), its revocation list and our certificate (both
    optional, as in libvirt's client; our certificate checked against the CA unless
    ?no_sanity=1), and server checks unless `verify` is off (?no_verify=1)."""
    cacert, cacrl, cert, key = pki_files(pkipath)
    if not os.path.exists(cacert):
        raise system_error("Cannot read CA certificate '%s': No such file or directory" % cacert)
    if sanity and os.path.exists(cert) and os.path.exists(key):
        check_own_certificate(cacert, cacrl, cert, key)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        ctx.load_verify_locations(cacert)
        if os.path.exists(cacrl):
            ctx.load_verify_locations(cacrl)
            ctx.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
        if os.path.exists(cert) and os.path.exists(key):
            ctx.load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as e:
        raise system_error("Unable to load x509 credentials from '%s': %s" % (os.path.dirname(cacert), e)) from None
    ctx.check_hostname = verify
    ctx.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    return ctx


class TlsChannel(object):
    """TLS over a TCP socket through memory buffers, so that one thread may read while others
    send (the runtime's model) without two threads inside OpenSSL at once: `_ssl_lock` guards
    the TLS state, `_send_lock` keeps encrypted records in the order they were made."""

    def __init__(self, sock, context, host):
        self._sock = sock
        self._in = ssl.MemoryBIO()
        self._out = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._in, self._out, server_hostname=host)
        self._ssl_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._plain = b""    # payload read past the check byte

    def handshake(self, where, timeout):
        """Handshake, then the daemon's verdict on our certificate (libvirt's check byte)."""
        self._sock.settimeout(timeout)
        try:
            while True:
                try:
                    with self._ssl_lock:
                        self._tls.do_handshake()
                    self._flush()
                    break
                except ssl.SSLWantReadError:
                    self._flush()
                    if not self._feed():
                        raise system_error("unable to connect to server at '%s': TLS handshake: "
                                           "End of file" % where) from None
            self._check_byte()
        except ssl.SSLCertVerificationError:
            # libvirt's last word on a server certificate that fails our CA or the host name
            raise make_error(VIR_ERR_AUTH_FAILED, VIR_FROM_RPC,
                             "authentication failed: Failed to verify peer's certificate") from None
        except ssl.SSLError as e:
            raise system_error("unable to connect to server at '%s': TLS handshake failed: %s"
                               % (where, e.reason or e)) from None
        except socket.timeout:
            raise system_error("unable to connect to server at '%s': TLS handshake timed out" % where) from None
        except OSError as e:
            raise system_error("unable to connect to server at '%s': %s" % (where, e.strerror or e)) from None
        finally:
            self._sock.settimeout(None)

    def _check_byte(self):
        data = None
        try:
            while data is None:
                data = self.recv(1)
        except (ssl.SSLError, OSError):
            data = b""
        if not data:
            # libvirtd closes instead of answering 0 when it refuses our certificate
            raise system_error("Unable to read TLS confirmation: Input/output error")
        if data[:1] != b"\x01":
            raise make_error(VIR_ERR_RPC, VIR_FROM_RPC,
                             "server verification (of our certificate or IP address) failed")
        self._plain = data[1:]

    def _feed(self):
        """Move what the socket has (blocking for at least one byte) into the TLS buffers;
        False at end of file."""
        raw = self._sock.recv(_RAW_READ)
        if not raw:
            return False
        with self._ssl_lock:
            self._in.write(raw)
        return True

    def _flush(self):
        """Send the records the TLS state has made, in order."""
        with self._send_lock:
            with self._ssl_lock:
                data = self._out.read()
            if data:
                self._sock.sendall(data)

    def recv(self, size):
        """Decrypted payload; b"" at end of file; None when the bytes that arrived completed no
        record (the caller waits for readability again, so nothing decrypted is left behind)."""
        if self._plain:
            data, self._plain = self._plain[:size], self._plain[size:]
            return data
        eof = not self._feed()
        chunks = []
        with self._ssl_lock:
            try:
                while True:
                    chunks.append(self._tls.read(_RAW_READ))
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLZeroReturnError:
                eof = True
        if self._send_lock.acquire(blocking=False):
            # answers the TLS state may owe the peer (key updates); otherwise the next send takes them
            try:
                with self._ssl_lock:
                    owed = self._out.read()
                if owed:
                    self._sock.sendall(owed)
            finally:
                self._send_lock.release()
        data = b"".join(chunks)
        if data:
            if len(data) > size:
                data, self._plain = data[:size], data[size:]
            return data
        return b"" if eof else None

    def sendall(self, data):
        with self._send_lock:
            with self._ssl_lock:
                self._tls.write(data)
                records = self._out.read()
            self._sock.sendall(records)

    def fileno(self):
        return self._sock.fileno()

    def pending(self):
        return len(self._plain)

    def shutdown(self, how):
        self._sock.shutdown(how)

    def close(self):
        self._sock.close()


def connect_tls(host, port, pkipath, verify, sanity, timeout):
    ctx = tls_context(pkipath, verify, sanity)
    sock = connect_tcp(host, port, timeout)
    channel = TlsChannel(sock, ctx, host)
    try:
        channel.handshake("%s:%d" % (host, port), timeout)
    except BaseException:
        sock.close()
        raise
    return channel


# ---- ssh ----------------------------------------------------------------------------------

def escape_shell(text):
    """libvirt's virBufferEscapeShell: single-quoted only when the text has shell metacharacters."""
    if not text:
        return "''"
    if not any(c in "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def ssh_remote_command(proxy, netcat, socket_path, driver_uri, readonly):
    """The command ssh runs on the far host (libvirt's virNetClientSSHHelperCommand): auto tries
    virt-ssh-helper and falls back to netcat on the daemon's socket."""
    nc = escape_shell(escape_shell(netcat or "nc"))
    uri = escape_shell(escape_shell(driver_uri))
    if proxy == "auto" and netcat is not None:
        proxy = "netcat"
    nccmd = ("if '%s' -q 2>&1 | grep \"requires an argument\" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;"
             "'%s' $ARG -U %s" % (nc, nc, socket_path))
    helper = "virt-ssh-helper%s'%s'" % (" -r " if readonly else " ", uri)
    if proxy == "auto":
        return ("sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     %s; else    %s; fi'"
                % (helper, nccmd))
    if proxy == "netcat":
        return "sh -c '%s'" % nccmd
    if proxy == "native":
        if netcat is not None:
            raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_RPC,
                             "invalid argument: netcat path not valid with native proxy mode")
        return "sh -c '%s'" % helper
    raise make_error(VIR_ERR_INVALID_ARG, VIR_FROM_RPC, "invalid argument: Unnkown proxy type '%s'" % proxy)


def ssh_arguments(binary, host, port, user, keyfile, no_tty, no_verify, command):
    """libvirt's virNetSocketNewConnectSSH command line."""
    args = [binary or "ssh"]
    if port:
        args += ["-p", str(port)]
    if user:
        args += ["-l", user]
    if keyfile:
        args += ["-i", keyfile]
    args += ["-T", "-e", "none"]
    if no_tty:
        args += ["-o", "BatchMode=yes"]
    if no_verify:
        args += ["-o", "StrictHostKeyChecking=no"]
    return args + ["--", host, command]


class CommandChannel(object):
    """A socketpair whose far end is a child process's stdin and stdout (libvirt's
    virNetSocketNewConnectCommand); its stderr is kept to explain an end of file."""

    def __init__(self, args):
        self._sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._stderr = tempfile.TemporaryFile()
        try:
            self._child = subprocess.Popen(args, stdin=theirs.fileno(), stdout=theirs.fileno(), stderr=self._stderr,
                                           start_new_session=True)
        except OSError as e:
            self._sock.close()
            self._stderr.close()
            raise system_error("Cannot run %s: %s" % (args[0], e.strerror or e)) from None
        finally:
            theirs.close()

    def error_output(self):
        """What the command wrote on stderr (ssh's reason for ending), or None."""
        self._stderr.seek(0)
        text = self._stderr.read(1024).decode("utf-8", "replace").strip()
        return text or None

    def recv(self, size):
        return self._sock.recv(size)

    def sendall(self, data):
        self._sock.sendall(data)

    def fileno(self):
        return self._sock.fileno()

    def shutdown(self, how):
        self._sock.shutdown(how)

    def close(self):
        self._sock.close()
        if self._child.poll() is None:
            try:
                self._child.wait(2)
            except subprocess.TimeoutExpired:
                self._child.kill()
                self._child.wait()
        self._stderr.close()

"""A private OpenSSH server for the ssh transport's tests: its own host key, one authorized client
key made by the test, listening on a free loopback port, stopped by its pid.

    sshd = Sshd(daemon_socket, daemon_socket_ro).start()
    sshd.port, sshd.client_key     # where to connect, the ?keyfile= to use
    sshd.ssh_command               # an `ssh` for ?command=: known hosts kept in the temp dir
    sshd.stop()

The "far host" is this machine seen through a private mount namespace (unshare -m): a fresh
/run in which /run/libvirt/libvirt-sock is the given daemon's socket, so the real
virt-ssh-helper (or nc) that ssh runs there reaches the test's daemon at libvirt's standard path.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time

SSHD = "/usr/sbin/sshd"

# Mount a fresh /run (sshd needs /run/sshd) and show the daemon's sockets at libvirt's paths.
FAR_HOST = ('mount -t tmpfs tmpfs /run && mkdir -p /run/sshd /run/libvirt'
            ' && touch /run/libvirt/libvirt-sock /run/libvirt/libvirt-sock-ro'
            ' && mount --bind "$1" /run/libvirt/libvirt-sock && mount --bind "$2" /run/libvirt/libvirt-sock-ro'
            ' && exec "$3" -D -e -f "$4"')


def sshd_unavailable_reason():
    for tool in (SSHD, shutil.which("ssh"), shutil.which("ssh-keygen"), shutil.which("virt-ssh-helper")):
        if not tool or not os.access(tool, os.X_OK):
            return ("openssh-server, openssh-client or virt-ssh-helper is missing "
                    "(scripts/system-packages.sh test installs them)")
    if os.geteuid() != 0:
        return "a private sshd with its own mount namespace needs root"
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode:
        return "unshare -m is not permitted here (needs CAP_SYS_ADMIN)"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sshd(object):
    def __init__(self, daemon_socket, daemon_socket_ro):
        self.daemon_socket = daemon_socket
        self.daemon_socket_ro = daemon_socket_ro
        self.dir = tempfile.mkdtemp(prefix="virtkit-sshd-")
        self.port = free_port()
        self.client_key = os.path.join(self.dir, "id_ed25519")
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        self.ssh_command = os.path.join(self.dir, "ssh")
        self.args_log = os.path.join(self.dir, "ssh-args.log")
        self.log_path = os.path.join(self.dir, "sshd.log")
        self.proc = None

    def start(self, timeout=20.0):
        keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
        subprocess.run(keygen + ["-f", os.path.join(self.dir, "host_key")], check=True)
        subprocess.run(keygen + ["-f", self.client_key], check=True)
        shutil.copy(self.client_key + ".pub", os.path.join(self.dir, "authorized_keys"))
        conf = os.path.join(self.dir, "sshd_config")
        # HOME in our directory: the far side's shell must not run root's own start-up files (slow, and not ours)
        with open(conf, "w") as f:
            f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s\nAuthorizedKeysFile %s\nPidFile none\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
                    "PermitRootLogin prohibit-password\nAllowUsers root\nSetEnv HOME=%s\n"
                    % (self.port, os.path.join(self.dir, "host_key"), os.path.join(self.dir, "authorized_keys"),
                       self.dir))
        # ?command=: the system ssh, with known hosts in our directory (not root's), its arguments logged
        with open(self.ssh_command, "w") as f:
            f.write('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\nexec ssh -F /dev/null -o UserKnownHostsFile=%s '
                    '-o GlobalKnownHostsFile=/dev/null "$@"\n' % (self.args_log, self.known_hosts))
        os.chmod(self.ssh_command, 0o755)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", FAR_HOST, "sh",
                                      self.daemon_socket, self.daemon_socket_ro, SSHD, conf],
                                     stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("sshd did not start:\n" + self.log_text()) from None
                time.sleep(0.05)

    def trust_host_key(self):
        """Record the server's host key as known (what a user's first `yes` does)."""
        with open(os.path.join(self.dir, "host_key.pub")) as f:
            key = f.read().split()
        with open(self.known_hosts, "w") as f:
            f.write("[127.0.0.1]:%d %s %s\n" % (self.port, key[0], key[1]))

    def forget_host_key(self):
        if os.path.exists(self.known_hosts):
            os.unlink(self.known_hosts)

    def logged_args(self):
        """The argument lists ?command= was run with, one string each, and forget them."""
        if not os.path.exists(self.args_log):
            return []
        with open(self.args_log) as f:
            lines = f.read().splitlines()
        os.unlink(self.args_log)
        return lines

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

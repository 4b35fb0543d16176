"""A throw-away x509 PKI in libvirt's layout for Python tests, made with the openssl command (as
testkit's pki.ts does for the TypeScript tests): a CA, a server certificate for
127.0.0.1/localhost and a client certificate, with the extensions libvirtd checks at start-up.

    pki = make_pki(directory)
    pki.server      # dict(ca=..., cert=..., key=...) for the daemon's ca_file/cert_file/key_file
    pki.client_dir  # cacert.pem, clientcert.pem, clientkey.pem: a client's ?pkipath=
"""
import collections
import os
import shutil
import subprocess

Pki = collections.namedtuple("Pki", "dir server client_dir")

SERVER_EXT = ("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n")
CLIENT_EXT = ("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              "extendedKeyUsage=clientAuth\n")
EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def openssl_unavailable_reason():
    return None if shutil.which("openssl") else "the openssl command is not installed"


def _openssl(args, cwd):
    subprocess.run(["openssl"] + args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _signed(directory, name, subject, ext):
    with open(os.path.join(directory, name + ".ext"), "w") as f:
        f.write(ext)
    _openssl(["req", "-new"] + EC_KEY + ["-keyout", name + "key.pem", "-subj", subject, "-out", name + ".csr"],
             directory)
    _openssl(["x509", "-req", "-in", name + ".csr", "-CA", "cacert.pem", "-CAkey", "cakey.pem",
              "-CAcreateserial", "-days", "2", "-extfile", name + ".ext", "-out", name + "cert.pem"], directory)


def make_pki(directory):
    os.makedirs(directory)
    _openssl(["req", "-x509"] + EC_KEY + ["-keyout", "cakey.pem", "-out", "cacert.pem", "-days", "2",
                                          "-subj", "/CN=virtkit test CA",
                                          "-addext", "basicConstraints=critical,CA:TRUE",
                                          "-addext", "keyUsage=critical,keyCertSign,cRLSign"], directory)
    _signed(directory, "server", "/CN=localhost", SERVER_EXT)
    _signed(directory, "client", "/O=virtkit/CN=client", CLIENT_EXT)
    client_dir = os.path.join(directory, "client")
    os.mkdir(client_dir)
    for name in ("cacert.pem", "clientcert.pem", "clientkey.pem"):
        shutil.copy(os.path.join(directory, name), os.path.join(client_dir, name))
    server = dict(ca=os.path.join(directory, "cacert.pem"), cert=os.path.join(directory, "servercert.pem"),
                  key=os.path.join(directory, "serverkey.pem"))
    return Pki(directory, server, client_dir)


def readable_by_all(directory):
    """A daemon running as `nobody` must read its (throw-away) key."""
    os.chmod(directory, 0o755)
    for root, dirs, files in os.walk(directory):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)

/**
 * The network listeners of `--listen`, as libvirtd's: plain TCP (`listen_tcp`, port 16509) and
 * TLS (`listen_tls`, port 16514) with libvirt's pki files and its post-handshake check byte — one
 * byte after the handshake, 1 when the client's certificate is accepted, 0 before closing when it
 * is not.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { DaemonConfig } from './config';
import type { Logger } from './log';

export type AcceptSocket = (sock: net.Socket, origin: string) => void;

/** Why the network settings cannot be served, or null when they can. */
export function networkSettingsProblem(cfg: DaemonConfig): string | null {
  if (!cfg.listen) return null;
  if (cfg.listenTcp && cfg.authTcp !== 'none') {
    return `auth_tcp = "${cfg.authTcp}" is not supported: virtkitd has no SASL; set auth_tcp = "none" to serve TCP without authentication, or listen_tcp = 0`;
  }
  if (cfg.listenTls && cfg.authTls !== 'none') {
    return `auth_tls = "${cfg.authTls}" is not supported: virtkitd authenticates TLS clients by certificate only; set auth_tls = "none"`;
  }
  return null;
}

function listenOn(server: net.Server, port: number, addr: string | null): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = (): void => {
      server.off('error', reject);
      resolve(server);
    };
    if (addr) server.listen(port, addr, ready);
    else server.listen(port, ready);
  });
}

/** `HOST:PORT` of the peer; an IPv4 client of a dual-stack listener shows as plain IPv4. */
function remoteOf(sock: net.Socket): string {
  const addr = (sock.remoteAddress ?? '?').replace(/^::ffff:(?=\d+\.)/, '');
  return addr.includes(':') ? `[${addr}]:${sock.remotePort}` : `${addr}:${sock.remotePort}`;
}

/** Listen on plain TCP; every connection is read-write with no authentication (auth_tcp = "none"). */
export function listenTcp(cfg: DaemonConfig, accept: AcceptSocket, log: Logger): Promise<net.Server> {
  const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    accept(sock, `tcp ${remoteOf(sock)}`);
  });
  server.on('error', (e) => log.error(`tcp listener: ${e.message}`));
  return listenOn(server, cfg.tcpPort, cfg.listenAddr);
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new Error(
      `Cannot read ${what} '${file}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
    );
  }
}

/** Listen on TLS; a client whose certificate does not verify against the CA gets check byte 0 and is closed. */
export function listenTls(cfg: DaemonConfig, accept: AcceptSocket, log: Logger): Promise<net.Server> {
  const server = tls.createServer({
    ca: readPem(cfg.caFile, 'CA certificate'),
    cert: readPem(cfg.certFile, 'server certificate'),
    key: readPem(cfg.keyFile, 'server key'),
    // The verdict is sent as the check byte after the handshake, so the handshake itself accepts any certificate.
    requestCert: true,
    rejectUnauthorized: false,
  });
  server.on('secureConnection', (sock) => {
    const origin = `tls ${remoteOf(sock)}`;
    if (!cfg.tlsNoVerifyCertificate && !sock.authorized) {
      log.warn(`${origin}: client certificate refused: ${sock.authorizationError ?? 'no certificate'}`);
      sock.end(Buffer.from([0]));
      return;
    }
    sock.setNoDelay(true);
    sock.write(Buffer.from([1]));
    accept(sock, origin);
  });
  server.on('tlsClientError', (e, sock) => log.warn(`tls ${remoteOf(sock)}: handshake failed: ${e.message}`));
  server.on('error', (e) => log.error(`tls listener: ${e.message}`));
  return listenOn(server, cfg.tlsPort, cfg.listenAddr);
}

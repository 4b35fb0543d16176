/**
 * Byte streams to a daemon, one per transport: a UNIX socket, plain TCP (port 16509), TLS
 * (port 16514, libvirt's pki layout and its post-handshake check byte) and ssh (a child process
 * whose stdin/stdout reach `virt-ssh-helper`, `virtkitd --stdio` or `nc -U` on the far host).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { pickSocket, type RemoteTarget } from './target';

const TCP_PORT = 16509;
const TLS_PORT = 16514;

/** libvirt's error for a failed connect: VIR_ERR_SYSTEM_ERROR in the RPC domain. */
export function systemError(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_RPC, detail);
}

function connected(sock: net.Socket, event: 'connect' | 'secureConnect', describe: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const fail = (e: Error): void => reject(systemError(`${describe}: ${e.message}`));
    sock.once('error', fail);
    sock.once(event, () => {
      sock.off('error', fail);
      resolve(sock);
    });
  });
}

async function openUnix(target: RemoteTarget): Promise<Duplex> {
  const file = pickSocket(target.sockets);
  return connected(net.connect(file), 'connect', `Failed to connect socket to '${file}'`);
}

async function openTcp(target: RemoteTarget): Promise<Duplex> {
  const host = target.host ?? 'localhost';
  const port = target.port ?? TCP_PORT;
  const sock = await connected(net.connect({ host, port }), 'connect', `unable to connect to server at '${host}:${port}'`);
  sock.setNoDelay(true);
  return sock;
}

/** libvirt's certificate files: `?pkipath=DIR`, else the per-user `~/.pki/libvirt` when not root, else /etc/pki. */
function pkiFiles(target: RemoteTarget): { ca: string; cert: string; key: string } {
  const dir = target.params.get('pkipath');
  if (dir) return { ca: path.join(dir, 'cacert.pem'), cert: path.join(dir, 'clientcert.pem'), key: path.join(dir, 'clientkey.pem') };
  const user = path.join(os.homedir(), '.pki', 'libvirt');
  if (process.getuid?.() !== 0 && fs.existsSync(path.join(user, 'clientcert.pem'))) {
    return { ca: path.join(user, 'cacert.pem'), cert: path.join(user, 'clientcert.pem'), key: path.join(user, 'clientkey.pem') };
  }
  return { ca: '/etc/pki/CA/cacert.pem', cert: '/etc/pki/libvirt/clientcert.pem', key: '/etc/pki/libvirt/private/clientkey.pem' };
}

function readPki(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw systemError(`Cannot read certificate file '${file}': ${(e as Error).message}`);
  }
}

/** After the handshake the server sends one byte: 1 when it accepted our certificate. */
function checkByte(sock: tls.TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      cleanup();
      if (d.length > 1) sock.unshift(d.subarray(1));
      if (d[0] === 1) resolve();
      else reject(systemError('server verification (of our certificate or IP address) failed'));
    };
    const onEnd = (): void => {
      cleanup();
      reject(systemError('server verification (of our certificate or IP address) failed'));
    };
    const cleanup = (): void => {
      sock.off('data', onData);
      sock.off('end', onEnd);
      sock.pause();
    };
    sock.on('data', onData);
    sock.once('end', onEnd);
  });
}

async function openTls(target: RemoteTarget): Promise<Duplex> {
  const host = target.host ?? 'localhost';
  const port = target.port ?? TLS_PORT;
  const files = pkiFiles(target);
  const verify = target.params.get('no_verify') !== '1';
  const sock = tls.connect({
    host,
    port,
    servername: net.isIP(host) ? undefined : host,
    ca: readPki(files.ca),
    cert: readPki(files.cert),
    key: readPki(files.key),
    rejectUnauthorized: verify,
  });
  await connected(sock, 'secureConnect', `unable to connect to server at '${host}:${port}'`);
  await checkByte(sock);
  sock.setNoDelay(true);
  return sock;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command run on the far host: libvirt's `proxy=` choice (auto: netcat when a socket is named). */
export function sshRemoteCommand(target: RemoteTarget): string {
  const proxy = target.params.get('proxy') ?? (target.sockets.length ? 'netcat' : 'native');
  const ro = target.readOnly ? ' -r' : '';
  switch (proxy) {
    case 'native':
      return `virt-ssh-helper${ro} ${shellQuote(target.serverName)}`;
    case 'virtkitd':
      return 'virtkitd --stdio';
    case 'netcat': {
      const sock = target.sockets[0] ?? (target.readOnly ? '/var/run/libvirt/libvirt-sock-ro' : '/var/run/libvirt/libvirt-sock');
      return `${target.params.get('netcat') ?? 'nc'} -U ${shellQuote(sock)}`;
    }
    default:
      throw VirError.invalidArg(`unknown proxy mode '${proxy}' (expected native, netcat or virtkitd)`, ErrorDomain.VIR_FROM_REMOTE);
  }
}

/** ssh arguments as libvirt builds them: port, user, key, no tty and no escape character. */
export function sshArguments(target: RemoteTarget): string[] {
  const args: string[] = [];
  if (target.port) args.push('-p', String(target.port));
  if (target.user) args.push('-l', target.user);
  const key = target.params.get('keyfile');
  if (key) args.push('-i', key);
  if (target.params.get('no_tty') === '1') args.push('-T', '-o', 'BatchMode=yes');
  args.push('-e', 'none', '--', target.host ?? 'localhost', sshRemoteCommand(target));
  return args;
}

async function openSsh(target: RemoteTarget): Promise<Duplex> {
  const child = spawn('ssh', sshArguments(target), { stdio: ['pipe', 'pipe', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(systemError(`Cannot run ssh: ${e.message}`)));
  });
  const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.once('exit', (code) => {
    if (code) duplex.destroy(systemError(`ssh exited with status ${code}: ${stderr.trim()}`));
  });
  duplex.once('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return duplex;
}

/** Open the byte stream to the daemon named by `target`. */
export function openTransport(target: RemoteTarget): Promise<Duplex> {
  switch (target.transport) {
    case 'unix':
      return openUnix(target);
    case 'tcp':
      return openTcp(target);
    case 'tls':
      return openTls(target);
    case 'ssh':
      return openSsh(target);
  }
}

/**
 * Where a remote URI leads (libvirt's remote driver URI rules): the transport, the endpoint
 * (socket path, host and port, or ssh command), and the name sent in CONNECT_OPEN, which is the
 * URI without transport, user, host, port and the client-only query parameters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { ParsedUri } from '@virtkit/core';

export type TransportKind = 'unix' | 'tcp' | 'tls' | 'ssh';

export interface RemoteTarget {
  transport: TransportKind;
  /** The URI the server opens (CONNECT_OPEN name). */
  serverName: string;
  readOnly: boolean;
  /** unix: candidate socket paths, first existing wins; ssh with netcat proxy: the remote socket. */
  sockets: string[];
  host: string | null;
  port: number | null;
  user: string | null;
  params: Map<string, string>;
}

/** Query parameters only the client reads (libvirt's remote driver strips the same set). */
const CLIENT_PARAMS = new Set([
  'name',
  'command',
  'socket',
  'auth',
  'netcat',
  'keyfile',
  'no_verify',
  'no_tty',
  'pkipath',
  'known_hosts',
  'known_hosts_verify',
  'sshauth',
  'mode',
  'proxy',
  'tls_priority',
]);

const TRANSPORTS = new Set<TransportKind>(['unix', 'tcp', 'tls', 'ssh']);

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** CONNECT_OPEN name: `?name=` when given, else the URI reduced to driver, path and server parameters. */
function serverNameOf(uri: ParsedUri): string {
  const explicit = uri.params.get('name');
  if (explicit !== undefined) return explicit;
  const kept = [...uri.params].filter(([k]) => !CLIENT_PARAMS.has(k));
  const query = kept.length ? `?${kept.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  return `${uri.driver}://${uri.path}${query}`;
}

/**
 * Socket candidates for a local daemon: virtkitd's (README: `/run/virtkit` as root, else
 * `$XDG_RUNTIME_DIR/virtkit`), then libvirtd's, then the per-driver libvirt daemon's.
 */
function defaultSockets(uri: ParsedUri, readOnly: boolean): string[] {
  const session = uri.path === '/session' || (!isRoot() && uri.path !== '/system');
  const suffix = readOnly && !session ? '-ro' : '';
  const daemon = `virt${uri.driver}d-sock${suffix}`;
  if (session) {
    const runtime = process.env.XDG_RUNTIME_DIR ?? path.join(process.env.HOME ?? '/', '.cache');
    return [
      path.join(runtime, 'virtkit', 'virtkit-sock'),
      path.join(runtime, 'libvirt', 'libvirt-sock'),
      path.join(runtime, 'libvirt', daemon),
    ];
  }
  return [`/run/virtkit/virtkit-sock${suffix}`, `/var/run/libvirt/libvirt-sock${suffix}`, `/var/run/libvirt/${daemon}`];
}

/** The remote target of a URI that has a transport or a host. */
export function remoteTarget(uri: ParsedUri, readOnly: boolean): RemoteTarget {
  const transport = (uri.transport ?? (uri.host ? 'tls' : 'unix')) as TransportKind;
  if (!TRANSPORTS.has(transport)) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_INVALID_ARG,
      ErrorDomain.VIR_FROM_REMOTE,
      `transport in URL not recognised (should be tls|unix|ssh|tcp): ${transport}`,
    );
  }
  const socket = uri.params.get('socket');
  let sockets: string[] = socket ? [socket] : [];
  if (transport === 'unix' && !socket) sockets = defaultSockets(uri, readOnly);
  return {
    transport,
    serverName: serverNameOf(uri),
    readOnly,
    sockets,
    host: uri.host,
    port: uri.port,
    user: uri.user,
    params: uri.params,
  };
}

/** The first candidate socket that exists, else the libvirt default (so the error names it). */
export function pickSocket(candidates: string[]): string {
  return candidates.find((s) => fs.existsSync(s)) ?? candidates[Math.min(1, candidates.length - 1)];
}

/**
 * libvirt connection URIs: `driver[+transport]://[user@][host][:port]/[path][?params]`,
 * e.g. `test:///default`, `qemu:///embed?root=/srv/vms`, `qemu+unix:///system?socket=/p`.
 */
import { VirError, ErrorDomain, ErrorNumber } from './errors';

export interface ParsedUri {
  /** The URI as given. */
  raw: string;
  /** Driver scheme without transport, e.g. `qemu`. */
  driver: string;
  /** Transport after `+` (`unix`, `tcp`, `tls`, `ssh`, `ext`, `libssh2`), or null. */
  transport: string | null;
  user: string | null;
  host: string | null;
  port: number | null;
  /** Path part including its leading slash, e.g. `/system`. */
  path: string;
  params: Map<string, string>;
  /** The URI a server sees: transport, host and the `socket` parameter stripped, as libvirt's client sends it. */
  serverUri: string;
}

const SCHEME = /^([a-z][a-z0-9-]*)(?:\+([a-z0-9]+))?:/i;

export function parseUri(raw: string): ParsedUri {
  const m = SCHEME.exec(raw);
  let url: URL | undefined;
  try {
    if (m) url = new URL(raw.replace(SCHEME, 'virtkit:'));
  } catch {
    url = undefined;
  }
  if (!m || !url) {
    throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE, `could not parse connection URI '${raw}'`);
  }
  const params = new Map<string, string>();
  url.searchParams.forEach((v, k) => params.set(k, v));
  const kept = [...params].filter(([k]) => k !== 'socket' && k !== 'no_verify' && k !== 'no_tty' && k !== 'keyfile' && k !== 'sshauth');
  const query = kept.length ? `?${kept.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
  const path = decodeURIComponent(url.pathname);
  return {
    raw,
    driver: m[1].toLowerCase(),
    transport: m[2]?.toLowerCase() ?? null,
    user: url.username ? decodeURIComponent(url.username) : null,
    host: url.hostname || null,
    port: url.port ? Number(url.port) : null,
    path,
    params,
    serverUri: `${m[1].toLowerCase()}://${path}${query}`,
  };
}

/** True when the URI names a remote transport or host, i.e. it goes through the remote driver. */
export function isRemoteUri(uri: ParsedUri): boolean {
  return uri.transport !== null || uri.host !== null;
}

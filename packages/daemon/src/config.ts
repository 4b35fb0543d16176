/**
 * virtkitd settings: defaults, the config file (JSON, or libvirt-style `key = value` lines with
 * `#` comments), then command-line options, each overriding the one before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLogLevel, type LogLevel } from './log';

export interface DaemonConfig {
  /** Directory holding `virtkit-sock` and `virtkit-sock-ro`. */
  socketDir: string;
  logLevel: LogLevel;
  /** Seconds of silence before the server pings a client that negotiated keepalive; <= 0 disables. */
  keepaliveInterval: number;
  /** Unanswered pings after which the client is dropped. */
  keepaliveCount: number;
  maxClients: number;
  /** `max_client_requests`: calls of one client received and not yet answered; at the limit its socket is not read. */
  maxClientRequests: number;
  /** `max_workers`: calls of all clients running at once; the others wait their turn. */
  maxWorkers: number;
  /** `prio_workers`: more workers that run only high-priority calls (libvirt's `@priority: high`), so slow calls never starve them. */
  prioWorkers: number;
  /** URI opened when a client sends a null or empty name in CONNECT_OPEN. */
  defaultUri: string;
  /**
   * `qemu_root`: when set, a client's `qemu:///system` is served from `qemu:///embed?root=DIR`, a
   * private tree (for tests, or a second daemon beside the real one), as libvirtd is pointed
   * elsewhere by its own per-instance config.
   */
  qemuRoot: string | null;
  /**
   * `test_root`: the directory whose files clients may open as `test:///PATH` node files; null
   * (the default) serves only `test:///default`, since the daemon could read any file for them.
   */
  testRoot: string | null;
  /** `--listen`: serve the TCP and TLS listeners the config turns on (libvirtd ignores them without it). */
  listen: boolean;
  /** `--stdio`: serve one client on stdin/stdout instead of listening (what an ssh proxy runs). */
  stdio: boolean;
  /** `listen_tcp`: serve plain TCP (with `--listen`); off by default, as in libvirtd. */
  listenTcp: boolean;
  /** `listen_tls`: serve TLS (with `--listen`); on by default, as in libvirtd. */
  listenTls: boolean;
  /** `tcp_port` (16509). */
  tcpPort: number;
  /** `tls_port` (16514). */
  tlsPort: number;
  /** Address the TCP and TLS listeners bind; null for every address. */
  listenAddr: string | null;
  /** Only `none` can be served: virtkitd has no SASL (libvirt's default for TCP is `sasl`). */
  authTcp: string;
  /** Only `none`: TLS clients are authenticated by their certificate. */
  authTls: string;
  /** `ca_file`: the CA that signs client certificates (libvirt's /etc/pki/CA/cacert.pem). */
  caFile: string;
  /** `cert_file`: the server certificate (/etc/pki/libvirt/servercert.pem). */
  certFile: string;
  /** `key_file`: the server key (/etc/pki/libvirt/private/serverkey.pem). */
  keyFile: string;
  /** Accept TLS clients whose certificate does not verify against the CA (or that send none). */
  tlsNoVerifyCertificate: boolean;
}

export function defaultSocketDir(): string {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/run/virtkit';
  const xdg = process.env.XDG_RUNTIME_DIR;
  if (xdg) return path.join(xdg, 'virtkit');
  return path.join(process.env.HOME ?? '/tmp', '.cache', 'virtkit', 'run');
}

export function defaultConfig(): DaemonConfig {
  return {
    socketDir: defaultSocketDir(),
    logLevel: 'warn',
    keepaliveInterval: 5,
    keepaliveCount: 5,
    maxClients: 5000,
    maxClientRequests: 5,
    maxWorkers: 20,
    prioWorkers: 5,
    defaultUri: 'test:///default',
    qemuRoot: null,
    testRoot: null,
    listen: false,
    stdio: false,
    listenTcp: false,
    listenTls: true,
    tcpPort: 16509,
    tlsPort: 16514,
    listenAddr: null,
    authTcp: 'sasl',
    authTls: 'none',
    caFile: '/etc/pki/CA/cacert.pem',
    certFile: '/etc/pki/libvirt/servercert.pem',
    keyFile: '/etc/pki/libvirt/private/serverkey.pem',
    tlsNoVerifyCertificate: false,
  };
}

const KEYS: Record<string, keyof DaemonConfig> = {
  socket_dir: 'socketDir',
  unix_sock_dir: 'socketDir',
  socketDir: 'socketDir',
  log_level: 'logLevel',
  logLevel: 'logLevel',
  keepalive_interval: 'keepaliveInterval',
  keepaliveInterval: 'keepaliveInterval',
  keepalive_count: 'keepaliveCount',
  keepaliveCount: 'keepaliveCount',
  max_clients: 'maxClients',
  maxClients: 'maxClients',
  max_client_requests: 'maxClientRequests',
  maxClientRequests: 'maxClientRequests',
  max_workers: 'maxWorkers',
  maxWorkers: 'maxWorkers',
  prio_workers: 'prioWorkers',
  prioWorkers: 'prioWorkers',
  default_uri: 'defaultUri',
  defaultUri: 'defaultUri',
  qemu_root: 'qemuRoot',
  qemuRoot: 'qemuRoot',
  test_root: 'testRoot',
  testRoot: 'testRoot',
  listen_tcp: 'listenTcp',
  listen_tls: 'listenTls',
  tcp_port: 'tcpPort',
  tls_port: 'tlsPort',
  listen_addr: 'listenAddr',
  auth_tcp: 'authTcp',
  auth_tls: 'authTls',
  ca_file: 'caFile',
  cert_file: 'certFile',
  key_file: 'keyFile',
  tls_no_verify_certificate: 'tlsNoVerifyCertificate',
};

/** Settings of the command line only. */
const FLAGS: Record<string, keyof DaemonConfig> = { listen: 'listen', stdio: 'stdio' };

function toBoolean(value: unknown, key: string, where: string): boolean {
  const s = String(value).toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  throw new Error(`${where}: '${key}' needs 0 or 1, got '${String(value)}'`);
}

function toPort(value: unknown, key: string, where: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${where}: '${key}' needs a port number, got '${String(value)}'`);
  return n;
}

function apply(cfg: DaemonConfig, key: string, value: unknown, where: string): void {
  const k = KEYS[key] ?? (where === 'command line' ? FLAGS[key] : undefined);
  if (!k) throw new Error(`${where}: unknown setting '${key}'`);
  switch (k) {
    case 'socketDir':
    case 'defaultUri':
    case 'authTcp':
    case 'authTls':
    case 'caFile':
    case 'certFile':
    case 'keyFile':
      if (typeof value !== 'string' || !value) throw new Error(`${where}: '${key}' needs a non-empty string`);
      cfg[k] = value;
      return;
    case 'qemuRoot':
    case 'testRoot':
      // The driver resolves the embed root itself, so a relative one must be settled here.
      if (typeof value !== 'string' || !value.startsWith('/')) throw new Error(`${where}: '${key}' needs an absolute path`);
      cfg[k] = path.resolve(value);
      return;
    case 'listenAddr':
      if (typeof value !== 'string' || !value) throw new Error(`${where}: '${key}' needs a non-empty string`);
      // libvirt's '*' (and an empty host) mean every address.
      cfg.listenAddr = value === '*' ? null : value;
      return;
    case 'listen':
    case 'stdio':
    case 'listenTcp':
    case 'listenTls':
    case 'tlsNoVerifyCertificate':
      cfg[k] = toBoolean(value, key, where);
      return;
    case 'tcpPort':
    case 'tlsPort':
      cfg[k] = toPort(value, key, where);
      return;
    case 'logLevel':
      cfg.logLevel = parseLogLevel(value as string);
      return;
    case 'keepaliveInterval':
    case 'keepaliveCount':
    case 'maxClients':
    case 'maxClientRequests':
    case 'maxWorkers':
    case 'prioWorkers': {
      const n = Number(value);
      const positive = k === 'maxClients' || k === 'maxClientRequests' || k === 'maxWorkers';
      if (!Number.isInteger(n) || (positive && n < 1) || ((k === 'keepaliveCount' || k === 'prioWorkers') && n < 0)) {
        throw new Error(`${where}: '${key}' needs an integer, got '${String(value)}'`);
      }
      cfg[k] = n;
    }
  }
}

/** Parse a config file's text (JSON when it starts with `{`). */
export function parseConfigText(text: string, cfg: DaemonConfig, where = 'config'): DaemonConfig {
  if (text.trim().startsWith('{')) {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${where}: invalid JSON: ${(e as Error).message}`);
    }
    for (const [k, v] of Object.entries(obj)) apply(cfg, k, v, where);
    return cfg;
  }
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new Error(`${where}:${i + 1}: expected 'key = value'`);
    let v: unknown = m[2].trim();
    const s = v as string;
    if (/^".*"$/.test(s) || /^'.*'$/.test(s)) v = s.slice(1, -1);
    else if (/^\[.*\]$/.test(s))
      v = s
        .slice(1, -1)
        .split(',')
        .map((x) => x.trim().replace(/^["']|["']$/g, ''))
        .filter(Boolean);
    apply(cfg, m[1], v, `${where}:${i + 1}`);
  });
  return cfg;
}

export interface CommandLine {
  config: DaemonConfig;
  help: boolean;
  version: boolean;
}

export const USAGE = `Usage: virtkitd [OPTIONS]

Runs in the foreground, serving libvirt's RPC protocol on two UNIX sockets:
  DIR/virtkit-sock      read-write (mode 0700)
  DIR/virtkit-sock-ro   read-only  (mode 0777)
and, with --listen, on TCP (listen_tcp, port 16509) and TLS (listen_tls, port 16514).

Options:
  --socket-dir DIR          socket directory (default /run/virtkit as root, else $XDG_RUNTIME_DIR/virtkit)
  -l, --listen              serve the TCP/TLS listeners the config turns on (TLS is on by default)
  --stdio                   serve one client on stdin/stdout, then exit (for ssh proxies)
  --qemu-root DIR           serve qemu:///system and qemu:///session from a private tree DIR
  --test-root DIR           let clients open test driver node files under DIR as test:///PATH
  -f, --config FILE         config file (JSON or libvirt-style 'key = value'):
                            socket_dir, log_level, keepalive_interval, keepalive_count, max_clients,
                            max_client_requests, max_workers, prio_workers,
                            default_uri, qemu_root, test_root, listen_tcp, listen_tls, tcp_port, tls_port, listen_addr,
                            auth_tcp, auth_tls, ca_file, cert_file, key_file, tls_no_verify_certificate
  -v, --verbose             log everything (same as --log-level debug)
  --log-level LEVEL         debug, info, warn (default) or error
  -h, --help                this text
  -V, --version             print the version
`;

export function parseCommandLine(argv: string[]): CommandLine {
  const cfg = defaultConfig();
  let help = false;
  let version = false;
  const overrides: [string, unknown][] = [];
  let configFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`option '${a}' needs a value`);
      return v;
    };
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      argv.splice(i + 1, 0, a.slice(eq + 1));
      argv[i] = a.slice(0, eq);
      i--;
      continue;
    }
    switch (a) {
      case '--socket-dir':
        overrides.push(['socket_dir', next()]);
        break;
      case '-l':
      case '--listen':
        overrides.push(['listen', true]);
        break;
      case '--stdio':
        overrides.push(['stdio', true]);
        break;
      case '--qemu-root':
        overrides.push(['qemu_root', next()]);
        break;
      case '--test-root':
        overrides.push(['test_root', next()]);
        break;
      case '-f':
      case '--config':
        configFile = next();
        break;
      case '-v':
      case '--verbose':
        overrides.push(['log_level', 'debug']);
        break;
      case '--log-level':
        overrides.push(['log_level', next()]);
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      case '-V':
      case '--version':
        version = true;
        break;
      default:
        throw new Error(`unknown option '${a}' (see --help)`);
    }
  }
  if (configFile) parseConfigText(fs.readFileSync(configFile, 'utf8'), cfg, configFile);
  for (const [k, v] of overrides) apply(cfg, k, v, 'command line');
  return { config: cfg, help, version };
}

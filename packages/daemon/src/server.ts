/**
 * The daemon: two UNIX sockets (`virtkit-sock` read-write, mode 0700; `virtkit-sock-ro`
 * read-only, mode 0777), with `--listen` the TCP and TLS listeners, or with `--stdio` a single
 * client on stdin/stdout; the set of clients, the daemon-wide event callback counter, and a clean
 * shutdown that closes every client and unlinks the sockets.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { procedureTable, type ProcedureTable } from '@virtkit/protocol';
import { Client } from './client';
import type { DaemonConfig } from './config';
import { DriverStates } from './driver-states';
import { CallbackIds } from './events';
import { listenTcp, listenTls, networkSettingsProblem } from './listeners';
import { Logger } from './log';
import { OpenPolicy } from './open-policy';
import { stdioChannel } from './stdio';
import { WorkerPool } from './workers';

export const SOCKET_NAME = 'virtkit-sock';
export const SOCKET_RO_NAME = 'virtkit-sock-ro';

export interface DaemonOptions {
  config: DaemonConfig;
  log?: Logger;
}

export class Daemon {
  readonly log: Logger;
  readonly table: ProcedureTable;
  private readonly servers: net.Server[] = [];
  private readonly clients = new Set<Client>();
  private readonly callbackIds = new CallbackIds();
  private readonly driverStates = new DriverStates();
  private readonly openPolicy: OpenPolicy;
  private readonly workers: WorkerPool;
  private nextClientId = 1;
  private stopping: Promise<void> | null = null;
  readonly socketPath: string;
  readonly socketRoPath: string;
  /** Ports the TCP and TLS listeners are bound to (useful with port 0), when they run. */
  readonly ports: { tcp?: number; tls?: number } = {};
  /** Told of each client that goes (`--stdio` waits for its one client this way). */
  private onClientGone: (c: Client) => void = () => undefined;

  constructor(private readonly opts: DaemonOptions) {
    this.log = opts.log ?? new Logger(opts.config.logLevel);
    this.table = procedureTable();
    const { qemuRoot, testRoot } = opts.config;
    this.openPolicy = new OpenPolicy({ qemuRoot, testRoot, privileged: process.getuid?.() === 0 });
    this.workers = new WorkerPool(opts.config.maxWorkers, opts.config.prioWorkers);
    this.socketPath = path.join(opts.config.socketDir, SOCKET_NAME);
    this.socketRoPath = path.join(opts.config.socketDir, SOCKET_RO_NAME);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async start(): Promise<void> {
    const cfg = this.opts.config;
    const problem = networkSettingsProblem(cfg);
    if (problem) throw new Error(problem);
    if (cfg.stdio) return;
    const dir = cfg.socketDir;
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    await this.listen(this.socketPath, false, 0o700);
    await this.listen(this.socketRoPath, true, 0o777);
    this.log.info(`listening on ${this.socketPath} and ${this.socketRoPath} (${this.table.size} procedures)`);
    if (!cfg.listen) return;
    const accept = (sock: net.Socket, origin: string): void => void this.accept(sock, false, origin);
    if (cfg.listenTcp) this.ports.tcp = this.network(await listenTcp(cfg, accept, this.log), 'tcp');
    if (cfg.listenTls) this.ports.tls = this.network(await listenTls(cfg, accept, this.log), 'tls');
  }

  private network(server: net.Server, kind: string): number {
    this.servers.push(server);
    const { address, port, family } = server.address() as net.AddressInfo;
    this.log.info(`listening on ${kind} ${family === 'IPv6' ? `[${address}]` : address}:${port}`);
    return port;
  }

  /**
   * Serve one client on stdin/stdout (`--stdio`); resolves when it has gone. Only one: the
   * process belongs to that client.
   */
  serveStdio(): Promise<void> {
    return new Promise((resolve) => {
      const client = this.accept(stdioChannel(), false, 'stdio');
      if (!client) resolve();
      else this.onClientGone = (c) => c === client && resolve();
    });
  }

  private async listen(file: string, readOnly: boolean, mode: number): Promise<void> {
    await removeStaleSocket(file);
    const server = net.createServer((sock) => void this.accept(sock, readOnly));
    server.on('error', (e) => this.log.error(`${file}: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => {
        server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(file, mode);
    this.servers.push(server);
  }

  private accept(sock: Duplex, readOnly: boolean, origin = 'unix'): Client | null {
    if (this.stopping) {
      sock.destroy();
      return null;
    }
    if (this.clients.size >= this.opts.config.maxClients) {
      this.log.warn(`too many clients (max_clients = ${this.opts.config.maxClients}); refusing a new connection`);
      sock.destroy();
      return null;
    }
    const cfg = this.opts.config;
    const client = new Client(sock, {
      id: this.nextClientId++,
      readOnlySocket: readOnly,
      table: this.table,
      callbackIds: this.callbackIds,
      log: this.log,
      keepaliveInterval: cfg.keepaliveInterval,
      keepaliveCount: cfg.keepaliveCount,
      maxClientRequests: cfg.maxClientRequests,
      workers: this.workers,
      defaultUri: cfg.defaultUri,
      openPolicy: this.openPolicy,
      driverStates: this.driverStates,
      fdPassing: origin === 'unix',
      onClose: (c) => {
        this.clients.delete(c);
        this.log.debug(`${c.who} disconnected`);
        this.onClientGone(c);
      },
    });
    this.clients.add(client);
    this.log.debug(`${client.who} connected (${origin})`);
    return client;
  }

  /** Stop listening, drop every client, unlink the sockets. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const s of this.servers) s.close();
    const closing = [...this.clients].map((c) => {
      c.notifyClosing(0);
      return c.destroy();
    });
    if (!this.opts.config.stdio) {
      for (const f of [this.socketPath, this.socketRoPath]) {
        try {
          fs.unlinkSync(f);
        } catch {
          // already gone
        }
      }
    }
    // Each client closes its driver connection (and so releases what it holds) before we report.
    await Promise.all(closing);
    await this.driverStates.closeAll();
    this.log.info('stopped');
  }
}

/** Unlink a leftover socket file, refusing when a live server still answers on it. */
async function removeStaleSocket(file: string): Promise<void> {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new Error(`${file} exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const s = net.connect(file);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`${file} is in use by another daemon`);
  fs.unlinkSync(file);
}

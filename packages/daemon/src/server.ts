/**
 * The daemon: two UNIX sockets (`virtkit-sock` read-write, mode 0700; `virtkit-sock-ro`
 * read-only, mode 0777), the set of clients, the daemon-wide event callback counter, and a clean
 * shutdown that closes every client and unlinks the sockets.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { procedureTable, type ProcedureTable } from '../../core/src/rpc';
import { Client } from './client';
import type { DaemonConfig } from './config';
import { CallbackIds } from './events';
import { Logger } from './log';

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
  private nextClientId = 1;
  private stopping: Promise<void> | null = null;
  readonly socketPath: string;
  readonly socketRoPath: string;

  constructor(private readonly opts: DaemonOptions) {
    this.log = opts.log ?? new Logger(opts.config.logLevel);
    this.table = procedureTable();
    this.socketPath = path.join(opts.config.socketDir, SOCKET_NAME);
    this.socketRoPath = path.join(opts.config.socketDir, SOCKET_RO_NAME);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async start(): Promise<void> {
    const dir = this.opts.config.socketDir;
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    await this.listen(this.socketPath, false, 0o700);
    await this.listen(this.socketRoPath, true, 0o777);
    this.log.info(`listening on ${this.socketPath} and ${this.socketRoPath} (${this.table.size} procedures)`);
  }

  private async listen(file: string, readOnly: boolean, mode: number): Promise<void> {
    await removeStaleSocket(file);
    const server = net.createServer((sock) => this.accept(sock, readOnly));
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

  private accept(sock: net.Socket, readOnly: boolean): void {
    if (this.stopping) {
      sock.destroy();
      return;
    }
    if (this.clients.size >= this.opts.config.maxClients) {
      this.log.warn(`too many clients (max_clients = ${this.opts.config.maxClients}); refusing a new connection`);
      sock.destroy();
      return;
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
      defaultUri: cfg.defaultUri,
      onClose: (c) => {
        this.clients.delete(c);
        this.log.debug(`${c.who} disconnected`);
      },
    });
    this.clients.add(client);
    this.log.debug(`${client.who} connected`);
  }

  /** Stop listening, drop every client, unlink the sockets. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const s of this.servers) s.close();
    for (const c of [...this.clients]) {
      c.notifyClosing(0);
      c.destroy();
    }
    for (const f of [this.socketPath, this.socketRoPath]) {
      try {
        fs.unlinkSync(f);
      } catch {
        // already gone
      }
    }
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

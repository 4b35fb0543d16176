/** The control state of one vsh run: connection, output, modes, debug level and log file. */
import * as fs from 'node:fs';
import type { Io } from './types';
import type { Connect } from '@virtkit/core';

/** Thrown by a handler that already printed its error lines; the command fails quietly. */
export class CommandFailed extends Error {
  constructor() {
    super('command failed');
    this.name = 'CommandFailed';
  }
}

/** virsh's vshErrorLevel: debug lines at or above the -d level are printed. */
export enum Level {
  DEBUG = 0,
  INFO = 1,
  NOTICE = 2,
  WARNING = 3,
  ERROR = 4,
}

const LEVEL_NAMES = ['DEBUG', 'INFO', 'INFO', 'WARNING', 'ERROR'];

/** Opens a connection (the drivers are registered by main). */
export type Opener = (uri: string | null, readOnly: boolean) => Promise<Connect>;

export class Ctl {
  /** The open connection, once a command needed one. */
  conn: Connect | null = null;
  quiet = false;
  readOnly = false;
  uri: string | null = null;
  /** Interactive mode: `quit` clears it, `cd` needs it. */
  imode = false;
  /** -d: debug lines of this level and above are printed (virsh's default prints none). */
  debugLevel: number = Level.ERROR;
  /** -k / -K: kept for connections that use keepalive. */
  keepaliveInterval: number | null = null;
  keepaliveCount: number | null = null;
  /** -e: the console escape sequence. */
  escape = '^]';
  /** The command now running, as debug lines name it. */
  cmdName = 'unknown';
  private logFd: number | null = null;
  opener: Opener | null = null;
  constructor(readonly io: Io) {}

  /** virsh's vshPrint: always printed. */
  print(s: string): void {
    this.io.stdout(s);
  }

  /** virsh's vshPrintExtra: suppressed by --quiet. */
  printExtra(s: string): void {
    if (!this.quiet) this.io.stdout(s);
  }

  /** virsh's vshError: `error: <message>` on stderr (and in the log file). */
  error(message: string): void {
    this.log(Level.ERROR, message);
    this.io.stderr(`error: ${message}\n`);
  }

  /** virsh's vshDebug: printed on stdout when `level` reaches the -d level. */
  debug(level: Level, line: string): void {
    if (level < this.debugLevel) return;
    this.log(level, line);
    this.io.stdout(line);
  }

  /** -l FILE: append virsh's `[date time virsh pid] LEVEL message` lines to FILE. */
  openLog(file: string): void {
    this.closeLog();
    try {
      this.logFd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    } catch (e) {
      this.fail(`failed to open the log file. check the log file path: ${(e as Error).message}`);
    }
  }

  closeLog(): void {
    if (this.logFd !== null) fs.closeSync(this.logFd);
    this.logFd = null;
  }

  private log(level: Level, message: string): void {
    if (this.logFd === null) return;
    const d = new Date();
    const p = (n: number): string => String(n).padStart(2, '0');
    const stamp = `${d.getFullYear()}.${p(d.getMonth() + 1)}.${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    const text = message.endsWith('\n') ? message.slice(0, -1) : message;
    fs.writeSync(this.logFd, `[${stamp} virsh ${process.pid}] ${LEVEL_NAMES[level]} ${text}\n`);
  }

  /** Print `message` as an error and fail the command without a further libvirt error. */
  fail(message: string): never {
    this.error(message);
    throw new CommandFailed();
  }

  /** Run a libvirt call; on failure print `message` first, then let the libvirt error be reported. */
  async attempt<T>(message: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      this.error(message);
      throw e;
    }
  }

  /** virsh's virshReconnect: close the connection, open `uri` (else the default one). */
  async reconnect(uri: string | null, readOnly: boolean): Promise<void> {
    if (this.conn) {
      const old = this.conn;
      this.conn = null;
      await old.close().catch(() => undefined);
    }
    if (!this.opener) throw new Error('no connection opener');
    try {
      this.conn = await this.opener(uri ?? this.uri, readOnly);
    } catch (e) {
      this.error('failed to connect to the hypervisor');
      throw e;
    }
    if (uri !== null) this.uri = uri;
    this.readOnly = readOnly;
  }

  /** The connection; commands run only after the runner opened it. */
  get c(): Connect {
    if (!this.conn) throw new Error('no connection');
    return this.conn;
  }
}

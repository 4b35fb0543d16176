/**
 * QMP client: one connection to a QEMU monitor socket (libvirt's qemu_monitor.c +
 * qemu_monitor_json.c transport).
 *
 * - connect() opens the UNIX socket (retrying while QEMU is still creating it), reads the
 *   greeting and negotiates capabilities (`qmp_capabilities`).
 * - execute() sends one command at a time: commands are queued and each waits for the reply of
 *   the previous one (libvirt also has at most one command in flight per monitor). Every command
 *   carries an id; a reply with an unknown id (a late reply to a command that timed out) is
 *   dropped.
 * - Asynchronous events are emitted as `event` (every event) and under their own name
 *   (`SHUTDOWN`, `STOP`, `BLOCK_JOB_COMPLETED`, ...).
 * - close() ends the connection; `close` is emitted once with `{ eof }` telling whether QEMU
 *   closed it (EOF/error) rather than us.
 *
 * Errors are VirError: a QMP error reply is VIR_ERR_INTERNAL_ERROR "unable to execute QEMU
 * command 'x': <desc>" exactly as libvirt's qemuMonitorJSONCheckErrorFull; EOF while a command
 * waits is VIR_ERR_OPERATION_FAILED "End of file from qemu monitor".
 */
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { ErrorDomain, ErrorNumber, VirError, writeWithFd } from '@virtkit/core';

/** An asynchronous QMP event. */
export interface QmpEvent {
  event: string;
  data: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

/** The greeting QEMU sends on connect. */
export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  capabilities: string[];
}

/** Anything that can run QMP commands: the live client, or a replay of recorded replies. */
export interface QmpTransport {
  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T>;
}

export interface QmpConnectOptions {
  /** Keep retrying while the socket is missing or refuses connections, up to this long (ms). Default 30 000. */
  connectTimeoutMs?: number;
  /** Default per-command timeout (ms); 0 disables. Default 60 000. */
  commandTimeoutMs?: number;
  /** Give up connecting early when this returns false (e.g. the QEMU process died). */
  shouldRetry?: () => boolean;
  /** Name used in messages (`vm='name'`). */
  vmName?: string;
}

export interface QmpExecuteOptions {
  /** Timeout for this command (ms); 0 disables. */
  timeoutMs?: number;
}

interface Pending {
  id: string;
  command: string;
  line: string;
  timeoutMs: number;
  /** Passthrough: resolve with the whole reply object, error replies included. */
  raw?: boolean;
  /** A descriptor sent with the command (SCM_RIGHTS), for `getfd`. */
  passFd?: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  /** When it was written to QEMU (ms since the epoch). */
  sentAt?: number;
}

const QEMU = ErrorDomain.VIR_FROM_QEMU;

/** VIR_ERR_INTERNAL_ERROR for a QMP error reply, with libvirt's text. */
export function qmpCommandError(command: string, desc: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, QEMU, `unable to execute QEMU command '${command}': ${desc}`);
}

function eofError(vmName?: string): VirError {
  const detail = vmName ? `End of file from qemu monitor (vm='${vmName}')` : 'End of file from qemu monitor';
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, QEMU, detail);
}

function closedError(): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, QEMU, 'monitor connection is closed');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class QmpClient extends EventEmitter implements QmpTransport {
  private buf = '';
  private queue: Pending[] = [];
  private inFlight: Pending | undefined;
  private nextId = 1;
  private _closed = false;
  private closing = false;
  private greetingWaiter: { resolve: (g: QmpGreeting) => void; reject: (e: Error) => void } | undefined;
  greeting: QmpGreeting | undefined;
  readonly commandTimeoutMs: number;

  private constructor(
    private readonly sock: net.Socket,
    readonly path: string,
    private readonly opts: QmpConnectOptions,
  ) {
    super();
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 60_000;
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.onData(chunk));
    sock.on('error', (e) => this.onClose(true, e));
    sock.on('close', () => this.onClose(!this.closing));
  }

  /** Connect to a QMP socket and negotiate capabilities. */
  static async connect(path: string, opts: QmpConnectOptions = {}): Promise<QmpClient> {
    const start = Date.now();
    const deadline = start + (opts.connectTimeoutMs ?? 30_000);
    let delay = 1;
    for (;;) {
      try {
        const sock = await openSocket(path);
        const client = new QmpClient(sock, path, opts);
        try {
          await client.handshake();
        } catch (e) {
          client.destroy();
          throw e;
        }
        return client;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const retriable = code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EAGAIN';
        if (!retriable || Date.now() >= deadline || (opts.shouldRetry && !opts.shouldRetry())) {
          if (e instanceof VirError) throw e;
          throw VirError.create(
            ErrorNumber.VIR_ERR_INTERNAL_ERROR,
            QEMU,
            `failed to connect to monitor socket '${path}': ${(e as Error).message}`,
          );
        }
        await sleep(delay);
        // A starting QEMU creates its socket within a few hundred ms: poll tightly that long (a
        // failed connect costs microseconds, a late one costs the whole start), then back off.
        delay = Date.now() - start < 1000 ? 1 : Math.min(delay * 2, 50);
      }
    }
  }

  get closed(): boolean {
    return this._closed;
  }

  /** Since when (ms since the epoch) the command in flight waits for QEMU; undefined when none does. */
  get busySince(): number | undefined {
    return this.inFlight?.sentAt;
  }

  private async handshake(): Promise<void> {
    this.greeting = await new Promise<QmpGreeting>((resolve, reject) => {
      if (this._closed) return reject(eofError(this.opts.vmName));
      this.greetingWaiter = { resolve, reject };
    });
    await this.execute('qmp_capabilities');
  }

  /** Run one QMP command; resolves with its `return` member. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, opts: QmpExecuteOptions = {}): Promise<T> {
    if (this._closed || this.closing) return Promise.reject(closedError());
    const id = `virtkit-${this.nextId++}`;
    const msg: Record<string, unknown> = { execute: command };
    if (args && Object.keys(args).length > 0) msg.arguments = args;
    msg.id = id;
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        id,
        command,
        line: `${JSON.stringify(msg)}\r\n`,
        timeoutMs: opts.timeoutMs ?? this.commandTimeoutMs,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
      this.pump();
    });
  }

  /**
   * Passthrough of one command given as JSON text (virDomainQemuMonitorCommand): the command gets
   * an id and is sent as is; resolves with QEMU's reply as JSON text, error replies included.
   */
  executeText(text: string, opts: QmpExecuteOptions = {}): Promise<string> {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return Promise.reject(
        VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, QEMU, `cannot parse json ${text}: ${(e as Error).message}`),
      );
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return Promise.reject(VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, QEMU, 'command must be a JSON object'));
    }
    if (this._closed || this.closing) return Promise.reject(closedError());
    const id = `virtkit-${this.nextId++}`;
    const command = String((msg as Record<string, unknown>).execute ?? '');
    const line = `${JSON.stringify({ ...(msg as Record<string, unknown>), id })}\r\n`;
    return new Promise<string>((resolve, reject) => {
      this.queue.push({
        id,
        command,
        line,
        raw: true,
        timeoutMs: opts.timeoutMs ?? this.commandTimeoutMs,
        resolve: (reply) => resolve(JSON.stringify(reply)),
        reject,
      });
      this.pump();
    });
  }

  /**
   * QMP `getfd`: QEMU keeps a duplicate of descriptor `fd` under `fdname` (for `netdev_add`'s
   * `fd`); the caller still owns and closes `fd`.
   */
  getfd(fdname: string, fd: number, opts: QmpExecuteOptions = {}): Promise<void> {
    if (this._closed || this.closing) return Promise.reject(closedError());
    const id = `virtkit-${this.nextId++}`;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        id,
        command: 'getfd',
        line: `${JSON.stringify({ execute: 'getfd', arguments: { fdname }, id })}\r\n`,
        passFd: fd,
        timeoutMs: opts.timeoutMs ?? this.commandTimeoutMs,
        resolve: () => resolve(),
        reject,
      });
      this.pump();
    });
  }

  /** HMP passthrough through `human-monitor-command`; resolves with the command's output text. */
  async hmp(commandLine: string, opts: QmpExecuteOptions = {}): Promise<string> {
    const out = await this.execute<string>('human-monitor-command', { 'command-line': commandLine }, opts);
    return typeof out === 'string' ? out : '';
  }

  /** Wait for the next event named `name` (optionally matching `pred`), up to `timeoutMs`. */
  waitEvent(name: string, timeoutMs = 30_000, pred?: (e: QmpEvent) => boolean): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const onEvent = (e: QmpEvent) => {
        if (pred && !pred(e)) return;
        cleanup();
        resolve(e);
      };
      const onClose = () => {
        cleanup();
        reject(eofError(this.opts.vmName));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(VirError.create(ErrorNumber.VIR_ERR_OPERATION_TIMEOUT, QEMU, `no ${name} event from QEMU`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off(name, onEvent);
        this.off('close', onClose);
      };
      this.on(name, onEvent);
      this.once('close', onClose);
    });
  }

  /** Close the connection (QEMU keeps running). Pending commands fail. */
  async close(): Promise<void> {
    if (this._closed) return;
    this.closing = true;
    await new Promise<void>((resolve) => {
      this.sock.once('close', () => resolve());
      this.sock.end();
      setTimeout(() => {
        this.sock.destroy();
        resolve();
      }, 200).unref();
    });
    this.onClose(false);
  }

  /** Drop the connection immediately. */
  destroy(): void {
    this.closing = true;
    this.sock.destroy();
    this.onClose(false);
  }

  private pump(): void {
    if (this.inFlight || this._closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = next;
    next.sentAt = Date.now();
    if (next.timeoutMs > 0) {
      next.timer = setTimeout(() => {
        if (this.inFlight !== next) return;
        this.inFlight = undefined;
        next.reject(
          VirError.create(
            ErrorNumber.VIR_ERR_OPERATION_TIMEOUT,
            QEMU,
            `QEMU command '${next.command}' did not reply within ${next.timeoutMs} ms`,
          ),
        );
        this.pump();
      }, next.timeoutMs);
    }
    if (next.passFd === undefined) this.sock.write(next.line);
    // The command and its descriptor travel in one sendmsg (libvirt's qemuMonitorSendFileHandle).
    else writeWithFd(this.sock, Buffer.from(next.line), next.passFd, 'with', QEMU).catch((e: Error) => this.failInFlight(next, e));
  }

  /** The command in flight could not be sent: fail it and go on with the next. */
  private failInFlight(p: Pending, e: Error): void {
    if (this.inFlight !== p) return;
    this.inFlight = undefined;
    if (p.timer) clearTimeout(p.timer);
    p.reject(e);
    this.pump();
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line);
    } catch {
      this.emit('protocol-error', line);
      return;
    }
    if ('QMP' in msg) {
      const w = this.greetingWaiter;
      this.greetingWaiter = undefined;
      w?.resolve(msg.QMP as QmpGreeting);
      return;
    }
    if (typeof msg.event === 'string') {
      const ev: QmpEvent = {
        event: msg.event,
        data: (msg.data as Record<string, unknown>) ?? {},
        timestamp: (msg.timestamp as QmpEvent['timestamp']) ?? { seconds: 0, microseconds: 0 },
      };
      this.emit('event', ev);
      this.emit(ev.event, ev);
      return;
    }
    const p = this.inFlight;
    if (!p || msg.id !== p.id) return; // late reply to a timed-out command
    this.inFlight = undefined;
    if (p.timer) clearTimeout(p.timer);
    if (p.raw) {
      p.resolve(msg);
    } else if ('error' in msg) {
      const err = msg.error as { class?: string; desc?: string };
      const e = qmpCommandError(p.command, err.desc ?? 'unknown error');
      (e as VirError & { qmpClass?: string }).qmpClass = err.class;
      p.reject(e);
    } else {
      p.resolve(msg.return);
    }
    this.pump();
  }

  private onClose(eof: boolean, error?: Error): void {
    if (this._closed) return;
    this._closed = true;
    const err = this.closing ? closedError() : eofError(this.opts.vmName);
    if (this.greetingWaiter) {
      this.greetingWaiter.reject(err);
      this.greetingWaiter = undefined;
    }
    const pending = [...(this.inFlight ? [this.inFlight] : []), ...this.queue];
    this.inFlight = undefined;
    this.queue = [];
    for (const p of pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(err);
    }
    this.sock.destroy();
    this.emit('close', { eof: eof && !this.closing, error });
  }
}

function openSocket(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ path });
    const onErr = (e: Error) => {
      s.destroy();
      reject(e);
    };
    s.once('error', onErr);
    s.once('connect', () => {
      s.off('error', onErr);
      resolve(s);
    });
  });
}

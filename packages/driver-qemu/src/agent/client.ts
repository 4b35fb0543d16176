/**
 * The guest agent connection (libvirt's qemu_agent.c transport): newline-framed JSON over the
 * UNIX socket QEMU serves for the `org.qemu.guest_agent.0` channel.
 *
 * The agent keeps no request ids and may hold stale replies or half a line from an earlier
 * client, so before the first command (and after any timeout) the connection is synchronised:
 * `guest-sync` with a fresh id, replies that do not echo that id are skipped, and garbage in
 * answer to the first sync is expected (a second sync follows). One command is in flight at a
 * time; the others queue.
 */
import * as net from 'node:net';
import { ErrorNumber, VirError } from '@virtkit/core';
import { FROM_QEMU } from '../domains/errors';

/** libvirt's QEMU_AGENT_WAIT_TIME: seconds the default timeout (-1) waits. */
const DEFAULT_WAIT_S = 5;
const BLOCK = -2;
const DEFAULT = -1;

/** A reply object: `{return: ...}` or `{error: {class, desc}}`. */
export type AgentReply = Record<string, unknown>;

/** A reply, parsed and as the agent wrote it (JSON.parse rounds integers past 2^53; the text keeps them). */
export interface AgentMessage {
  obj: AgentReply;
  text: string;
}

/** JSON text without the whitespace between tokens (how libvirt re-serializes a reply). */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

interface Waiter {
  /** The id a sync waits for; undefined for a command. */
  syncId?: number;
  first: boolean;
  resolve(reply: AgentMessage | undefined): void;
}

export function agentUnresponsive(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE, FROM_QEMU, detail);
}

function disappeared(): VirError {
  return agentUnresponsive('Guest agent disappeared while executing command');
}

/** The `execute` member of a command object or text. */
function commandName(cmd: Record<string, unknown> | string): string {
  let obj: unknown = cmd;
  if (typeof cmd === 'string') {
    try {
      obj = JSON.parse(cmd);
    } catch {
      obj = undefined;
    }
  }
  const name = (obj as Record<string, unknown> | undefined)?.execute;
  return typeof name === 'string' ? name : '<unknown>';
}

/** The readable text of an agent error reply (qemuAgentStringifyError). */
function errorText(error: { class?: string; desc?: string }): string {
  if (error.desc) return error.desc;
  const byClass: Record<string, string> = {
    CommandNotFound: 'The command has not been found',
    CommandDisabled: 'The command has been disabled for this instance',
    InvalidParameter: 'Invalid parameter',
    GenericError: 'GenericError',
    Unsupported: 'this feature or command is not currently supported',
  };
  return error.class ? (byClass[error.class] ?? error.class) : 'unknown QEMU command error';
}

/** The reply's error as libvirt reports it (qemuAgentCheckError), or undefined when it succeeded. */
export function replyError(name: string, reply: AgentReply): VirError | undefined {
  if ('error' in reply) {
    const err = reply.error as { class?: string; desc?: string } | undefined;
    const detail = err
      ? `unable to execute QEMU agent command '${name}': ${errorText(err)}`
      : `unable to execute QEMU agent command '${name}'`;
    const e = VirError.internal(detail, FROM_QEMU);
    (e as VirError & { agentClass?: string }).agentClass = err?.class;
    return e;
  }
  if (!('return' in reply)) return VirError.internal(`unable to execute QEMU agent command '${name}'`, FROM_QEMU);
  return undefined;
}

export class AgentClient {
  private buf = '';
  private waiter: Waiter | undefined;
  private inSync = false;
  private tail: Promise<unknown> = Promise.resolve();
  private _closed = false;

  private constructor(private readonly sock: net.Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.onData(chunk));
    sock.on('error', () => this.onClose());
    sock.on('close', () => this.onClose());
  }

  /** Connect to the agent's socket. */
  static connect(path: string): Promise<AgentClient> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ path });
      s.once('error', (e) => {
        s.destroy();
        reject(e);
      });
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(new AgentClient(s));
      });
    });
  }

  get closed(): boolean {
    return this._closed;
  }

  /**
   * Run `cmd` (a JSON object, or its text) and return the whole reply. `seconds`: the wait,
   * -1 the default (5 s), -2 forever, 0 none (libvirt's NOWAIT: it fails at once unless the reply is there).
   */
  command(cmd: Record<string, unknown> | string, seconds = DEFAULT): Promise<AgentMessage | undefined> {
    const run = this.tail.then(() => this.run(cmd, seconds));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Run `cmd` and return its `return` member, or throw libvirt's error for an error reply. */
  async call<T = unknown>(cmd: Record<string, unknown> | string, seconds = DEFAULT): Promise<T> {
    return (await this.callText(cmd, seconds)).obj.return as T;
  }

  /** Like call(), also giving the reply's text. */
  async callText(cmd: Record<string, unknown> | string, seconds = DEFAULT): Promise<AgentMessage> {
    const reply = await this.command(cmd, seconds);
    if (!reply) throw VirError.internal('Missing agent reply object', FROM_QEMU);
    const err = replyError(commandName(cmd), reply.obj);
    if (err) throw err;
    return reply;
  }

  /**
   * Run a command the agent does not answer when it succeeds (guest-suspend-*: the guest sleeps
   * instead). It is done when `answered` settles (QEMU's SUSPEND event; libvirt's await_event)
   * or the agent goes away, and fails on the agent's error reply or the timeout.
   */
  async commandAnsweredBy(cmd: Record<string, unknown>, answered: Promise<void>, seconds = DEFAULT): Promise<void> {
    const reply = this.command(cmd, seconds);
    void answered.then(() => {
      const w = this.waiter;
      if (!w || w.syncId !== undefined) return;
      // The agent that wakes up with the guest owes no reply to this command: sync again before the next.
      this.inSync = false;
      w.resolve({ obj: { return: {} }, text: '' });
    });
    let r: AgentMessage | undefined;
    try {
      r = await reply;
    } catch (e) {
      // A sleeping guest closes its agent port (virtio-console's freeze) before QEMU reports
      // SUSPEND; like libvirt's await_event, an agent gone while the command waits is success.
      if (this._closed) return;
      throw e;
    }
    const err = r && replyError(commandName(cmd), r.obj);
    if (err) throw err;
  }

  close(): void {
    this.sock.destroy();
    this.onClose();
  }

  private async run(cmd: Record<string, unknown> | string, seconds: number): Promise<AgentMessage | undefined> {
    if (this._closed) throw disappeared();
    await this.sync();
    const line = typeof cmd === 'string' ? compactJson(cmd) : JSON.stringify(cmd);
    const reply = await this.exchange(line, undefined, false, seconds);
    if (!reply) throw this._closed ? disappeared() : VirError.internal('Missing agent reply object', FROM_QEMU);
    return reply;
  }

  /** qemuAgentGuestSync: two tries, the first may only flush garbage. */
  private async sync(): Promise<void> {
    if (this.inSync) return;
    // libvirt syncs with the agent's own response timeout (the default), whatever the command's.
    for (const first of [true, false]) {
      const id = Date.now() + (first ? 0 : 1);
      const reply = await this.exchange(JSON.stringify({ execute: 'guest-sync', arguments: { id } }), id, first, DEFAULT);
      if (reply) {
        this.inSync = true;
        return;
      }
    }
    if (!this._closed) throw VirError.internal('Missing agent reply object', FROM_QEMU);
    throw disappeared();
  }

  /** Write one line and wait for its reply (undefined: garbage on a first sync, or EOF). */
  private exchange(line: string, syncId: number | undefined, first: boolean, seconds: number): Promise<AgentMessage | undefined> {
    if (this._closed) return Promise.reject(disappeared());
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const ms = seconds === BLOCK ? 0 : (seconds === DEFAULT ? DEFAULT_WAIT_S : seconds) * 1000;
      if (seconds !== BLOCK) {
        timer = setTimeout(() => {
          this.waiter = undefined;
          this.inSync = false;
          reject(agentUnresponsive('Guest agent not available for now'));
        }, ms);
      }
      this.waiter = {
        syncId,
        first,
        resolve: (r) => {
          if (timer) clearTimeout(timer);
          this.waiter = undefined;
          resolve(r);
        },
      };
      this.sock.write(`${line}\n`);
    });
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/^\xff/, '').trim();
      this.buf = this.buf.slice(nl + 1);
      if (line) this.onLine(line);
    }
  }

  /** qemuAgentIOProcessLine. */
  private onLine(line: string): void {
    const w = this.waiter;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      // Garbage answering the first sync is normal (a half line left by an earlier client).
      if (w?.syncId !== undefined && w.first) w.resolve(undefined);
      return;
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return;
    const obj = msg as AgentReply;
    if (!('return' in obj) && !('error' in obj)) return;
    if (!w) return; // a late reply: we are out of sync until the next guest-sync
    if (w.syncId !== undefined && obj.return !== w.syncId) return;
    w.resolve({ obj, text: line });
  }

  private onClose(): void {
    if (this._closed) return;
    this._closed = true;
    this.inSync = false;
    this.waiter?.resolve(undefined);
  }
}

/**
 * One transport to a daemon speaking libvirt's RPC: numbered calls with many in flight, replies
 * matched by serial, keepalive (answering the server's PINGs, probing a silent server), and
 * routing of event MESSAGEs and STREAM frames to their listeners. Once the transport is gone
 * every pending call fails and `alive` is false; a new RpcClient is needed.
 */
import type { Duplex } from 'node:stream';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import {
  FrameDecoder,
  KEEPALIVE_PROC,
  MessageStatus,
  MessageType,
  PROGRAM,
  PROTOCOL_VERSION,
  decodeRemoteError,
  encodeFrame,
  virErrorFromRemote,
  type Frame,
  type MessageHeader,
} from '@virtkit/protocol';
import { templatedError } from '@virtkit/core';
import { systemError } from './transport';

export interface KeepaliveSettings {
  /** Seconds of silence before a PING; 0 or less disables keepalive. */
  interval: number;
  /** Unanswered PINGs before the connection is declared dead. */
  count: number;
}

/** Receives the STREAM frames of one open stream, and the end of the transport. */
export interface StreamSink {
  frame(h: MessageHeader, payload: Buffer): void;
  closed(reason: VirError): void;
}

interface Pending {
  proc: number;
  resolve: (payload: Buffer) => void;
  reject: (e: VirError) => void;
}

/** libvirt's client turns a server's "unknown procedure" into VIR_ERR_NO_SUPPORT. */
export function errorFromReply(payload: Buffer): VirError {
  const r = decodeRemoteError(payload);
  const unknownProc =
    (r.domain === ErrorDomain.VIR_FROM_RPC || r.domain === ErrorDomain.VIR_FROM_REMOTE) &&
    r.code === ErrorNumber.VIR_ERR_RPC &&
    (r.message ?? '').startsWith('unknown procedure');
  return virErrorFromRemote(unknownProc ? { ...r, code: ErrorNumber.VIR_ERR_NO_SUPPORT } : r);
}

export class RpcClient {
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly streams = new Map<number, StreamSink>();
  private nextSerial = 0;
  private closeError: VirError | null = null;
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private lastRx = Date.now();
  private missedPings = 0;
  private readonly closeListeners: ((e: VirError) => void)[] = [];

  constructor(
    private readonly io: Duplex,
    private readonly onMessage: (prog: number, proc: number, payload: Buffer) => void,
  ) {
    io.on('data', (d: Buffer) => this.onData(d));
    io.on('error', (e: Error) => this.shutdown(e instanceof VirError ? e : systemError(`Cannot recv data: ${e.message}`)));
    io.on('close', () => this.shutdown(systemError('End of file while reading data: Input/output error')));
    io.resume();
  }

  /** False once the transport closed, failed or missed too many keepalives. */
  get alive(): boolean {
    return this.closeError === null;
  }

  /** Called once when the transport goes away, with the reason. */
  onClose(listener: (e: VirError) => void): void {
    this.closeListeners.push(listener);
  }

  /** Send a CALL; resolves with the reply payload or rejects with the server's error. */
  call(prog: number, proc: number, payload: Buffer, onStream?: StreamSink): { serial: number; reply: Promise<Buffer> } {
    const serial = this.nextSerial++;
    const reply = new Promise<Buffer>((resolve, reject) => {
      if (this.closeError) {
        reject(this.closeError);
        return;
      }
      this.pending.set(serial, { proc, resolve, reject });
      if (onStream) this.streams.set(serial, onStream);
      this.write({ prog, vers: PROTOCOL_VERSION, proc, type: MessageType.CALL, serial, status: MessageStatus.OK }, payload);
    });
    return { serial, reply };
  }

  /** Send a STREAM frame of an open stream; resolves when the transport can take more. */
  async sendStream(prog: number, proc: number, serial: number, status: MessageStatus, data?: Buffer): Promise<void> {
    if (this.closeError) throw this.closeError;
    const more = this.write({ prog, vers: PROTOCOL_VERSION, proc, type: MessageType.STREAM, serial, status }, data);
    if (!more) await this.drained();
  }

  /** Stop routing STREAM frames of `serial`. */
  endStream(serial: number): void {
    this.streams.delete(serial);
  }

  /** Start probing the server after it agreed to keepalive (feature 10). */
  startKeepalive(k: KeepaliveSettings): void {
    if (k.interval <= 0 || this.keepaliveTimer || this.closeError) return;
    this.lastRx = Date.now();
    const intervalMs = k.interval * 1000;
    this.keepaliveTimer = setInterval(
      () => {
        const idle = Date.now() - this.lastRx;
        if (idle < intervalMs * (this.missedPings + 1)) return;
        if (this.missedPings >= k.count) {
          this.shutdown(
            templatedError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_RPC, 'connection closed due to keepalive timeout'),
          );
          return;
        }
        this.missedPings++;
        this.sendKeepalive(KEEPALIVE_PROC.PING);
      },
      Math.min(intervalMs, 250),
    );
    this.keepaliveTimer.unref();
  }

  /** Close the transport; pending calls fail with `reason`. */
  close(reason: VirError = templatedError(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_RPC, 'client socket is closed')): void {
    this.shutdown(reason);
  }

  private write(h: MessageHeader, payload?: Buffer): boolean {
    return this.io.write(encodeFrame(h, payload));
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.io.off('drain', done);
        this.io.off('close', done);
        resolve();
      };
      this.io.on('drain', done);
      this.io.on('close', done);
    });
  }

  private sendKeepalive(proc: number): void {
    this.write({ prog: PROGRAM.KEEPALIVE, vers: PROTOCOL_VERSION, proc, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK });
  }

  private onData(d: Buffer): void {
    this.lastRx = Date.now();
    this.missedPings = 0;
    let frames: Frame[];
    try {
      frames = this.decoder.push(d);
    } catch (e) {
      this.shutdown(templatedError(ErrorNumber.VIR_ERR_RPC, ErrorDomain.VIR_FROM_RPC, (e as Error).message));
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  private onFrame({ header: h, payload }: Frame): void {
    switch (h.type) {
      case MessageType.REPLY:
        return this.onReply(h, payload);
      case MessageType.MESSAGE:
        if (h.prog === PROGRAM.KEEPALIVE) {
          if (h.proc === KEEPALIVE_PROC.PING) this.sendKeepalive(KEEPALIVE_PROC.PONG);
          return;
        }
        return this.onMessage(h.prog, h.proc, payload);
      case MessageType.STREAM:
      case MessageType.STREAM_HOLE:
        this.streams.get(h.serial)?.frame(h, payload);
        return;
      default:
        // Nothing else is meant for a client; libvirt's client ignores it too.
        return;
    }
  }

  private onReply(h: MessageHeader, payload: Buffer): void {
    const p = this.pending.get(h.serial);
    if (!p || p.proc !== h.proc) return;
    this.pending.delete(h.serial);
    if (h.status === MessageStatus.OK) p.resolve(payload);
    else {
      this.streams.delete(h.serial);
      p.reject(errorFromReply(payload));
    }
  }

  private shutdown(reason: VirError): void {
    if (this.closeError) return;
    this.closeError = reason;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
    this.io.destroy();
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    for (const sink of this.streams.values()) sink.closed(reason);
    this.streams.clear();
    for (const l of this.closeListeners) l(reason);
  }
}

/**
 * Streams of one client (docs/wire-protocol.md §7): bridges STREAM / STREAM_HOLE frames with the
 * `VirStream` a driver reads from (`upload`) or writes to (`download`). Frames reuse the opening
 * call's prog, proc and serial. Finish and abort are started by the client and confirmed with an
 * empty STREAM OK; driver failures go out as STREAM ERROR with a remote_error payload.
 */
import { VirStream } from '@virtkit/core';
import {
  MessageStatus,
  MessageType,
  STREAM_CHUNK_MAX,
  STREAM_HOLE_LAYOUT,
  decodeStruct,
  encodeRemoteError,
  type MessageHeader,
} from '@virtkit/protocol';
import { VirError } from '@virtkit/core';
import type { Logger } from './log';

export type SendFrame = (h: MessageHeader, payload?: Buffer) => boolean;

interface ActiveStream {
  header: MessageHeader;
  stream: VirStream;
  direction: 'upload' | 'download' | 'both';
  sparse: boolean;
  /** Settles when the driver call is over. */
  done: Promise<unknown>;
  failed: boolean;
  closed: boolean;
}

const ZEROS = Buffer.alloc(STREAM_CHUNK_MAX);

export class ClientStreams {
  private readonly streams = new Map<number, ActiveStream>();

  constructor(
    private readonly send: SendFrame,
    private readonly waitDrain: () => Promise<void>,
    private readonly log: Logger,
    private readonly who: string,
  ) {}

  get count(): number {
    return this.streams.size;
  }

  /**
   * Start relaying a stream after its call was answered OK. `done` is the driver call, which may
   * run for the whole life of the stream.
   */
  open(call: MessageHeader, stream: VirStream, direction: 'upload' | 'download' | 'both', sparse: boolean, done: Promise<unknown>): void {
    const header: MessageHeader = { ...call, type: MessageType.STREAM, status: MessageStatus.CONTINUE };
    const s: ActiveStream = { header, stream, direction, sparse, done, failed: false, closed: false };
    this.streams.set(call.serial, s);
    done.catch((e) => this.fail(s, e));
    if (direction !== 'upload') void this.pump(s);
  }

  private fail(s: ActiveStream, e: unknown): void {
    if (s.failed || s.closed) return;
    s.failed = true;
    this.log.info(`${this.who}: stream ${s.header.serial} failed: ${(e as Error).message}`);
    this.send({ ...s.header, status: MessageStatus.ERROR }, encodeRemoteError(e));
    s.stream.abort();
  }

  /** Driver → client data, in chunks of at most 262120 bytes; an empty CONTINUE frame marks end of file. */
  private async pump(s: ActiveStream): Promise<void> {
    try {
      for await (const chunk of s.stream.download) {
        const buf = chunk as Buffer;
        for (let off = 0; off < buf.length; off += STREAM_CHUNK_MAX) {
          if (s.failed || s.closed) return;
          if (!this.send(s.header, buf.subarray(off, off + STREAM_CHUNK_MAX))) await this.waitDrain();
        }
      }
      if (!s.failed && !s.closed) this.send(s.header, Buffer.alloc(0));
    } catch (e) {
      if (!s.closed) this.fail(s, e);
    }
  }

  /** A STREAM or STREAM_HOLE frame from the client. Frames for unknown serials are dropped. */
  async onFrame(h: MessageHeader, payload: Buffer): Promise<void> {
    const s = this.streams.get(h.serial);
    if (!s || s.closed) return;
    if (h.type === MessageType.STREAM_HOLE) {
      if (!s.sparse || s.direction === 'download') {
        this.fail(s, VirError.internal('Unexpected stream hole'));
        return;
      }
      let len: number;
      try {
        len = Number(decodeStruct(STREAM_HOLE_LAYOUT, payload, 0, false).length);
      } catch (e) {
        this.fail(s, e);
        return;
      }
      for (let left = len; left > 0 && !s.failed; left -= STREAM_CHUNK_MAX) {
        s.stream.upload.write(ZEROS.subarray(0, Math.min(left, STREAM_CHUNK_MAX)));
      }
      return;
    }
    switch (h.status) {
      case MessageStatus.CONTINUE:
        if (s.failed) return;
        if (s.direction !== 'download' && payload.length > 0) s.stream.upload.write(Buffer.from(payload));
        return;
      case MessageStatus.OK: {
        // Finish: end the upload, wait for the driver, confirm (or report its failure).
        s.stream.finish();
        try {
          await s.done;
          if (!s.failed) this.send({ ...s.header, status: MessageStatus.OK });
        } catch (e) {
          this.fail(s, e);
        }
        this.close(h.serial);
        return;
      }
      case MessageStatus.ERROR:
      default:
        // Abort from the client. The driver's side of the stream sees the reason; a direction it
        // does not use is closed quietly (VirStream.abort).
        s.closed = true;
        s.stream.abort(new Error('the client aborted the stream'));
        s.done.catch(() => undefined);
        this.send({ ...s.header, status: MessageStatus.OK });
        this.close(h.serial);
    }
  }

  private close(serial: number): void {
    const s = this.streams.get(serial);
    if (!s) return;
    s.closed = true;
    this.streams.delete(serial);
  }

  /** Abort every stream (client gone). */
  abortAll(): void {
    for (const s of this.streams.values()) {
      s.closed = true;
      s.stream.abort(new Error('the client went away'));
      s.done.catch(() => undefined);
    }
    this.streams.clear();
  }
}

/**
 * libvirt RPC framing (docs/wire-protocol.md §1): a 4-byte length (including itself), a 24-byte
 * header, then the payload. `FrameDecoder` cuts a byte stream into frames and rejects oversized or
 * impossible lengths; `encodeFrame` builds one.
 */

import { MessageStatus, MessageType, NET_MESSAGE_LIMITS } from './generated/protocol.gen';

export { KEEPALIVE_PROC, MessageStatus, MessageType, PROGRAM, PROTOCOL_VERSION, STREAM_HOLE_LAYOUT } from './generated/protocol.gen';

/** Max frame size excluding the length word (VIR_NET_MESSAGE_MAX). */
export const MESSAGE_MAX: number = NET_MESSAGE_LIMITS.VIR_NET_MESSAGE_MAX;
export const HEADER_SIZE: number = NET_MESSAGE_LIMITS.VIR_NET_MESSAGE_HEADER_MAX;
export const LENGTH_SIZE = 4;
export const PAYLOAD_MAX = MESSAGE_MAX - HEADER_SIZE;
/** Largest stream data chunk libvirt puts in one frame. */
export const STREAM_CHUNK_MAX: number = NET_MESSAGE_LIMITS.VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX;

export interface MessageHeader {
  prog: number;
  vers: number;
  proc: number;
  type: MessageType;
  serial: number;
  status: MessageStatus;
}

export interface Frame {
  header: MessageHeader;
  /** The bytes after the header (for *_WITH_FDS, starting with the FD count). */
  payload: Buffer;
}

export class FrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

export function encodeHeader(h: MessageHeader, buf: Buffer, offset = LENGTH_SIZE): void {
  buf.writeUInt32BE(h.prog >>> 0, offset);
  buf.writeUInt32BE(h.vers >>> 0, offset + 4);
  buf.writeInt32BE(h.proc | 0, offset + 8);
  buf.writeInt32BE(h.type, offset + 12);
  buf.writeUInt32BE(h.serial >>> 0, offset + 16);
  buf.writeInt32BE(h.status, offset + 20);
}

export function decodeHeader(buf: Uint8Array, offset = LENGTH_SIZE): MessageHeader {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < offset + HEADER_SIZE) throw new FrameError('frame too short to hold a header');
  return {
    prog: b.readUInt32BE(offset),
    vers: b.readUInt32BE(offset + 4),
    proc: b.readInt32BE(offset + 8),
    type: b.readInt32BE(offset + 12),
    serial: b.readUInt32BE(offset + 16),
    status: b.readInt32BE(offset + 20),
  };
}

/** One complete frame: length word, header, payload. */
export function encodeFrame(h: MessageHeader, payload: Uint8Array = Buffer.alloc(0)): Buffer {
  const total = LENGTH_SIZE + HEADER_SIZE + payload.length;
  if (total - LENGTH_SIZE > MESSAGE_MAX)
    throw new FrameError(`message of ${total - LENGTH_SIZE} bytes exceeds the ${MESSAGE_MAX}-byte limit`);
  const buf = Buffer.alloc(total);
  buf.writeUInt32BE(total, 0);
  encodeHeader(h, buf);
  buf.set(payload, LENGTH_SIZE + HEADER_SIZE);
  return buf;
}

/**
 * Incremental frame splitter. `push` returns the complete frames found so far and throws
 * FrameError on a length word that is too large (> 32 MiB + 4) or too small to hold a header;
 * the caller should then drop the connection.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /**
   * Bytes still to drop after a `*_WITH_FDS` frame: each descriptor travels on one byte of its own
   * behind the frame, and Node's sockets deliver those bytes without the descriptors.
   */
  private fdBytes = 0;

  constructor(private readonly maxMessage = MESSAGE_MAX) {}

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.buffered;
  }

  push(data: Uint8Array): Frame[] {
    this.chunks.push(Buffer.isBuffer(data) ? data : Buffer.from(data));
    this.buffered += data.length;
    const frames: Frame[] = [];
    for (;;) {
      const skip = Math.min(this.fdBytes, this.buffered);
      if (skip) this.take(skip);
      this.fdBytes -= skip;
      if (this.fdBytes || this.buffered < LENGTH_SIZE) break;
      const head = this.peek(LENGTH_SIZE);
      const len = head.readUInt32BE(0);
      if (len - LENGTH_SIZE > this.maxMessage)
        throw new FrameError(`frame length ${len} exceeds the maximum ${this.maxMessage + LENGTH_SIZE}`);
      if (len < LENGTH_SIZE + HEADER_SIZE) throw new FrameError(`frame length ${len} is too short to hold a header`);
      if (this.buffered < len) break;
      const whole = this.take(len);
      const frame = { header: decodeHeader(whole), payload: whole.subarray(LENGTH_SIZE + HEADER_SIZE) };
      const withFds = frame.header.type === MessageType.CALL_WITH_FDS || frame.header.type === MessageType.REPLY_WITH_FDS;
      if (withFds && frame.payload.length >= 4) this.fdBytes = frame.payload.readUInt32BE(0);
      frames.push(frame);
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length >= n) return this.chunks[0];
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }
}

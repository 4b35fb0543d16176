/**
 * libvirt RPC framing (docs/wire-protocol.md §1): a 4-byte length (including itself), a 24-byte
 * header, then the payload. `FrameDecoder` cuts a byte stream into frames and rejects oversized or
 * impossible lengths; `encodeFrame` builds one.
 */

export const PROGRAM = {
  REMOTE: 0x20008086,
  QEMU: 0x20008087,
  LXC: 0x00068000,
  KEEPALIVE: 0x6b656570,
  ADMIN: 0x06900690,
} as const;

export const PROTOCOL_VERSION = 1;

export enum MessageType {
  CALL = 0,
  REPLY = 1,
  MESSAGE = 2,
  STREAM = 3,
  CALL_WITH_FDS = 4,
  REPLY_WITH_FDS = 5,
  STREAM_HOLE = 6,
}

export enum MessageStatus {
  OK = 0,
  ERROR = 1,
  CONTINUE = 2,
}

export const KEEPALIVE_PROC = { PING: 1, PONG: 2 } as const;

/** Max frame size excluding the length word (VIR_NET_MESSAGE_MAX). */
export const MESSAGE_MAX = 32 * 1024 * 1024;
export const HEADER_SIZE = 24;
export const LENGTH_SIZE = 4;
export const PAYLOAD_MAX = MESSAGE_MAX - HEADER_SIZE;
/** Largest stream data chunk libvirt puts in one frame. */
export const STREAM_CHUNK_MAX = 262120;

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
  if (total - LENGTH_SIZE > MESSAGE_MAX) throw new FrameError(`message of ${total - LENGTH_SIZE} bytes exceeds the ${MESSAGE_MAX}-byte limit`);
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

  constructor(private readonly maxMessage = MESSAGE_MAX) {}

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.buffered;
  }

  push(data: Uint8Array): Frame[] {
    this.chunks.push(Buffer.isBuffer(data) ? data : Buffer.from(data));
    this.buffered += data.length;
    const frames: Frame[] = [];
    while (this.buffered >= LENGTH_SIZE) {
      const head = this.peek(LENGTH_SIZE);
      const len = head.readUInt32BE(0);
      if (len - LENGTH_SIZE > this.maxMessage) throw new FrameError(`frame length ${len} exceeds the maximum ${this.maxMessage + LENGTH_SIZE}`);
      if (len < LENGTH_SIZE + HEADER_SIZE) throw new FrameError(`frame length ${len} is too short to hold a header`);
      if (this.buffered < len) break;
      const whole = this.take(len);
      frames.push({ header: decodeHeader(whole), payload: whole.subarray(LENGTH_SIZE + HEADER_SIZE) });
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

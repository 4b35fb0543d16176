/** XDR primitives: the byte-level writer and reader (ints, hypers, doubles, opaque, strings) and UUIDs. */
import { NET_MESSAGE_LIMITS } from '../generated/protocol.gen';
import { XdrError } from './xdr-error';

/** Longest `string` libvirt accepts (REMOTE_STRING_MAX). */
export const XDR_STRING_MAX: number = NET_MESSAGE_LIMITS.REMOTE_STRING_MAX;

export class XdrWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 256) {
    this.buf = Buffer.alloc(initial);
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = Buffer.alloc(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  get length(): number {
    return this.len;
  }

  int(v: number): void {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new XdrError(`value ${v} does not fit an int`);
    this.ensure(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
  }

  uint(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new XdrError(`value ${v} does not fit an unsigned int`);
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.len);
    this.len += 4;
  }

  hyper(v: number | bigint): void {
    const b = toBigInt(v, 'hyper');
    if (b < -(1n << 63n) || b >= 1n << 63n) throw new XdrError(`value ${v} does not fit a hyper`);
    this.ensure(8);
    this.buf.writeBigInt64BE(b, this.len);
    this.len += 8;
  }

  uhyper(v: number | bigint): void {
    const b = toBigInt(v, 'unsigned hyper');
    if (b < 0n || b >= 1n << 64n) throw new XdrError(`value ${v} does not fit an unsigned hyper`);
    this.ensure(8);
    this.buf.writeBigUInt64BE(b, this.len);
    this.len += 8;
  }

  double(v: number): void {
    if (typeof v !== 'number') throw new XdrError(`value ${String(v)} is not a double`);
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.len);
    this.len += 8;
  }

  /** Raw bytes followed by zero padding to a multiple of 4. */
  fixedOpaque(data: Uint8Array): void {
    const pad = (4 - (data.length % 4)) % 4;
    this.ensure(data.length + pad);
    this.buf.set(data, this.len);
    this.len += data.length;
    this.buf.fill(0, this.len, this.len + pad);
    this.len += pad;
  }

  varOpaque(data: Uint8Array, max = 0xffffffff): void {
    if (data.length > max) throw new XdrError(`opaque of ${data.length} bytes exceeds its maximum ${max}`);
    this.uint(data.length);
    this.fixedOpaque(data);
  }

  string(v: string, max = XDR_STRING_MAX): void {
    if (typeof v !== 'string') throw new XdrError(`value ${String(v)} is not a string`);
    if (LONE_SURROGATE.test(v)) throw new XdrError('string has no UTF-8 form (lone surrogate)');
    const bytes = Buffer.from(v, 'utf8');
    if (bytes.length > max) throw new XdrError(`string of ${bytes.length} bytes exceeds its maximum ${max}`);
    this.varOpaque(bytes);
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function toBigInt(v: number | bigint, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw new XdrError(`value ${String(v)} is not an integer for ${what}`);
}

export class XdrReader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Uint8Array,
    offset = 0,
    end = buf.length,
  ) {
    this.pos = offset;
    this.end = end;
  }

  private view(): Buffer {
    return Buffer.isBuffer(this.buf) ? this.buf : Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new XdrError(`truncated XDR input: ${what} needs ${n} bytes at offset ${this.pos}, only ${this.end - this.pos} left`);
    }
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  int(): number {
    this.need(4, 'int');
    const v = this.view().readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  uint(): number {
    this.need(4, 'unsigned int');
    const v = this.view().readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  hyper(): number | bigint {
    this.need(8, 'hyper');
    const v = this.view().readBigInt64BE(this.pos);
    this.pos += 8;
    return narrow(v);
  }

  uhyper(): number | bigint {
    this.need(8, 'unsigned hyper');
    const v = this.view().readBigUInt64BE(this.pos);
    this.pos += 8;
    return narrow(v);
  }

  double(): number {
    this.need(8, 'double');
    const v = this.view().readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  fixedOpaque(n: number): Buffer {
    const padded = n + ((4 - (n % 4)) % 4);
    this.need(padded, `opaque[${n}]`);
    const b = Buffer.from(this.view().subarray(this.pos, this.pos + n));
    this.pos += padded;
    return b;
  }

  varOpaque(max = 0xffffffff): Buffer {
    const n = this.uint();
    if (n > max) throw new XdrError(`opaque length ${n} exceeds its maximum ${max}`);
    return this.fixedOpaque(n);
  }

  string(max = XDR_STRING_MAX): string {
    const n = this.uint();
    if (n > max) throw new XdrError(`string length ${n} exceeds its maximum ${max}`);
    return utf8Text(this.fixedOpaque(n));
  }
}

/** A UTF-16 code unit that is half of a pair without its other half: Buffer would write U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Strict UTF-8: malformed bytes are refused, not replaced with U+FFFD, so two distinct names on
 * the wire never become one string (libvirt compares the bytes; we can only compare text).
 */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new XdrError('string is not valid UTF-8');
  }
}

function narrow(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// UUIDs

/** Canonical UUID text → 16 raw bytes. */
export function uuidToBytes(text: string): Buffer {
  const hex = typeof text === 'string' ? text.replace(/-/g, '') : '';
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new XdrError(`'${String(text)}' is not a UUID`);
  return Buffer.from(hex, 'hex');
}

/** 16 raw bytes → canonical lower-case dashed text. */
export function uuidFromBytes(b: Uint8Array): string {
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

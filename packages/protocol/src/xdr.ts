/**
 * XDR (RFC 4506) as libvirt's RPC uses it, driven by the wire type strings of the API definition
 * (`api/src/dsl.ts`, WireField): `int`, `uint`, `hyper`, `uhyper`, `bool`, `double`, `char`,
 * `uchar`, `short`, `ushort` (the last four widened to 4 bytes), `string` (remote_nonnull_string),
 * `string?` (remote_string), `uuid` (opaque[16], canonical text in JS), handles `Dom`, `Pool`,
 * `Vol`, `Snap`, `Chk`, `Net`, `Secret`, `NodeDev`, `Iface` (nullable with `?`), typed parameters
 * `TP<max>`, variable arrays `T<max>`, fixed arrays `T[n]`, and two extensions: `opaque<max>` /
 * `opaque[n]` (bytes) and inline structs `{name:type,name:type}`.
 *
 * JS values: 32-bit and narrower integers are numbers; `hyper`/`uhyper` decode to a number when
 * it is a safe integer and to a bigint beyond 2^53 (both are accepted when encoding); `bool` is a
 * boolean (1/0 and booleans are accepted for int fields too); `char<N>` / `char[N]` are strings
 * (a variable char array carries a trailing NUL on the wire, as libvirt sends it); handles are
 * the refs of `refs.ts`; `TP<max>` is a list of `{field, type, value}`.
 *
 * Transport-agnostic: used by the daemon (server side) and the remote driver (client side).
 */

/** Longest `string` libvirt accepts (REMOTE_STRING_MAX). */
export const XDR_STRING_MAX = 4 * 1024 * 1024;

/** Typed parameter value types (virTypedParameterType). */
export enum TypedParamType {
  INT = 1,
  UINT = 2,
  LLONG = 3,
  ULLONG = 4,
  DOUBLE = 5,
  BOOLEAN = 6,
  STRING = 7,
}

/** One typed parameter as it travels. */
export interface WireTypedParam {
  field: string;
  type: TypedParamType;
  value: number | bigint | string | boolean;
}

/** Malformed, truncated or out-of-bounds XDR (decoding) or a value that does not fit its type (encoding). */
export class XdrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XdrError';
  }
}

// ----------------------------------------------------------------------------------------------
// Type strings

export type XdrType =
  | { k: 'int' | 'uint' | 'hyper' | 'uhyper' | 'bool' | 'double' | 'char' | 'uchar' | 'short' | 'ushort' }
  | { k: 'string'; max: number }
  | { k: 'uuid' }
  | { k: 'handle'; name: HandleName }
  | { k: 'tp'; max: number }
  | { k: 'opaque'; fixed: boolean; n: number }
  | { k: 'optional'; of: XdrType }
  | { k: 'varray'; of: XdrType; max: number }
  | { k: 'farray'; of: XdrType; n: number }
  | { k: 'struct'; fields: [string, XdrType][] };

export type HandleName = 'Dom' | 'Pool' | 'Vol' | 'Snap' | 'Chk' | 'Net' | 'Secret' | 'NodeDev' | 'Iface';

const SCALARS = new Set(['int', 'uint', 'hyper', 'uhyper', 'bool', 'double', 'char', 'uchar', 'short', 'ushort']);
const HANDLES = new Set<string>(['Dom', 'Pool', 'Vol', 'Snap', 'Chk', 'Net', 'Secret', 'NodeDev', 'Iface']);
const cache = new Map<string, XdrType>();

/** Parse a wire type string (cached). Throws XdrError on a malformed string. */
export function parseXdrType(text: string): XdrType {
  const hit = cache.get(text);
  if (hit) return hit;
  let pos = 0;
  const s = text.replace(/\s+/g, '');
  const fail = (why: string): never => {
    throw new XdrError(`bad XDR type '${text}': ${why} at ${pos}`);
  };
  const num = (): number => {
    const m = /^\d+/.exec(s.slice(pos));
    if (!m) return fail('number expected');
    pos += m[0].length;
    return Number(m[0]);
  };
  const type = (): XdrType => {
    let t: XdrType;
    if (s[pos] === '{') {
      pos++;
      const fields: [string, XdrType][] = [];
      while (s[pos] !== '}') {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(pos));
        if (!m) fail('field name expected');
        pos += m![0].length;
        if (s[pos] !== ':') fail("':' expected");
        pos++;
        fields.push([m![0], type()]);
        if (s[pos] === ',') pos++;
        else if (s[pos] !== '}') fail("',' or '}' expected");
      }
      pos++;
      t = { k: 'struct', fields };
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(pos));
      if (!m) return fail('type name expected');
      const name = m[0];
      pos += name.length;
      if (name === 'TP' || name === 'opaque') {
        const open = s[pos];
        if (open !== '<' && open !== '[') return fail(`${name} needs <max> or [n]`);
        pos++;
        const n = num();
        if (s[pos] !== (open === '<' ? '>' : ']')) fail('unclosed bound');
        pos++;
        if (name === 'TP') {
          if (open !== '<') fail('TP takes <max>');
          t = { k: 'tp', max: n };
        } else t = { k: 'opaque', fixed: open === '[', n };
      } else if (SCALARS.has(name)) t = { k: name as 'int' };
      else if (name === 'string' || name === 'str') t = { k: 'string', max: XDR_STRING_MAX };
      else if (name === 'uuid') t = { k: 'uuid' };
      else if (HANDLES.has(name)) t = { k: 'handle', name: name as HandleName };
      else return fail(`unknown type '${name}'`);
    }
    for (;;) {
      const c = s[pos];
      if (c === '?') {
        pos++;
        t = { k: 'optional', of: t };
      } else if (c === '<') {
        pos++;
        const max = s[pos] === '>' ? 0xffffffff : num();
        if (s[pos] !== '>') fail("'>' expected");
        pos++;
        t = { k: 'varray', of: t, max };
      } else if (c === '[') {
        pos++;
        const n = num();
        if (s[pos] !== ']') fail("']' expected");
        pos++;
        t = { k: 'farray', of: t, n };
      } else break;
    }
    return t;
  };
  const t = type();
  if (pos !== s.length) fail('trailing text');
  cache.set(text, t);
  return t;
}

// ----------------------------------------------------------------------------------------------
// Writer / reader

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

  constructor(readonly buf: Uint8Array, offset = 0, end = buf.length) {
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
function utf8Text(bytes: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw new XdrError('string is not valid UTF-8');
  }
}

function narrow(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

// ----------------------------------------------------------------------------------------------
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

// ----------------------------------------------------------------------------------------------
// Values by type

type Obj = Record<string, unknown>;

function asObj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object') throw new XdrError(`${what}: an object is expected, got ${String(v)}`);
  return v as Obj;
}

function intOf(v: unknown, what: string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw new XdrError(`${what}: a number is expected, got ${String(v)}`);
  return v;
}

function encodeHandle(w: XdrWriter, name: HandleName, v: unknown): void {
  const o = asObj(v, name);
  switch (name) {
    case 'Dom':
      w.string(o.name as string);
      w.fixedOpaque(uuidToBytes(o.uuid as string));
      w.int(o.id === undefined || o.id === null ? -1 : intOf(o.id, 'Dom.id'));
      return;
    case 'Pool':
    case 'Net':
      w.string(o.name as string);
      w.fixedOpaque(uuidToBytes(o.uuid as string));
      return;
    case 'Vol':
      w.string(o.pool as string);
      w.string(o.name as string);
      w.string(o.key as string);
      return;
    case 'Snap':
    case 'Chk':
      w.string(o.name as string);
      encodeHandle(w, 'Dom', o.domain ?? o.dom);
      return;
    case 'Secret':
      w.fixedOpaque(uuidToBytes(o.uuid as string));
      w.int(intOf(o.usageType ?? 0, 'Secret.usageType'));
      w.string((o.usageID ?? '') as string);
      return;
    case 'NodeDev':
      w.string(o.name as string);
      return;
    case 'Iface':
      w.string(o.name as string);
      w.string(o.mac as string);
      return;
  }
}

function decodeHandle(r: XdrReader, name: HandleName): Obj {
  switch (name) {
    case 'Dom':
      return { name: r.string(), uuid: uuidFromBytes(r.fixedOpaque(16)), id: r.int() };
    case 'Pool':
    case 'Net':
      return { name: r.string(), uuid: uuidFromBytes(r.fixedOpaque(16)) };
    case 'Vol':
      return { pool: r.string(), name: r.string(), key: r.string() };
    case 'Snap':
    case 'Chk':
      return { name: r.string(), domain: decodeHandle(r, 'Dom') };
    case 'Secret':
      return { uuid: uuidFromBytes(r.fixedOpaque(16)), usageType: r.int(), usageID: r.string() };
    case 'NodeDev':
      return { name: r.string() };
    case 'Iface':
      return { name: r.string(), mac: r.string() };
  }
}

/** The typed parameter type a plain JS value travels as when no type is given. */
export function guessTypedParamType(v: unknown): TypedParamType {
  if (typeof v === 'boolean') return TypedParamType.BOOLEAN;
  if (typeof v === 'string') return TypedParamType.STRING;
  if (typeof v === 'bigint') return v < 0n ? TypedParamType.LLONG : TypedParamType.ULLONG;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return TypedParamType.DOUBLE;
    return v < 0 ? TypedParamType.LLONG : TypedParamType.ULLONG;
  }
  throw new XdrError(`typed parameter value ${String(v)} has no XDR form`);
}

/** A record or a list of typed params → the wire list. */
export function toWireTypedParams(v: unknown): WireTypedParam[] {
  if (Array.isArray(v)) return v as WireTypedParam[];
  const o = asObj(v ?? {}, 'TP');
  return Object.entries(o).map(([field, value]) => ({ field, type: guessTypedParamType(value), value: value as WireTypedParam['value'] }));
}

/** The wire list → a plain record (what the driver SPI takes and returns). */
export function typedParamsToRecord(list: readonly WireTypedParam[]): Record<string, number | bigint | string | boolean> {
  const out: Record<string, number | bigint | string | boolean> = {};
  for (const p of list) out[p.field] = p.value;
  return out;
}

function encodeTypedParam(w: XdrWriter, p: WireTypedParam): void {
  w.string(p.field);
  w.int(p.type);
  switch (p.type) {
    case TypedParamType.INT: return w.int(intOf(p.value, p.field));
    case TypedParamType.UINT: return w.uint(intOf(p.value, p.field));
    case TypedParamType.LLONG: return w.hyper(p.value as number | bigint);
    case TypedParamType.ULLONG: return w.uhyper(p.value as number | bigint);
    case TypedParamType.DOUBLE: return w.double(p.value as number);
    case TypedParamType.BOOLEAN: return w.int(p.value ? 1 : 0);
    case TypedParamType.STRING: return w.string(p.value as string);
    default: throw new XdrError(`typed parameter '${p.field}' has unknown type ${p.type as number}`);
  }
}

function decodeTypedParam(r: XdrReader): WireTypedParam {
  const field = r.string(80);
  const type = r.int();
  switch (type) {
    case TypedParamType.INT: return { field, type, value: r.int() };
    case TypedParamType.UINT: return { field, type, value: r.uint() };
    case TypedParamType.LLONG: return { field, type, value: r.hyper() };
    case TypedParamType.ULLONG: return { field, type, value: r.uhyper() };
    case TypedParamType.DOUBLE: return { field, type, value: r.double() };
    case TypedParamType.BOOLEAN: return { field, type, value: r.int() !== 0 };
    case TypedParamType.STRING: return { field, type, value: r.string() };
    default: throw new XdrError(`typed parameter '${field}' has unknown type ${type}`);
  }
}

const isCharType = (t: XdrType): boolean => t.k === 'char' || t.k === 'uchar';

/** Encode `value` as `type` (a type string or parsed type). */
export function encodeValue(w: XdrWriter, type: string | XdrType, value: unknown): void {
  const t = typeof type === 'string' ? parseXdrType(type) : type;
  switch (t.k) {
    case 'int': case 'char': case 'short': return w.int(intOf(value, t.k));
    case 'uint': case 'uchar': case 'ushort': return w.uint(intOf(value, t.k));
    case 'bool': return w.int(value ? 1 : 0);
    case 'hyper': return w.hyper(value as number | bigint);
    case 'uhyper': return w.uhyper(value as number | bigint);
    case 'double': return w.double(value as number);
    case 'string': return w.string(value as string, t.max);
    case 'uuid': return w.fixedOpaque(uuidToBytes(value as string));
    case 'handle': return encodeHandle(w, t.name, value);
    case 'opaque': {
      const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value as Uint8Array);
      if (!(b instanceof Uint8Array)) throw new XdrError('opaque: bytes expected');
      if (!t.fixed) return w.varOpaque(b, t.n);
      const f = Buffer.alloc(t.n);
      f.set(b.subarray(0, t.n));
      return w.fixedOpaque(f);
    }
    case 'tp': {
      const list = toWireTypedParams(value);
      if (list.length > t.max) throw new XdrError(`${list.length} typed parameters exceed the maximum ${t.max}`);
      w.uint(list.length);
      for (const p of list) encodeTypedParam(w, p);
      return;
    }
    case 'optional':
      if (value === null || value === undefined) return w.uint(0);
      w.uint(1);
      return encodeValue(w, t.of, value);
    case 'varray': {
      let items: unknown[];
      if (isCharType(t.of) && (typeof value === 'string' || value instanceof Uint8Array)) {
        // libvirt sends C strings in char arrays with their NUL terminator.
        const b = typeof value === 'string' ? Buffer.concat([Buffer.from(value, 'utf8'), Buffer.alloc(1)]) : value;
        items = [...b];
      } else {
        if (!Array.isArray(value)) throw new XdrError(`an array is expected, got ${String(value)}`);
        items = value;
      }
      if (items.length > t.max) throw new XdrError(`array of ${items.length} elements exceeds its maximum ${t.max}`);
      w.uint(items.length);
      for (const it of items) encodeValue(w, t.of, it);
      return;
    }
    case 'farray': {
      let items: unknown[];
      if (isCharType(t.of) && (typeof value === 'string' || value instanceof Uint8Array)) {
        const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
        const f = Buffer.alloc(t.n);
        f.set(b.subarray(0, t.n));
        items = [...f];
      } else {
        if (!Array.isArray(value)) throw new XdrError(`an array is expected, got ${String(value)}`);
        items = value;
      }
      if (items.length !== t.n) throw new XdrError(`fixed array needs ${t.n} elements, got ${items.length}`);
      for (const it of items) encodeValue(w, t.of, it);
      return;
    }
    case 'struct': {
      const o = asObj(value, 'struct');
      for (const [name, ft] of t.fields) encodeValue(w, ft, o[name]);
      return;
    }
  }
}

function charsToString(codes: number[]): string {
  const bytes = Buffer.from(codes.map((c) => c & 0xff));
  const nul = bytes.indexOf(0);
  return utf8Text(nul >= 0 ? bytes.subarray(0, nul) : bytes);
}

/** Decode one value of `type`. */
export function decodeValue(r: XdrReader, type: string | XdrType): unknown {
  const t = typeof type === 'string' ? parseXdrType(type) : type;
  switch (t.k) {
    case 'int': case 'char': case 'short': return r.int();
    case 'uint': case 'uchar': case 'ushort': return r.uint();
    case 'bool': return r.int() !== 0;
    case 'hyper': return r.hyper();
    case 'uhyper': return r.uhyper();
    case 'double': return r.double();
    case 'string': return r.string(t.max);
    case 'uuid': return uuidFromBytes(r.fixedOpaque(16));
    case 'handle': return decodeHandle(r, t.name);
    case 'opaque': return t.fixed ? r.fixedOpaque(t.n) : r.varOpaque(t.n);
    case 'tp': {
      const n = r.uint();
      if (n > t.max) throw new XdrError(`${n} typed parameters exceed the maximum ${t.max}`);
      const out: WireTypedParam[] = [];
      for (let i = 0; i < n; i++) out.push(decodeTypedParam(r));
      return out;
    }
    case 'optional': {
      const present = r.uint();
      if (present > 1) throw new XdrError(`optional value has bad presence flag ${present}`);
      return present ? decodeValue(r, t.of) : null;
    }
    case 'varray': {
      const n = r.uint();
      if (n > t.max) throw new XdrError(`array length ${n} exceeds its maximum ${t.max}`);
      // Every element takes at least 4 bytes: refuse impossible counts before allocating.
      if (n * 4 > r.remaining) throw new XdrError(`truncated XDR input: array of ${n} elements at offset ${r.pos} cannot fit in ${r.remaining} bytes`);
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) items.push(decodeValue(r, t.of));
      return isCharType(t.of) ? charsToString(items as number[]) : items;
    }
    case 'farray': {
      if (t.n * 4 > r.remaining) throw new XdrError(`truncated XDR input: fixed array of ${t.n} elements at offset ${r.pos}`);
      const items: unknown[] = [];
      for (let i = 0; i < t.n; i++) items.push(decodeValue(r, t.of));
      return isCharType(t.of) ? charsToString(items as number[]) : items;
    }
    case 'struct': {
      const o: Obj = {};
      for (const [name, ft] of t.fields) o[name] = decodeValue(r, ft);
      return o;
    }
  }
}

/** A struct given as wire fields (`[name, type]` pairs), e.g. a procedure's args or ret. */
export type FieldLayout = readonly (readonly [string, string])[];

export function encodeStruct(layout: FieldLayout, value: Record<string, unknown>, w = new XdrWriter()): Buffer {
  for (const [name, type] of layout) {
    try {
      encodeValue(w, type, value[name]);
    } catch (e) {
      if (e instanceof XdrError) throw new XdrError(`field '${name}' (${type}): ${e.message}`);
      throw e;
    }
  }
  return w.bytes();
}

/** Decode a whole struct; with `exact`, trailing bytes are an error. */
export function decodeStruct(layout: FieldLayout, buf: Uint8Array, offset = 0, exact = true): Record<string, unknown> {
  const r = new XdrReader(buf, offset);
  const out: Record<string, unknown> = {};
  for (const [name, type] of layout) out[name] = decodeValue(r, type);
  if (exact && r.remaining !== 0) throw new XdrError(`${r.remaining} unexpected trailing bytes after the payload`);
  return out;
}

/** Enough zero bytes for the zero value of any fixed-size part of a layout. */
const ZEROS = new Uint8Array(64 * 1024);

/**
 * The zero value of each field (0, '', null, [], …): what all-zero bytes decode to, which is also
 * what libvirt sends in the unused fields of a reply (e.g. a block job reply with `found` = 0).
 */
export function zeroStruct(layout: FieldLayout): Record<string, unknown> {
  return decodeStruct(layout, ZEROS, 0, false);
}

/** The interpreter: encodes and decodes JS values by parsed wire type, and whole structs by field layout. */
import { asObj, intOf, type Obj } from './coerce';
import { parseXdrType, type XdrType } from './grammar';
import { decodeHandle, encodeHandle } from './handles';
import { uuidFromBytes, uuidToBytes, utf8Text, XdrReader, XdrWriter } from './primitives';
import { decodeTypedParam, encodeTypedParam, toWireTypedParams, type WireTypedParam } from './typed-params';
import { XdrError } from './xdr-error';

const isCharType = (t: XdrType): boolean => t.k === 'char' || t.k === 'uchar';

/** Encode `value` as `type` (a type string or parsed type). */
export function encodeValue(w: XdrWriter, type: string | XdrType, value: unknown): void {
  const t = typeof type === 'string' ? parseXdrType(type) : type;
  switch (t.k) {
    case 'int':
    case 'char':
    case 'short':
      return w.int(intOf(value, t.k));
    case 'uint':
    case 'uchar':
    case 'ushort':
      return w.uint(intOf(value, t.k));
    case 'bool':
      return w.int(value ? 1 : 0);
    case 'hyper':
      return w.hyper(value as number | bigint);
    case 'uhyper':
      return w.uhyper(value as number | bigint);
    case 'double':
      return w.double(value as number);
    case 'string':
      return w.string(value as string, t.max);
    case 'uuid':
      return w.fixedOpaque(uuidToBytes(value as string));
    case 'handle':
      return encodeHandle(w, t.name, value);
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
    case 'int':
    case 'char':
    case 'short':
      return r.int();
    case 'uint':
    case 'uchar':
    case 'ushort':
      return r.uint();
    case 'bool':
      return r.int() !== 0;
    case 'hyper':
      return r.hyper();
    case 'uhyper':
      return r.uhyper();
    case 'double':
      return r.double();
    case 'string':
      return r.string(t.max);
    case 'uuid':
      return uuidFromBytes(r.fixedOpaque(16));
    case 'handle':
      return decodeHandle(r, t.name);
    case 'opaque':
      return t.fixed ? r.fixedOpaque(t.n) : r.varOpaque(t.n);
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
      if (n * 4 > r.remaining)
        throw new XdrError(`truncated XDR input: array of ${n} elements at offset ${r.pos} cannot fit in ${r.remaining} bytes`);
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

/** Loose JS value checks shared by the value codecs: objects and integer-ish values. */
import { XdrError } from './xdr-error';

/** A decoded struct or handle. */
export type Obj = Record<string, unknown>;

/** `v` as a record, or an XdrError naming `what`. */
export function asObj(v: unknown, what: string): Obj {
  if (v === null || typeof v !== 'object') throw new XdrError(`${what}: an object is expected, got ${String(v)}`);
  return v as Obj;
}

/** A 32-bit-or-narrower integer field value: booleans count as 1/0, bigints are narrowed. */
export function intOf(v: unknown, what: string): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw new XdrError(`${what}: a number is expected, got ${String(v)}`);
  return v;
}

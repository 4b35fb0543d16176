/**
 * Object handles (remote_nonnull_domain, _network, _storage_vol, ...) as the refs of `refs.ts`,
 * coded field by field from the generated HANDLE_LAYOUTS.
 */
import { HANDLE_LAYOUTS } from '../generated/protocol.gen';
import { asObj, intOf, type Obj } from './coerce';
import type { HandleName } from './grammar';
import { uuidFromBytes, uuidToBytes, type XdrReader, type XdrWriter } from './primitives';

/** Handle fields whose ref property has another name: snapshots and checkpoints hold their `domain`, ports their `network`. */
const REF_KEY: Readonly<Record<string, string>> = { dom: 'domain', net: 'network' };

/** Values a ref may leave out: a domain that is not running has id -1; a secret may have no usage. */
const DEFAULTS: Readonly<Partial<Record<HandleName, Obj>>> = { Dom: { id: -1 }, Secret: { usageType: 0, usageID: '' } };

function isHandle(type: string): type is HandleName {
  return Object.hasOwn(HANDLE_LAYOUTS, type);
}

/** Encode a handle ref (`{name, uuid, id}` for Dom, ...) as its remote_nonnull_* struct. */
export function encodeHandle(w: XdrWriter, name: HandleName, v: unknown): void {
  const o = asObj(v, name);
  for (const [field, type] of HANDLE_LAYOUTS[name]) {
    const value = o[REF_KEY[field] ?? field] ?? o[field] ?? DEFAULTS[name]?.[field];
    if (type === 'string') w.string(value as string);
    else if (type === 'uuid') w.fixedOpaque(uuidToBytes(value as string));
    else if (type === 'int') w.int(intOf(value, `${name}.${field}`));
    else if (isHandle(type)) encodeHandle(w, type, value);
    else throw new Error(`handle ${name}: field type ${type} is not supported`);
  }
}

/** Decode a remote_nonnull_* struct into its handle ref. */
export function decodeHandle(r: XdrReader, name: HandleName): Obj {
  const out: Obj = {};
  for (const [field, type] of HANDLE_LAYOUTS[name]) {
    const key = REF_KEY[field] ?? field;
    if (type === 'string') out[key] = r.string();
    else if (type === 'uuid') out[key] = uuidFromBytes(r.fixedOpaque(16));
    else if (type === 'int') out[key] = r.int();
    else if (isHandle(type)) out[key] = decodeHandle(r, type);
    else throw new Error(`handle ${name}: field type ${type} is not supported`);
  }
  return out;
}

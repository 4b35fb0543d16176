/** Object handles (remote_nonnull_domain, _network, _storage_vol, ...) as the refs of `refs.ts`. */
import { asObj, intOf, type Obj } from './coerce';
import type { HandleName } from './grammar';
import { uuidFromBytes, uuidToBytes, type XdrReader, type XdrWriter } from './primitives';

/** Encode a handle ref (`{name, uuid, id}` for Dom, ...) as its remote_nonnull_* struct. */
export function encodeHandle(w: XdrWriter, name: HandleName, v: unknown): void {
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

/** Decode a remote_nonnull_* struct into its handle ref. */
export function decodeHandle(r: XdrReader, name: HandleName): Obj {
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

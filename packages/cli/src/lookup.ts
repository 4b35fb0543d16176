/** Finding the object a command names, by virsh's order of tries and with its errors. */
import { Level, type Ctl } from './ctl';
import type { Domain, StoragePool, StorageVol } from '@virtkit/core';
import { isVirError } from './errors';

/** A UUID as libvirt parses one, dashes optional. */
export const UUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Which ways of naming a domain a command accepts. */
export interface ByFlags {
  id?: boolean;
  uuid?: boolean;
  name?: boolean;
}

const ALL: ByFlags = { id: true, uuid: true, name: true };

async function quietly<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (e) {
    if (isVirError(e)) return null;
    throw e;
  }
}

/**
 * The domain named by `text` (a command's `domain` option): as an id, then a UUID, then a name;
 * else `failed to get domain`. With -d, virsh's debug lines say which tries were made.
 */
export async function lookupDomain(ctl: Ctl, text: string, by: ByFlags = ALL): Promise<Domain> {
  const cmd = ctl.cmdName;
  ctl.debug(Level.INFO, `${cmd}: found option <domain>: ${text}\n`);
  let dom: Domain | null = null;
  if (by.id && /^[+-]?\d+$/.test(text) && Number(text) >= 0 && Number(text) <= 0x7fffffff) {
    ctl.debug(Level.DEBUG, `${cmd}: <domain> looks like ID\n`);
    dom = await quietly(() => ctl.c.lookupByID(Number(text)));
  }
  // virsh tries a UUID only for text of a dashed UUID's length.
  if (!dom && by.uuid && text.length === 36) {
    ctl.debug(Level.DEBUG, `${cmd}: <domain> trying as domain UUID\n`);
    dom = await quietly(() => ctl.c.lookupByUUIDString(text));
  }
  if (!dom && by.name) {
    ctl.debug(Level.DEBUG, `${cmd}: <domain> trying as domain NAME\n`);
    dom = await quietly(() => ctl.c.lookupByName(text));
  }
  if (!dom) ctl.fail(`failed to get domain '${text}'`);
  return dom;
}

/** The pool named by `text`: as a UUID, then a name; the last libvirt error follows the message. */
export async function lookupPool(ctl: Ctl, text: string): Promise<StoragePool> {
  if (UUID_RE.test(text)) {
    const p = await quietly(() => ctl.c.storagePoolLookupByUUIDString(text));
    if (p) return p;
  }
  return ctl.attempt(`failed to get pool '${text}'`, () => ctl.c.storagePoolLookupByName(text));
}

/**
 * The volume named by `text` (a name in `poolName`, a key, or a path). Without a pool, the error
 * suggests the option `poolOpt` names, as virsh does; null for commands that take no pool.
 */
export async function lookupVol(ctl: Ctl, text: string, poolName: string | null, poolOpt: string | null = 'pool'): Promise<StorageVol> {
  const pool = poolName !== null ? await lookupPool(ctl, poolName) : null;
  let last: unknown = null;
  const tryIt = async (fn: () => Promise<StorageVol>): Promise<StorageVol | null> => {
    try {
      return await fn();
    } catch (e) {
      if (!isVirError(e)) throw e;
      last = e;
      return null;
    }
  };
  let vol: StorageVol | null = null;
  if (pool) vol = await tryIt(() => pool.storageVolLookupByName(text));
  if (!vol) vol = await tryIt(() => ctl.c.storageVolLookupByKey(text));
  if (!vol) vol = await tryIt(() => ctl.c.storageVolLookupByPath(text));
  if (vol) return vol;
  ctl.error(pool || poolOpt === null ? `failed to get vol '${text}'` : `failed to get vol '${text}', specifying --${poolOpt} might help`);
  throw last;
}

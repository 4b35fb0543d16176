/** `<volume>` ↔ StorageVolDef (virStorageVolDefParseXML / virStorageVolDefFormat). */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { XmlWriter } from '../writer';
import { childString } from '../moment';
import { LLONG_MAX, ULLONG_MAX, parseScaledElement, parseULL, scaleInteger } from '../scaled';
import { formatEncryption, parseEncryption } from '../storage-source';
import { formatPerms, parsePerms } from './perms';
import { formatAccepted, poolTypeInfo, type FormatTable } from './options';
import {
  VOL_TYPES,
  type PoolType,
  type StorageVolDef,
  type VolParseOptions,
  type VolTarget,
  type VolTimestamps,
  type VolType,
} from './types';

const D = ErrorDomain.VIR_FROM_STORAGE;
const xmlError = (detail: string) => VirError.xml(detail, D);
const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, D, detail);

export const FILE_FEATURES = ['lazy_refcounts', 'extended_l2'] as const;

/** virStorageSize: a capacity/allocation value with its unit, at most LLONG_MAX bytes. */
function storageSize(el: XmlElement): bigint {
  const v = parseULL(el.text());
  if (v === undefined) throw xmlError('malformed capacity element');
  return scaleInteger(v, el.attr('unit'), 1n, LLONG_MAX);
}

function parseFormat(table: FormatTable | undefined, el: XmlElement | undefined): string | undefined {
  if (!table) return undefined;
  const format = el?.attr('type');
  if (format === undefined || format === '') return table.defaultFormat;
  if (!formatAccepted(table, format)) throw unsupported(`unknown volume format type ${format}`);
  return format;
}

function checkCompat(compat: string | undefined): void {
  if (compat === undefined) return;
  const parts = compat.split('.');
  const ok = parts.length >= 2 && /^\s*\+?\d+$/.test(parts[0]) && /^\s*\+?\d+$/.test(parts.slice(1).join('.'));
  if (!ok) throw xmlError("forbidden characters in 'compat' attribute");
}

function parseTimestamp(text: string | undefined): [bigint, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw xmlError(`invalid timestamp '${text}'`);
  return [BigInt(m[1]), m[2] ? Number(m[2].padEnd(9, '0')) : 0];
}

function parseTimestamps(el: XmlElement | undefined): VolTimestamps | undefined {
  if (!el) return undefined;
  return {
    atime: parseTimestamp(el.childText('atime')),
    mtime: parseTimestamp(el.childText('mtime')),
    ctime: parseTimestamp(el.childText('ctime')),
    btime: parseTimestamp(el.childText('btime')),
  };
}

/** Parse a `<volume>` element for a pool of type `poolType`. */
export function parseVolumeElement(root: XmlElement, poolType: PoolType, opts: VolParseOptions = {}): StorageVolDef {
  if (root.name !== 'volume') throw xmlError(`unexpected root element <${root.name}>, expecting <volume>`);
  const table = poolTypeInfo(poolType).volFormats;
  const name = childString(root, 'name');
  if (name === undefined) throw xmlError('missing volume name element');
  const def: StorageVolDef = {
    type: 'file',
    name,
    extents: [],
    capacity: 0n,
    allocation: 0n,
    hasAllocation: false,
    physical: 0n,
    target: {},
  };
  def.key = childString(root, 'key');
  const type = root.attr('type');
  if (type !== undefined && type !== '') {
    if (!VOL_TYPES.includes(type as VolType)) throw unsupported(`unknown volume type '${type}'`);
    def.type = type as VolType;
  }
  const backing = root.element('backingStore');
  const backingPath = backing ? childString(backing, 'path') : undefined;
  if (backing && backingPath !== undefined) {
    def.backingStore = {
      path: backingPath,
      format: parseFormat(table, backing.element('format')),
      perms: parsePerms(backing.element('permissions')),
    };
  }
  const capacity = root.element('capacity');
  if (capacity && capacity.text() !== '') def.capacity = storageSize(capacity);
  else if (!opts.noCapacity && !(opts.optCapacity && def.backingStore)) throw xmlError('missing capacity element');
  const allocation = root.element('allocation');
  if (allocation && allocation.text() !== '') {
    def.allocation = storageSize(allocation);
    def.hasAllocation = true;
  } else {
    def.allocation = def.capacity;
  }
  const target = root.element('target');
  def.target.path = target ? childString(target, 'path') : undefined;
  def.target.format = parseFormat(table, target?.element('format'));
  def.target.perms = parsePerms(target?.element('permissions'));
  const enc = target?.element('encryption');
  if (enc) def.target.encryption = parseEncryption(enc);
  def.target.compat = target ? childString(target, 'compat') : undefined;
  checkCompat(def.target.compat);
  if (target?.element('nocow')) def.target.nocow = true;
  const cluster = parseScaledElement(target?.element('clusterSize'), './target/clusterSize', 1n, ULLONG_MAX);
  if (cluster !== undefined) def.target.clusterSize = cluster;
  const features = target?.element('features');
  if (features) {
    def.target.compat ??= '1.1';
    def.target.features = [];
    for (const f of features.elements()) {
      if (!FILE_FEATURES.includes(f.name as (typeof FILE_FEATURES)[number])) throw unsupported(`unsupported feature ${f.name}`);
      if (!def.target.features.includes(f.name)) def.target.features.push(f.name);
    }
  }
  if (opts.runtime) {
    const physical = root.element('physical');
    if (physical) def.physical = storageSize(physical);
    def.target.timestamps = parseTimestamps(target?.element('timestamps'));
    for (const dev of root.element('source')?.elements('device') ?? []) {
      for (const e of dev.elements('extent')) {
        def.extents.push({
          path: dev.attr('path') ?? '',
          start: parseULL(e.attr('start') ?? '') ?? 0n,
          end: parseULL(e.attr('end') ?? '') ?? 0n,
        });
      }
    }
  }
  return def;
}

/** Parse volume XML text for a pool of the given type (virStorageVolDefParseString). */
export function parseStorageVolXml(text: string, poolType: PoolType, opts: VolParseOptions = {}): StorageVolDef {
  return parseVolumeElement(parseXml(text), poolType, opts);
}

function formatTimestamp(w: XmlWriter, name: string, ts: [bigint, number] | undefined): void {
  if (!ts) return;
  w.leaf(name, ts[1] ? `${ts[0]}.${String(ts[1]).padStart(9, '0')}` : String(ts[0]));
}

/** virStorageVolTargetDefFormat: `<target>` or `<backingStore>`. */
export function writeVolTarget(w: XmlWriter, table: FormatTable | undefined, t: VolTarget, element: string): void {
  w.open(element);
  w.leaf('path', t.path);
  if (table) w.empty('format', [['type', t.format ?? table.defaultFormat]]);
  formatPerms(w, t.perms);
  if (t.timestamps) {
    const ts = t.timestamps;
    w.open('timestamps');
    formatTimestamp(w, 'atime', ts.atime);
    formatTimestamp(w, 'mtime', ts.mtime);
    formatTimestamp(w, 'ctime', ts.ctime);
    formatTimestamp(w, 'btime', ts.btime);
    w.close('timestamps');
  }
  if (t.encryption) formatEncryption(w, t.encryption);
  w.leaf('compat', t.compat);
  if (t.clusterSize && t.clusterSize > 0n) w.leaf('clusterSize', String(t.clusterSize), [['unit', 'B']]);
  if (t.features) {
    const set = FILE_FEATURES.filter((f) => t.features!.includes(f));
    w.element('features', [], (c) => set.forEach((f) => c.empty(f)));
  }
  w.close(element);
}

export function writeStorageVol(w: XmlWriter, poolType: PoolType, def: StorageVolDef): void {
  const table = poolTypeInfo(poolType).volFormats;
  w.open('volume', [['type', def.type]]);
  w.leaf('name', def.name);
  w.leaf('key', def.key);
  w.element(
    'source',
    [],
    (c) => {
      let current: string | undefined;
      for (const e of def.extents) {
        if (current !== e.path) {
          if (current !== undefined) c.close('device');
          c.open('device', [['path', e.path]]);
          current = e.path;
        }
        c.empty('extent', [
          ['start', String(e.start)],
          ['end', String(e.end)],
        ]);
      }
      if (current !== undefined) c.close('device');
    },
    true,
  );
  w.leaf('capacity', String(def.capacity), [['unit', 'bytes']]);
  w.leaf('allocation', String(def.allocation), [['unit', 'bytes']]);
  if (def.physical) w.leaf('physical', String(def.physical), [['unit', 'bytes']]);
  writeVolTarget(w, table, def.target, 'target');
  if (def.backingStore?.path !== undefined) writeVolTarget(w, table, def.backingStore, 'backingStore');
  w.close('volume');
}

/** Format volume XML (virStorageVolDefFormat) for a volume in a pool of type `poolType`. */
export function formatStorageVolXml(def: StorageVolDef, poolType: PoolType): string {
  const w = new XmlWriter();
  writeStorageVol(w, poolType, def);
  return w.toString();
}

/**
 * Disks: the typed view (target, bus, source, format, backing chain) read from the `<disk>`
 * element, and the checks libvirt's disk parser makes.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { parseScaledElement, ULLONG_MAX } from '../scaled';
import { IOTUNE_FIELDS } from './iotune';
import { orderAttrs, sortChildren } from './node';
import type { DiskDef, DiskSourceInfo } from './types';

const DISK_TYPES = ['file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser', 'vhostvdpa'];
const DISK_DEVICES = ['disk', 'cdrom', 'floppy', 'lun'];
const DISK_BUSES = ['ide', 'fdc', 'scsi', 'virtio', 'xen', 'usb', 'uml', 'sata', 'sd'];

function sourcePath(type: string, src: XmlElement | undefined): string | undefined {
  if (!src) return undefined;
  let p: string | undefined;
  switch (type) {
    case 'file':
      p = src.attr('file');
      break;
    case 'block':
      p = src.attr('dev');
      break;
    case 'dir':
      p = src.attr('dir');
      break;
    case 'network':
      p = src.attr('name');
      break;
    case 'volume':
      p = src.attr('volume');
      break;
    case 'vhostuser':
      p = src.attr('path');
      break;
    case 'vhostvdpa':
      p = src.attr('dev');
      break;
    default:
      p = undefined;
  }
  return p === '' ? undefined : p;
}

function sourceInfo(type: string, holder: XmlElement): DiskSourceInfo {
  const src = holder.element('source');
  return {
    type,
    path: sourcePath(type, src),
    protocol: type === 'network' ? src?.attr('protocol') : undefined,
    format: holder.element(holder.name === 'disk' ? 'driver' : 'format')?.attr('type'),
  };
}

/** virDomainDiskDefFormat's child order. */
export const DISK_CHILD_ORDER = [
  'driver',
  'auth',
  'source',
  'backingStore',
  'backenddomain',
  'geometry',
  'blockio',
  'mirror',
  'target',
  'iotune',
  'readonly',
  'shareable',
  'transient',
  'serial',
  'wwn',
  'vendor',
  'product',
  'encryption',
  'boot',
  'alias',
  'master',
  'rom',
  'acpi',
  'address',
];

/**
 * virDomainDiskDefParseXML, as far as the typed view and its checks go. Children, and those of
 * `<iotune>`, are put into the formatter's order; runtime-only data is dropped when `inactive`.
 */
export function parseDisk(el: XmlElement, inactive = false): DiskDef {
  sortChildren(el, DISK_CHILD_ORDER);
  const iotune = el.element('iotune');
  if (iotune) sortChildren(iotune, IOTUNE_FIELDS);
  normalizeMetadataCache(el.element('driver'), './metadata_cache/max_size');
  for (let b = el.element('backingStore'); b; b = b.element('backingStore')) {
    sortChildren(b, ['format', 'source', 'backingStore']);
    normalizeMetadataCache(b.element('format'), './format/metadata_cache/max_size');
    if (inactive) b.attrs.delete('index');
  }
  normalizeDiskAttrs(el);
  const type = el.attr('type') ?? 'file';
  if (!DISK_TYPES.includes(type)) throw VirError.xml(`unknown disk type '${type}'`);
  const device = el.attr('device') ?? 'disk';
  if (!DISK_DEVICES.includes(device)) throw VirError.xml(`unknown disk device '${device}'`);
  const target = el.element('target');
  const dev = target?.attr('dev');
  if (!target || dev === undefined) {
    throw VirError.create(ErrorNumber.VIR_ERR_NO_TARGET, ErrorDomain.VIR_FROM_DOMAIN, sourcePath(type, el.element('source')) ?? null);
  }
  const bus = target.attr('bus');
  if (bus !== undefined && !DISK_BUSES.includes(bus)) throw VirError.xml(`unknown disk bus type '${bus}'`);
  const driver = el.element('driver');
  const backing: DiskSourceInfo[] = [];
  let bs = el.element('backingStore');
  while (bs && bs.attr('type') !== undefined) {
    backing.push(sourceInfo(bs.attr('type') ?? 'file', bs));
    bs = bs.element('backingStore');
  }
  return {
    type,
    device,
    targetDev: dev,
    targetBus: bus,
    source: sourceInfo(type, el),
    driverType: driver?.attr('type'),
    driverName: driver?.attr('name'),
    backingStore: backing,
  };
}

/** Attributes of `<disk>` in virDomainDiskDefFormat's order. */
const DISK_ATTR_ORDER = ['type', 'device', 'model', 'rawio', 'sgio', 'snapshot'];

/**
 * The `<disk>` attributes as libvirt keeps them: a disk without `<source>` is a file disk,
 * type and device are always written, vhost-user disks default to no snapshot, and a read-only
 * disk's `snapshot='no'` is implied (virDomainDiskDefPostParse, virDomainDiskDefFormat).
 */
function normalizeDiskAttrs(el: XmlElement): void {
  if (!el.element('source')) el.attrs.set('type', 'file');
  if (!el.attr('type')) el.attrs.set('type', 'file');
  if (!el.attr('device')) el.attrs.set('device', 'disk');
  const readonly = el.element('readonly') !== undefined || el.attr('device') === 'cdrom';
  if (el.attr('type') === 'vhostuser' && el.attr('snapshot') === undefined) el.attrs.set('snapshot', 'no');
  if (readonly && el.attr('snapshot') === 'no') el.attrs.delete('snapshot');
  orderAttrs(el, DISK_ATTR_ORDER);
  const driver = el.element('driver');
  if (driver) orderAttrs(driver, DRIVER_ATTR_ORDER);
}

/** Attributes of the disk's `<driver>` in virDomainDiskDefFormatDriver's order. */
const DRIVER_ATTR_ORDER = [
  'name',
  'type',
  'cache',
  'error_policy',
  'rerror_policy',
  'io',
  'ioeventfd',
  'event_idx',
  'copy_on_read',
  'discard',
  'iothread',
  'detect_zeroes',
  'queues',
  'queue_size',
];

/** `<metadata_cache><max_size>` is kept in bytes. */
function normalizeMetadataCache(holder: XmlElement | undefined, what: string): void {
  const max = holder?.element('metadata_cache')?.element('max_size');
  if (!max) return;
  const bytes = parseScaledElement(max, what, 1n, ULLONG_MAX);
  max.attrs.clear();
  max.attrs.set('unit', 'bytes');
  max.children.splice(0, max.children.length, { kind: 'text', text: String(bytes) });
}

/** The default bus for a target name (virDomainDiskDefaultBus's prefix rule). */
export function defaultDiskBus(dev: string, device: string): string {
  if (device === 'floppy' || dev.startsWith('fd')) return 'fdc';
  if (dev.startsWith('hd')) return 'ide';
  if (dev.startsWith('sd')) return 'scsi';
  if (dev.startsWith('vd')) return 'virtio';
  if (dev.startsWith('xvd')) return 'xen';
  if (dev.startsWith('ubd')) return 'uml';
  return 'ide';
}

/** virDiskNameToIndex: `sda` → 0, `hdb` → 1, `vdaa` → 26; -1 when the name has no letters. */
export function diskNameToIndex(name: string): number {
  const m = /^(?:fd|hd|vd|sd|xvd|ubd)([a-z]+)(\d*)$/.exec(name);
  if (!m) return -1;
  // The letters are a bijective base-26 number: a = 0 .. z = 25, aa = 26, ...
  let v = 0;
  for (const ch of m[1]) v = v * 26 + (ch.charCodeAt(0) - 96);
  return v - 1;
}

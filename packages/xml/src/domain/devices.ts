/**
 * The `<devices>` list: one DomainDevice per child element, with the address lifted into a typed
 * DeviceAddress and typed views for disks and controllers. Runtime-only data (aliases other than
 * user aliases) is dropped when parsing a persistent definition.
 */
import { randomFillSync } from 'node:crypto';
import { VirError } from '@virtkit/core';
import { XmlElement } from '../tree';
import { DEVICE_INFO_CHILDREN, parseAddress } from './address';
import { isChrValidationError, normalizeDeviceChardev } from './chardev';
import { diskNameToIndex, parseDisk } from './disk';
import { normalizeFilesystem } from './filesystem';
import { mkEl, removeChildren } from './node';
import type { ControllerDef, DomainDevice, DomainParseOptions } from './types';
import { DEVICE_ORDER } from './types';

const CONTROLLER_TYPES = ['ide', 'fdc', 'scsi', 'sata', 'virtio-serial', 'ccid', 'usb', 'pci', 'xenbus', 'isa'];

function parseController(el: XmlElement): ControllerDef {
  const type = el.attr('type') ?? 'ide';
  if (!CONTROLLER_TYPES.includes(type)) throw VirError.xml(`Unknown controller type '${type}'`);
  const idx = el.attr('index');
  let index = -1;
  if (idx !== undefined) {
    if (!/^\d+$/.test(idx)) throw VirError.xml(`Cannot parse controller index ${idx}`);
    index = Number(idx);
  }
  return { type, index, model: el.attr('model') };
}

/** Random bytes drawn a block at a time: one system call per MAC made thousands of them cost seconds. */
const macRandom = { pool: Buffer.alloc(3 * 512), used: 3 * 512 };

function randomMacSuffix(): Buffer {
  if (macRandom.used + 3 > macRandom.pool.length) {
    randomFillSync(macRandom.pool);
    macRandom.used = 0;
  }
  macRandom.used += 3;
  return macRandom.pool.subarray(macRandom.used - 3, macRandom.used);
}

/** Prefixes of the host device names drivers generate (vnetN taps, macvtapN, macvlanN). */
const GENERATED_IFNAME = /^(vnet|macvtap|macvlan)/;

/**
 * The generic parts of virDomainNetDefParseXML that change the element: the MAC address comes
 * first (a missing one is generated, 52:54:00 prefix), a persistent `network` source keeps no
 * `bridge` (that is runtime data of the actual network), and a `direct` source gets its mode.
 */
function normalizeInterface(el: XmlElement, inactive: boolean): void {
  // A generated name in a definition is one a past run chose: the next start chooses again.
  const target = el.element('target');
  const dev = target?.attr('dev');
  if (inactive && target && dev && GENERATED_IFNAME.test(dev) && target.attr('managed') !== 'no') {
    target.attrs.delete('dev');
    if (target.attrs.size === 0) el.children.splice(el.children.indexOf(target), 1);
  }
  const given = el.element('mac');
  if (given) {
    // libvirt formats the MAC first whatever the input order (virt-install writes it after <source>).
    el.children.splice(el.children.indexOf(given), 1);
    el.children.unshift(given);
  } else {
    const b = randomMacSuffix();
    const mac = `52:54:00:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
    el.children.unshift(mkEl('mac', [['address', mac]]));
  }
  // The bridge and port of a running `network` NIC are live state (libvirt's actual network): kept when the
  // driver reads back a live definition, never in a persistent one.
  const src = el.element('source');
  if (inactive && (el.attr('type') ?? 'user') === 'network' && src) {
    src.attrs.delete('bridge');
    src.attrs.delete('portid');
  }
  // A macvtap's mode defaults to the first of libvirt's enum, and is always formatted.
  if (el.attr('type') === 'direct' && src && !src.attrs.has('mode')) src.attrs.set('mode', 'vepa');
  // virDomainNetDefFormat writes the device-info block (boot, alias, rom, acpi, address) last.
  for (const name of DEVICE_INFO_CHILDREN) {
    for (const child of el.elements(name)) {
      el.children.splice(el.children.indexOf(child), 1);
      el.children.push(child);
    }
  }
}

/** virDomainWatchdogDefParseXML: the action defaults to `reset`; both are written, model first. */
function normalizeWatchdog(el: XmlElement): void {
  const rest = [...el.attrs].filter(([k]) => k !== 'model' && k !== 'action');
  const model = el.attr('model');
  const action = el.attr('action') ?? 'reset';
  el.attrs.clear();
  if (model !== undefined) el.attrs.set('model', model);
  el.attrs.set('action', action);
  for (const [k, v] of rest) el.attrs.set(k, v);
}

/**
 * virDomainGraphicsDefParseXMLSpice's ports: port and tlsPort both -1 is the legacy spelling of
 * autoport, and a persistent definition with autoport keeps no ports (they are chosen at start).
 */
function normalizeSpicePorts(el: XmlElement, inactive: boolean): void {
  if (el.attr('type') !== 'spice') return;
  if (el.attr('port') === '-1' && el.attr('tlsPort') === '-1') el.attrs.set('autoport', 'yes');
  if (el.attr('autoport') === 'yes' && inactive) {
    el.attrs.delete('port');
    el.attrs.delete('tlsPort');
  }
}

/** The first port each ICH9 UHCI companion takes on its EHCI master. */
const UHCI_START_PORT: Record<string, number> = { 'ich9-uhci1': 0, 'ich9-uhci2': 2, 'ich9-uhci3': 4 };

/** virDomainControllerDefParseXML: a UHCI companion without `<master>` gets its usual start port. */
function defaultUhciMaster(el: XmlElement, c: ControllerDef): void {
  const port = c.type === 'usb' ? UHCI_START_PORT[c.model ?? ''] : undefined;
  if (port === undefined || el.element('master')) return;
  const info = el.children.findIndex((n) => n instanceof XmlElement && ['alias', 'rom', 'acpi', 'address'].includes(n.name));
  el.children.splice(info < 0 ? el.children.length : info, 0, mkEl('master', [['startport', port]]));
}

/**
 * virDomainHostdevDefFormat writes a subsystem device's mode, type and managed first, managed
 * always ('yes' only when the input said so, as virDomainHostdevDefParseXML reads it).
 */
function normalizeHostdev(el: XmlElement): void {
  const mode = el.attr('mode') ?? 'subsystem';
  if (mode !== 'subsystem') return;
  const rest = [...el.attrs].filter(([k]) => !['mode', 'type', 'managed'].includes(k));
  const type = el.attr('type');
  const managed = el.attr('managed') === 'yes' ? 'yes' : 'no';
  el.attrs.clear();
  el.attrs.set('mode', mode);
  if (type !== undefined) el.attrs.set('type', type);
  el.attrs.set('managed', managed);
  for (const [k, v] of rest) el.attrs.set(k, v);
}

/** One device element into a DomainDevice (the element is adopted, not copied). */
export function parseDevice(el: XmlElement, opts: DomainParseOptions): DomainDevice {
  const dev: DomainDevice = { kind: el.name, el };
  const addrEl = el.element('address');
  if (addrEl) {
    dev.address = parseAddress(addrEl);
    // Keep an empty marker where the address was; the formatter writes the typed one there.
    el.children[el.children.indexOf(addrEl)] = new XmlElement('address');
  }
  if (opts.inactive) {
    const alias = el.element('alias');
    if (alias && !(alias.attr('name') ?? '').startsWith('ua-')) removeChildren(el, 'alias');
  }
  try {
    normalizeDeviceChardev(el.name, el);
  } catch (e) {
    // Missing chardev source attributes are a validation failure in libvirt: reported after
    // post-parse, so driver post-parse errors come first.
    if (!isChrValidationError(e)) throw e;
    dev.invalid = e;
  }
  if (el.name === 'filesystem') {
    normalizeFilesystem(el);
    for (const m of ['fmode', 'dmode']) {
      const v = el.attr(m);
      if (v !== undefined && /^[0-7]+$/.test(v)) el.attrs.set(m, v.padStart(4, '0'));
    }
  }
  if (el.name === 'interface') normalizeInterface(el, opts.inactive === true);
  if (el.name === 'watchdog') normalizeWatchdog(el);
  if (el.name === 'hostdev') normalizeHostdev(el);
  if (el.name === 'graphics') normalizeSpicePorts(el, opts.inactive === true);
  if (el.name === 'disk') dev.disk = parseDisk(el, opts.inactive);
  else if (el.name === 'controller') {
    dev.controller = parseController(el);
    defaultUhciMaster(el, dev.controller);
  }
  return dev;
}

/** Parse the children of `<devices>`. */
export function parseDevices(devicesEl: XmlElement, opts: DomainParseOptions): { emulator?: string; devices: DomainDevice[] } {
  let emulator: string | undefined;
  const devices: DomainDevice[] = [];
  for (const el of devicesEl.elements()) {
    if (el.name === 'emulator') {
      emulator = el.text();
      continue;
    }
    if (!(DEVICE_ORDER as readonly string[]).includes(el.name)) continue;
    devices.push(parseDevice(el, opts));
  }
  orderDisks(devices);
  return { emulator, devices };
}

/**
 * virDomainDiskInsert's order, applied to the disk slots of the list: each disk goes after the
 * last disk on the same bus (as written: an unset bus is a bus of its own), or before the first
 * disk of that bus whose target index is higher.
 */
function orderDisks(devices: DomainDevice[]): void {
  const slots: number[] = [];
  const ordered: DomainDevice[] = [];
  devices.forEach((d, i) => {
    if (d.kind !== 'disk' || !d.disk) return;
    slots.push(i);
    const bus = d.disk.targetBus;
    const index = diskNameToIndex(d.disk.targetDev);
    let at = -1;
    for (let j = ordered.length - 1; j >= 0; j--) {
      const o = ordered[j].disk!;
      if (o.targetBus !== bus) continue;
      if (diskNameToIndex(o.targetDev) > index) at = j;
      else if (at === -1) at = j + 1;
    }
    ordered.splice(at === -1 ? ordered.length : at, 0, d);
  });
  slots.forEach((slot, k) => (devices[slot] = ordered[k]));
}

/** The devices of one kind, in document order. */
export function devicesOf(devices: readonly DomainDevice[], kind: string): DomainDevice[] {
  return devices.filter((d) => d.kind === kind);
}

/**
 * Device addresses (`<address type=...>`): parsing into DeviceAddress and writing back in
 * libvirt's format (virDomainDeviceInfoFormat / virPCIDeviceAddressFormat): PCI numbers in hex
 * with fixed widths, the other kinds in decimal.
 */
import { VirError } from '@virtkit/core';
import { XmlElement } from '../tree';
import { mkEl } from './node';
import type { DeviceAddress } from './types';

function num(el: XmlElement, name: string, max = 0xffffffff): number | undefined {
  const v = el.attr(name);
  if (v === undefined) return undefined;
  const m = /^\s*(0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)\s*$/.exec(v);
  if (!m) throw VirError.xml(`Cannot parse <address> '${name}' attribute`);
  const n = m[1].startsWith('0x') ? parseInt(m[1], 16) : m[1].length > 1 && m[1].startsWith('0') ? parseInt(m[1], 8) : Number(m[1]);
  if (n > max) throw VirError.xml(`Cannot parse <address> '${name}' attribute`);
  return n;
}

/** Parse an `<address>` element. */
export function parseAddress(el: XmlElement): DeviceAddress {
  const type = el.attr('type');
  if (type === undefined) throw VirError.xml('No type specified for device address');
  switch (type) {
    case 'pci': {
      const mf = el.attr('multifunction');
      if (mf !== undefined && mf !== 'on' && mf !== 'off')
        throw VirError.xml(`Unknown value '${mf}' for <address> 'multifunction' attribute`);
      const fn = num(el, 'function') ?? 0;
      const slot = num(el, 'slot') ?? 0;
      if (fn > 7) throw VirError.xml(`Invalid PCI address function=0x${fn.toString(16)}, must be <= 7`);
      if (slot > 31) throw VirError.xml(`Invalid PCI address slot=0x${slot.toString(16)}, must be <= 31`);
      return {
        type: 'pci',
        domain: num(el, 'domain') ?? 0,
        bus: num(el, 'bus') ?? 0,
        slot,
        function: fn,
        multifunction: mf as 'on' | 'off' | undefined,
        extra: el.elements().length ? el.elements() : undefined,
      };
    }
    case 'drive':
      return {
        type: 'drive',
        controller: num(el, 'controller') ?? 0,
        bus: num(el, 'bus') ?? 0,
        target: num(el, 'target') ?? 0,
        unit: num(el, 'unit') ?? 0,
      };
    case 'virtio-serial':
      return { type: 'virtio-serial', controller: num(el, 'controller') ?? 0, bus: num(el, 'bus') ?? 0, port: num(el, 'port') };
    case 'ccid':
      return { type: 'ccid', controller: num(el, 'controller') ?? 0, slot: num(el, 'slot') ?? 0 };
    case 'usb':
      return { type: 'usb', bus: num(el, 'bus') ?? 0, port: el.attr('port') };
    default: {
      const attrs = new Map(el.attrs);
      attrs.delete('type');
      return { type: 'other', typeName: type, attrs, children: el.elements() };
    }
  }
}

const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

/** The `<address>` element for an address. */
export function addressElement(a: DeviceAddress): XmlElement {
  switch (a.type) {
    case 'pci':
      return mkEl(
        'address',
        [
          ['type', 'pci'],
          ['domain', hex(a.domain, 4)],
          ['bus', hex(a.bus, 2)],
          ['slot', hex(a.slot, 2)],
          ['function', hex(a.function, 1)],
          ['multifunction', a.multifunction],
        ],
        a.extra ?? [],
      );
    case 'drive':
      return mkEl('address', [
        ['type', 'drive'],
        ['controller', a.controller],
        ['bus', a.bus],
        ['target', a.target],
        ['unit', a.unit],
      ]);
    case 'virtio-serial':
      return mkEl('address', [
        ['type', 'virtio-serial'],
        ['controller', a.controller],
        ['bus', a.bus],
        ['port', a.port ?? 0],
      ]);
    case 'ccid':
      return mkEl('address', [
        ['type', 'ccid'],
        ['controller', a.controller],
        ['slot', a.slot],
      ]);
    case 'usb':
      return mkEl('address', [
        ['type', 'usb'],
        ['bus', a.bus],
        ['port', a.port],
      ]);
    default:
      return mkEl('address', [['type', a.typeName], ...a.attrs], a.children);
  }
}

/** Children that make up libvirt's device-info block; a new address goes after the last of them. */
export const DEVICE_INFO_CHILDREN = ['boot', 'alias', 'master', 'rom', 'acpi', 'address'];

/** Write a device's alias (a running domain's) into its element, in the device-info block's slot. */
export function setDeviceAlias(el: XmlElement, alias: string): void {
  const after = DEVICE_INFO_CHILDREN.slice(DEVICE_INFO_CHILDREN.indexOf('alias') + 1);
  const at = el.children.findIndex((c) => c.kind === 'element' && after.includes(c.name));
  const aliasEl = mkEl('alias', [['name', alias]]);
  if (at >= 0) el.children.splice(at, 0, aliasEl);
  else el.children.push(aliasEl);
}

/** Give a device element an address marker where libvirt's formatter would write it. */
export function ensureAddressSlot(el: XmlElement, before: readonly string[] = []): void {
  if (el.element('address')) return;
  const marker = new XmlElement('address');
  const kids = el.children;
  let idx = -1;
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (c.kind === 'element' && DEVICE_INFO_CHILDREN.includes(c.name)) idx = i;
  }
  if (idx >= 0) {
    kids.splice(idx + 1, 0, marker);
    return;
  }
  const b = kids.findIndex((c) => c.kind === 'element' && before.includes(c.name));
  if (b >= 0) kids.splice(b, 0, marker);
  else kids.push(marker);
}

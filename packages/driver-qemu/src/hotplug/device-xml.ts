/**
 * A device given as XML, placed into a copy of a domain definition. The copy goes through the
 * QEMU post-parse, so the device gets what it would have got in the definition from the start
 * (bus, address, controller defaults), and the other devices keep theirs.
 */
import { diskNameToIndex, formatDomainXml, parseXml, type DomainDef, type DomainDevice } from '@virtkit/xml';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { QemuCaps } from '../caps/types';
import { parseForQemu, parseStored } from '../domains/parse';

/** The device kinds this driver adds and removes, live and in the persistent definition. */
export const PLUGGABLE = ['disk', 'controller', 'serial', 'parallel', 'console', 'channel', 'watchdog', 'rng', 'vsock'];

/** The device kinds this driver updates in place (a NIC is handled by the network code). */
const UPDATABLE = ['disk'];

/** The root element name of a device XML (a VIR_ERR_XML_ERROR when it is not XML). */
export function deviceKind(xml: string): string {
  return parseXml(xml).name;
}

function withoutDeclaration(xml: string): string {
  return xml.replace(/^\s*<\?xml[^>]*\?>/, '');
}

/**
 * Refuse device kinds not handled here, with libvirt's wording and codes
 * (qemuDomainAttachDeviceLive, qemuDomainUpdateDeviceLive and their siblings).
 */
export function checkSupported(kind: string, what: 'attach' | 'detach' | 'update', live: boolean): void {
  if ((what === 'update' ? UPDATABLE : PLUGGABLE).includes(kind)) return;
  const code = what === 'update' && live ? ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED : ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED;
  throw VirError.create(code, ErrorDomain.VIR_FROM_QEMU, `${live ? 'live' : 'persistent'} ${what} of device '${kind}' is not supported`);
}

/**
 * `def` with the device of `xml` added last among its kind, re-parsed: the new definition and
 * the device in it. `live`: `def` is a running domain's (aliases and id kept).
 */
export function defWithDevice(def: DomainDef, xml: string, caps: QemuCaps, live: boolean): { def: DomainDef; dev: DomainDevice } {
  const kind = deviceKind(xml);
  const text = formatDomainXml(def, { inactive: !live, secure: true });
  const at = text.lastIndexOf('</devices>');
  const merged =
    at < 0
      ? text.replace('</domain>', `<devices>${withoutDeclaration(xml)}</devices></domain>`)
      : text.slice(0, at) + withoutDeclaration(xml) + text.slice(at);
  const out = live ? parseStored(merged, true) : parseForQemu(merged, caps);
  const ofKind = out.devices.filter((d) => d.kind === kind);
  const dev = ofKind[ofKind.length - 1]!;
  if (kind === 'disk') moveDiskInPlace(out, dev);
  return { def: out, dev };
}

/** The device of `xml` parsed on its own terms (for matching a device to detach or update). */
export function parseDevice(def: DomainDef, xml: string, caps: QemuCaps): DomainDevice {
  return defWithDevice(def, xml, caps, false).dev;
}

/**
 * virDomainDiskInsert: disks stay ordered by bus, and by target within a bus: before the first
 * disk on the same bus whose target sorts after, else after the last one on that bus, else last.
 */
function moveDiskInPlace(def: DomainDef, dev: DomainDevice): void {
  def.devices.splice(def.devices.indexOf(dev), 1);
  const disks = def.devices.filter((d) => d.kind === 'disk');
  const bus = dev.disk!.targetBus;
  const idx = diskNameToIndex(dev.disk!.targetDev);
  let before: DomainDevice | undefined;
  let after: DomainDevice | undefined;
  for (let i = disks.length - 1; i >= 0; i--) {
    const d = disks[i]!;
    if (d.disk!.targetBus !== bus) continue;
    if (diskNameToIndex(d.disk!.targetDev) > idx) before = d;
    else if (!before) after ??= d;
  }
  const lastDisk = disks[disks.length - 1];
  if (before) def.devices.splice(def.devices.indexOf(before), 0, dev);
  else if (after ?? lastDisk) def.devices.splice(def.devices.indexOf((after ?? lastDisk)!) + 1, 0, dev);
  else def.devices.unshift(dev);
}

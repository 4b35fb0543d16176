/**
 * The generic post-parse every domain gets, whatever the driver (virDomainDefPostParseCommon and
 * the parse-time defaults): memory, OS arch and boot order, clock and lifecycle defaults,
 * controller indexes, drive addresses for disks, implicit controllers, smartcard slots.
 */
import { ErrorDomain, VirError } from '@virtkit/core';
import { XmlElement } from '../tree';
import { normalizeCputune } from './cputune';
import { defaultDiskBus, diskNameToIndex } from './disk';
import { normalizeGraphics, normalizeVideos } from './graphics';
import { insertChildOrdered, mkEl, orderAttrs } from './node';
import { addConsoleCompat, numberChrTargets } from './serial-console';
import type { ControllerDef, DomainDef, DomainDevice } from './types';

export const OS_CHILD_ORDER = [
  'type',
  'firmware',
  'loader',
  'nvram',
  'kernel',
  'initrd',
  'cmdline',
  'shim',
  'dtb',
  'root',
  'init',
  'initarg',
  'initenv',
  'initdir',
  'inituser',
  'initgroup',
  'acpi',
  'boot',
  'bootmenu',
  'smbios',
  'bios',
];

/** Where a new controller goes: by type, then index, a USB companion after its master. */
export function insertController(def: DomainDef, dev: DomainDevice): void {
  const c = dev.controller as ControllerDef;
  const hasMaster = (d: DomainDevice) => d.el.element('master') !== undefined;
  let lastSame = -1;
  for (let i = 0; i < def.devices.length; i++) {
    const cur = def.devices[i];
    if (cur.kind !== 'controller' || cur.controller?.type !== c.type) continue;
    const ci = cur.controller.index;
    if (c.index >= 0 && (ci > c.index || (ci === c.index && !hasMaster(dev) && hasMaster(cur)))) {
      def.devices.splice(i, 0, dev);
      return;
    }
    lastSame = i;
  }
  if (lastSame >= 0) def.devices.splice(lastSame + 1, 0, dev);
  else def.devices.push(dev);
}

/**
 * Add a controller the way libvirt adds implicit ones (virDomainDefAddController): after every
 * controller already there, whatever its type. Only controllers read from the XML are sorted
 * into place by insertController.
 */
export function appendController(def: DomainDef, dev: DomainDevice): void {
  def.devices.push(dev);
}

/** A new controller device. */
export function newController(type: string, index: number, model?: string): DomainDevice {
  const el = mkEl('controller', [
    ['type', type],
    ['index', index],
    ['model', model],
  ]);
  return { kind: 'controller', el, controller: { type, index, model } };
}

export function findController(def: DomainDef, type: string, index: number): DomainDevice | undefined {
  return def.devices.find((d) => d.kind === 'controller' && d.controller?.type === type && d.controller.index === index);
}

/** Add a controller of this type and index when there is none. */
export function ensureController(def: DomainDef, type: string, index: number, model?: string): DomainDevice {
  const found = findController(def, type, index);
  if (found) return found;
  const dev = newController(type, index, model);
  appendController(def, dev);
  return dev;
}

const USB2_MODELS = ['ich9-ehci1', 'ich9-uhci1', 'ich9-uhci2', 'ich9-uhci3'];

/** An ICH9 EHCI controller or one of its UHCI companions (libvirt's IS_USB2_CONTROLLER). */
function isUsb2(c: ControllerDef): boolean {
  return c.type === 'usb' && USB2_MODELS.includes(c.model ?? '');
}

/** The lowest index no controller of `type` has (virDomainControllerFindUnusedIndex). */
function unusedIndex(ctrls: DomainDevice[], type: string): number {
  let idx = 0;
  while (ctrls.some((o) => o.controller?.type === type && o.controller.index === idx)) idx++;
  return idx;
}

/**
 * The index a controller given without one gets (virDomainAssignControllerIndexes): the lowest
 * unused one, except that a USB2 controller right after another USB2 controller joins its group
 * (same index) unless that group already has a controller of its model — so virt-install's
 * index-less EHCI and its three UHCI companions all land on index 0.
 */
function defaultIndex(ctrls: DomainDevice[], at: number): number {
  const c = ctrls[at]!.controller as ControllerDef;
  if (at > 0 && isUsb2(c)) {
    const prev = ctrls
      .slice(0, at)
      .reverse()
      .find((o) => o.controller?.type === 'usb')?.controller;
    const taken = (p: ControllerDef) =>
      ctrls.some((o) => o.controller?.type === 'usb' && o.controller.index === p.index && o.controller.model === c.model);
    if (prev && isUsb2(prev) && !taken(prev)) return prev.index;
  }
  return unusedIndex(ctrls, c.type);
}

function setControllerIndexes(def: DomainDef): void {
  // Controllers are kept grouped by type and sorted by index, as libvirt inserts them; indexes
  // left out are assigned afterwards, over that order, and do not move a controller.
  const ctrls = def.devices.filter((d) => d.kind === 'controller');
  def.devices = def.devices.filter((d) => d.kind !== 'controller');
  for (const d of ctrls) insertController(def, d);
  const placed = def.devices.filter((d) => d.kind === 'controller');
  placed.forEach((d, at) => {
    const c = d.controller as ControllerDef;
    if (c.index >= 0) return;
    c.index = defaultIndex(placed, at);
    const entries = [...d.el.attrs];
    d.el.attrs.clear();
    d.el.attrs.set('type', c.type);
    d.el.attrs.set('index', String(c.index));
    for (const [k, v] of entries) if (k !== 'type' && k !== 'index') d.el.attrs.set(k, v);
  });
}

/** virDomainDiskDefPostParse: a disk without `<target bus>` gets the bus its target name implies. */
function setDefaultDiskBus(dev: DomainDevice): void {
  const disk = dev.disk;
  if (!disk || disk.targetBus !== undefined) return;
  const target = dev.el.element('target');
  if (!target) return;
  disk.targetBus = disk.device === 'floppy' ? 'fdc' : defaultDiskBus(disk.targetDev, disk.device);
  target.attrs.set('bus', disk.targetBus);
  orderAttrs(target, ['dev', 'bus', 'tray', 'removable', 'rotation_rate']);
}

/** virDomainDiskDefAssignAddress: the drive address implied by the target name. */
function assignDriveAddress(dev: DomainDevice): void {
  const disk = dev.disk;
  if (!disk || dev.address) return;
  const bus = disk.targetBus ?? defaultDiskBus(disk.targetDev, disk.device);
  const idx = diskNameToIndex(disk.targetDev);
  if (idx < 0) return;
  switch (bus) {
    case 'ide':
      dev.address = { type: 'drive', controller: Math.floor(idx / 4), bus: Math.floor((idx % 4) / 2), target: 0, unit: idx % 2 };
      break;
    case 'scsi':
      dev.address = { type: 'drive', controller: Math.floor(idx / 7), bus: 0, target: 0, unit: idx % 7 };
      break;
    case 'sata':
      dev.address = { type: 'drive', controller: Math.floor(idx / 6), bus: 0, target: 0, unit: idx % 6 };
      break;
    case 'fdc':
      dev.address = { type: 'drive', controller: 0, bus: 0, target: 0, unit: idx };
      break;
    default:
      break;
  }
}

function addImplicitControllers(def: DomainDef): void {
  // virDomainDefAddImplicitControllers: one pass per bus, in libvirt's order (SCSI, FDC, IDE, SATA).
  for (const type of ['scsi', 'fdc', 'ide', 'sata']) {
    let max = -1;
    for (const dev of def.devices) {
      if (dev.kind !== 'disk' || dev.address?.type !== 'drive' || !dev.disk) continue;
      const bus = dev.disk.targetBus ?? defaultDiskBus(dev.disk.targetDev, dev.disk.device);
      if (bus === type) max = Math.max(max, dev.address.controller);
    }
    for (let i = 0; i <= max; i++) ensureController(def, type, i);
  }
  // Virtio channels and consoles need a virtio-serial controller.
  for (const dev of def.devices) {
    if (dev.kind !== 'channel' && dev.kind !== 'console') continue;
    if (dev.el.element('target')?.attr('type') !== 'virtio') continue;
    const idx = dev.address?.type === 'virtio-serial' ? dev.address.controller : 0;
    ensureController(def, 'virtio-serial', idx);
  }
  // Smartcards in passthrough/host modes sit on a CCID controller.
  let slot = 0;
  for (const dev of def.devices) {
    if (dev.kind !== 'smartcard') continue;
    if (!dev.address) dev.address = { type: 'ccid', controller: 0, slot: slot };
    if (dev.address.type === 'ccid') {
      ensureController(def, 'ccid', dev.address.controller);
      slot = dev.address.slot + 1;
    }
  }
}

/**
 * The domain's iothread ids in libvirt's order (virDomainIOThreadIDDefArrayInit): those of
 * `<iothreadids>`, then the lowest unused ids up to the `<iothreads>` count.
 */
function iothreadIds(def: DomainDef): number[] {
  const ids = (def.preserved.get('iothreadids')?.[0]?.elements('iothread') ?? []).map((t) => Number(t.attr('id')));
  const count = Number(def.preserved.get('iothreads')?.[0]?.text().trim() ?? 0);
  for (let next = 1; ids.length < count; next++) if (!ids.includes(next)) ids.push(next);
  return ids;
}

/** Parse-time defaults: controller indexes, drive addresses, device normalisation. */
export function domainDefParseDefaults(def: DomainDef, hostArch = 'x86_64'): void {
  if (!def.os.arch) def.os.arch = hostArch;
  const threads = { maxVcpus: def.vcpu, iothreadIds: iothreadIds(def) };
  for (const cputune of def.preserved.get('cputune') ?? []) normalizeCputune(cputune, threads);
  setControllerIndexes(def);
  numberChrTargets(def);
  for (const dev of def.devices) setDefaultDiskBus(dev);
  for (const dev of def.devices) assignDriveAddress(dev);
  for (const dev of def.devices) if (dev.kind === 'graphics') normalizeGraphics(dev.el);
  normalizeVideos(
    def.devices.filter((d) => d.kind === 'video').map((d) => d.el),
    def.virtType,
  );
}

/** Generic post-parse (virDomainDefPostParseCommon): runs after the driver's post-parse. */
export function domainDefPostParseCommon(def: DomainDef): void {
  // A container's init path (virXPathString gives no string for an empty <init/>).
  if (def.os.type === 'exe' && !def.os.el.element('init')?.text())
    throw VirError.xml('init binary must be specified', ErrorDomain.VIR_FROM_DOMAIN);
  if (def.currentMemory === 0n || def.currentMemory > def.memory) def.currentMemory = def.memory;
  const osEl = def.os.el;
  const anyBootOrder = def.devices.some((d) => d.el.element('boot'));
  if (def.os.type === 'hvm' && !osEl.element('boot') && !anyBootOrder) {
    if (!osEl.element('type')) osEl.children.unshift(mkEl('type'));
    insertChildOrdered(osEl, mkEl('boot', [['dev', 'hd']]), OS_CHILD_ORDER);
  }
  if (!def.preserved.has('clock')) def.preserved.set('clock', [mkEl('clock', [['offset', 'utc']])]);
  def.onPoweroff ??= 'destroy';
  def.onReboot ??= 'restart';
  def.onCrash ??= 'destroy';
  addConsoleCompat(def);
  addImplicitControllers(def);
  checkDriverFeatures(def);
}

/**
 * virDomainDefPostParseCheckFeatures: what the drivers virtkit has (test, qemu, lxc, xen) do not
 * support. None of them sets VIR_DOMAIN_DEF_FEATURE_NAME_SLASH, so a '/' in a name is refused.
 */
function checkDriverFeatures(def: DomainDef): void {
  if (def.name.includes('/')) throw VirError.xml(`name ${def.name} cannot contain '/'`, ErrorDomain.VIR_FROM_DOMAIN);
}

export type { XmlElement };

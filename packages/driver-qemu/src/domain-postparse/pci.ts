import { appendController, mkEl, type DeviceAddress, type DomainDef, type DomainDevice } from '@virtkit/xml';
import { isI440FX, isQ35 } from './machine';
import { fillPciControllerDefaults, markMultifunctionSlots } from './pci-controller-defaults';

type Pci = Extract<DeviceAddress, { type: 'pci' }>;

/** Which device kinds get a PCI address, and whether a given device does. */
function needsPci(d: DomainDevice): boolean {
  if (d.address) return false;
  const el = d.el;
  const model = el.attr('model') ?? '';
  switch (d.kind) {
    case 'filesystem':
      return true;
    case 'interface':
      return el.attr('type') !== 'hostdev';
    case 'sound':
      return !['pcspk', 'usb', 'ich7'].includes(model);
    case 'controller': {
      const c = d.controller;
      if (!c) return false;
      if (c.type === 'usb') return c.model !== 'none' && (!el.element('master') || isUsb2(d));
      return ['scsi', 'virtio-serial', 'sata'].includes(c.type);
    }
    case 'disk':
      return d.disk?.targetBus === 'virtio' || (!d.disk?.targetBus && d.disk?.targetDev.startsWith('vd') === true);
    case 'hostdev':
      return (
        el.attr('mode') !== 'capabilities' &&
        (el.attr('type') === 'pci' ||
          (el.attr('type') === 'mdev' && el.attr('model') === 'vfio-pci') ||
          (el.attr('type') === 'scsi_host' && el.element('source')?.attr('protocol') === 'vhost'))
      );
    case 'memballoon':
      return model.startsWith('virtio');
    case 'rng':
      return model.startsWith('virtio');
    case 'watchdog':
      return model === 'i6300esb';
    case 'video':
      // ramfb is a sysbus device (qemuDomainDeviceCalculatePCIConnectFlags gives it no PCI flags).
      return !['none', 'ramfb'].includes(el.element('model')?.attr('type') ?? '');
    case 'shmem':
      return true;
    case 'input':
      return el.attr('bus') === 'virtio';
    case 'serial':
      return el.element('target')?.attr('type') === 'pci-serial';
    case 'vsock':
      return true;
    case 'iommu':
      return model === 'virtio';
    case 'memory':
      return model === 'virtio-pmem' || model === 'virtio-mem';
    case 'crypto':
      return true;
    default:
      return false;
  }
}

/** The function an ICH9 EHCI controller and each UHCI companion takes in their shared slot. */
const USB2_FUNCTION: Record<string, number> = { 'ich9-ehci1': 7, 'ich9-uhci1': 0, 'ich9-uhci2': 1, 'ich9-uhci3': 2 };

function isUsb2(d: DomainDevice): boolean {
  return d.controller?.type === 'usb' && USB2_FUNCTION[d.controller.model ?? ''] !== undefined;
}

/**
 * The address of a USB2 controller (qemuDomainAssignDevicePCISlots): an EHCI controller and its
 * UHCI companions (same index) share one slot, each on its own function, the first UHCI carrying
 * multifunction; the first of a group to be placed takes a free slot from `takeSlot`.
 */
function usb2Address(def: DomainDevice[], d: DomainDevice, takeSlot: () => Pci): Pci {
  const fn = USB2_FUNCTION[d.controller!.model!]!;
  const multi = fn === 0 ? 'on' : undefined;
  const placed = def.find((o) => o !== d && isUsb2(o) && o.controller!.index === d.controller!.index && o.address?.type === 'pci');
  const at = placed?.address as Pci | undefined;
  if (at) return pci(at.bus, at.slot, fn, multi);
  const slot = takeSlot();
  return pci(slot.bus, slot.slot, fn, multi);
}

/** libvirt's assignment order, by device kind (controllers: the non-PCI ones). */
const ASSIGN_ORDER = [
  'filesystem',
  'interface',
  'sound',
  'controller',
  'disk',
  'hostdev',
  'memballoon',
  'rng',
  'watchdog',
  'video',
  'shmem',
  'input',
  'serial',
  'vsock',
  'crypto',
  'iommu',
  'memory',
];

class SlotMap {
  private used = new Set<string>();
  key(bus: number, slot: number, fn: number): string {
    return `${bus}:${slot}:${fn}`;
  }
  mark(a: Pci): void {
    this.used.add(this.key(a.bus, a.slot, a.function));
  }
  /** The lowest function of a slot not in use. */
  freeFunction(bus: number, slot: number): number | undefined {
    for (let f = 0; f < 8; f++) if (!this.used.has(this.key(bus, slot, f))) return f;
    return undefined;
  }
  slotFree(bus: number, slot: number): boolean {
    for (let f = 0; f < 8; f++) if (this.used.has(this.key(bus, slot, f))) return false;
    return true;
  }
}

function pci(bus: number, slot: number, fn = 0, multifunction?: 'on'): Pci {
  return { type: 'pci', domain: 0, bus, slot, function: fn, multifunction };
}

function assignI440fx(def: DomainDef): void {
  const map = new SlotMap();
  for (const d of def.devices) if (d.address?.type === 'pci') map.mark(d.address);
  // Slot 0 is the host bridge, slot 1 the PIIX3 (ISA bridge, IDE, USB, ACPI).
  for (let f = 0; f < 8; f++) map.mark(pci(0, 0, f));
  for (let f = 0; f < 8; f++) map.mark(pci(0, 1, f));
  for (const d of def.devices) {
    if (d.controller?.type === 'ide' && d.controller.index === 0 && !d.address) d.address = pci(0, 1, 1);
    if (d.controller?.type === 'usb' && d.controller.index === 0 && d.controller.model === 'piix3-uhci' && !d.address)
      d.address = pci(0, 1, 2);
  }
  const video = def.devices.find((d) => d.kind === 'video');
  if (video && !video.address && needsPci(video) && map.slotFree(0, 2)) {
    video.address = pci(0, 2);
    map.mark(video.address);
  }
  let next = 2;
  const take = (): Pci => {
    while (!map.slotFree(0, next)) next++;
    const a = pci(0, next);
    map.mark(a);
    return a;
  };
  // PCI bridges are placed before any endpoint, in index order (qemuDomainAssignDevicePCISlots).
  const bridges = def.devices.filter((d) => d.controller?.type === 'pci' && d.controller.model === 'pci-bridge' && !d.address);
  for (const d of bridges.sort((x, y) => x.controller!.index - y.controller!.index)) d.address = take();
  for (const kind of ASSIGN_ORDER) {
    for (const d of def.devices) if (d.kind === kind && needsPci(d)) d.address = isUsb2(d) ? usb2Address(def.devices, d, take) : take();
  }
}

/** NIC models libvirt knows by name; a model it does not know is taken as PCI Express. */
const KNOWN_NIC_MODELS = new Set([
  'netfront',
  'rtl8139',
  'virtio',
  'e1000',
  'e1000e',
  'virtio-transitional',
  'virtio-non-transitional',
  'usb-net',
  'spapr-vlan',
  'lan9118',
  'smc91c111',
  'vlance',
  'vmxnet',
  'vmxnet2',
  'vmxnet3',
  'Am79C970A',
  'Am79C973',
  '82540EM',
  '82545EM',
  '82543GC',
]);

/**
 * Whether a device plugs into a PCI Express port on q35 (qemuDomainDeviceCalculatePCIConnectFlags);
 * the others are conventional PCI and go on a pcie-to-pci-bridge. Virtio devices are PCIe unless
 * transitional.
 */
function isPcie(d: DomainDevice): boolean {
  const model = d.el.attr('model') ?? d.el.element('model')?.attr('type') ?? '';
  if (model.endsWith('-transitional') && !model.endsWith('non-transitional')) return false;
  switch (d.kind) {
    case 'controller': {
      const c = d.controller!;
      if (c.type === 'usb') return c.model === 'qemu-xhci' || c.model === 'nec-xhci';
      if (c.type === 'scsi') return c.model === 'virtio-scsi' || c.model === 'virtio-non-transitional';
      return c.type === 'virtio-serial';
    }
    case 'interface':
      return ['virtio', 'virtio-non-transitional', 'e1000e'].includes(model) || !KNOWN_NIC_MODELS.has(model);
    case 'video':
      return model === 'virtio' || model === 'bochs';
    case 'sound':
    case 'watchdog':
    case 'shmem':
    case 'serial':
      return false;
    default:
      return true;
  }
}

function assignQ35(def: DomainDef): void {
  const map = new SlotMap();
  for (const d of def.devices) if (d.address?.type === 'pci') map.mark(d.address);
  for (let f = 0; f < 8; f++) map.mark(pci(0, 0, f));
  map.mark(pci(0, 0x1f, 0));
  map.mark(pci(0, 0x1f, 2));
  map.mark(pci(0, 0x1f, 3));
  const video = def.devices.find((d) => d.kind === 'video');
  if (video && !video.address && needsPci(video) && map.slotFree(0, 1)) {
    video.address = pci(0, 1);
    map.mark(video.address);
  }
  // Real Q35 hardware has its ICH9 HD audio at 00:1B.0: the first ICH9 sound goes there if free.
  const ich9Sound = def.devices.find((d) => d.kind === 'sound' && d.el.attr('model') === 'ich9' && needsPci(d));
  if (ich9Sound && map.slotFree(0, 0x1b)) {
    ich9Sound.address = pci(0, 0x1b);
    map.mark(ich9Sound.address);
  }
  // qemuDomainValidateDevicePCISlotsQ35: a USB2 group's UHCI1 goes where real Q35 has it, 00:1D.0
  // and then 00:1A.0, when free; its companions join it.
  for (const d of def.devices) {
    if (d.controller?.type !== 'usb' || d.controller.model !== 'ich9-uhci1' || d.address) continue;
    const slot = [0x1d, 0x1a].find((s) => map.slotFree(0, s));
    if (slot === undefined) continue;
    d.address = pci(0, slot, 0, 'on');
    map.mark(d.address);
  }
  // The DMI-to-PCI bridge's place on real hardware is 00:1E.0.
  const dmi = def.devices.find((d) => d.controller?.type === 'pci' && d.controller.model === 'dmi-to-pci-bridge' && !d.address);
  if (dmi && map.slotFree(0, 0x1e)) {
    dmi.address = pci(0, 0x1e);
    map.mark(dmi.address);
  }
  // Integrated devices sit directly on pcie-root.
  for (const d of def.devices) {
    if (d.kind === 'iommu' && needsPci(d)) {
      let slot = 1;
      while (!map.slotFree(0, slot)) slot++;
      d.address = pci(0, slot);
      map.mark(d.address);
    }
  }
  const pending = ASSIGN_ORDER.flatMap((k) => def.devices.filter((d) => d.kind === k && needsPci(d)));
  addNeededBuses(def, pending);
  placePciControllers(def, map);
  for (const d of pending) {
    if (isUsb2(d)) {
      // ICH9 USB controllers are conventional PCI: a group's shared slot is on a bridge.
      d.address = usb2Address(def.devices, d, () => freeBusSlot(def, CONVENTIONAL_BUSES, 1) ?? fallbackBus(def, 'pcie-to-pci-bridge'));
      continue;
    }
    d.address = isPcie(d)
      ? (freeBusSlot(def, PCIE_SLOT_BUSES, 0) ?? fallbackBus(def, 'pcie-root-port'))
      : (freeBusSlot(def, CONVENTIONAL_BUSES, 1) ?? fallbackBus(def, 'pcie-to-pci-bridge'));
  }
}

/** Controller models whose bus is one PCIe slot an endpoint or a switch's upstream port plugs into. */
const PCIE_SLOT_BUSES = ['pcie-root-port', 'pcie-switch-downstream-port'];

/** Bridges whose slots 1-31 take conventional PCI endpoints by auto-assignment (virDomainPCIAddressBusSetModel). */
const CONVENTIONAL_BUSES = ['pci-bridge', 'pcie-to-pci-bridge'];

/** Buses a pci-bridge plugs into, with their first slot. */
const PCI_BRIDGE_BUSES: Record<string, number> = { 'dmi-to-pci-bridge': 0, 'pci-bridge': 1, 'pcie-to-pci-bridge': 1 };

function pciControllers(def: DomainDef, models: string[]): DomainDevice[] {
  return def.devices
    .filter((d) => d.controller?.type === 'pci' && models.includes(d.controller.model ?? ''))
    .sort((x, y) => x.controller!.index - y.controller!.index);
}

function slotTaken(def: DomainDef, bus: number, slot: number): boolean {
  return def.devices.some((o) => o.address?.type === 'pci' && o.address.bus === bus && o.address.slot === slot);
}

/** The first free slot (from `minSlot`) of the lowest-index bus of the given models. */
function freeBusSlot(def: DomainDef, models: string[], minSlot: number): Pci | undefined {
  for (const c of pciControllers(def, models)) {
    const last = PCIE_SLOT_BUSES.includes(c.controller!.model ?? '') ? 0 : 31;
    for (let slot = minSlot; slot <= last; slot++) if (!slotTaken(def, c.controller!.index, slot)) return pci(c.controller!.index, slot);
  }
  return undefined;
}

function maxPciIndex(def: DomainDef): number {
  return Math.max(0, ...def.devices.filter((d) => d.controller?.type === 'pci').map((d) => d.controller!.index));
}

function addPciController(def: DomainDef, model: string): DomainDevice {
  const index = maxPciIndex(def) + 1;
  const el = mkEl('controller', [
    ['type', 'pci'],
    ['index', index],
    ['model', model],
  ]);
  const dev: DomainDevice = { kind: 'controller', el, controller: { type: 'pci', index, model } };
  appendController(def, dev);
  return dev;
}

/**
 * The first pass of qemuDomainAssignPCIAddresses (a dry run): walking the endpoints in libvirt's
 * order, count the slots the existing buses leave and add a controller for each endpoint that
 * finds none (virDomainPCIAddressSetGrow): a root port for a PCIe device; for a conventional one a
 * pci-bridge, or a root port and a pcie-to-pci-bridge when no bus takes a pci-bridge yet. A new
 * pcie-root domain that got buses also gets one empty root port for hotplug.
 */
function addNeededBuses(def: DomainDef, pending: DomainDevice[]): void {
  const userMax = def.devices.some((d) => d.controller?.type === 'pci') ? maxPciIndex(def) : -1;
  const unplaced = pciControllers(def, ['pcie-switch-upstream-port', 'pcie-to-pci-bridge']).filter((d) => !d.address).length;
  let pcieFree =
    pciControllers(def, PCIE_SLOT_BUSES).filter(
      (d) => !def.devices.some((o) => o.address?.type === 'pci' && o.address.bus === d.controller!.index),
    ).length - unplaced;
  let conventionalFree = 0;
  for (const c of pciControllers(def, CONVENTIONAL_BUSES))
    for (let s = 1; s < 32; s++) if (!slotTaken(def, c.controller!.index, s)) conventionalFree++;
  const usb2Groups = new Set(def.devices.filter((d) => isUsb2(d) && d.address).map((d) => d.controller!.index));
  const takesPciBridge = () => pciControllers(def, Object.keys(PCI_BRIDGE_BUSES)).length > 0;
  for (const d of pending) {
    if (isUsb2(d)) {
      if (usb2Groups.has(d.controller!.index)) continue;
      usb2Groups.add(d.controller!.index);
    }
    if (isUsb2(d) || !isPcie(d)) {
      if (conventionalFree-- > 0) continue;
      if (takesPciBridge()) addPciController(def, 'pci-bridge');
      else {
        addPciController(def, 'pcie-root-port');
        addPciController(def, 'pcie-to-pci-bridge');
      }
      conventionalFree = 30;
    } else if (pcieFree-- <= 0) {
      addPciController(def, 'pcie-root-port');
      pcieFree = 0;
    }
  }
  if (userMax <= 0 && maxPciIndex(def) > Math.max(userMax, 0) && pcieFree <= 0) addPciController(def, 'pcie-root-port');
}

/** A bus made when the planning pass fell short (it counts what placement then uses). */
function fallbackBus(def: DomainDef, model: 'pcie-root-port' | 'pcie-to-pci-bridge'): Pci {
  if (model === 'pcie-root-port') {
    const port = addPciController(def, 'pcie-root-port');
    return pci(port.controller!.index, 0);
  }
  addPciController(def, 'pcie-root-port');
  const bridge = addPciController(def, 'pcie-to-pci-bridge');
  return pci(bridge.controller!.index, 1);
}

/**
 * PCI controllers without an address, in index order as qemuDomainAssignDevicePCISlots places
 * them before any endpoint: root ports on pcie-root (aggregate slots), an upstream port or a
 * pcie-to-pci-bridge in the first free root or downstream port, a downstream port in the first
 * free slot of an upstream port, a pci-bridge in the first free slot of a bus that takes one.
 */
function placePciControllers(def: DomainDef, map: SlotMap): void {
  for (const d of def.devices) if (d.address?.type === 'pci') map.mark(d.address);
  const aggregate = aggregateSlots(def);
  for (const d of pciControllers(def, [
    'pcie-root-port',
    'pcie-switch-upstream-port',
    'pcie-to-pci-bridge',
    'pcie-switch-downstream-port',
    'pci-bridge',
  ])) {
    if (d.address) continue;
    switch (d.controller!.model) {
      case 'pcie-root-port':
        d.address = rootPortSlot(map, aggregate);
        break;
      case 'pcie-switch-upstream-port':
      case 'pcie-to-pci-bridge':
        d.address = freeBusSlot(def, PCIE_SLOT_BUSES, 0);
        break;
      case 'pcie-switch-downstream-port':
        d.address = freeBusSlot(def, ['pcie-switch-upstream-port'], 0);
        break;
      default:
        d.address = pciBridgeSlot(def);
    }
  }
}

function pciBridgeSlot(def: DomainDef): Pci | undefined {
  for (const c of pciControllers(def, Object.keys(PCI_BRIDGE_BUSES))) {
    for (let slot = PCI_BRIDGE_BUSES[c.controller!.model!]; slot < 32; slot++) {
      if (!slotTaken(def, c.controller!.index, slot)) return pci(c.controller!.index, slot);
    }
  }
  return undefined;
}

/** Slots of pcie-root that only root ports use (VIR_PCI_CONNECT_AGGREGATE_SLOT). */
function aggregateSlots(def: DomainDef): Set<number> {
  const aggregate = new Set<number>();
  for (let slot = 0; slot < 32; slot++) {
    const there = def.devices.filter((o) => o.address?.type === 'pci' && o.address.bus === 0 && o.address.slot === slot);
    if (there.length && there.every((o) => o.controller?.type === 'pci' && o.controller.model === 'pcie-root-port')) aggregate.add(slot);
  }
  return aggregate;
}

/**
 * A root port's place on pcie-root (virDomainPCIAddressFindUnusedFunctionOnBus): the first slot
 * that is wholly free, or that root ports already share, at its first free function.
 */
function rootPortSlot(map: SlotMap, aggregate: Set<number>): Pci | undefined {
  for (let slot = 1; slot < 32; slot++) {
    const fn = map.slotFree(0, slot) ? 0 : aggregate.has(slot) ? map.freeFunction(0, slot) : undefined;
    if (fn === undefined) continue;
    const a = pci(0, slot, fn);
    map.mark(a);
    aggregate.add(slot);
    return a;
  }
  return undefined;
}

/** Assign PCI addresses for the machine type. */
export function assignPciAddresses(def: DomainDef): void {
  if (isI440FX(def)) assignI440fx(def);
  else if (isQ35(def)) assignQ35(def);
  else return;
  markMultifunctionSlots(def);
  fillPciControllerDefaults(def);
}

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
  // PCI controllers given without an address: bridges first, then root ports packed from slot 1.
  const ctrlNoAddr = def.devices.filter((d) => d.controller?.type === 'pci' && !d.address && d.controller.model !== 'pcie-root');
  for (const d of ctrlNoAddr) {
    const model = d.controller!.model;
    if (model === 'dmi-to-pci-bridge') {
      d.address = pci(0, 0x1e, 0);
      map.mark(d.address);
    } else if (model === 'pci-bridge') {
      const parent = def.devices.find((o) => o.controller?.model === 'dmi-to-pci-bridge');
      if (!parent) return;
      d.address = pci(parent.controller!.index, 0, 0);
    }
  }
  placeSwitchPorts(def, ctrlNoAddr);
  const existingPorts = ctrlNoAddr.filter((d) => d.controller!.model === 'pcie-root-port');
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
  const rootPorts = def.devices.filter((d) => d.controller?.type === 'pci' && d.controller.model === 'pcie-root-port');
  // Buses with one PCIe slot (root and downstream ports), lowest index first as virDomainPCIAddressGetNextAddr scans.
  const freeBuses = def.devices
    .filter((d) => d.controller?.type === 'pci' && PCIE_SLOT_BUSES.includes(d.controller.model ?? ''))
    .map((d) => d.controller!.index)
    .filter((idx) => !busInUse(def, idx))
    .sort((x, y) => x - y);
  let maxIndex = Math.max(0, ...def.devices.filter((d) => d.controller?.type === 'pci').map((d) => d.controller!.index));
  const newPorts: DomainDevice[] = [...existingPorts];
  const addPort = (): number => {
    const index = ++maxIndex;
    const el = mkEl('controller', [
      ['type', 'pci'],
      ['index', index],
      ['model', 'pcie-root-port'],
    ]);
    const port: DomainDevice = { kind: 'controller', el, controller: { type: 'pci', index, model: 'pcie-root-port' } };
    newPorts.push(port);
    appendController(def, port);
    return index;
  };
  const addedAny = rootPorts.length === 0;
  // Conventional PCI devices go on a pcie-to-pci-bridge behind its own root port.
  let bridge: { index: number; slot: number } | undefined;
  const addBridge = (): { index: number; slot: number } => {
    const port = addPort();
    const index = ++maxIndex;
    const el = mkEl('controller', [
      ['type', 'pci'],
      ['index', index],
      ['model', 'pcie-to-pci-bridge'],
    ]);
    const dev: DomainDevice = {
      kind: 'controller',
      el,
      controller: { type: 'pci', index, model: 'pcie-to-pci-bridge' },
      address: pci(port, 0),
    };
    appendController(def, dev);
    return { index, slot: 1 };
  };
  // libvirt adds the bridge (and its root port) before the ports of PCIe devices.
  if (pending.some((d) => isUsb2(d) || !isPcie(d))) bridge = addBridge();
  for (const d of pending) {
    if (isUsb2(d)) {
      // ICH9 USB controllers are conventional PCI: their shared slot is on the bridge.
      d.address = usb2Address(def.devices, d, () => {
        bridge ??= addBridge();
        return pci(bridge.index, bridge.slot++);
      });
      continue;
    }
    if (!isPcie(d)) {
      bridge ??= addBridge();
      d.address = pci(bridge.index, bridge.slot++);
      continue;
    }
    const bus = freeBuses.shift() ?? addPort();
    d.address = pci(bus, 0);
  }
  if (addedAny && newPorts.length) addPort();
  placeRootPorts(def, map, newPorts);
}

/** Controller models whose bus is one PCIe slot an endpoint or a switch's upstream port plugs into. */
const PCIE_SLOT_BUSES = ['pcie-root-port', 'pcie-switch-downstream-port'];

function busInUse(def: DomainDef, bus: number): boolean {
  return def.devices.some((o) => o.address?.type === 'pci' && o.address.bus === bus);
}

/**
 * Switch ports without an address, in index order as libvirt places PCI controllers before any
 * endpoint: an upstream port takes the first free root or downstream port; a downstream port the
 * first free slot of the first upstream port with one.
 */
function placeSwitchPorts(def: DomainDef, ctrlNoAddr: DomainDevice[]): void {
  const buses = (models: string[]) =>
    def.devices
      .filter((o) => o.controller?.type === 'pci' && models.includes(o.controller.model ?? ''))
      .map((o) => o.controller!.index)
      .sort((x, y) => x - y);
  const slotUsed = (bus: number, slot: number) =>
    def.devices.some((o) => o.address?.type === 'pci' && o.address.bus === bus && o.address.slot === slot);
  const ordered = [...ctrlNoAddr].sort((x, y) => x.controller!.index - y.controller!.index);
  for (const d of ordered) {
    const model = d.controller!.model;
    if (model === 'pcie-switch-upstream-port') {
      const bus = buses(PCIE_SLOT_BUSES).find((idx) => !busInUse(def, idx));
      if (bus !== undefined) d.address = pci(bus, 0);
    } else if (model === 'pcie-switch-downstream-port') {
      for (const bus of buses(['pcie-switch-upstream-port'])) {
        const slot = Array.from({ length: 32 }, (_, i) => i).find((s) => !slotUsed(bus, s));
        if (slot === undefined) continue;
        d.address = pci(bus, slot);
        break;
      }
    }
  }
}

/**
 * Root ports without an address go on pcie-root (virDomainPCIAddressFindUnusedFunctionOnBus with
 * VIR_PCI_CONNECT_AGGREGATE_SLOT): into the first slot that is wholly free, or that root ports
 * already share, at its first free function.
 */
function placeRootPorts(def: DomainDef, map: SlotMap, ports: DomainDevice[]): void {
  const aggregate = new Set<number>();
  for (let slot = 0; slot < 32; slot++) {
    const there = def.devices.filter((o) => o.address?.type === 'pci' && o.address.bus === 0 && o.address.slot === slot);
    if (there.length && there.every((o) => o.controller?.type === 'pci' && o.controller.model === 'pcie-root-port')) aggregate.add(slot);
  }
  for (const p of [...ports].sort((x, y) => x.controller!.index - y.controller!.index)) {
    for (let slot = 1; slot < 32; slot++) {
      const fn = map.slotFree(0, slot) ? 0 : aggregate.has(slot) ? map.freeFunction(0, slot) : undefined;
      if (fn === undefined) continue;
      p.address = pci(0, slot, fn);
      map.mark(p.address);
      aggregate.add(slot);
      break;
    }
  }
}

/** Assign PCI addresses for the machine type. */
export function assignPciAddresses(def: DomainDef): void {
  if (isI440FX(def)) assignI440fx(def);
  else if (isQ35(def)) assignQ35(def);
  else return;
  markMultifunctionSlots(def);
  fillPciControllerDefaults(def);
}

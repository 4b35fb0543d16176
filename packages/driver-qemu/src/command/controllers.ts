import { type DomainDevice } from '@virtkit/xml';
import { addressProps, usbBusAlias } from './address';
import type { DeviceCtx } from './device-ctx';
import { isI440fxMachine, isQ35Machine } from './util';
import { virtioOptions, virtioPciName } from './virtio';

const USB_MODELS: Record<string, string> = {
  'piix3-uhci': 'piix3-usb-uhci',
  'piix4-uhci': 'piix4-usb-uhci',
  ehci: 'usb-ehci',
  'ich9-ehci1': 'ich9-usb-ehci1',
  'ich9-uhci1': 'ich9-usb-uhci1',
  'ich9-uhci2': 'ich9-usb-uhci2',
  'ich9-uhci3': 'ich9-usb-uhci3',
  'vt82c686b-uhci': 'vt82c686b-usb-uhci',
  'pci-ohci': 'pci-ohci',
  'nec-xhci': 'nec-usb-xhci',
  'qemu-xhci': 'qemu-xhci',
};

const SCSI_MODELS: Record<string, string> = {
  lsilogic: 'lsi',
  ibmvscsi: 'spapr-vscsi',
  lsisas1068: 'mptsas1068',
  lsisas1078: 'megasas',
  vmpvscsi: 'pvscsi',
};

/** Build the `-device` for one controller, or undefined when QEMU provides it implicitly. */
function controllerProps(dc: DeviceCtx, d: DomainDevice): Record<string, unknown> | undefined {
  const def = dc.b.def;
  const c = d.controller!;
  const el = d.el;
  const id = dc.alias(d);
  const addr = () => addressProps(dc, d);
  switch (c.type) {
    case 'pci': {
      const model = c.model;
      if (model === 'pci-root' || model === 'pcie-root') return undefined;
      const name = el.element('model')?.attr('name') ?? model ?? '';
      const target = el.element('target');
      if (model === 'pci-bridge') {
        return { driver: name, chassis_nr: Number(target?.attr('chassisNr') ?? c.index), id, ...addr() };
      }
      if (model === 'pcie-root-port' || model === 'pcie-switch-downstream-port') {
        const out: Record<string, unknown> = {
          driver: name,
          port: Number(target?.attr('port') ?? 0),
          chassis: Number(target?.attr('chassis') ?? c.index),
          id,
        };
        const hotplug = target?.attr('hotplug');
        if (hotplug === 'on' || hotplug === 'off') out.hotplug = hotplug === 'on';
        return { ...out, ...addr() };
      }
      return { driver: name, id, ...addr() };
    }
    case 'usb': {
      const model = c.model ?? (isQ35Machine(def) ? 'qemu-xhci' : 'piix3-uhci');
      if (model === 'none') return undefined;
      const out: Record<string, unknown> = { driver: USB_MODELS[model] ?? model };
      const ports = el.attr('ports');
      if (ports && model.endsWith('xhci')) {
        out.p2 = Number(ports);
        out.p3 = Number(ports);
      }
      const master = el.element('master');
      if (master) {
        out.masterbus = `${usbBusAlias(dc, c.index)}.0`;
        out.firstport = Number(master.attr('startport') ?? 0);
      } else out.id = id;
      return { ...out, ...addr() };
    }
    case 'scsi': {
      const model = c.model ?? 'lsilogic';
      const drv = el.element('driver');
      if (model.startsWith('virtio')) {
        // qemuBuildControllerSCSIDevProps: the virtio device's own properties, then iothread before id.
        const out: Record<string, unknown> = {
          driver: virtioPciName('virtio-scsi', model === 'virtio-scsi' ? undefined : model),
          ...virtioOptions(drv),
        };
        if (drv?.attr('iothread')) out.iothread = `iothread${drv.attr('iothread')}`;
        out.id = id;
        if (drv?.attr('queues')) out.num_queues = Number(drv.attr('queues'));
        if (drv?.attr('cmd_per_lun')) out.cmd_per_lun = Number(drv.attr('cmd_per_lun'));
        if (drv?.attr('max_sectors')) out.max_sectors = Number(drv.attr('max_sectors'));
        if (drv?.attr('ioeventfd')) out.ioeventfd = drv.attr('ioeventfd') === 'on';
        return { ...out, ...addr() };
      }
      if (model === 'ibmvscsi') return { driver: 'spapr-vscsi', id, reg: 0x2000 };
      return { driver: SCSI_MODELS[model] ?? model, id, ...addr() };
    }
    case 'ide':
      if (c.index === 0 && (isI440fxMachine(def) || isQ35Machine(def))) return undefined;
      return { driver: 'piix3-ide', id, ...addr() };
    case 'sata':
      if (c.index === 0 && isQ35Machine(def)) return undefined;
      return { driver: 'ahci', id, ...addr() };
    case 'fdc':
      return undefined;
    case 'virtio-serial': {
      const drv = el.element('driver');
      const out: Record<string, unknown> = { driver: virtioPciName('virtio-serial', c.model), ...virtioOptions(drv), id };
      const ports = el.attr('ports');
      if (ports) out.max_ports = Number(ports);
      const vectors = el.attr('vectors');
      if (vectors) out.vectors = Number(vectors);
      return { ...out, ...addr() };
    }
    case 'ccid':
      return { driver: 'usb-ccid', id, ...addr() };
    default:
      return undefined;
  }
}

const ORDER = ['pci', 'usb', 'scsi', 'ide', 'sata', 'fdc', 'virtio-serial'];

export function buildGlobalControllers(dc: DeviceCtx): void {
  for (const d of dc.b.devices('controller')) {
    const c = d.controller!;
    const hotplug = d.el.element('target')?.attr('hotplug');
    // qemuBuildPMPCIRootHotplugCommandLine: the i440fx root bus takes either setting.
    const set = c.model === 'pci-root' ? hotplug : hotplug === 'off' && c.model === 'pcie-root' ? hotplug : undefined;
    if (c.type === 'pci' && set !== undefined) {
      const dev = isQ35Machine(dc.b.def) ? 'ICH9-LPC' : 'PIIX4_PM';
      dc.b.add('-global', `${dev}.acpi-root-pci-hotplug=${set}`);
    }
  }
}

export function buildControllers(dc: DeviceCtx, types: string[] = ORDER): void {
  const ctrls = dc.b.devices('controller');
  for (const t of types) {
    // USB companions are emitted after all other USB controllers of their index? libvirt keeps XML order.
    for (const d of ctrls) {
      if (d.controller!.type !== t) continue;
      const props = controllerProps(dc, d);
      if (props) dc.b.json('-device', props);
    }
  }
}

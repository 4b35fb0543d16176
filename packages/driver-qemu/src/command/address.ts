import { type DomainDevice } from '@virtkit/xml';
import type { CmdBuilder } from './builder';
import { hex } from './builder';
import type { DeviceCtx } from './device-ctx';

/** Alias of the PCI bus with this index. */
export function pciBusAlias(dc: DeviceCtx, bus: number): string {
  const ctrl = dc.b.def.devices.find((d) => d.controller?.type === 'pci' && d.controller.index === bus);
  return ctrl ? dc.alias(ctrl) : `pci.${bus}`;
}

/** Alias of the USB controller with this index. */
export function usbBusAlias(dc: DeviceCtx, bus: number): string {
  const ctrl = dc.b.def.devices.find((d) => d.controller?.type === 'usb' && d.controller.index === bus);
  return ctrl ? dc.alias(ctrl) : bus === 0 ? 'usb' : `usb${bus}`;
}

/** The address properties in libvirt's order (bus, [multifunction], addr, ...). */
export function addressProps(dc: DeviceCtx, d: DomainDevice): Record<string, unknown> {
  const a = d.address;
  const out: Record<string, unknown> = {};
  if (!a) return out;
  switch (a.type) {
    case 'pci': {
      out.bus = pciBusAlias(dc, a.bus);
      if (a.multifunction) out.multifunction = a.multifunction === 'on';
      out.addr = a.function ? `${hex(a.slot)}.${hex(a.function)}` : hex(a.slot);
      const acpi = d.el.element('acpi')?.attr('index');
      if (acpi !== undefined) out['acpi-index'] = Number(acpi);
      break;
    }
    case 'usb':
      out.bus = `${usbBusAlias(dc, a.bus)}.0`;
      if (a.port) out.port = a.port;
      break;
    case 'virtio-serial': {
      const ctrl = dc.b.def.devices.find((c) => c.controller?.type === 'virtio-serial' && c.controller.index === a.controller);
      out.bus = `${ctrl ? dc.alias(ctrl) : `virtio-serial${a.controller}`}.${a.bus}`;
      if (a.port !== undefined) out.nr = a.port;
      break;
    }
    case 'ccid': {
      const ctrl = dc.b.def.devices.find((c) => c.controller?.type === 'ccid' && c.controller.index === a.controller);
      out.bus = `${ctrl ? dc.alias(ctrl) : `ccid${a.controller}`}.0`;
      break;
    }
    case 'other':
      if (a.typeName === 'isa') {
        const io = a.attrs.get('iobase');
        const irq = a.attrs.get('irq');
        if (io) out.iobase = Number(io);
        if (irq) out.irq = Number(irq);
      }
      break;
    default:
      break;
  }
  return out;
}

export type { CmdBuilder };

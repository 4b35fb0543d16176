import { type DomainDef, type DomainDevice } from '@virtkit/xml';

function usbDevices(def: DomainDef): DomainDevice[] {
  const out: DomainDevice[] = [];
  const add = (kind: string, pred: (d: DomainDevice) => boolean) => out.push(...def.devices.filter((d) => d.kind === kind && pred(d)));
  add('hub', () => true);
  add('hostdev', (d) => d.el.attr('type') === 'usb');
  add('disk', (d) => d.disk!.targetBus === 'usb');
  add('controller', (d) => d.controller!.type === 'ccid');
  add('input', (d) => d.el.attr('bus') === 'usb');
  add('serial', (d) => d.el.element('target')?.attr('type') === 'usb-serial');
  add('sound', (d) => d.el.attr('model') === 'usb');
  add('redirdev', () => true);
  return out;
}

export function prepareAddresses(def: DomainDef): void {
  const hasUsb = def.devices.some((d) => d.controller?.type === 'usb' && d.controller.model !== 'none');
  if (hasUsb) {
    const used = new Set<string>();
    const usb = usbDevices(def);
    for (const d of usb) if (d.address?.type === 'usb' && d.address.port) used.add(`${d.address.bus}:${d.address.port}`);
    let port = 1;
    for (const d of usb) {
      if (d.address) continue;
      while (used.has(`0:${port}`)) port++;
      d.address = { type: 'usb', bus: 0, port: String(port) };
      used.add(`0:${port}`);
    }
  }
}

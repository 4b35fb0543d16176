import { appendController, newController, type DomainDef, type DomainDevice } from '@virtkit/xml';
import { VirError } from '@virtkit/core';

/** Ports of a virtio-serial controller when its `ports` attribute does not say. */
const DEFAULT_PORTS = 31;

interface SerialBus {
  index: number;
  ports: number;
  used: Set<number>;
}

function buses(def: DomainDef): SerialBus[] {
  return def.devices
    .filter((d) => d.controller?.type === 'virtio-serial')
    .map((d) => ({ index: d.controller!.index, ports: Number(d.el.attr('ports') ?? DEFAULT_PORTS), used: new Set<number>() }))
    .sort((a, b) => a.index - b.index);
}

function isVirtio(d: DomainDevice): boolean {
  return (d.kind === 'console' || d.kind === 'channel') && d.el.element('target')?.attr('type') === 'virtio';
}

function freePort(bus: SerialBus, first: number): number | undefined {
  for (let p = first; p < bus.ports; p++) if (!bus.used.has(p)) return p;
  return undefined;
}

function take(d: DomainDevice, bus: SerialBus, port: number): void {
  bus.used.add(port);
  d.address = { type: 'virtio-serial', controller: bus.index, bus: 0, port };
}

function assign(def: DomainDef, d: DomainDevice, all: SerialBus[]): void {
  const a = d.address;
  if (a?.type === 'virtio-serial' && a.port) return;
  if (a && a.type !== 'virtio-serial') return;
  if (a) {
    // The implicit controllers guarantee a controller for every index an address names.
    const bus = all.find((b) => b.index === a.controller)!;
    const port = freePort(bus, 1);
    if (port === undefined) throw VirError.xml(`Unable to find a free port on virtio-serial controller ${bus.index}`);
    take(d, bus, port);
    return;
  }
  for (const bus of all) {
    const port = freePort(bus, 1);
    if (port !== undefined) return take(d, bus, port);
  }
  // Every controller is full: one more is added.
  const index = Math.max(-1, ...all.map((b) => b.index)) + 1;
  appendController(def, newController('virtio-serial', index));
  const bus: SerialBus = { index, ports: DEFAULT_PORTS, used: new Set() };
  all.push(bus);
  take(d, bus, 1);
}

/** Give every virtio channel of `def` a virtio-serial port. */
export function assignVirtioSerialAddresses(def: DomainDef): void {
  const all = buses(def);
  const devs = def.devices.filter(isVirtio);
  for (const d of devs) {
    const a = d.address;
    if (a?.type === 'virtio-serial' && a.port) all.find((b) => b.index === a.controller)?.used.add(a.port);
  }
  for (const d of devs) if (d.kind === 'channel') assign(def, d, all);
}

/** Domain XML → XenDomain: the parts of a parsed definition that xenFormatXL reads. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseDomainXml, parseXml, type XmlElement } from '@virtkit/xml';
import { parseBitmap } from './bitmap';
import type { FeaturePolicy, XenChr, XenDisk, XenDomain, XenNet, XenNumaCell, XenOsType } from './model';

const unsupported = (message: string): VirError =>
  VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_XENXL, message);

/** A scaled integer in KiB, rounded up as virDomainParseMemory does. */
function kibOf(value: string, unit = 'KiB'): bigint {
  const units: Record<string, bigint> = {
    b: 1n,
    bytes: 1n,
    k: 1024n,
    kib: 1024n,
    kb: 1000n,
    m: 1048576n,
    mib: 1048576n,
    mb: 1000000n,
    g: 1073741824n,
    gib: 1073741824n,
    gb: 1000000000n,
    t: 1099511627776n,
    tib: 1099511627776n,
  };
  const factor = units[unit.toLowerCase()] ?? 1024n;
  return (BigInt(value.trim()) * factor + 1023n) / 1024n;
}

function scaled(el: XmlElement | undefined): bigint | undefined {
  return el ? kibOf(el.text(), el.attr('unit')) : undefined;
}

function chrFrom(el: XmlElement, port: number): XenChr {
  const chr: XenChr = { type: el.attr('type') ?? 'pty', port };
  const sources = el.elements('source');
  const src = sources[0];
  switch (chr.type) {
    case 'dev':
    case 'file':
    case 'pipe':
      chr.path = src?.attr('path');
      break;
    case 'unix':
      chr.path = src?.attr('path');
      chr.listen = src?.attr('mode') === 'bind';
      break;
    case 'tcp':
      chr.host = src?.attr('host');
      chr.service = src?.attr('service');
      chr.listen = src?.attr('mode') === 'bind';
      chr.telnet = el.element('protocol')?.attr('type') === 'telnet';
      break;
    case 'udp':
      for (const s of sources) {
        if (s.attr('mode') === 'bind') {
          chr.bindHost = s.attr('host');
          chr.bindService = s.attr('service');
        } else {
          chr.host = s.attr('host');
          chr.service = s.attr('service');
        }
      }
      break;
  }
  return chr;
}

function diskFrom(el: XmlElement): XenDisk {
  const driver = el.element('driver');
  const source = el.element('source');
  const disk: XenDisk = {
    type: el.attr('type') ?? 'file',
    device: (el.attr('device') ?? 'disk') as XenDisk['device'],
    driverName: driver?.attr('name'),
    format: driver?.attr('type'),
    dst: el.element('target')?.attr('dev') ?? '',
    bus: el.element('target')?.attr('bus') ?? '',
    hosts: [],
    readonly: el.element('readonly') !== undefined,
    shareable: el.element('shareable') !== undefined,
    transient: el.element('transient') !== undefined,
  };
  if (disk.type === 'network') {
    disk.protocol = source?.attr('protocol');
    disk.rbdName = source?.attr('name');
    for (const h of source?.elements('host') ?? []) disk.hosts.push({ name: h.attr('name') ?? '', port: h.attr('port') });
  } else {
    disk.path = source?.attr('file') ?? source?.attr('dev') ?? source?.attr('dir');
  }
  return disk;
}

function netFrom(el: XmlElement): XenNet {
  const type = el.attr('type') ?? '';
  if (type !== 'bridge' && type !== 'ethernet' && type !== 'network') throw unsupported(`Unsupported net type '${type}'`);
  const vlan = el.element('vlan');
  const vport = el.element('virtualport');
  const average = el.element('bandwidth')?.element('outbound')?.attr('average');
  return {
    type,
    mac: el.element('mac')?.attr('address'),
    bridge: el.element('source')?.attr('bridge'),
    network: el.element('source')?.attr('network'),
    vlanTags: vlan?.elements('tag').map((t) => Number(t.attr('id'))) ?? [],
    vlanTrunk: vlan?.attr('trunk') === 'yes',
    openvswitch: vport?.attr('type') === 'openvswitch',
    ips: el.elements('ip').map((ip) => ip.attr('address') ?? ''),
    script: el.element('script')?.attr('path'),
    model: el.element('model')?.attr('type'),
    ifname: el.element('target')?.attr('dev'),
    rateOut: average !== undefined ? BigInt(average) : undefined,
  };
}

function osTypeOf(text: string): XenOsType {
  if (text === 'hvm') return 'hvm';
  if (text === 'xenpvh') return 'xenpvh';
  return 'xen';
}

/** NUMA cells with libvirt's distance rules: siblings mirror, a node is 10 from itself, 20 from others. */
function numaFrom(numa: XmlElement | undefined): XenNumaCell[] {
  const cells = numa?.elements('cell') ?? [];
  const n = cells.length;
  const given: number[][] = cells.map(() => new Array<number>(n).fill(0));
  cells.forEach((cell, i) => {
    for (const s of cell.element('distances')?.elements('sibling') ?? []) {
      const j = Number(s.attr('id'));
      const v = Number(s.attr('value'));
      given[i][j] = v;
      if (!given[j][i]) given[j][i] = v;
    }
  });
  return cells.map((cell, i) => ({
    cpus: cell.attr('cpus') ?? '',
    memoryKiB: kibOf(cell.attr('memory') ?? '0', cell.attr('unit')),
    distances: given[i].map((v, j) => v || (i === j ? 10 : 20)),
  }));
}

/** Read a domain definition; the document is first checked by the generic domain parser. */
export function xenDomainFromXml(xml: string): XenDomain {
  parseDomainXml(xml, { inactive: true });
  const root = parseXml(xml);
  const os = root.element('os')!;
  const typeEl = os.element('type')!;
  const osType = osTypeOf(typeEl.text().trim());
  const vcpuEl = root.element('vcpu');
  const maxVcpus = Number(vcpuEl?.text().trim() ?? '1');
  const features = root.element('features');
  const clock = root.element('clock');
  const cpuEl = root.element('cpu');
  const devices = root.element('devices');
  const loader = os.element('loader');
  const def: XenDomain = {
    name: root.childText('name') ?? '',
    uuid: root.childText('uuid') ?? '',
    osType,
    arch: typeEl.attr('arch') ?? 'x86_64',
    machine: typeEl.attr('machine') ?? '',
    memoryKiB: scaled(root.element('memory')) ?? 0n,
    currentMemoryKiB: scaled(root.element('currentMemory') ?? root.element('memory')) ?? 0n,
    maxVcpus,
    vcpus: Number(vcpuEl?.attr('current') ?? maxVcpus),
    cpumask: vcpuEl?.attr('cpuset'),
    onPoweroff: root.childText('on_poweroff') ?? 'destroy',
    onReboot: root.childText('on_reboot') ?? 'restart',
    onCrash: root.childText('on_crash') ?? 'destroy',
    features: {
      pae: features?.element('pae') !== undefined,
      acpi: features?.element('acpi') !== undefined,
      apic: features?.element('apic') !== undefined,
      hap: features?.element('hap')?.attr('state') === 'off' ? false : undefined,
      viridian: features?.element('viridian') !== undefined,
      xen: features?.element('xen') ? 'on' : undefined,
      e820Host: features?.element('xen')?.element('e820_host')?.attr('state') as 'on' | 'off' | undefined,
      passthrough: features?.element('xen')?.element('passthrough')?.attr('state') as 'on' | 'off' | undefined,
      passthroughMode: features?.element('xen')?.element('passthrough')?.attr('mode'),
    },
    clock: {
      offset: (clock?.attr('offset') ?? 'utc') as XenDomain['clock']['offset'],
      adjustment:
        clock?.attr('adjustment') !== undefined && clock.attr('adjustment') !== 'reset' ? Number(clock.attr('adjustment')) : undefined,
      basis: clock?.attr('basis') as 'utc' | 'localtime' | undefined,
      reset: clock?.attr('adjustment') === 'reset',
    },
    timers: (clock?.elements('timer') ?? []).map((t) => ({
      name: t.attr('name') ?? '',
      present: t.attr('present') === undefined ? undefined : t.attr('present') === 'yes',
      mode: t.attr('mode'),
    })),
    emulator: devices?.childText('emulator'),
    loader: loader
      ? {
          type: loader.attr('type') as 'rom' | 'pflash' | undefined,
          readonly: loader.attr('readonly') === 'yes',
          path: loader.text().trim() || undefined,
        }
      : undefined,
    slicTable: os.element('acpi')?.element('table')?.text(),
    kernel: os.childText('kernel'),
    initrd: os.childText('initrd'),
    cmdline: os.childText('cmdline'),
    bootloader: root.childText('bootloader'),
    bootloaderArgs: root.childText('bootloader_args'),
    bootDevs: os.elements('boot').map((b) => b.attr('dev') ?? 'hd'),
    cpu: cpuEl
      ? {
          mode: (cpuEl.attr('mode') ?? (cpuEl.element('model') ? 'custom' : undefined)) as NonNullable<XenDomain['cpu']>['mode'],
          features: cpuEl
            .elements('feature')
            .map((f) => ({ name: f.attr('name') ?? '', policy: (f.attr('policy') ?? 'require') as FeaturePolicy })),
          numa: numaFrom(cpuEl.element('numa')),
        }
      : undefined,
    disks: (devices?.elements('disk') ?? []).map(diskFrom),
    nets: (devices?.elements('interface') ?? []).map(netFrom),
    pciHostdevs: [],
    usbHostdevs: [],
    usbControllers: [],
    sounds: (devices?.elements('sound') ?? []).map((s) => s.attr('model') ?? ''),
    graphics: [],
    serials: (devices?.elements('serial') ?? []).map((s, i) => chrFrom(s, Number(s.element('target')?.attr('port') ?? i))),
    parallels: (devices?.elements('parallel') ?? []).map((p, i) => chrFrom(p, Number(p.element('target')?.attr('port') ?? i))),
    consoles: [],
    channels: (devices?.elements('channel') ?? [])
      .filter((c) => c.element('target')?.attr('type') === 'xen')
      .map((c) => ({ ...chrFrom(c, 0), targetName: c.element('target')?.attr('name') })),
    inputs: (devices?.elements('input') ?? []).map((i) => ({ type: i.attr('type') ?? '', bus: i.attr('bus') ?? '' })),
    deviceModelArgs: (root.element('xen:commandline')?.elements('xen:arg') ?? []).map((a) => a.attr('value') ?? ''),
  };
  if (def.cpumask !== undefined) parseBitmap(def.cpumask);
  for (const c of devices?.elements('controller') ?? []) {
    if (c.attr('type') === 'usb') {
      const model = c.attr('model');
      def.usbControllers.push({ model, ports: c.attr('ports') ? Number(c.attr('ports')) : undefined });
    } else if (c.attr('type') === 'xenbus') {
      def.xenbus = {
        maxEventChannels: c.attr('maxEventChannels') ? Number(c.attr('maxEventChannels')) : undefined,
        maxGrantFrames: c.attr('maxGrantFrames') ? Number(c.attr('maxGrantFrames')) : undefined,
      };
    }
  }
  for (const h of devices?.elements('hostdev') ?? []) {
    if (h.attr('mode') !== 'subsystem') continue;
    const addr = h.element('source')?.element('address');
    if (!addr) continue;
    if (h.attr('type') === 'pci') {
      const wf = h.element('source')?.attr('writeFiltering');
      def.pciHostdevs.push({
        domain: Number(addr.attr('domain') ?? 0),
        bus: Number(addr.attr('bus') ?? 0),
        slot: Number(addr.attr('slot') ?? 0),
        fn: Number(addr.attr('function') ?? 0),
        writeFiltering: wf === undefined ? undefined : wf === 'yes',
      });
    } else if (h.attr('type') === 'usb') {
      def.usbHostdevs.push({ bus: Number(addr.attr('bus') ?? 0), device: Number(addr.attr('device') ?? 0) });
    }
  }
  for (const g of devices?.elements('graphics') ?? []) {
    const type = g.attr('type');
    if (type !== 'vnc' && type !== 'sdl' && type !== 'spice') continue;
    const listen =
      g
        .elements('listen')
        .find((l) => l.attr('type') === 'address')
        ?.attr('address') ?? g.attr('listen');
    const port = Number(g.attr('port') ?? 0);
    def.graphics.push({
      type,
      autoport: g.attr('autoport') === 'yes' || (type === 'vnc' && port === -1),
      port,
      tlsPort: g.attr('tlsPort') ? Number(g.attr('tlsPort')) : undefined,
      listen,
      passwd: g.attr('passwd'),
      keymap: g.attr('keymap'),
      display: g.attr('display'),
      xauth: g.attr('xauth'),
      mouseMode: g.element('mouse')?.attr('mode') as 'server' | 'client' | undefined,
      copypaste: g.element('clipboard') ? g.element('clipboard')!.attr('copypaste') === 'yes' : undefined,
    });
  }
  return def;
}

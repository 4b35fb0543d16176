/**
 * XenDomain → domain XML, with the defaults libvirt's libxl driver fills in after parsing
 * (libxlDomainDefPostParse, libxlDomainDeviceDefPostParse and the generic implicit devices):
 * the xenbus controller, disk controllers and drive addresses, the console of a serial port,
 * mouse and keyboard, a video card for graphics, and the Xen balloon.
 */
import { XmlWriter, type Attrs } from '@virtkit/xml';
import type { XenChr, XenDisk, XenDomain, XenNet } from './model';

const XEN_NS = 'http://libvirt.org/schemas/domain/xen/1.0';

/** Drive address of an IDE or SCSI disk from its target name (virDomainDiskDefAssignAddress). */
function driveAddress(disk: XenDisk): Attrs | undefined {
  const m = /^(?:hd|sd)([a-z]+)$/.exec(disk.dst);
  if (!m || (disk.bus !== 'ide' && disk.bus !== 'scsi')) return undefined;
  let idx = 0;
  for (const c of m[1]) idx = idx * 26 + (c.charCodeAt(0) - 96);
  idx -= 1;
  if (disk.bus === 'ide') {
    return [
      ['type', 'drive'],
      ['controller', Math.floor(idx / 4)],
      ['bus', Math.floor((idx % 4) / 2)],
      ['target', 0],
      ['unit', idx % 2],
    ];
  }
  return [
    ['type', 'drive'],
    ['controller', Math.floor(idx / 7)],
    ['bus', 0],
    ['target', 0],
    ['unit', idx % 7],
  ];
}

function writeDisk(w: XmlWriter, disk: XenDisk): void {
  w.open('disk', [
    ['type', disk.type],
    ['device', disk.device],
  ]);
  w.empty('driver', [
    ['name', disk.driverName],
    // libxlDomainDeviceDefPostParse: xl.cfg's default format is raw, even for an empty CD-ROM.
    ['type', disk.format ?? 'raw'],
  ]);
  if (disk.type === 'network') {
    w.element(
      'source',
      [
        ['protocol', disk.protocol],
        ['name', disk.rbdName],
      ],
      (s) => {
        for (const h of disk.hosts)
          s.empty('host', [
            ['name', h.name],
            ['port', h.port],
          ]);
      },
    );
  } else if (disk.path !== undefined) {
    w.empty('source', [[disk.type === 'block' ? 'dev' : 'file', disk.path]]);
  }
  w.empty('target', [
    ['dev', disk.dst],
    ['bus', disk.bus],
  ]);
  if (disk.readonly) w.empty('readonly');
  if (disk.shareable) w.empty('shareable');
  const address = driveAddress(disk);
  if (address) w.empty('address', address);
  w.close('disk');
}

function writeNet(w: XmlWriter, net: XenNet): void {
  w.open('interface', [['type', net.type]]);
  if (net.mac) w.empty('mac', [['address', net.mac]]);
  if (net.type === 'bridge' && net.bridge !== undefined) w.empty('source', [['bridge', net.bridge]]);
  if (net.type === 'network' && net.network !== undefined) w.empty('source', [['network', net.network]]);
  for (const ip of net.ips)
    w.empty('ip', [
      ['address', ip],
      ['family', ip.includes(':') ? 'ipv6' : 'ipv4'],
    ]);
  if (net.vlanTags.length > 0) {
    w.element('vlan', [['trunk', net.vlanTrunk ? 'yes' : undefined]], (v) => {
      for (const id of net.vlanTags) v.empty('tag', [['id', id]]);
    });
  }
  if (net.openvswitch) w.empty('virtualport', [['type', 'openvswitch']]);
  if (net.rateOut !== undefined) w.element('bandwidth', [], (b) => b.empty('outbound', [['average', net.rateOut!.toString()]]));
  if (net.script) w.empty('script', [['path', net.script]]);
  if (net.ifname) w.empty('target', [['dev', net.ifname]]);
  if (net.model) w.empty('model', [['type', net.model]]);
  w.close('interface');
}

/** The `<source>` and `<protocol>` children of a character device. */
function writeChrSource(w: XmlWriter, chr: XenChr): void {
  switch (chr.type) {
    case 'dev':
    case 'file':
    case 'pipe':
      w.empty('source', [['path', chr.path]]);
      break;
    case 'unix':
      w.empty('source', [
        ['mode', chr.listen ? 'bind' : 'connect'],
        ['path', chr.path],
      ]);
      break;
    case 'tcp':
      w.empty('source', [
        ['mode', chr.listen ? 'bind' : 'connect'],
        ['host', chr.host],
        ['service', chr.service],
      ]);
      w.empty('protocol', [['type', chr.telnet ? 'telnet' : 'raw']]);
      break;
    case 'udp':
      if (chr.bindHost !== undefined || chr.bindService !== undefined)
        w.empty('source', [
          ['mode', 'bind'],
          ['host', chr.bindHost],
          ['service', chr.bindService],
        ]);
      w.empty('source', [
        ['mode', 'connect'],
        ['host', chr.host],
        ['service', chr.service],
      ]);
      break;
  }
}

function writeChr(w: XmlWriter, element: string, chr: XenChr, target: Attrs): void {
  w.open(element, [['type', chr.type]]);
  writeChrSource(w, chr);
  w.empty('target', target);
  w.close(element);
}

function writeGraphics(w: XmlWriter, def: XenDomain): void {
  for (const g of def.graphics) {
    if (g.type === 'sdl') {
      w.empty('graphics', [
        ['type', 'sdl'],
        ['display', g.display],
        ['xauth', g.xauth],
      ]);
      continue;
    }
    const attrs: Array<[string, string | number | undefined]> = [['type', g.type]];
    if (g.type === 'vnc') {
      attrs.push(
        ['port', g.autoport ? -1 : g.port || undefined],
        ['autoport', g.autoport ? 'yes' : 'no'],
        ['listen', g.listen],
        ['keymap', g.keymap],
        ['passwd', g.passwd],
      );
    } else {
      attrs.push(
        ['port', g.port || undefined],
        ['tlsPort', g.tlsPort || undefined],
        ['autoport', g.autoport ? 'yes' : 'no'],
        ['listen', g.listen],
        ['passwd', g.passwd],
      );
    }
    w.element('graphics', attrs, (c) => {
      c.empty('listen', [
        ['type', 'address'],
        ['address', g.listen],
      ]);
      if (g.mouseMode) c.empty('mouse', [['mode', g.mouseMode]]);
      if (g.copypaste !== undefined) c.empty('clipboard', [['copypaste', g.copypaste ? 'yes' : 'no']]);
    });
  }
}

function writeOs(w: XmlWriter, def: XenDomain): void {
  w.open('os');
  w.leaf('type', def.osType === 'xen' ? 'linux' : def.osType, [
    ['arch', def.arch],
    ['machine', def.machine],
  ]);
  if (def.loader?.path !== undefined) {
    const pflash = def.loader.type === 'pflash';
    w.leaf('loader', def.loader.path, [
      ['readonly', def.loader.readonly ? 'yes' : undefined],
      ['type', pflash ? 'pflash' : 'rom'],
    ]);
  }
  w.leaf('kernel', def.kernel);
  w.leaf('initrd', def.initrd);
  w.leaf('cmdline', def.cmdline);
  if (def.slicTable !== undefined) w.element('acpi', [], (a) => a.leaf('table', def.slicTable, [['type', 'slic']]));
  for (const dev of def.bootDevs) w.empty('boot', [['dev', dev]]);
  w.close('os');
}

function writeFeatures(w: XmlWriter, def: XenDomain): void {
  const f = def.features;
  w.element(
    'features',
    [],
    (x) => {
      if (f.acpi) x.empty('acpi');
      if (f.apic) x.empty('apic');
      if (f.pae) x.empty('pae');
      if (f.hap === false) x.empty('hap', [['state', 'off']]);
      if (f.viridian) x.empty('viridian');
      if (f.xen === 'on') {
        x.element('xen', [], (xen) => {
          if (f.e820Host) xen.empty('e820_host', [['state', f.e820Host]]);
          if (f.passthrough)
            xen.empty('passthrough', [
              ['state', f.passthrough],
              ['mode', f.passthroughMode],
            ]);
        });
      }
    },
    true,
  );
}

function writeCpu(w: XmlWriter, def: XenDomain): void {
  const cpu = def.cpu;
  if (!cpu) return;
  w.element('cpu', [['mode', cpu.mode]], (c) => {
    for (const feat of cpu.features)
      c.empty('feature', [
        ['policy', feat.policy],
        ['name', feat.name],
      ]);
    if (cpu.numa.length === 0) return;
    c.element('numa', [], (n) => {
      cpu.numa.forEach((cell, id) => {
        n.element(
          'cell',
          [
            ['id', id],
            ['cpus', cell.cpus],
            ['memory', cell.memoryKiB.toString()],
            ['unit', 'KiB'],
          ],
          (d) => {
            if (cell.distances.length === 0) return;
            d.element('distances', [], (s) => {
              cell.distances.forEach((value, sibling) => {
                if (value)
                  s.empty('sibling', [
                    ['id', sibling],
                    ['value', value],
                  ]);
              });
            });
          },
        );
      });
    });
  });
}

function writeClock(w: XmlWriter, def: XenDomain): void {
  const c = def.clock;
  const attrs: Attrs =
    c.offset === 'variable'
      ? [
          ['offset', 'variable'],
          ['adjustment', c.adjustment ?? 0],
          ['basis', c.basis ?? 'utc'],
        ]
      : [
          ['offset', c.offset],
          ['adjustment', c.reset ? 'reset' : undefined],
        ];
  w.element('clock', attrs, (t) => {
    for (const timer of def.timers)
      t.empty('timer', [
        ['name', timer.name],
        ['present', timer.present === undefined ? undefined : timer.present ? 'yes' : 'no'],
        ['mode', timer.mode],
      ]);
  });
}

/** Disk controllers the disks imply, SCSI before IDE as virDomainDefAddDiskControllers adds them. */
function impliedDiskControllers(def: XenDomain): Array<{ type: string; index: number }> {
  const out: Array<{ type: string; index: number }> = [];
  for (const bus of ['scsi', 'ide']) {
    let max = -1;
    for (const disk of def.disks) {
      const addr = disk.bus === bus ? driveAddress(disk) : undefined;
      if (addr) max = Math.max(max, Number(addr.find(([k]) => k === 'controller')![1]));
    }
    for (let index = 0; index <= max; index++) out.push({ type: bus, index });
  }
  return out;
}

function writeDevices(w: XmlWriter, def: XenDomain): void {
  const hvm = def.osType === 'hvm';
  w.open('devices');
  w.leaf('emulator', def.emulator);
  for (const disk of def.disks) writeDisk(w, disk);
  const xb = def.xenbus ?? {};
  w.empty('controller', [
    ['type', 'xenbus'],
    ['index', 0],
    ['maxGrantFrames', xb.maxGrantFrames],
    ['maxEventChannels', xb.maxEventChannels],
  ]);
  def.usbControllers.forEach((c, index) =>
    w.empty('controller', [
      ['type', 'usb'],
      ['index', index],
      ['model', c.model],
      ['ports', c.ports],
    ]),
  );
  for (const c of impliedDiskControllers(def))
    w.empty('controller', [
      ['type', c.type],
      ['index', c.index],
    ]);
  for (const net of def.nets) writeNet(w, net);
  for (const s of def.serials) writeChr(w, 'serial', s, [['port', s.port]]);
  for (const p of def.parallels) writeChr(w, 'parallel', p, [['port', p.port]]);
  const consoles = def.consoles.length > 0 || !hvm ? def.consoles : def.serials.slice(0, 1);
  for (const c of consoles)
    writeChr(w, 'console', c, [
      ['type', hvm ? 'serial' : 'xen'],
      ['port', c.port],
    ]);
  for (const ch of def.channels)
    writeChr(w, 'channel', ch, [
      ['type', 'xen'],
      ['name', ch.targetName],
    ]);
  const inputs = [...def.inputs];
  const implicitBus = hvm ? 'ps2' : 'xen';
  for (const type of ['mouse', 'keyboard'])
    if (!inputs.some((i) => i.type === type && i.bus === implicitBus)) inputs.push({ type, bus: implicitBus });
  for (const input of inputs)
    w.empty('input', [
      ['type', input.type],
      ['bus', input.bus],
    ]);
  writeGraphics(w, def);
  for (const model of def.sounds) w.empty('sound', [['model', model]]);
  if (def.graphics.length > 0) {
    const type = hvm ? 'cirrus' : 'xen';
    w.element('video', [], (v) =>
      v.empty('model', [
        ['type', type],
        ['vram', hvm ? 8192 : undefined],
        ['heads', 1],
        ['primary', 'yes'],
      ]),
    );
  }
  for (const h of def.pciHostdevs) {
    w.open('hostdev', [
      ['mode', 'subsystem'],
      ['type', 'pci'],
      ['managed', 'no'],
    ]);
    w.empty('driver', [['name', 'xen']]);
    const hex = (n: number, width: number): string => `0x${n.toString(16).padStart(width, '0')}`;
    w.element('source', [['writeFiltering', h.writeFiltering === undefined ? undefined : h.writeFiltering ? 'yes' : 'no']], (s) =>
      s.empty('address', [
        ['domain', hex(h.domain, 4)],
        ['bus', hex(h.bus, 2)],
        ['slot', hex(h.slot, 2)],
        ['function', hex(h.fn, 1)],
      ]),
    );
    w.close('hostdev');
  }
  for (const u of def.usbHostdevs) {
    w.open('hostdev', [
      ['mode', 'subsystem'],
      ['type', 'usb'],
      ['managed', 'no'],
    ]);
    w.element('source', [], (s) =>
      s.empty('address', [
        ['bus', u.bus],
        ['device', u.device],
      ]),
    );
    w.close('hostdev');
  }
  w.empty('memballoon', [['model', 'xen']]);
  w.close('devices');
}

/** The domain XML libvirt's libxl driver would format for this definition (inactive, secure). */
export function xenDomainToXml(def: XenDomain): string {
  const w = new XmlWriter();
  const memory = def.cpu && def.cpu.numa.length > 0 ? def.cpu.numa.reduce((sum, c) => sum + c.memoryKiB, 0n) : def.memoryKiB;
  w.open('domain', [
    ['type', 'xen'],
    ['xmlns:xen', def.deviceModelArgs.length > 0 ? XEN_NS : undefined],
  ]);
  w.leaf('name', def.name);
  w.leaf('uuid', def.uuid);
  w.leaf('memory', memory.toString(), [['unit', 'KiB']]);
  w.leaf('currentMemory', (def.currentMemoryKiB > memory ? memory : def.currentMemoryKiB).toString(), [['unit', 'KiB']]);
  w.leaf('vcpu', def.maxVcpus, [
    ['placement', 'static'],
    ['cpuset', def.cpumask],
    ['current', def.vcpus < def.maxVcpus ? def.vcpus : undefined],
  ]);
  w.leaf('bootloader', def.bootloader);
  w.leaf('bootloader_args', def.bootloaderArgs);
  writeOs(w, def);
  writeFeatures(w, def);
  writeCpu(w, def);
  writeClock(w, def);
  w.leaf('on_poweroff', def.onPoweroff);
  w.leaf('on_reboot', def.onReboot);
  w.leaf('on_crash', def.onCrash);
  writeDevices(w, def);
  if (def.deviceModelArgs.length > 0) {
    w.element('xen:commandline', [], (c) => {
      for (const arg of def.deviceModelArgs) c.empty('xen:arg', [['value', arg]]);
    });
  }
  w.close('domain');
  return w.toString();
}

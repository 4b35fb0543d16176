import {
  appendController,
  ensureController,
  mkEl,
  newController,
  normalizeVideos,
  orderAttrs,
  type DomainDef,
  type DomainDevice,
} from '@virtkit/xml';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { isI440FX, isQ35, isX86 } from './machine';
import { fillNumaCell0 } from './numa-cpus';

type XmlElement = DomainDevice['el'];

function dev(kind: string, el = mkEl(kind)): DomainDevice {
  return { kind, el };
}

function addDefaultControllers(def: DomainDef): void {
  const q35 = isQ35(def);
  const usbModel = q35 ? 'qemu-xhci' : 'piix3-uhci';
  const usb0 = def.devices.find((d) => d.controller?.type === 'usb' && d.controller.index === 0);
  if (!usb0 && (q35 || isI440FX(def))) {
    appendController(def, newController('usb', 0, usbModel));
  }
  for (const d of def.devices) {
    if (d.controller?.type === 'usb' && d.controller.model === undefined) {
      d.controller.model = usbModel;
      d.el.attrs.set('model', usbModel);
      orderAttrs(d.el, ['type', 'index', 'model', 'ports']);
    }
  }
  if (q35) {
    const sata = ensureController(def, 'sata', 0);
    sata.address ??= { type: 'pci', domain: 0, bus: 0, slot: 0x1f, function: 2 };
    ensureController(def, 'pci', 0, 'pcie-root');
  } else if (isI440FX(def)) {
    ensureController(def, 'pci', 0, 'pci-root');
  }
}

/** Per-device defaults (qemuDomainDeviceDefPostParse); also applied to implicit devices. */
export function qemuDeviceDefaults(def: DomainDef): void {
  let vio = 0;
  for (const d of def.devices) {
    if (d.controller?.type === 'scsi') {
      if (d.controller.model === undefined) {
        d.controller.model = 'lsilogic';
        d.el.attrs.set('model', 'lsilogic');
      }
      if (d.controller.model === 'ibmvscsi' && !d.address) {
        const reg = 0x2000 + 0x1000 * vio++;
        d.address = {
          type: 'other',
          typeName: 'spapr-vio',
          attrs: new Map([['reg', `0x${reg.toString(16).padStart(8, '0')}`]]),
          children: [],
        };
      }
    }
    if (d.disk) diskDefaults(d);
    if (d.kind === 'interface') netModelDefault(def, d);
    if (d.kind === 'hostdev') mdevDisplayDefault(d);
    // Again for the serial port generic post-parse may have made out of a console.
    serialDefaults(def, d);
  }
}

/**
 * qemuDomainHostdevDefMdevPostParse: a vfio-pci mediated device without a display setting gets
 * display='off' (every QEMU this driver runs has vfio-pci's display property), written after the model.
 */
function mdevDisplayDefault(d: DomainDevice): void {
  const el = d.el;
  if (el.attr('type') !== 'mdev' || el.attr('model') !== 'vfio-pci' || el.attr('display') !== undefined) return;
  const attrs = [...el.attrs];
  const at = attrs.findIndex(([k]) => k === 'model') + 1;
  attrs.splice(at, 0, ['display', 'off']);
  el.attrs.clear();
  for (const [k, v] of attrs) el.attrs.set(k, v);
}

/** The device model QEMU uses for each serial target type. */
const SERIAL_TARGET_MODEL: Record<string, string> = {
  'isa-serial': 'isa-serial',
  'usb-serial': 'usb-serial',
  'pci-serial': 'pci-serial',
  'spapr-vio-serial': 'spapr-vty',
  'sclp-serial': 'sclpconsole',
  'isa-debug': 'isa-debugcon',
};

/**
 * qemuDomainChrDefPostParse for serial ports: x86 guests default to an ISA serial port, and the
 * target gets the model its type implies.
 */
function serialDefaults(def: DomainDef, d: DomainDevice): void {
  if (d.kind !== 'serial') return;
  const target = d.el.element('target');
  if (!target) return;
  if (target.attr('type') === undefined && isX86(def)) target.attrs.set('type', 'isa-serial');
  const model = SERIAL_TARGET_MODEL[target.attr('type') ?? ''];
  if (model && !target.element('model')) target.children.push(mkEl('model', [['name', model]]));
  orderAttrs(target, ['type', 'port']);
}

/** What virDomainNetDefFormat writes before `<model>`. */
const BEFORE_NET_MODEL = new Set([
  'mac',
  'source',
  'ip',
  'route',
  'vlan',
  'virtualport',
  'bandwidth',
  'port',
  'actual',
  'portForward',
  'script',
  'downscript',
  'backenddomain',
  'target',
  'guest',
]);

/**
 * qemuDomainDeviceNetDefPostParse: an interface without a model gets virtio for vdpa and
 * otherwise qemuDomainDefaultNetModel's choice, rtl8139 on x86 (QEMU has the device); hostdev
 * interfaces have no model.
 */
function netModelDefault(def: DomainDef, d: DomainDevice): void {
  const type = d.el.attr('type');
  if (type === 'hostdev' || d.el.element('model') || !isX86(def)) return;
  const model = mkEl('model', [['type', type === 'vdpa' ? 'virtio' : 'rtl8139']]);
  const last = d.el
    .elements()
    .filter((c) => BEFORE_NET_MODEL.has(c.name))
    .pop();
  d.el.children.splice(last ? d.el.children.indexOf(last) + 1 : 0, 0, model);
}

function diskDefaults(d: DomainDevice): void {
  const disk = d.disk!;
  let driver = d.el.element('driver');
  if (!driver) {
    driver = mkEl('driver');
    d.el.children.unshift(driver);
  }
  if (!driver.attr('name')) driver.attrs.set('name', 'qemu');
  // qemuDomainDeviceDiskDefPostParse: every disk but a volume one defaults to raw, empty ones too.
  if (!driver.attr('type') && disk.type !== 'volume') {
    driver.attrs.set('type', 'raw');
    disk.driverType = 'raw';
  }
  disk.driverName = 'qemu';
  orderAttrs(driver, ['name', 'type']);
}

function addDefaultInputs(def: DomainDef): void {
  if (!isX86(def) || def.os.type !== 'hvm') return;
  const has = (type: string) => def.devices.some((d) => d.kind === 'input' && d.el.attr('type') === type && d.el.attr('bus') === 'ps2');
  const add: DomainDevice[] = [];
  if (!has('mouse'))
    add.push(
      dev(
        'input',
        mkEl('input', [
          ['type', 'mouse'],
          ['bus', 'ps2'],
        ]),
      ),
    );
  if (!has('keyboard'))
    add.push(
      dev(
        'input',
        mkEl('input', [
          ['type', 'keyboard'],
          ['bus', 'ps2'],
        ]),
      ),
    );
  def.devices.push(...add);
}

/** A display without a video device gets the default one (virDomainDefAddImplicitVideo). */
function addDefaultVideo(def: DomainDef): void {
  if (!def.devices.some((d) => d.kind === 'graphics') || def.devices.some((d) => d.kind === 'video')) return;
  const video = mkEl('video', [], [mkEl('model', [['type', 'cirrus']])]);
  // The implicit video gets the same model defaults as one written in the XML.
  normalizeVideos([video], def.virtType);
  def.devices.push(dev('video', video));
}

function addDefaultAudio(def: DomainDef): void {
  if (def.devices.some((d) => d.kind === 'audio')) return;
  const graphics = def.devices.filter((d) => d.kind === 'graphics');
  // Only VNC, SPICE and SDL displays (or no display at all) imply an audio backend.
  if (graphics.length && !graphics.some((g) => ['vnc', 'spice', 'sdl'].includes(g.el.attr('type') ?? ''))) return;
  // The last VNC/SPICE/SDL display decides the backend (SPICE: spice, others: none).
  const gfx = [...graphics].reverse().find((g) => ['vnc', 'spice', 'sdl'].includes(g.el.attr('type') ?? ''));
  const type = gfx?.el.attr('type') === 'spice' ? 'spice' : 'none';
  def.devices.push(
    dev(
      'audio',
      mkEl('audio', [
        ['id', 1],
        ['type', type],
      ]),
    ),
  );
}

function addDefaultBalloon(def: DomainDef): void {
  if (def.devices.some((d) => d.kind === 'memballoon')) return;
  def.devices.push(dev('memballoon', mkEl('memballoon', [['model', 'virtio']])));
}

function addDefaultCpu(def: DomainDef): void {
  if (!isX86(def)) return;
  const cpus = def.preserved.get('cpu');
  const cpu = cpus?.[0];
  if (!cpu) {
    if (def.virtType !== 'qemu' && def.virtType !== 'kvm') return;
    const model = mkEl('model', [['fallback', 'forbid']], [], 'qemu64');
    def.preserved.set('cpu', [
      mkEl(
        'cpu',
        [
          ['mode', 'custom'],
          ['match', 'exact'],
          ['check', 'none'],
        ],
        [model],
      ),
    ]);
    return;
  }
  for (const f of cpu.elements('feature')) orderAttrs(f, ['policy', 'name']);
  if (!cpu.attr('mode') && !cpu.element('model') && (def.virtType === 'qemu' || def.virtType === 'kvm')) {
    for (const [k, v] of [
      ['mode', 'custom'],
      ['match', 'exact'],
      ['check', 'none'],
    ])
      cpu.attrs.set(k, v);
    cpu.children.unshift(mkEl('model', [['fallback', 'forbid']], [], 'qemu64'));
    return;
  }
  const mode = cpu.attr('mode') ?? 'custom';
  if (mode !== 'custom') {
    // Host-derived modes: checked partially (host-model) or not at all; a passed-through host
    // CPU is migratable unless said otherwise. host-model always matches exactly, unwritten.
    if (!cpu.attr('check')) cpu.attrs.set('check', mode === 'host-model' ? 'partial' : 'none');
    if (mode === 'host-passthrough' && !cpu.attr('migratable')) cpu.attrs.set('migratable', 'on');
    if (mode === 'host-model') cpu.attrs.delete('match');
    orderAttrs(cpu, ['mode', 'match', 'check', 'migratable']);
    return;
  }
  if (cpu.element('model')) {
    if (!cpu.attr('mode')) cpu.attrs.set('mode', 'custom');
    if (!cpu.attr('match')) cpu.attrs.set('match', 'exact');
    if (!cpu.attr('check')) cpu.attrs.set('check', 'partial');
    const model = cpu.element('model');
    if (model && !model.attr('fallback')) model.attrs.set('fallback', 'allow');
    if (model) orderAttrs(model, ['fallback', 'vendor_id']);
    orderAttrs(cpu, ['mode', 'match', 'check', 'migratable']);
  }
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443', ftp: '21', ftps: '990', tftp: '69' };

function networkPorts(src: XmlElement | undefined): void {
  if (!src) return;
  const port = DEFAULT_PORTS[src.attr('protocol') ?? ''];
  if (port) {
    for (const h of src.elements('host')) {
      if (h.attr('port') === undefined && (h.attr('transport') ?? 'tcp') === 'tcp') {
        h.attrs.set('port', port);
        orderAttrs(h, ['name', 'port', 'transport', 'socket']);
      }
    }
  }
}

/** `<features><smm><tseg>` is written in MiB. */
function tsegUnit(def: DomainDef): void {
  const smm = def.preserved.get('features')?.[0]?.element('smm');
  const tseg = smm?.element('tseg');
  if (!tseg) return;
  // qemuDomainDefTsegPostParse: only q35's MCH has an extended TSEG.
  if (smm?.attr('state') === 'on' && !isQ35(def)) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_QEMU,
      'SMM TSEG is only supported with q35 machine type',
    );
  }
  const mult: Record<string, number> = { b: 1, bytes: 1, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20, g: 1 << 30, gib: 1 << 30 };
  const unit = (tseg.attr('unit') ?? 'MiB').toLowerCase();
  const bytes = Number(tseg.text().trim()) * (mult[unit] ?? 1 << 20);
  if (bytes % (1 << 20) !== 0) return; // left as written; validation rejects it
  tseg.children.length = 0;
  tseg.children.push({ kind: 'text', text: String(Math.floor(bytes / (1 << 20))) });
  tseg.attrs.set('unit', 'MiB');
}

/** Enrolled Secure Boot keys are of no use without Secure Boot: asking for them turns it on. */
function secureBootForEnrolledKeys(def: DomainDef): void {
  const fw = def.os.el.element('firmware');
  const features = fw?.elements('feature') ?? [];
  const enrolled = features.find((f) => f.attr('name') === 'enrolled-keys');
  if (!fw || enrolled?.attr('enabled') !== 'yes' || features.some((f) => f.attr('name') === 'secure-boot')) return;
  // libvirt writes the firmware features in a fixed order: enrolled-keys, then secure-boot.
  fw.children.splice(
    fw.children.indexOf(enrolled) + 1,
    0,
    mkEl('feature', [
      ['enabled', 'yes'],
      ['name', 'secure-boot'],
    ]),
  );
}

/** The QEMU driver's post-parse, run before libvirt's generic post-parse. */
export function qemuDomainDefPostParse(def: DomainDef): void {
  if (def.emulator === undefined && def.os.arch) {
    def.emulator = `/usr/bin/qemu-system-${def.os.arch === 'i686' ? 'i386' : def.os.arch}`;
  }
  tsegUnit(def);
  secureBootForEnrolledKeys(def);
  for (const d of def.devices) {
    serialDefaults(def, d);
    if (d.kind === 'vsock' && !d.el.attr('model')) {
      d.el.attrs.set('model', 'virtio');
      orderAttrs(d.el, ['model']);
    }
    if (d.kind === 'filesystem' && d.el.element('source')?.attr('socket') !== undefined) d.el.attrs.delete('accessmode');
    if (d.kind === 'disk') {
      networkPorts(d.el.element('source'));
      for (let b = d.el.element('backingStore'); b; b = b.element('backingStore')) networkPorts(b.element('source'));
    }
  }
  addDefaultControllers(def);
  addDefaultInputs(def);
  addDefaultAudio(def);
  addDefaultVideo(def);
  addDefaultBalloon(def);
  addDefaultCpu(def);
  fillNumaCell0(def);
  // qemuDomainDeviceDiskDefPostParse: LUKS without an engine means QEMU's, on every image of the chain.
  for (const d of def.devices) {
    if (d.kind !== 'disk') continue;
    const encryptions = [d.el.element('source')?.element('encryption') ?? d.el.element('encryption')];
    for (let b = d.el.element('backingStore'); b; b = b.element('backingStore'))
      encryptions.push(b.element('source')?.element('encryption'));
    for (const enc of encryptions) {
      if (!enc || enc.attr('format') !== 'luks' || enc.attr('engine')) continue;
      enc.attrs.set('engine', 'qemu');
      orderAttrs(enc, ['format', 'engine']);
    }
  }
}

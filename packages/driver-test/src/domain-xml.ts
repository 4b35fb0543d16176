/**
 * Domain XML for the test driver: a thin adapter until the core domain model is wired in.
 *
 * It reads the fields the driver acts on (name, UUID, memory, vCPUs, OS type, lifecycle actions,
 * disks, the test namespace) and keeps every other element as read. Output follows libvirt's
 * element order and applies the defaults libvirt's post-parse adds for the test driver (memory
 * units, vcpu placement, i686 arch, boot device, clock, lifecycle actions, interface MAC and
 * `testnetN` target names).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorNumber } from '@virtkit/core';
import { parseXml, XmlElement } from '../../core/src/xml/tree';
import { XmlWriter } from '../../core/src/xml/writer';
import { writePreserved } from '../../core/src/xml/preserved';
import { err, FROM_DOMAIN, xmlError } from './errors';
import { TEST_NS_URI } from './constants';

export interface DomainDisk {
  dst: string;
  device: string;
  hasSource: boolean;
  readonly: boolean;
}

/** The test namespace elements of a `<domain>` (testDomainDefNamespaceParse). */
export interface TestNamespace {
  runstate?: number;
  transient: boolean;
  hasManagedSave: boolean;
  snapshots: XmlElement[];
}

export interface DomainDef {
  type: string;
  name: string;
  uuid: string;
  title?: string;
  description?: string;
  /** KiB. */
  memory: number;
  currentMemory: number;
  vcpus: number;
  maxVcpus: number;
  osType: string;
  arch: string;
  /** `<os>` children other than `<type>`, kept as read (with `<boot dev='hd'/>` added by default). */
  osExtra: XmlElement[];
  onPoweroff: string;
  onReboot: string;
  onCrash: string;
  clock?: XmlElement;
  disks: DomainDisk[];
  devices?: XmlElement;
  /** Other top-level elements, kept as read. */
  extra: XmlElement[];
  ns: TestNamespace;
}

const HANDLED = new Set([
  'name', 'uuid', 'title', 'description', 'memory', 'currentMemory', 'vcpu', 'os', 'clock', 'on_poweroff', 'on_reboot',
  'on_crash', 'devices',
]);
const BEFORE_MEMORY = ['genid', 'metadata', 'maxMemory'];
const BEFORE_VCPU = ['blkiotune', 'memtune', 'memoryBacking'];
const BEFORE_OS = ['iothreads', 'iothreadids', 'cputune', 'numatune', 'resource', 'sysinfo', 'bootloader', 'bootloader_args'];
const BEFORE_CLOCK = ['idmap', 'features', 'cpu'];
const BEFORE_DEVICES = ['pm', 'perf'];

const SCALE: Record<string, number> = {
  b: 1, bytes: 1, kb: 1000, k: 1024, kib: 1024, mb: 1e6, m: 1024 ** 2, mib: 1024 ** 2, gb: 1e9, g: 1024 ** 3,
  gib: 1024 ** 3, tb: 1e12, t: 1024 ** 4, tib: 1024 ** 4,
};

function parseKiB(el: XmlElement | undefined, what: string): number | undefined {
  if (!el) return undefined;
  const text = el.text().trim();
  if (!/^[0-9]+$/.test(text)) throw xmlError(`could not parse ${what} value '${text}'`, FROM_DOMAIN);
  const unit = (el.attr('unit') ?? 'KiB').toLowerCase();
  const scale = SCALE[unit];
  if (!scale) throw xmlError(`unknown suffix '${el.attr('unit')}'`, FROM_DOMAIN);
  return Math.ceil((Number(text) * scale) / 1024);
}

const LIFECYCLE = new Set(['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart']);

function lifecycle(root: XmlElement, name: string, dflt: string): string {
  const v = root.childText(name)?.trim();
  if (v === undefined || v === '') return dflt;
  if (!LIFECYCLE.has(v)) throw xmlError(`Invalid ${name} value: '${v}'`, FROM_DOMAIN);
  return v;
}

function nsPrefix(root: XmlElement): string | undefined {
  for (const [k, v] of root.attrs) if (k.startsWith('xmlns:') && v === TEST_NS_URI) return k.slice(6);
  return undefined;
}

function parseNamespace(root: XmlElement): TestNamespace {
  const ns: TestNamespace = { transient: false, hasManagedSave: false, snapshots: [] };
  const p = nsPrefix(root);
  if (!p) return ns;
  ns.snapshots = root.elements(`${p}:domainsnapshot`);
  ns.transient = root.element(`${p}:transient`) !== undefined;
  ns.hasManagedSave = root.element(`${p}:hasmanagedsave`) !== undefined;
  const rs = root.childText(`${p}:runstate`);
  if (rs !== undefined) {
    if (!/^[0-9]+$/.test(rs.trim())) throw xmlError('invalid runstate');
    const n = Number(rs.trim());
    if (n >= 8) throw xmlError(`runstate '${n}' out of range'`);
    ns.runstate = n;
  }
  const state = ns.runstate ?? 1;
  if (ns.transient && state === 5) throw xmlError("transient domain cannot have runstate 'shutoff'");
  if (ns.hasManagedSave && state !== 5) throw xmlError("domain with managedsave data can only have runstate 'shutoff'");
  return ns;
}

function randomMac(): string {
  const b = randomBytes(3);
  return `52:54:00:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

/** Interface defaults: a MAC address, a `testnetN` target, no runtime bridge on network sources. */
function canonicalizeDevices(devices: XmlElement): void {
  const nets = devices.elements('interface');
  const used = new Set(nets.map((n) => n.element('target')?.attr('dev')).filter((x): x is string => !!x));
  for (const net of nets) {
    if (!net.element('mac')) {
      const mac = new XmlElement('mac');
      mac.attrs.set('address', randomMac());
      net.children.unshift(mac);
    }
    const src = net.element('source');
    if (net.attr('type') === 'network' && src) src.attrs.delete('bridge');
    if (!net.element('target')) {
      let i = 0;
      while (used.has(`testnet${i}`)) i++;
      used.add(`testnet${i}`);
      const target = new XmlElement('target');
      target.attrs.set('dev', `testnet${i}`);
      const anchor = src ?? net.element('mac')!;
      net.children.splice(net.children.indexOf(anchor) + 1, 0, target);
    }
  }
}

function parseDisks(devices: XmlElement | undefined): DomainDisk[] {
  return (devices?.elements('disk') ?? []).map((d) => {
    const src = d.element('source');
    const hasSource = !!src && ['file', 'dev', 'dir', 'name', 'volume'].some((a) => src.attr(a) !== undefined);
    return { dst: d.element('target')?.attr('dev') ?? '', device: d.attr('device') ?? 'disk', hasSource, readonly: !!d.element('readonly') };
  });
}

/** Parse `<domain>` as an inactive definition (virDomainDefParseNode + the test driver's post-parse). */
export function parseDomainElement(root: XmlElement): DomainDef {
  if (root.name !== 'domain') throw xmlError(`unexpected root element <${root.name}>, expecting <domain>`, FROM_DOMAIN);
  const type = root.attr('type');
  if (type === undefined) throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, "missing domain type attribute", FROM_DOMAIN);
  if (type !== 'test') throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `Emulator '/usr/bin/test-hv' does not support virt type '${type}'`, FROM_DOMAIN);
  const name = root.childText('name')?.trim();
  if (!name) throw err(ErrorNumber.VIR_ERR_NO_NAME, null, FROM_DOMAIN);
  let uuid = root.childText('uuid')?.trim().toLowerCase();
  if (uuid === undefined || uuid === '') uuid = randomUUID();
  else {
    const hex = uuid.replace(/[-\s]/g, '');
    if (!/^[0-9a-f]{32}$/.test(hex)) throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'malformed uuid element', FROM_DOMAIN);
    uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const memory = parseKiB(root.element('memory'), 'memory') ?? 0;
  let currentMemory = parseKiB(root.element('currentMemory'), 'currentMemory') ?? 0;
  if (currentMemory === 0 || currentMemory > memory) currentMemory = memory;
  const vcpuEl = root.element('vcpu');
  const maxVcpus = vcpuEl ? Number(vcpuEl.text().trim() || '1') : 1;
  const vcpus = vcpuEl?.attr('current') !== undefined ? Number(vcpuEl.attr('current')) : maxVcpus;
  if (!Number.isInteger(maxVcpus) || maxVcpus < 1) throw xmlError('maximum vcpus count must be an integer', FROM_DOMAIN);
  const os = root.element('os');
  const osTypeEl = os?.element('type');
  const osType = osTypeEl?.text().trim();
  if (!osType) throw err(ErrorNumber.VIR_ERR_OS_TYPE, 'no OS type', FROM_DOMAIN);
  if (osType !== 'hvm' && osType !== 'xen') {
    throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `Emulator '/usr/bin/test-hv' does not support os type '${osType}'`, FROM_DOMAIN);
  }
  const osExtra = os ? os.elements().filter((e) => e.name !== 'type') : [];
  if (!osExtra.some((e) => e.name === 'boot' || e.name === 'kernel')) {
    const boot = new XmlElement('boot');
    boot.attrs.set('dev', 'hd');
    osExtra.push(boot);
  }
  const devices = root.element('devices');
  if (devices) canonicalizeDevices(devices);
  return {
    type, name, uuid,
    title: root.childText('title'),
    description: root.childText('description'),
    memory, currentMemory, vcpus, maxVcpus, osType,
    arch: osTypeEl?.attr('arch') ?? 'i686',
    osExtra,
    onPoweroff: lifecycle(root, 'on_poweroff', 'destroy'),
    onReboot: lifecycle(root, 'on_reboot', 'restart'),
    onCrash: lifecycle(root, 'on_crash', 'destroy'),
    clock: root.element('clock'),
    disks: parseDisks(devices),
    devices,
    extra: root.elements().filter((e) => !HANDLED.has(e.name) && !e.name.includes(':')),
    ns: parseNamespace(root),
  };
}

export function parseDomainXml(text: string): DomainDef {
  return parseDomainElement(parseXml(text));
}

export interface DomainFormatOptions {
  /** The runtime id, written when the definition is live (not `inactive`). */
  id?: number;
  inactive?: boolean;
  secure?: boolean;
}

function dropSecrets(el: XmlElement): XmlElement {
  const copy = new XmlElement(el.name);
  for (const [k, v] of el.attrs) if (!(el.name === 'graphics' && k === 'passwd')) copy.attrs.set(k, v);
  for (const c of el.children) copy.children.push(c.kind === 'element' ? dropSecrets(c) : { kind: 'text', text: c.text });
  return copy;
}

/** virDomainDefFormat for the fields this adapter models. */
export function writeDomain(w: XmlWriter, def: DomainDef, opts: DomainFormatOptions = {}): void {
  const live = !opts.inactive && opts.id !== undefined && opts.id >= 0;
  const extra = (names: string[]) => def.extra.filter((e) => names.includes(e.name)).forEach((e) => writePreserved(w, e));
  w.open('domain', [['type', def.type], ['id', live ? opts.id : undefined]]);
  w.leaf('name', def.name).leaf('uuid', def.uuid).leaf('title', def.title).leaf('description', def.description);
  extra(BEFORE_MEMORY);
  w.leaf('memory', def.memory, [['unit', 'KiB']]).leaf('currentMemory', def.currentMemory, [['unit', 'KiB']]);
  extra(BEFORE_VCPU);
  w.leaf('vcpu', def.maxVcpus, [['placement', 'static'], ['current', def.vcpus !== def.maxVcpus ? def.vcpus : undefined]]);
  extra(BEFORE_OS);
  w.open('os').leaf('type', def.osType, [['arch', def.arch]]);
  def.osExtra.forEach((e) => writePreserved(w, e));
  w.close('os');
  extra(BEFORE_CLOCK);
  if (def.clock) writePreserved(w, def.clock);
  else w.empty('clock', [['offset', 'utc']]);
  w.leaf('on_poweroff', def.onPoweroff).leaf('on_reboot', def.onReboot).leaf('on_crash', def.onCrash);
  extra(BEFORE_DEVICES);
  if (def.devices) writePreserved(w, opts.secure ? def.devices : dropSecrets(def.devices));
  const known = new Set([...BEFORE_MEMORY, ...BEFORE_VCPU, ...BEFORE_OS, ...BEFORE_CLOCK, ...BEFORE_DEVICES]);
  def.extra.filter((e) => !known.has(e.name)).forEach((e) => writePreserved(w, e));
  w.close('domain');
}

export function formatDomainXml(def: DomainDef, opts: DomainFormatOptions = {}): string {
  const w = new XmlWriter();
  writeDomain(w, def, opts);
  return w.toString();
}

/** A deep copy (virDomainDefCopy). */
export function copyDomainDef(def: DomainDef): DomainDef {
  return parseDomainXmlInternal(formatDomainXml(def, { inactive: true, secure: true }), def.ns);
}

function parseDomainXmlInternal(text: string, ns: TestNamespace): DomainDef {
  const d = parseDomainXml(text);
  d.ns = { ...ns, snapshots: [] };
  return d;
}

/**
 * xl.cfg → XenDomain, following libvirt's xenParseXL and the common part it shares with the xm
 * format (xen_common.c): the same settings, defaults and errors, in the same order.
 */
import { randomUUID } from 'node:crypto';
import { ErrorDomain, ErrorNumber, parseUuid as canonicalUuid, VirError } from '@virtkit/core';
import { CHARDEV_TYPES } from '@virtkit/xml';
import type { Conf, ConfValue } from './conf';
import type { XenCaps } from './caps';
import { parseXlDiskSpec } from './disk-spec';
import type { FeaturePolicy, XenChr, XenDisk, XenDomain, XenGraphics, XenNet, XenNumaCell, XenOsType } from './model';
import { cpuFeatureFromLibxl } from './cpu-features';
import { formatBitmap, parseBitmap } from './bitmap';

/** libvirt's smallest guest (MIN_XEN_GUEST_SIZE), in MiB: the default memory is twice that. */
const MIN_XEN_GUEST_SIZE = 64;
const LIFECYCLE_ACTIONS = new Set(['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart']);
const SOUND_MODELS = new Set(['sb16', 'es1370', 'pcspk', 'ac97', 'ich6', 'ich9', 'usb', 'ich7']);

const internal = (message: string): VirError => VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_XEN, message);
const confSyntax = (message: string): VirError => VirError.create(ErrorNumber.VIR_ERR_CONF_SYNTAX, ErrorDomain.VIR_FROM_XENXL, message);
const unsupported = (message: string): VirError =>
  VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_XENXL, message);

/** Typed reads of a Conf with xen_common.c's conversions and malformed-value errors. */
class Settings {
  constructor(private readonly conf: Conf) {}

  has(name: string): boolean {
    return this.conf.get(name) !== undefined;
  }

  raw(name: string): ConfValue | undefined {
    return this.conf.get(name);
  }

  bool(name: string, def: number): number {
    const v = this.conf.get(name);
    if (!v) return def;
    if (v.kind === 'int') return v.value !== 0n ? 1 : 0;
    if (v.kind === 'string') return v.value === '1' ? 1 : 0;
    throw internal(`config value ${name} was malformed`);
  }

  ulong(name: string, def: bigint): bigint {
    const v = this.conf.get(name);
    if (!v) return def;
    if (v.kind === 'int' && v.value >= 0n) return v.value;
    if (v.kind === 'string' && /^[0-9]+$/.test(v.value)) return BigInt(v.value);
    throw internal(`config value ${name} was malformed`);
  }

  string(name: string): string | undefined {
    const v = this.conf.get(name);
    if (!v) return undefined;
    if (v.kind !== 'string') throw internal(`config value ${name} was malformed`);
    return v.value;
  }

  /** A list of strings; a single string or a list holding other values reads as absent. */
  stringList(name: string): string[] | undefined {
    const v = this.conf.get(name);
    if (!v || v.kind !== 'list' || v.items.some((i) => i.kind !== 'string')) return undefined;
    return v.items.map((i) => (i as { value: string }).value);
  }

  /** The string entries of a list, skipping other values, as the vif/disk/channel loops do. */
  listStrings(name: string): string[] {
    const v = this.conf.get(name);
    if (!v || v.kind !== 'list') return [];
    return v.items.flatMap((i) => (i.kind === 'string' ? [i.value] : []));
  }
}

/** Split `key=value,key=value` option strings the way the vif/usb/channel parsers walk them. */
function keyValues(entry: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of entry.split(',')) {
    const key = part.replace(/^[ \t]+/, '');
    const eq = key.indexOf('=');
    if (eq < 0) return out;
    out.push([key.slice(0, eq), key.slice(eq + 1)]);
  }
  return out;
}

function parseUuid(s: Settings): string {
  const v = s.raw('uuid');
  if (!v) return randomUUID();
  const str = s.string('uuid');
  if (!str) throw confSyntax("uuid can't be empty");
  const hex = str.replace(/[- ]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw confSyntax(`${str} not parseable`);
  return canonicalUuid(hex)!;
}

function parseOsType(s: Settings): XenOsType {
  const type = s.string('type');
  if (type) {
    if (type === 'pv') return 'xen';
    if (type === 'pvh') return 'xenpvh';
    if (type === 'hvm') return 'hvm';
    throw unsupported(`type ${type} is not supported`);
  }
  return (s.string('builder') ?? 'linux') === 'hvm' ? 'hvm' : 'xen';
}

function lifecycle(s: Settings, name: string, def: string): string {
  const v = s.string(name) ?? def;
  if (!LIFECYCLE_ACTIONS.has(v)) throw internal(`unexpected value ${v} for ${name}`);
  return v;
}

function parseChr(value: string): XenChr {
  const chr: XenChr = { type: 'dev', port: 0 };
  if (value.startsWith('/')) {
    chr.path = value;
    return chr;
  }
  const colon = value.indexOf(':');
  const prefix = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? value : value.slice(colon + 1);
  if (prefix.startsWith('telnet')) {
    chr.type = 'tcp';
    chr.telnet = true;
  } else if (CHARDEV_TYPES.includes(prefix)) {
    chr.type = prefix;
  } else {
    throw internal(`unknown chr device type '${prefix}'`);
  }
  switch (chr.type) {
    case 'file':
    case 'pipe':
      chr.path = rest;
      break;
    case 'tcp': {
      const c = rest.indexOf(':');
      if (c < 0) throw internal('malformed char device string');
      if (c > 0) chr.host = rest.slice(0, c);
      const opts = rest.indexOf(',', c);
      chr.service = opts < 0 ? rest.slice(c + 1) : rest.slice(c + 1, opts);
      chr.listen = opts >= 0 && rest.slice(opts).includes(',server');
      break;
    }
    case 'udp': {
      const c = rest.indexOf(':');
      if (c < 0) throw internal('malformed char device string');
      if (c > 0) chr.host = rest.slice(0, c);
      const at = rest.indexOf('@', c);
      if (at >= 0) {
        chr.service = rest.slice(c + 1, at);
        const c3 = rest.indexOf(':', at);
        if (c3 < 0) throw internal('malformed char device string');
        if (c3 > at + 1) chr.bindHost = rest.slice(at + 1, c3);
        chr.bindService = rest.slice(c3 + 1);
      } else {
        chr.service = rest.slice(c + 1);
      }
      break;
    }
    case 'unix': {
      const c = rest.indexOf(',');
      chr.path = c < 0 ? rest : rest.slice(0, c);
      chr.listen = c >= 0 && rest.slice(c).includes(',server');
      break;
    }
  }
  return chr;
}

const VIF_RATE = /^[0-9]+[GMK]?[Bb]\/s$/;

function parseVifRate(rate: string): bigint {
  const trimmed = rate.split('@')[0];
  if (!VIF_RATE.test(trimmed)) throw internal(`Invalid rate '${rate}' specified`);
  const m = /^([0-9]+)(.*)$/.exec(rate)!;
  let kb = BigInt(m[1]);
  const suffix = m[2];
  if (suffix[0] === 'G') kb *= 1024n * 1024n;
  else if (suffix[0] === 'M') kb *= 1024n;
  if (suffix[0] === 'b' || suffix[1] === 'b') kb /= 8n;
  return kb;
}

function parseVif(entry: string, vifTypename: string): XenNet {
  const kv = new Map<string, string>();
  for (const part of entry.split(',')) {
    const key = part.replace(/^[ \t]+/, '');
    const eq = key.indexOf('=');
    if (eq < 0) throw internal(`malformed vif entry '${entry}'`);
    const name = key.slice(0, eq);
    if (['mac', 'bridge', 'script', 'model', 'type', 'vifname', 'ip', 'rate'].includes(name)) kv.set(name, key.slice(eq + 1));
  }
  const script = kv.get('script');
  const bridge = kv.get('bridge');
  const net: XenNet = {
    type: bridge !== undefined || script === 'vif-bridge' || script === 'vif-vnic' ? 'bridge' : 'ethernet',
    vlanTags: [],
    vlanTrunk: false,
    openvswitch: false,
    ips: [],
  };
  const mac = kv.get('mac');
  if (mac !== undefined) {
    if (!/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(mac)) throw internal(`malformed mac address '${mac}'`);
    net.mac = mac
      .split(':')
      .map((b) => b.padStart(2, '0').toLowerCase())
      .join(':');
  }
  if (net.type === 'bridge' && bridge !== undefined) {
    const dot = bridge.indexOf('.');
    const colon = bridge.indexOf(':');
    if (dot >= 0) {
      net.bridge = bridge.slice(0, dot);
      net.vlanTags = [Number(bridge.slice(dot + 1))];
      net.openvswitch = true;
    } else if (colon >= 0) {
      const parts = bridge.split(':');
      net.bridge = parts[0];
      net.vlanTags = parts.slice(1).map(Number);
      net.vlanTrunk = true;
      net.openvswitch = true;
    } else {
      net.bridge = bridge;
    }
  }
  const ip = kv.get('ip');
  if (ip !== undefined) net.ips = ip.split(' ');
  if (script) net.script = script;
  const model = kv.get('model');
  if (model !== undefined) net.model = model;
  else if (kv.get('type') === vifTypename) net.model = 'netfront';
  const vifname = kv.get('vifname');
  if (vifname) net.ifname = vifname;
  const rate = kv.get('rate');
  if (rate !== undefined) net.rateOut = parseVifRate(rate);
  return net;
}

function parsePci(entry: string): XenDomain['pciHostdevs'][number] {
  const tokens = entry.split(':');
  const head = tokens.length >= 3 ? tokens.slice(0, 2) : tokens.slice(0, 1);
  const tail = tokens.length >= 3 ? tokens.slice(2).join(':') : tokens.slice(1).join(':');
  const hex = (t: string): number => {
    if (!/^[0-9a-fA-F]+$/.test(t)) throw internal(`Malformed PCI address ${entry}`);
    return parseInt(t, 16);
  };
  const domain = tokens.length >= 3 ? hex(head[0]) : 0;
  const bus = hex(head[head.length - 1]);
  const dot = tail.indexOf('.');
  if (dot < 0) throw internal(`Malformed PCI address ${tail}`);
  const slot = hex(tail.slice(0, dot));
  const [fnText, ...options] = tail.slice(dot + 1).split(',');
  const dev: XenDomain['pciHostdevs'][number] = { domain, bus, slot, fn: hex(fnText) };
  for (const opt of options) {
    const eq = opt.indexOf('=');
    if (eq < 0) throw internal(`Malformed PCI options ${options.join(',')}`);
    if (opt.slice(0, eq) === 'permissive') dev.writeFiltering = Number(opt.slice(eq + 1)) === 0;
  }
  return dev;
}

function parseVfb(s: Settings, def: XenDomain): void {
  if (def.osType === 'hvm') {
    if (s.bool('vnc', 0)) {
      const g: XenGraphics = { type: 'vnc', autoport: s.bool('vncunused', 1) === 1, port: -1 };
      if (!g.autoport) g.port = Number(s.ulong('vncdisplay', 0n)) + 5900;
      g.listen = s.string('vnclisten');
      g.passwd = s.string('vncpasswd');
      g.keymap = s.string('keymap');
      def.graphics = [g];
    } else if (s.bool('sdl', 0)) {
      def.graphics = [{ type: 'sdl', autoport: false, port: 0, display: s.string('display'), xauth: s.string('xauthority') }];
    }
    return;
  }
  const vfbs = s.stringList('vfb');
  if (!vfbs || vfbs.length === 0) return;
  const vfb = vfbs[0];
  const g: XenGraphics = { type: vfb.includes('type=sdl') ? 'sdl' : 'vnc', autoport: false, port: -1 };
  for (const part of vfb.split(',')) {
    const key = part.replace(/^[ \t]+/, '');
    if (!key.includes('=')) break;
    const value = key.slice(key.indexOf('=') + 1);
    if (g.type === 'vnc') {
      if (key.startsWith('vncunused=')) g.autoport = value === '1';
      else if (key.startsWith('vnclisten=')) g.listen = value;
      else if (key.startsWith('vncpasswd=')) g.passwd = value;
      else if (key.startsWith('keymap=')) g.keymap = value;
      else if (key.startsWith('vncdisplay=')) {
        if (!/^-?[0-9]+$/.test(value)) throw internal(`invalid vncdisplay value '${value}'`);
        g.port = Number(value) + 5900;
      }
    } else if (key.startsWith('display=')) g.display = value;
    else if (key.startsWith('xauthority=')) g.xauth = value;
  }
  if (g.type === 'vnc' && g.port === -1 && !g.autoport) g.port = 0;
  def.graphics = [g];
}

function parseCharDevs(s: Settings, def: XenDomain): void {
  if (def.osType !== 'hvm') {
    def.consoles = [{ type: 'pty', port: 0 }];
    return;
  }
  const parallel = s.string('parallel');
  if (parallel && parallel !== 'none') def.parallels = [{ ...parseChr(parallel), port: 0 }];
  const serials = s.stringList('serial');
  if (serials) {
    serials.forEach((port, i) => {
      if (port !== 'none') def.serials.push({ ...parseChr(port), port: i });
    });
    return;
  }
  const serial = s.raw('serial')?.kind === 'string' ? s.string('serial') : undefined;
  if (serial && serial !== 'none') def.serials = [{ ...parseChr(serial), port: 0 }];
}

function parseCmdline(s: Settings): string | undefined {
  const cmdline = s.string('cmdline');
  if (cmdline !== undefined) return cmdline;
  const root = s.string('root');
  const extra = s.string('extra');
  if (root !== undefined && extra !== undefined) return `root=${root} ${extra}`;
  if (root !== undefined) return `root=${root}`;
  return extra;
}

function ensureCpu(def: XenDomain): NonNullable<XenDomain['cpu']> {
  def.cpu ??= { mode: 'host-passthrough', features: [], numa: [] };
  return def.cpu;
}

function parseOs(s: Settings, def: XenDomain, caps: XenCaps): void {
  if (def.osType !== 'hvm') {
    def.bootloader = s.string('bootloader');
    def.bootloaderArgs = s.string('bootargs');
    def.kernel = s.string('kernel');
    def.initrd = s.string('ramdisk');
    def.cmdline = parseCmdline(s);
    return;
  }
  if (s.string('bios') === 'ovmf') {
    def.loader = { type: 'pflash', readonly: true, path: `${caps.firmwareDir}/ovmf.bin` };
  } else {
    const guest = caps.guests.find((g) => g.osType === 'hvm' && g.arch === def.arch);
    if (guest) def.loader = { path: guest.loader };
  }
  def.slicTable = s.string('acpi_firmware');
  def.kernel = s.string('kernel');
  def.initrd = s.string('ramdisk');
  def.cmdline = parseCmdline(s);
  const boot = s.string('boot') ?? 'c';
  for (const c of boot.slice(0, 4)) def.bootDevs.push(c === 'a' ? 'fd' : c === 'd' ? 'cdrom' : c === 'n' ? 'network' : 'hd');
  const nested = s.bool('nestedhvm', -1);
  if (nested !== -1) {
    const vt = caps.hostCpuFeatures.has('vmx') || !caps.hostCpuFeatures.has('svm') ? 'vmx' : 'svm';
    const cpu = ensureCpu(def);
    if (nested === 0) cpu.features.push({ name: vt, policy: 'disable' });
  }
}

function parseVnuma(s: Settings, def: XenDomain): void {
  const list = s.raw('vnuma');
  if (!list || list.kind !== 'list') return;
  let count = 0;
  for (const item of list.items) {
    if (item.kind !== 'list') break;
    count++;
  }
  const cells: XenNumaCell[] = [];
  let vcpus = 0;
  list.items.forEach((node, index) => {
    let pnode = -1;
    let cpus: number[] | undefined;
    let kb = 0n;
    let distances: number[] = [];
    if (node.kind === 'list') {
      for (const item of node.items) {
        if (item.kind !== 'string') break;
        const str = item.value;
        const eq = str.lastIndexOf('=');
        if (eq < 0) throw internal(`vnuma vnode invalid format '${str}'`);
        const data = str.slice(eq + 1);
        if (!data) continue;
        if (str.startsWith('pnode')) {
          if (!/^[0-9]+$/.test(data) || Number(data) >= count)
            throw unsupported(`vnuma vnode ${index} contains invalid pnode value '${data}'`);
          pnode = Number(data);
        } else if (str.startsWith('size')) {
          if (!/^[0-9]+$/.test(data)) throw internal(`vnuma vnode ${index} size '${data}' is invalid`);
          kb = BigInt(data);
        } else if (str.startsWith('vcpus')) {
          cpus = parseBitmap(data);
          vcpus += cpus.length;
        } else if (str.startsWith('vdistances')) {
          const tokens = data.split(',');
          if (tokens.length !== count)
            throw unsupported(
              `vnuma pnode ${pnode} configured '${str}' (count ${tokens.length}) doesn't fit the number of specified vnodes ${count}`,
            );
          distances = tokens.map(Number);
        } else {
          throw confSyntax(`Invalid vnuma configuration for vnode ${index}`);
        }
      }
    }
    if (pnode < 0 || !cpus || kb === 0n) throw confSyntax(`Incomplete vnuma configuration for vnode ${index}`);
    cells.push({ cpus: formatBitmap(cpus), memoryKiB: kb * 1024n, distances });
  });
  if (def.maxVcpus < vcpus)
    throw unsupported(`vnuma configuration contains ${vcpus} vcpus, which is greater than ${def.maxVcpus} maxvcpus`);
  def.cpu = { features: [], numa: cells };
}

const XL_FORMATS: Record<string, string> = { qcow: 'qcow', qcow2: 'qcow2', vhd: 'vhd', raw: 'raw', qed: 'qed' };

function parseRbd(source: string, disk: XenDisk): void {
  // rbd:pool/image[@snap][:opt=value...], with `\` escaping `:` and `;` inside values.
  const body = source.slice('rbd:'.length);
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && i + 1 < body.length) {
      cur += body[i] + body[i + 1];
      i++;
    } else if (body[i] === ':') {
      fields.push(cur);
      cur = '';
    } else cur += body[i];
  }
  fields.push(cur);
  disk.rbdName = fields[0];
  for (const opt of fields.slice(1)) {
    const eq = opt.indexOf('=');
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? '' : opt.slice(eq + 1);
    if (key === 'id') disk.rbdUser = value;
    if (key === 'mon_host') {
      for (const host of value.split('\\;')) {
        const m = /^(.*)\\:([0-9]+)$/.exec(host);
        const name = (m ? m[1] : host).replace(/^\[(.*)\]$/, '$1').replace(/\\:/g, ':');
        disk.hosts.push({ name, port: m?.[2] });
      }
    }
  }
}

function parseDisks(s: Settings, def: XenDomain): void {
  for (const specText of s.listStrings('disk')) {
    const spec = parseXlDiskSpec(specText);
    const disk: XenDisk = {
      type: 'file',
      device: 'disk',
      dst: spec.vdev!,
      bus: 'ide',
      hosts: [],
      readonly: !spec.readwrite,
      shareable: false,
      transient: false,
    };
    const target = spec.target;
    if (target?.startsWith('rbd:')) {
      disk.type = 'network';
      disk.protocol = 'rbd';
      parseRbd(target.replace(/\\\\/g, '\\'), disk);
    } else if (target !== undefined) disk.path = target;
    if (spec.cdrom) {
      disk.driverName = 'qemu';
      disk.type = 'file';
      disk.device = 'cdrom';
      disk.format = disk.path ? 'raw' : undefined;
    } else {
      const format = spec.format ?? 'raw';
      if (format !== 'empty') disk.format = XL_FORMATS[format];
      switch (spec.backend) {
        case 'tap':
          disk.driverName = 'tap';
          disk.type = 'file';
          break;
        case 'phy':
          disk.driverName = 'phy';
          disk.type = 'block';
          break;
        case 'standalone':
          throw unsupported(`disk backend not supported: standalone`);
        default:
          disk.driverName = 'qemu';
      }
    }
    if (disk.dst.startsWith('xvd') || def.osType !== 'hvm') disk.bus = 'xen';
    else if (disk.dst.startsWith('sd')) disk.bus = 'scsi';
    def.disks.push(disk);
  }
}

function parseSpice(s: Settings, def: XenDomain): void {
  if (def.osType !== 'hvm' || !s.bool('spice', 0)) return;
  const g: XenGraphics = { type: 'spice', autoport: false, port: 0, listen: s.string('spicehost') };
  g.tlsPort = Number(s.ulong('spicetls_port', 0n));
  g.port = Number(s.ulong('spiceport', 0n));
  if (!g.tlsPort && !g.port) g.autoport = true;
  if (!s.bool('spicedisable_ticketing', 0)) {
    g.passwd = s.string('spicepasswd');
    if (g.passwd === undefined) throw internal('config value spicepasswd was missing');
  }
  g.mouseMode = s.bool('spiceagent_mouse', 0) ? 'client' : 'server';
  g.copypaste = s.bool('spice_clipboard_sharing', 0) === 1;
  def.graphics = [g];
}

function parseInputs(s: Settings, def: XenDomain): void {
  if (def.osType !== 'hvm') return;
  const v = s.raw('usbdevice');
  if (!v) return;
  const values = v.kind === 'list' ? v.items : [v];
  for (const item of values) {
    if (item.kind !== 'string') throw internal('config value usbdevice was malformed');
    if (item.value === 'tablet' || item.value === 'mouse') def.inputs.push({ type: item.value, bus: 'usb' });
    else if (item.value === 'keyboard') def.inputs.push({ type: 'keyboard', bus: 'usb' });
  }
}

function parseUsbDevs(s: Settings, def: XenDomain): void {
  for (const entry of s.listStrings('usbdev')) {
    let bus: number | undefined;
    let device: number | undefined;
    for (const [key, value] of keyValues(entry)) {
      if (key === 'hostbus' && /^[0-9a-fA-F]+$/.test(value)) bus = parseInt(value, 16);
      else if (key === 'hostaddr' && /^[0-9a-fA-F]+$/.test(value)) device = parseInt(value, 16);
    }
    if (bus !== undefined && device !== undefined) def.usbHostdevs.push({ bus, device });
  }
}

function parseUsbControllers(s: Settings, def: XenDomain): void {
  for (const entry of s.listStrings('usbctrl')) {
    let version = 2;
    let ports = 8;
    let ok = entry.includes('=');
    for (const [key, value] of keyValues(entry)) {
      if (key === 'type' && !value.startsWith('qusb')) ok = false;
      else if (key === 'version') version = /^[0-9a-fA-F]+$/.test(value) ? parseInt(value, 16) : NaN;
      else if (key === 'ports') ports = /^[0-9a-fA-F]+$/.test(value) ? parseInt(value, 16) : NaN;
    }
    if (!ok || Number.isNaN(version) || Number.isNaN(ports)) continue;
    def.usbControllers.push({ model: version === 1 ? 'qusb1' : 'qusb2', ports });
  }
}

function parseChannels(s: Settings, def: XenDomain): void {
  for (const entry of s.listStrings('channel')) {
    let type: string | undefined;
    let name: string | undefined;
    let path: string | undefined;
    for (const [key, value] of keyValues(entry)) {
      if (key === 'connection') type = value;
      else if (key === 'name' && name === undefined) name = value;
      else if (key === 'path' && path === undefined) path = value;
    }
    if (type?.startsWith('socket')) def.channels.push({ type: 'unix', listen: true, path, port: 0, targetName: name });
    else if (type?.startsWith('pty')) def.channels.push({ type: 'pty', port: 0, targetName: name });
    else throw internal(`unsupported channel connection '${type ?? ''}'`);
  }
}

/** Convert a parsed xl.cfg into the domain model, before libxl's post-parse defaults. */
export function xenDomainFromXl(conf: Conf, caps: XenCaps): XenDomain {
  const s = new Settings(conf);
  const name = s.string('name');
  if (name === undefined) throw internal('config value name was missing');
  const uuid = parseUuid(s);
  const osType = parseOsType(s);
  const guest = caps.guests.find((g) => g.osType === osType);
  if (!guest) throw unsupported(`could not find capabilities for ostype ${osType}`);
  const memory = s.ulong('memory', BigInt(MIN_XEN_GUEST_SIZE * 2));
  const maxmem = s.ulong('maxmem', memory);
  const def: XenDomain = {
    name,
    uuid,
    osType,
    arch: guest.arch,
    machine: guest.machine,
    currentMemoryKiB: memory * 1024n,
    memoryKiB: maxmem * 1024n,
    vcpus: 1,
    maxVcpus: 1,
    onPoweroff: lifecycle(s, 'on_poweroff', 'destroy'),
    onReboot: lifecycle(s, 'on_reboot', 'restart'),
    onCrash: lifecycle(s, 'on_crash', 'restart'),
    features: {},
    clock: { offset: 'utc' },
    timers: [],
    bootDevs: [],
    disks: [],
    nets: [],
    pciHostdevs: [],
    usbHostdevs: [],
    usbControllers: [],
    sounds: [],
    graphics: [],
    serials: [],
    parallels: [],
    consoles: [],
    channels: [],
    inputs: [],
    deviceModelArgs: [],
  };

  def.vcpus = def.maxVcpus = Number(s.ulong('vcpus', 1n));
  if (s.has('maxvcpus')) def.maxVcpus = Number(s.ulong('maxvcpus', 0n));
  const cpus = s.string('cpus');
  if (cpus !== undefined) def.cpumask = formatBitmap(parseBitmap(cpus));

  const tscMode = s.string('tsc_mode');
  if (tscMode !== undefined) {
    const modes: Record<string, string> = { always_emulate: 'emulate', native: 'native', native_paravirt: 'paravirt' };
    def.timers.push({ name: 'tsc', present: true, mode: modes[tscMode] ?? 'auto' });
  }
  const passthrough = s.string('passthrough');
  if (passthrough !== undefined) {
    if (passthrough === 'disabled') def.features.xen = def.features.passthrough = 'off';
    else if (['enabled', 'sync_pt', 'share_pt'].includes(passthrough)) {
      def.features.xen = def.features.passthrough = 'on';
      if (passthrough !== 'enabled') def.features.passthroughMode = passthrough;
    } else throw confSyntax(`Invalid passthrough mode ${passthrough}`);
  }
  if (osType === 'hvm') {
    if (s.bool('pae', 1)) def.features.pae = true;
    if (s.bool('acpi', 1)) def.features.acpi = true;
    if (s.bool('apic', 1)) def.features.apic = true;
    if (!s.bool('hap', 1)) def.features.hap = false;
    if (s.bool('viridian', 0)) def.features.viridian = true;
    const hpet = s.bool('hpet', -1);
    if (hpet !== -1) def.timers.push({ name: 'hpet', present: hpet === 1 });
  } else if (s.bool('e820_host', 0)) {
    def.features.xen = 'on';
    def.features.e820Host = 'on';
  }

  const localtime = s.bool('localtime', 0) === 1;
  if (osType === 'hvm') {
    def.clock = {
      offset: 'variable',
      adjustment: Number(BigInt.asIntN(32, s.ulong('rtc_timeoffset', 0n))),
      basis: localtime ? 'localtime' : 'utc',
    };
  } else {
    def.clock = { offset: localtime ? 'localtime' : 'utc', reset: true };
  }
  def.emulator = s.string('device_model_override');
  def.nets = s.listStrings('vif').map((v) => parseVif(v, 'vif'));
  def.pciHostdevs = (s.stringList('pci') ?? []).map(parsePci);
  if (osType === 'hvm') {
    const soundhw = s.string('soundhw');
    if (soundhw !== undefined) def.sounds = parseSounds(soundhw);
  }
  parseVfb(s, def);
  parseCharDevs(s, def);

  parseOs(s, def, caps);
  parseVnuma(s, def);
  def.xenbus = {};
  const events = Number(s.ulong('max_event_channels', 0n));
  if (events > 0) def.xenbus.maxEventChannels = events;
  const frames = Number(s.ulong('max_grant_frames', 0n));
  if (frames > 0) def.xenbus.maxGrantFrames = frames;
  parseCpuid(s, def);
  parseDisks(s, def);
  parseSpice(s, def);
  parseInputs(s, def);
  parseUsbDevs(s, def);
  parseUsbControllers(s, def);
  parseChannels(s, def);
  def.deviceModelArgs = s.listStrings('device_model_args');
  return def;
}

function parseSounds(str: string): string[] {
  if (str === 'all') return ['sb16', 'es1370'];
  return str.split(',').map((model) => {
    if (!SOUND_MODELS.has(model)) throw internal(`unknown sound model '${model}'`);
    return model;
  });
}

function parseCpuid(s: Settings, def: XenDomain): void {
  const cpuid = s.string('cpuid');
  if (cpuid === undefined) return;
  const cpu = ensureCpu(def);
  const pairs = cpuid.split(',');
  if (pairs[0] !== 'host') throw confSyntax(`cpuid starting with ${pairs[0]} is not supported, only libxl format is`);
  const policies: Record<string, FeaturePolicy> = { '1': 'force', '0': 'disable', x: 'optional', k: 'optional', s: 'optional' };
  for (const pair of pairs.slice(1)) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw confSyntax(`Invalid libxl cpuid key=value element: ${pair}`);
    const policy = policies[pair.slice(eq + 1)];
    if (!policy) throw confSyntax(`Invalid libxl cpuid value: ${pair}`);
    const name = cpuFeatureFromLibxl(pair.slice(0, eq));
    const existing = cpu.features.find((f) => f.name === name);
    if (existing) existing.policy = policy;
    else cpu.features.push({ name, policy });
  }
}

/**
 * DomainDef → XML in libvirt's formatter order (virDomainDefFormatInternal): fixed top-level
 * sequence, devices grouped by kind in libvirt's order, preserved subtrees in their slot.
 */
import { serializeElement } from '../preserved';
import { XmlElement } from '../tree';
import { XmlWriter } from '../writer';
import { addressElement, ensureAddressSlot } from './address';
import { CHR_DEVICES } from './chardev';
import { mkEl } from './node';
import { asSerialConsole, serialBehindConsole } from './serial-console';
import { DEVICE_ORDER, type DomainDef, type DomainDevice, type DomainFormatOptions } from './types';

/** libvirt's top-level order; typed fields are written at their name's slot. */
export const TOP_ORDER = [
  'name',
  'uuid',
  'genid',
  'title',
  'description',
  'metadata',
  'maxMemory',
  'memory',
  'currentMemory',
  'blkiotune',
  'memtune',
  'memoryBacking',
  'vcpu',
  'vcpus',
  'iothreads',
  'iothreadids',
  'defaultiothread',
  'cputune',
  'numatune',
  'resource',
  'sysinfo',
  'bootloader',
  'bootloader_args',
  'os',
  'idmap',
  'features',
  'cpu',
  'clock',
  'on_poweroff',
  'on_reboot',
  'on_crash',
  'on_lockfailure',
  'pm',
  'perf',
  'devices',
  'seclabel',
  'keywrap',
  'launchSecurity',
] as const;

/** The element a device is written as: its address marker replaced by the typed address. */
export function deviceElement(dev: DomainDevice, opts: DomainFormatOptions = {}): XmlElement {
  const out = new XmlElement(dev.el.name);
  for (const [k, v] of dev.el.attrs) out.attrs.set(k, v);
  out.children.push(...dev.el.children);
  if (dev.address && !out.element('address')) ensureAddressSlot(out);
  const idx = out.children.findIndex((c) => c.kind === 'element' && c.name === 'address');
  if (idx >= 0) {
    if (dev.address) out.children[idx] = addressElement(dev.address);
    else out.children.splice(idx, 1);
  }
  if (opts.inactive) {
    const a = out.children.findIndex((c) => c.kind === 'element' && c.name === 'alias' && !(c.attr('name') ?? '').startsWith('ua-'));
    if (a >= 0) out.children.splice(a, 1);
    // A virtio port's state (connected/disconnected) is run-time only.
    const t = out.children.findIndex((c) => c.kind === 'element' && c.name === 'target' && c.attr('state') !== undefined);
    if (t >= 0 && CHR_DEVICES.includes(dev.kind)) {
      const target = out.children[t] as XmlElement;
      const copy = new XmlElement('target');
      for (const [k, v] of target.attrs) if (k !== 'state') copy.attrs.set(k, v);
      copy.children.push(...target.children);
      out.children[t] = copy;
    }
    // A `network` NIC's port and bridge are its live connection (libvirt's actual network).
    const s = out.children.findIndex((c) => c.kind === 'element' && c.name === 'source');
    if (s >= 0 && dev.kind === 'interface' && out.attr('type') === 'network') {
      const src = out.children[s] as XmlElement;
      out.children[s] = mkEl(
        'source',
        [...src.attrs].filter(([k]) => k !== 'portid' && k !== 'bridge'),
      );
    }
  }
  if (!opts.secure && dev.kind === 'graphics') out.attrs.delete('passwd');
  // A UNIX socket backend is written with its mode only once it has a path (one is generated
  // for virtio channels when the domain starts).
  if (CHR_DEVICES.includes(dev.kind) && out.attr('type') === 'unix') {
    const i = out.children.findIndex((c) => c.kind === 'element' && c.name === 'source' && c.attr('path') === undefined);
    if (i >= 0) out.children.splice(i, 1);
  }
  return out;
}

function writeOs(w: XmlWriter, def: DomainDef): void {
  const os = new XmlElement('os');
  for (const [k, v] of def.os.el.attrs) os.attrs.set(k, v);
  const typeEl = mkEl(
    'type',
    [
      ['arch', def.os.arch],
      ['machine', def.os.machine],
    ],
    [],
    def.os.type,
  );
  let wroteType = false;
  for (const c of def.os.el.children) {
    if (c.kind === 'element' && c.name === 'type') {
      os.children.push(typeEl);
      wroteType = true;
    } else if (c.kind === 'element') os.children.push(c);
  }
  if (!wroteType) os.children.unshift(typeEl);
  w.raw(serializeElement(os));
}

/**
 * libvirt's tty_compat: a live console on port 0 backed by a pty also names the pty in a `tty`
 * attribute (after `type`), for clients that read it from there.
 */
function addTtyCompat(el: XmlElement): void {
  const path = el.element('source')?.attr('path');
  if (el.attr('type') !== 'pty' || !path || (el.element('target')?.attr('port') ?? '0') !== '0') return;
  const rest = [...el.attrs].filter(([k]) => k !== 'type' && k !== 'tty');
  el.attrs.clear();
  el.attrs.set('type', 'pty');
  el.attrs.set('tty', path);
  for (const [k, v] of rest) el.attrs.set(k, v);
}

function writeDevices(w: XmlWriter, def: DomainDef, opts: DomainFormatOptions): void {
  w.open('devices');
  if (def.emulator !== undefined) w.leaf('emulator', def.emulator);
  for (const kind of DEVICE_ORDER) {
    for (const dev of def.devices) {
      if (dev.kind !== kind) continue;
      const serial = kind === 'console' ? serialBehindConsole(def, dev) : undefined;
      const el = serial ? asSerialConsole(deviceElement(serial, opts), serial) : deviceElement(dev, opts);
      if (kind === 'console' && !opts.inactive) addTtyCompat(el);
      w.raw(serializeElement(el));
    }
  }
  w.close('devices');
}

/** Write the definition with `<domain>` (or `rootName`) as root. */
export function writeDomain(w: XmlWriter, def: DomainDef, opts: DomainFormatOptions = {}, rootName = 'domain'): void {
  const attrs: Array<[string, string | number | undefined]> = [['type', def.virtType]];
  if (def.id >= 0 && !opts.inactive) attrs.push(['id', def.id]);
  for (const [k, v] of def.rootAttrs) attrs.push([k, v]);
  w.open(rootName, attrs);
  const pres = (name: string) => {
    for (const el of def.preserved.get(name) ?? []) w.raw(serializeElement(el));
  };
  for (const name of TOP_ORDER) {
    switch (name) {
      case 'name':
        w.leaf('name', def.name);
        break;
      case 'uuid':
        w.leaf('uuid', def.uuid);
        break;
      case 'title':
        w.leaf('title', def.title);
        break;
      case 'description':
        w.leaf('description', def.description);
        break;
      case 'memory':
        w.leaf('memory', def.memory.toString(), [
          ['dumpCore', def.memoryDumpCore],
          ['unit', 'KiB'],
        ]);
        break;
      case 'currentMemory':
        w.leaf('currentMemory', def.currentMemory.toString(), [['unit', 'KiB']]);
        break;
      case 'vcpu':
        w.leaf('vcpu', def.vcpu, [
          ['placement', def.vcpuPlacement ?? 'static'],
          ['cpuset', def.vcpuCpuset],
          ['current', def.vcpuCurrent !== undefined && def.vcpuCurrent !== def.vcpu ? def.vcpuCurrent : undefined],
        ]);
        break;
      case 'os':
        writeOs(w, def);
        break;
      case 'on_poweroff':
        w.leaf('on_poweroff', def.onPoweroff);
        break;
      case 'on_reboot':
        w.leaf('on_reboot', def.onReboot);
        break;
      case 'on_crash':
        w.leaf('on_crash', def.onCrash);
        break;
      case 'devices':
        writeDevices(w, def, opts);
        break;
      default:
        pres(name);
    }
  }
  for (const el of def.namespaceEls) w.raw(serializeElement(el));
  w.close(rootName);
}

/** Format a definition as libvirt does. */
export function formatDomainDef(def: DomainDef, opts: DomainFormatOptions = {}): string {
  const w = new XmlWriter();
  writeDomain(w, def, opts);
  return w.toString();
}

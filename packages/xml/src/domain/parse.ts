/**
 * Domain XML → DomainDef (the generic part of virDomainDefParseNode): the typed top-level fields,
 * the device list, and preserved subtrees for everything else. Generic post-parse defaults and
 * validation run afterwards (see defaults.ts, validate.ts).
 */
import { newUuid, parseUuid } from '@virtkit/core';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, XmlElement } from '../tree';
import { parseIntStrict, parseScaledElement, ULLONG_MAX } from '../scaled';
import { formatBitmap, parseMask, stripFormatting } from './node';
import { normalizeNumatune } from './numatune';
import { propEnum, propUInt } from '../props';
import { parseDevices } from './devices';
import { cpuIsEmpty, parseGuestCpu } from './cpu-parse';
import { normalizeFeatures } from './features';
import { normalizeClock, normalizeHvmOs } from './os-clock';
import type { DomainDef, DomainParseOptions } from './types';

const VIRT_TYPES = [
  'none',
  'qemu',
  'kqemu',
  'kvm',
  'xen',
  'lxc',
  'uml',
  'openvz',
  'test',
  'vmware',
  'hyperv',
  'vbox',
  'phyp',
  'parallels',
  'bhyve',
  'vz',
  'hvf',
];
const LIFECYCLE_ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve'];
const CRASH_ACTIONS = [...LIFECYCLE_ACTIONS, 'coredump-destroy', 'coredump-restart'];

/** Elements with a typed field in DomainDef; every other top-level element is preserved. */
const TYPED = new Set([
  'name',
  'uuid',
  'title',
  'description',
  'memory',
  'currentMemory',
  'vcpu',
  'os',
  'on_poweroff',
  'on_reboot',
  'on_crash',
  'devices',
]);

function lifecycle(root: XmlElement, name: string, allowed: string[]): string | undefined {
  const t = root.childText(name);
  if (t === undefined) return undefined;
  if (!allowed.includes(t)) throw VirError.xml(`Invalid value '${t}' for element '${name}'`);
  return t;
}

function kib(el: XmlElement | undefined, what: string, required = false): bigint | undefined {
  const bytes = parseScaledElement(el, what, 1024n, ULLONG_MAX, required);
  return bytes === undefined ? undefined : bytes / 1024n;
}

/** Parse a `<domain>` element that has already been read. */

/** virDomainVcpuParse's check of `<vcpu cpuset>`: a parsable bitmap with at least one CPU. */
/** virDomainVcpuParse's `cpuset`: a CPU set naming at least one CPU, kept as virBitmapFormat writes it. */
function vcpuCpuset(cpuset: string | undefined): string | undefined {
  if (cpuset === undefined) return undefined;
  const bits = parseMask(cpuset);
  if (bits.length === 0)
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, `Invalid value of 'cpuset': ${cpuset}`);
  return formatBitmap(bits);
}

export function parseDomainElement(root: XmlElement, opts: DomainParseOptions): DomainDef {
  if (root.name !== 'domain') {
    throw VirError.xml(`unexpected root element <${root.name}>, expecting <domain>`);
  }
  stripFormatting(root);
  const virtType = root.attr('type');
  if (virtType === undefined) throw VirError.xml('missing domain type attribute');
  if (!VIRT_TYPES.includes(virtType)) throw VirError.xml(`invalid domain type ${virtType}`);

  let id = -1;
  if (!opts.inactive && root.attr('id') !== undefined) id = parseIntStrict(root.attr('id') ?? '') ?? -1;

  const name = root.childText('name');
  if (!name) throw VirError.create(ErrorNumber.VIR_ERR_NO_NAME, ErrorDomain.VIR_FROM_DOMAIN, null);
  const uuidText = root.childText('uuid');
  let uuid: string;
  if (uuidText === undefined) uuid = newUuid();
  else {
    const u = parseUuid(uuidText);
    if (!u) throw VirError.internal('malformed uuid element', ErrorDomain.VIR_FROM_DOMAIN);
    uuid = u;
  }
  const title = root.childText('title');
  if (title !== undefined && title.includes('\n')) throw VirError.xml("Domain title can't contain newlines");

  const memEl = root.element('memory');
  const memory = kib(memEl, './memory[1]', true) ?? 0n;
  const currentMemory = kib(root.element('currentMemory'), './currentMemory[1]') ?? 0n;

  const vcpuEl = root.element('vcpu');
  let vcpu = 1;
  let vcpuCurrent: number | undefined;
  let vcpuPlacement: 'static' | 'auto' | undefined;
  if (vcpuEl) {
    const n = parseIntStrict(vcpuEl.text().trim(), 0, 0xffffffff);
    if (n === undefined) throw VirError.xml('maximum vcpus count must be an integer');
    vcpu = n;
    vcpuCurrent = propUInt(vcpuEl, 'current');
    vcpuPlacement = propEnum(vcpuEl, 'placement', ['static', 'auto'] as const);
  }
  const osEl = root.element('os') ?? new XmlElement('os');
  const typeEl = osEl.element('type');
  if (!typeEl?.text().trim()) throw VirError.xml('an os <type> must be specified', ErrorDomain.VIR_FROM_DOMAIN);
  let osType = typeEl.text().trim();
  // Xen paravirt guests were first written with os type 'linux': libvirt keeps that spelling for
  // them, reading 'xen' as 'linux' (capability lookups treat the two as one).
  if (virtType === 'xen' && osType === 'xen') osType = 'linux';

  const def: DomainDef = {
    virtType,
    id,
    name,
    uuid,
    title,
    description: root.childText('description'),
    memory,
    currentMemory,
    memoryDumpCore: memEl?.attr('dumpCore'),
    vcpu,
    vcpuPlacement,
    // an automatic placement ignores a given CPU set
    vcpuCpuset: vcpuPlacement === 'auto' ? undefined : vcpuCpuset(vcpuEl?.attr('cpuset')),
    vcpuCurrent,
    os: { type: osType, arch: typeEl.attr('arch'), machine: typeEl.attr('machine'), el: osEl },
    onPoweroff: lifecycle(root, 'on_poweroff', LIFECYCLE_ACTIONS),
    onReboot: lifecycle(root, 'on_reboot', LIFECYCLE_ACTIONS),
    onCrash: lifecycle(root, 'on_crash', CRASH_ACTIONS),
    devices: [],
    preserved: new Map(),
    rootAttrs: [...root.attrs].filter(([k]) => k !== 'type' && k !== 'id'),
    namespaceEls: [],
  };

  for (const child of root.elements()) {
    if (TYPED.has(child.name)) continue;
    if (child.name.includes(':')) {
      def.namespaceEls.push(child);
      continue;
    }
    const list = def.preserved.get(child.name) ?? [];
    list.push(child);
    def.preserved.set(child.name, list);
  }
  if (osType === 'hvm') normalizeHvmOs(osEl, opts.abiUpdate === true);
  const clock = def.preserved.get('clock')?.[0];
  if (clock) normalizeClock(clock);
  const features = def.preserved.get('features')?.[0];
  if (features) normalizeFeatures(features);
  const cpu = def.preserved.get('cpu')?.[0];
  if (cpu) {
    parseGuestCpu(cpu);
    if (cpuIsEmpty(cpu)) def.preserved.delete('cpu');
  }
  normalizeNumatune(def);
  const devicesEl = root.element('devices');
  if (devicesEl) {
    const { emulator, devices } = parseDevices(devicesEl, opts);
    def.emulator = emulator;
    def.devices = devices;
  }
  return def;
}

/** Parse domain XML text into a definition (no post-parse). */
export function parseDomainRaw(text: string, opts: DomainParseOptions): DomainDef {
  return parseDomainElement(parseXml(text), opts);
}

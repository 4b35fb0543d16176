/**
 * Domain XML → DomainDef (the generic part of virDomainDefParseNode): the typed top-level fields,
 * the device list, and preserved subtrees for everything else. Generic post-parse defaults and
 * validation run afterwards (see defaults.ts, validate.ts).
 */
import { newUuid, parseUuid } from '@virtkit/core';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, XmlElement } from '../tree';
import { parseIntStrict, parseScaledElement, ULLONG_MAX } from '../scaled';
import { parseBitmap, stripFormatting } from './node';
import { parseDevices } from './devices';
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
/** VIR_DOMAIN_CPUMASK_LEN: a cpuset names host CPUs below this. */
const CPUMASK_LEN = 16384;

/** virDomainVcpuParse's check of `<vcpu cpuset>`: a parsable bitmap with at least one CPU. */
function checkVcpuCpuset(cpuset: string | undefined): void {
  if (cpuset === undefined) return;
  const bits = parseBitmap(cpuset);
  if (!bits || bits.some((b) => b >= CPUMASK_LEN)) throw VirError.invalidArg(`Failed to parse bitmap '${cpuset}'`);
  if (bits.length === 0)
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, `Invalid value of 'cpuset': ${cpuset}`);
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
  if (vcpuEl) {
    const n = parseIntStrict(vcpuEl.text().trim(), 0, 0xffffffff);
    if (n === undefined) throw VirError.xml('maximum vcpus count must be an integer');
    vcpu = n;
    if (vcpuEl.attr('placement') !== 'auto') checkVcpuCpuset(vcpuEl.attr('cpuset'));
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
    vcpuPlacement: vcpuEl?.attr('placement'),
    vcpuCpuset: vcpuEl?.attr('cpuset'),
    vcpuCurrent: vcpuEl?.attr('current') !== undefined ? parseIntStrict(vcpuEl.attr('current') ?? '') : undefined,
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
  if (osType === 'hvm') normalizeHvmOs(osEl);
  const clock = def.preserved.get('clock')?.[0];
  if (clock) normalizeClock(clock);
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

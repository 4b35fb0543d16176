import { mkEl, type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';
import { TEST_NS_URI } from './constants';
import { internal, xmlError } from './errors';

/** The test namespace elements of a `<domain>` (testDomainDefNamespaceParse). */
export interface TestNamespace {
  runstate?: number;
  transient: boolean;
  hasManagedSave: boolean;
  snapshots: XmlElement[];
}

/** libvirt's defArch for the test driver. */
export const TEST_DEFAULT_ARCH = 'i686';

const namespaces = new WeakMap<DomainDef, TestNamespace>();

/** The namespace data read with `def` (empty when it had none). */
export function testNamespaceOf(def: DomainDef): TestNamespace {
  return namespaces.get(def) ?? { transient: false, hasManagedSave: false, snapshots: [] };
}

function parseNamespace(def: DomainDef): TestNamespace {
  const ns: TestNamespace = { transient: false, hasManagedSave: false, snapshots: [] };
  const decl = def.rootAttrs.find(([k, v]) => k.startsWith('xmlns:') && v === TEST_NS_URI);
  if (!decl) return ns;
  const p = decl[0].slice(6);
  const els = (local: string) => def.namespaceEls.filter((e) => e.name === `${p}:${local}`);
  ns.snapshots = els('domainsnapshot');
  ns.transient = els('transient').length > 0;
  ns.hasManagedSave = els('hasmanagedsave').length > 0;
  const rs = els('runstate')[0]?.text();
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

/** The test driver's post-parse hook (runs before the generic post-parse). */
export function testDomainPostParse(def: DomainDef): void {
  namespaces.set(def, parseNamespace(def));
  // Only a namespace with a formatter is written back; the test one has none.
  def.rootAttrs = def.rootAttrs.filter(([k]) => k !== 'xmlns' && !k.startsWith('xmlns:'));
  def.namespaceEls = [];
  if (def.devices.some((d) => d.kind === 'graphics') && !def.devices.some((d) => d.kind === 'video')) {
    const model = mkEl('model', [
      ['type', 'cirrus'],
      ['vram', 16384],
      ['heads', 1],
      ['primary', 'yes'],
    ]);
    const video: DomainDevice = { kind: 'video', el: mkEl('video', [], [model]) };
    def.devices.push(video);
  }
}

const AFTER_TARGET = new Set([
  'guest',
  'model',
  'driver',
  'backend',
  'filterref',
  'tune',
  'teaming',
  'link',
  'mtu',
  'coalesce',
  'rom',
  'boot',
  'alias',
  'address',
  'acpi',
]);

/** testDomainGenerateIfname tries `testnet0` to `testnet1023` and gives up after them. */
const MAX_IFNAMES = 1024;

/**
 * testDomainGenerateIfnames: every interface without a target device gets the first free
 * `testnetN` name (N below 1024, else libvirt's "Exceeded max iface limit"). libvirt runs it after
 * parsing in define, create and node loading only. A name once taken stays taken, so the search
 * resumes where the last one stopped: linear in the number of interfaces.
 */
export function generateIfnames(def: DomainDef): void {
  const nets = def.devices.filter((d) => d.kind === 'interface');
  const used = new Set(nets.map((n) => n.el.element('target')?.attr('dev')).filter((x): x is string => !!x));
  let next = 0;
  for (const net of nets) {
    const target = net.el.element('target');
    if (target?.attr('dev')) continue;
    while (next < MAX_IFNAMES && used.has(`testnet${next}`)) next++;
    if (next >= MAX_IFNAMES) throw internal(`Exceeded max iface limit ${MAX_IFNAMES}`);
    const name = `testnet${next++}`;
    used.add(name);
    if (target) {
      target.attrs.set('dev', name);
      continue;
    }
    const el = mkEl('target', [['dev', name]]);
    const at = net.el.children.findIndex((c) => c.kind === 'element' && AFTER_TARGET.has(c.name));
    if (at < 0) net.el.children.push(el);
    else net.el.children.splice(at, 0, el);
  }
}

/**
 * The guest `<cpu>` checks of virCPUDefParseXML and virDomainDefPostParseCPU: a known mode,
 * `migratable` only for host-passthrough/maximum, no vendor, features or check without a model in
 * custom mode, well-formed features and one cache element; `<topology>` gets its default dies.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { XmlElement } from '../tree';
import { orderAttrs, removeChildren, sortChildren } from './node';

/** virCPUDefFormatBuf's child order (then the NUMA cells). */
const CPU_CHILD_ORDER = ['model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'];

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_CPU, detail);
const xmlError = (detail: string) => VirError.xml(detail, ErrorDomain.VIR_FROM_CPU);

const MODES = ['custom', 'host-model', 'host-passthrough', 'maximum'];
const POLICIES = ['force', 'require', 'optional', 'disable', 'forbid'];

function checkFeatures(cpu: XmlElement): void {
  const seen = new Set<string>();
  for (const f of cpu.elements('feature')) {
    const policy = f.attr('policy');
    if (policy !== undefined && !POLICIES.includes(policy)) throw unsupported('Invalid CPU feature policy');
    const name = f.attr('name');
    if (!name) throw xmlError('Invalid CPU feature name');
    if (seen.has(name)) throw xmlError(`CPU feature '${name}' specified more than once`);
    seen.add(name);
  }
}

/** Check a guest `<cpu>` (one without `<arch>`, which would be a host CPU). */
export function parseGuestCpu(cpu: XmlElement): void {
  if (cpu.element('arch')) return;
  const mode = cpu.attr('mode') ?? 'custom';
  if (!MODES.includes(mode)) throw unsupported(`Invalid mode attribute '${mode}'`);
  if (cpu.attr('migratable') !== undefined && mode !== 'host-passthrough' && mode !== 'maximum') {
    throw unsupported("Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode");
  }
  const model = cpu.element('model')?.text();
  if (cpu.element('vendor') && !model) throw xmlError('CPU vendor specified without CPU model');
  const topology = cpu.element('topology');
  if (topology && topology.attr('dies') === undefined) {
    topology.attrs.set('dies', '1');
    orderAttrs(topology, ['sockets', 'dies', 'cores', 'threads']);
  }
  if (cpu.elements('feature').length && !model && mode === 'custom') throw xmlError('Non-empty feature list specified without CPU model');
  checkFeatures(cpu);
  if (cpu.elements('cache').length > 1) throw xmlError('at most one CPU cache element may be specified');
  if (mode === 'custom' && !model && cpu.attr('check') !== undefined && cpu.attr('check') !== 'default') {
    throw VirError.create(
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      ErrorDomain.VIR_FROM_DOMAIN,
      'check attribute specified for CPU with no model',
    );
  }
  formatGuestCpu(cpu, mode, model);
}

/** virCPUDefFormatBufFull's shape: the attributes of a CPU with a model or a mode, children in order. */
function formatGuestCpu(cpu: XmlElement, mode: string, model: string | undefined): void {
  const attrs: Array<[string, string | undefined]> = [];
  if (mode !== 'custom' || model) {
    attrs.push(['mode', mode]);
    if (mode === 'custom') attrs.push(['match', cpu.attr('match') ?? 'exact']);
    const check = cpu.attr('check');
    if (check !== undefined && check !== 'default') attrs.push(['check', check]);
    if (mode === 'host-passthrough' || mode === 'maximum') attrs.push(['migratable', cpu.attr('migratable')]);
  }
  cpu.attrs.clear();
  for (const [k, v] of attrs) if (v !== undefined) cpu.attrs.set(k, v);
  const modelEl = cpu.element('model');
  if (modelEl && (mode === 'custom' || mode === 'host-model')) {
    if (model) {
      const rest = [...modelEl.attrs].filter(([k]) => k !== 'fallback');
      const fallback = modelEl.attr('fallback') ?? 'allow';
      modelEl.attrs.clear();
      modelEl.attrs.set('fallback', fallback);
      for (const [k, v] of rest) modelEl.attrs.set(k, v);
    }
  } else if (modelEl) {
    removeChildren(cpu, 'model');
  }
  sortChildren(cpu, CPU_CHILD_ORDER);
}

/** Whether a `<cpu>` says nothing (libvirt writes no element then). */
export function cpuIsEmpty(cpu: XmlElement): boolean {
  return cpu.attrs.size === 0 && cpu.elements().length === 0;
}

/**
 * `<cputune>` children with rules beyond their syntax: the thread schedulers (vcpusched,
 * iothreadsched), expanded to one element per thread as libvirt stores and formats them, and the
 * resource-control groups (cachetune, memorytune) with libvirt's vcpu, overlap and collision rules.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { propEnum, propUInt } from '../props';
import { parseIntStrict } from '../scaled';
import type { XmlElement } from '../tree';
import { formatBitmap, mkEl, parseBitmap, sortChildren } from './node';

const err = (code: ErrorNumber, detail: string) => VirError.create(code, ErrorDomain.VIR_FROM_DOMAIN, detail);
const xmlErr = (detail: string) => err(ErrorNumber.VIR_ERR_XML_ERROR, detail);

/** The threads a `<cputune>` can schedule: vCPU numbers and iothread ids, in libvirt's order. */
export interface CputuneThreads {
  maxVcpus: number;
  iothreadIds: number[];
}

/** How one scheduled-thread element kind is named and how a missing thread is reported. */
interface SchedKind {
  element: 'vcpusched' | 'iothreadsched';
  attr: 'vcpus' | 'iothreads';
  absent: (id: number) => string;
}

const VCPU_SCHED: SchedKind = { element: 'vcpusched', attr: 'vcpus', absent: (id) => `vCPU '${id}' is not present in domain definition` };
const IOTHREAD_SCHED: SchedKind = { element: 'iothreadsched', attr: 'iothreads', absent: (id) => `Cannot find 'iothread' : ${id}` };

/** virDomainSchedulerParseCommonAttrs: the policy, and the priority the real-time ones need. */
function schedPolicy(el: XmlElement): Array<[string, string]> {
  const policy = propEnum(el, 'scheduler', ['none', 'batch', 'idle', 'fifo', 'rr'] as const, { required: true, nonzero: true })!;
  if (policy !== 'fifo' && policy !== 'rr') return [['scheduler', policy]];
  const text = el.attr('priority');
  if (text === undefined) throw VirError.xml(`Missing required attribute 'priority' in element '${el.name}'`);
  const priority = parseIntStrict(text);
  if (priority === undefined)
    throw VirError.xml(`Invalid value for attribute 'priority' in element '${el.name}': '${text}'. Expected integer value`);
  return [
    ['scheduler', policy],
    ['priority', String(priority)],
  ];
}

/**
 * virDomainThreadSchedParseHelper + virDomainSchedulerFormat: each element's bitmap names existing
 * threads that no other element names; the result is one element per thread, in thread order.
 */
function expandSched(cputune: XmlElement, kind: SchedKind, ids: number[]): void {
  const els = cputune.elements(kind.element);
  if (els.length === 0) return;
  const policies = new Map<number, Array<[string, string]>>();
  for (const el of els) {
    const text = el.attr(kind.attr);
    if (text === undefined) throw xmlErr(`Missing attribute '${kind.attr}' in element '${kind.element}'`);
    const bits = parseBitmap(text);
    if (!bits) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, `Failed to parse bitmap '${text}'`);
    if (bits.length === 0) throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, `'${kind.attr}' scheduler bitmap '${text}' is empty`);
    const policy = schedPolicy(el);
    for (const id of bits) {
      if (!ids.includes(id)) throw err(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, kind.absent(id));
      if (policies.has(id)) throw err(ErrorNumber.VIR_ERR_XML_DETAIL, `'${kind.element}' attributes '${kind.attr}' must not overlap`);
      policies.set(id, policy);
    }
  }
  const at = cputune.children.indexOf(els[0]);
  for (const el of els) cputune.children.splice(cputune.children.indexOf(el), 1);
  const expanded = ids.filter((id) => policies.has(id)).map((id) => mkEl(kind.element, [[kind.attr, String(id)], ...policies.get(id)!]));
  cputune.children.splice(at, 0, ...expanded);
}

/** virDomainResctrlParseVcpus: the group's vcpus, limited to the domain's vCPUs. */
function resctrlVcpus(el: XmlElement, maxVcpus: number): number[] {
  const text = el.attr('vcpus');
  if (text === undefined) throw xmlErr(`Missing ${el.name} attribute 'vcpus'`);
  const bits = parseBitmap(text);
  if (!bits) throw xmlErr(`Invalid ${el.name} attribute 'vcpus' value '${text}'`);
  return bits.filter((v) => v < maxVcpus);
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const overlaps = (a: number[], b: number[]) => a.some((x) => b.includes(x));

/** virDomainResctrlVcpuMatch: the group with exactly these vcpus; any partial overlap is refused. */
function matchGroup(groups: number[][], vcpus: number[]): number[] | undefined {
  for (const g of groups) {
    if (same(g, vcpus)) return g;
    if (overlaps(g, vcpus)) throw xmlErr('Overlapping vcpus in resctrls');
  }
  return undefined;
}

/** Monitors of one group: cache level 3 only, vcpus inside the group, no identical pair. */
function checkMonitors(tune: XmlElement, vcpus: number[], maxVcpus: number): void {
  const seen: number[][] = [];
  for (const m of tune.elements('monitor')) {
    if (tune.name === 'cachetune') {
      const level = propUInt(m, 'level', { required: true });
      if (level !== 3) throw xmlErr(`Invalid monitor cache level '${level}'`);
    }
    const mv = resctrlVcpus(m, maxVcpus);
    if (mv.length === 0) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, 'vcpus is empty');
    if (!mv.every((v) => vcpus.includes(v))) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, 'Monitor vcpus conflicts with allocation');
    if (seen.some((s) => same(s, mv))) throw err(ErrorNumber.VIR_ERR_INVALID_ARG, 'Identical vcpus found in same type monitors');
    seen.push(mv);
    m.attrs.set('vcpus', formatBitmap(mv));
  }
}

/** virResctrlAllocSetCacheSize's collision rule: `both` excludes `code`/`data` on the same cache, and no type twice. */
function checkCaches(tune: XmlElement): void {
  const taken = new Set<string>();
  for (const c of tune.elements('cache')) {
    const id = propUInt(c, 'id', { required: true })!;
    const level = propUInt(c, 'level', { required: true })!;
    const type = propEnum(c, 'type', ['both', 'code', 'data'] as const, { required: true })!;
    const key = (t: string) => `${level}/${id}/${t}`;
    const clash = taken.has(key('both')) || (type === 'both' ? taken.has(key('code')) || taken.has(key('data')) : taken.has(key(type)));
    if (clash) throw xmlErr(`Colliding cache allocations for cache level '${level}' id '${id}', type '${type}'`);
    if (c.attr('size') !== '0') taken.add(key(type));
  }
}

/** virDomainMemorytuneDefParseMemory: one bandwidth per node. */
function checkNodes(tune: XmlElement): void {
  const seen = new Set<number>();
  for (const n of tune.elements('node')) {
    const id = propUInt(n, 'id', { required: true })!;
    propUInt(n, 'bandwidth', { required: true });
    if (seen.has(id)) throw xmlErr(`Memory Bandwidth already defined for node ${id}`);
    seen.add(id);
  }
}

/**
 * Cachetunes are read first, then memorytunes, into one list of groups: a cachetune may not repeat
 * a group's vcpus, a memorytune with the same vcpus joins that group, a partial overlap is refused.
 * A group with no vcpu left within the domain, or with nothing in it, is dropped.
 */
function normalizeResctrls(cputune: XmlElement, maxVcpus: number): void {
  const groups: number[][] = [];
  const keep = (tune: XmlElement, allocs: string, identical?: string): void => {
    const vcpus = resctrlVcpus(tune, maxVcpus);
    const drop = () => cputune.children.splice(cputune.children.indexOf(tune), 1);
    if (vcpus.length === 0) return void drop();
    const group = matchGroup(groups, vcpus);
    if (group && identical) throw xmlErr(identical);
    if (allocs === 'cache') checkCaches(tune);
    else checkNodes(tune);
    checkMonitors(tune, vcpus, maxVcpus);
    if (tune.elements().length === 0) return void drop();
    if (!group) groups.push(vcpus);
    tune.attrs.set('vcpus', formatBitmap(vcpus));
    sortChildren(tune, [allocs, 'monitor']);
  };
  for (const tune of cputune.elements('cachetune')) keep(tune, 'cache', 'Identical vcpus in cachetunes found');
  for (const tune of cputune.elements('memorytune')) keep(tune, 'node');
}

/** `<cputune>`'s scalar children (shares, periods and quotas), in libvirt's order. */
export const CPUTUNE_SCALARS = [
  'shares',
  'period',
  'quota',
  'global_period',
  'global_quota',
  'emulator_period',
  'emulator_quota',
  'iothread_period',
  'iothread_quota',
] as const;

/** virDomainCputuneDefFormat's child order. */
const CPUTUNE_ORDER = [
  ...CPUTUNE_SCALARS,
  'vcpupin',
  'emulatorpin',
  'iothreadpin',
  'emulatorsched',
  'vcpusched',
  'iothreadsched',
  'cachetune',
  'memorytune',
];

/** Validate and normalise `<cputune>` against the domain's vCPUs and iothreads. */
export function normalizeCputune(cputune: XmlElement, threads: CputuneThreads): void {
  expandSched(
    cputune,
    VCPU_SCHED,
    Array.from({ length: threads.maxVcpus }, (_, i) => i),
  );
  expandSched(cputune, IOTHREAD_SCHED, threads.iothreadIds);
  normalizeResctrls(cputune, threads.maxVcpus);
  sortChildren(cputune, CPUTUNE_ORDER);
}

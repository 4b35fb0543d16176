import { parseBitmap, type XmlElement } from '@virtkit/xml';
import { VirError } from '@virtkit/core';
import { findMachine } from '../caps/types';
import { CmdBuilder, sizeKiB } from './builder';
import { accelName } from './general';
import type { HugetlbfsMount } from './types';

const alignUp = (v: number, a: number) => Math.ceil(v / a) * a;

export interface NumaCell {
  id: number;
  cpus?: string;
  /** KiB, aligned. */
  memory: number;
  memAccess?: string;
  discard?: string;
  el: XmlElement;
}

export function numaCells(b: CmdBuilder): NumaCell[] {
  const cells = b.top('cpu')?.element('numa')?.elements('cell') ?? [];
  return cells.map((c, i) => ({
    id: Number(c.attr('id') ?? i),
    cpus: c.attr('cpus'),
    memory: alignUp(Math.floor((Number(c.attr('memory') ?? '0') * unitMul(c.attr('unit') ?? 'KiB')) / 1024), 1024),
    memAccess: c.attr('memAccess'),
    discard: c.attr('discard'),
    el: c,
  }));
}

function unitMul(u: string): number {
  const t: Record<string, number> = { b: 1, bytes: 1, kb: 1000, k: 1024, kib: 1024, m: 1 << 20, mib: 1 << 20, g: 1 << 30, gib: 1 << 30 };
  return t[u.toLowerCase()] ?? 1024;
}

/** Initial memory in KiB (without memory devices), aligned as QEMU needs. */
export function initialMemory(b: CmdBuilder): number {
  const cells = numaCells(b);
  if (cells.length) return cells.reduce((s, c) => s + c.memory, 0);
  let total = Number(b.def.memory);
  for (const d of b.devices('memory')) total -= sizeKiB(d.el.element('target')?.element('size')) ?? 0;
  return alignUp(total, 1024);
}

/** virGetSystemPageSizeKB on the x86 hosts QEMU guests run on here (Node has no sysconf). */
const SYSTEM_PAGE_KIB = 4;

interface HugePage {
  size: number;
  nodeset?: number[];
}

function hugepages(b: CmdBuilder): HugePage[] | undefined {
  const hp = b.top('memoryBacking')?.element('hugepages');
  if (!hp) return undefined;
  const pages = hp.elements('page');
  if (!pages.length) return [{ size: 0 }];
  return pages.map((p) => ({
    size: Math.floor((Number(p.attr('size') ?? '0') * unitMul(p.attr('unit') ?? 'KiB')) / 1024),
    nodeset: p.attr('nodeset') !== undefined ? parseBitmap(p.attr('nodeset')!) : undefined,
  }));
}

/** The hugetlbfs mount for a page size (0 = the default one). */
function hugepageMount(b: CmdBuilder, size: number): HugetlbfsMount {
  const mounts = b.ctx.config.hugetlbfs;
  const m = size === 0 ? (mounts.find((x) => x.deflt) ?? mounts[0]) : mounts.find((x) => x.size === size);
  if (!m) throw VirError.internal(`Unable to find any usable hugetlbfs mount for ${size} KiB`);
  return m;
}

/** The hugetlbfs mount directory for a page size (0 = default). */
export function hugepagePath(b: CmdBuilder, size: number): string {
  return `${hugepageMount(b, size).mnt}/libvirt/qemu/${b.shortName}`;
}

interface NodePolicy {
  nodes?: number[];
  mode?: string;
}

function numatunePolicy(b: CmdBuilder, cellId: number | undefined): NodePolicy {
  const nt = b.top('numatune');
  if (!nt) return {};
  if (cellId !== undefined) {
    const mn = nt.elements('memnode').find((m) => Number(m.attr('cellid')) === cellId);
    if (mn) return { nodes: parseBitmap(mn.attr('nodeset') ?? ''), mode: mn.attr('mode') ?? 'strict' };
  }
  const mem = nt.element('memory');
  if (!mem) return {};
  const mode = mem.attr('mode') ?? 'strict';
  if (mem.attr('placement') === 'auto' || (mem.attr('nodeset') === undefined && b.def.vcpuPlacement === 'auto')) {
    return { nodes: parseBitmap(b.ctx.numadPlacement()), mode };
  }
  const ns = mem.attr('nodeset');
  return { nodes: ns !== undefined ? parseBitmap(ns) : undefined, mode };
}

const POLICY: Record<string, string> = { strict: 'bind', interleave: 'interleave', preferred: 'preferred' };

export interface BackendOpts {
  id: string;
  /** Size in KiB. */
  size: number;
  cellId?: number;
  /** Explicit page size of a memory device (KiB); undefined: from `<memoryBacking>`. */
  pagesize?: number;
  /** Explicit host nodes of a memory device. */
  sourceNodes?: number[];
  memAccess?: string;
  discard?: string;
  /** The device alias naming its file under memory_backing_dir (default: the id). */
  alias?: string;
  /** File path of an nvdimm / virtio-pmem. */
  path?: string;
  pmem?: boolean;
  align?: number;
  readonly?: boolean;
  reserve?: boolean;
  isMainRam?: boolean;
  nvdimm?: boolean;
  /** Set by the builder: preallocation is requested on the device (virtio-mem). */
  devicePrealloc?: boolean;
}

/** Build a memory backend object; returns true when a thread-context was emitted. Pushes `-object`s. */
export function buildMemoryBackend(b: CmdBuilder, o: BackendOpts): void {
  const mb = b.top('memoryBacking');
  const pages = hugepages(b);
  let pagesize = o.pagesize;
  if (pagesize === undefined && pages && !o.path) {
    const match = pages.find((p) => o.cellId !== undefined && p.nodeset?.includes(o.cellId)) ?? pages.find((p) => p.nodeset === undefined);
    if (match) pagesize = match.size;
  }
  // Pages of the system's own size are ordinary memory, not hugetlbfs (qemuBuildMemoryBackendProps).
  if (pagesize === SYSTEM_PAGE_KIB) pagesize = undefined;
  const sourceType = mb?.element('source')?.attr('type');
  // The device's own setting, else its NUMA cell's, else <memoryBacking>'s (discard is a tristate).
  const cell = o.cellId !== undefined ? numaCells(b).find((c) => c.id === o.cellId) : undefined;
  const access = o.memAccess ?? cell?.memAccess ?? mb?.element('access')?.attr('mode');
  const discard = o.discard ?? cell?.discard ?? (mb?.element('discard') ? 'yes' : undefined);
  const props: Record<string, unknown> = {};
  let qomType = 'memory-backend-ram';
  let prealloc = mb?.element('allocation')?.attr('mode') === 'immediate' || pagesize !== undefined;
  if (access === 'shared') props.share = true;
  else if (access === 'private') props.share = false;
  if (!o.path && sourceType === 'memfd') {
    // qemuBuildMemoryBackendProps: memfd is chosen before hugetlbfs files, hugepages become its options.
    qomType = 'memory-backend-memfd';
    if (pagesize !== undefined) {
      props.hugetlb = true;
      props.hugetlbsize = hugepageMount(b, pagesize).size * 1024;
    }
    if (o.isMainRam) props['x-use-canonical-path-for-ramblock-id'] = false;
  } else if (o.path) {
    qomType = 'memory-backend-file';
    props['mem-path'] = o.path;
  } else if (pagesize !== undefined || access !== undefined || sourceType === 'file') {
    qomType = 'memory-backend-file';
    props['mem-path'] =
      pagesize !== undefined ? hugepagePath(b, pagesize) : `${b.ctx.config.memoryBackingDir}/${b.shortName}/${o.alias ?? o.id}`;
    if (discard) props['discard-data'] = discard === 'yes';
    if (o.isMainRam) props['x-use-canonical-path-for-ramblock-id'] = false;
  }
  // property order: hugetlb, hugetlbsize, mem-path, discard-data, share, x-use-canonical-path-for-ramblock-id, reserve, prealloc, size, ...
  const out: Record<string, unknown> = { 'qom-type': qomType, id: o.id };
  for (const k of ['hugetlb', 'hugetlbsize', 'mem-path', 'discard-data', 'share', 'x-use-canonical-path-for-ramblock-id'])
    if (k in props) out[k] = props[k];
  if (o.reserve === false) out.reserve = false;
  if (o.nvdimm && !o.pmem) prealloc = true;
  if (o.reserve === false && prealloc) {
    prealloc = false;
    o.devicePrealloc = true;
  }
  if (prealloc && !o.pmem) {
    out.prealloc = true;
    const threads = mb?.element('allocation')?.attr('threads');
    if (threads !== undefined) out['prealloc-threads'] = Number(threads);
  }
  out.size = o.size * 1024;
  if (o.align) out.align = o.align * 1024;
  if (o.pmem) out.pmem = true;
  if (o.readonly) out.readonly = true;
  let nodes = o.sourceNodes;
  let mode: string | undefined = nodes ? 'strict' : undefined;
  if (!nodes) {
    const pol = numatunePolicy(b, o.cellId);
    if (pol.mode !== 'restrictive') {
      nodes = pol.nodes;
      mode = pol.mode;
    }
  }
  let tc: string | undefined;
  if (nodes && nodes.length) {
    out['host-nodes'] = nodes;
    out.policy = POLICY[mode ?? 'strict'] ?? 'bind';
    if (out.prealloc && b.has('thread-context')) {
      tc = `tc-${o.id}`;
      out['prealloc-context'] = tc;
    }
  }
  if (tc) b.json('-object', { 'qom-type': 'thread-context', id: tc, 'node-affinity': nodes });
  b.json('-object', out);
}

/** The id of the main RAM backend object, when guest RAM gets one (no NUMA cells, machine has a RAM id). */
export function mainRamBackendId(b: CmdBuilder): string | undefined {
  if (numaCells(b).length) return undefined;
  return findMachine(b.caps, accelName(b), b.def.os.machine ?? '')?.defaultRAMid;
}

export function buildMemory(b: CmdBuilder): void {
  const mem = initialMemory(b);
  const maxEl = b.top('maxMemory');
  if (maxEl) {
    const max = sizeKiB(maxEl) ?? 0;
    b.add('-m', `size=${mem}k,slots=${maxEl.attr('slots') ?? 0},maxmem=${max}k`);
  } else {
    b.add('-m', String(Math.floor(mem / 1024)));
  }
  const ramId = mainRamBackendId(b);
  if (ramId) buildMemoryBackend(b, { id: ramId, size: mem, isMainRam: true });
  const mb = b.top('memoryBacking');
  const locked = mb?.element('locked') !== undefined;
  b.add('-overcommit', `mem-lock=${locked ? 'on' : 'off'}`);
}

function needNumaBackends(b: CmdBuilder): boolean {
  const machine = findMachine(b.caps, accelName(b), b.def.os.machine ?? '');
  if (!machine?.numaMemSupported) return true;
  const mb = b.top('memoryBacking');
  if (mb?.element('hugepages') || mb?.element('source') || mb?.element('access')) return true;
  if (b.top('numatune')) return true;
  if (numaCells(b).some((c) => c.memAccess || (c.discard === 'yes' && false))) return true;
  return b.devices('memory').length > 0;
}

export function buildNuma(b: CmdBuilder): void {
  const cells = numaCells(b);
  if (!cells.length) return;
  const useBackend = needNumaBackends(b);
  if (b.top('memoryBacking')?.element('allocation')?.attr('mode') === 'immediate' && !useBackend) b.add('-mem-prealloc');
  const initiators = new Map<number, number>();
  for (const c of cells) {
    const init = c.el.attr('initiator');
    if (init !== undefined) initiators.set(c.id, Number(init));
  }
  const hmat = b.top('cpu')?.element('numa')?.elements('interconnects').length || cells.some((c) => c.el.element('cache'));
  for (const c of cells) {
    if (useBackend)
      buildMemoryBackend(b, { id: `ram-node${c.id}`, size: c.memory, cellId: c.id, memAccess: c.memAccess, discard: c.discard });
    let s = `node,nodeid=${c.id}`;
    if (c.cpus) for (const part of c.cpus.split(',')) s += `,cpus=${part}`;
    if (hmat) {
      const ic = b
        .top('cpu')
        ?.element('numa')
        ?.element('interconnects')
        ?.elements()
        .find((e) => Number(e.attr('target')) === c.id);
      const firstCpu = cells.find((x) => x.cpus)?.id;
      const init = initiators.get(c.id) ?? (c.cpus ? c.id : ic ? Number(ic.attr('initiator')) : firstCpu);
      if (init !== undefined) s += `,initiator=${init}`;
    }
    s += useBackend ? `,memdev=ram-node${c.id}` : `,mem=${c.memory / 1024}`;
    b.add('-numa', s);
  }
  for (const c of cells) {
    for (const sib of c.el.element('distances')?.elements('sibling') ?? []) {
      b.add('-numa', `dist,src=${c.id},dst=${sib.attr('id')},val=${sib.attr('value')}`);
    }
  }
  if (hmat) buildHmat(b, cells);
}

function buildHmat(b: CmdBuilder, cells: NumaCell[]): void {
  const ic = b.top('cpu')?.element('numa')?.element('interconnects');
  for (const el of ic?.elements() ?? []) {
    const cache = el.attr('cache');
    const hier = cache === undefined || cache === '0' ? 'memory' : `${['', 'first', 'second', 'third'][Number(cache)]}-level`;
    const type = el.attr('type') ?? 'access';
    let s = `hmat-lb,initiator=${el.attr('initiator')},target=${el.attr('target')},hierarchy=${hier},data-type=${type}-${el.name}`;
    if (el.name === 'latency') s += `,latency=${el.attr('value')}`;
    else s += `,bandwidth=${Number(el.attr('value')) * (el.attr('unit') === 'MiB' ? 1024 : 1)}K`;
    b.add('-numa', s);
  }
  for (const c of cells) {
    for (const cache of c.el.elements('cache')) {
      const size = cache.element('size');
      const line = cache.element('line');
      const bytes = (el: typeof size) => Number(el?.attr('value') ?? 0) * unitMul(el?.attr('unit') ?? 'B');
      const pol: Record<string, string> = { writeback: 'write-back', writethrough: 'write-through', none: 'none' };
      b.add(
        '-numa',
        `hmat-cache,node-id=${c.id},size=${bytes(size) / 1024}K,level=${cache.attr('level')},associativity=${cache.attr('associativity')},policy=${pol[cache.attr('policy') ?? ''] ?? cache.attr('policy')},line=${bytes(line)}`,
      );
    }
  }
}

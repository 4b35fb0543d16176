/**
 * Domain statistics of the QEMU driver (qemuConnectGetAllDomainStats, qemuDomainMemoryStats,
 * qemuDomainBlockStats): the figures come from QMP (query-balloon, the balloon's guest-stats,
 * query-cpus-fast, query-blockstats, query-block, query-named-block-nodes, query-stats) and from
 * /proc for the QEMU process and its vCPU threads. Field names, types and which fields appear
 * in which domain state are libvirt 9.0's (test/daemon/domstats-keys.test.ts compares them).
 */
import * as fs from 'node:fs';
import {
  ConnectGetAllDomainStatsFlags as F,
  DomainDirtyRateStatus,
  DomainMemoryStatTags as T,
  DomainStatsTypes as S,
  ErrorNumber,
  TypedParameterType as P,
  VcpuState,
  VirError,
  typedParams,
  type BlockStats,
  type DomainRef,
  type DomainStatsRecordRef,
  type MemoryStat,
  type TypedParam,
} from '@virtkit/core';
import type { QemuDriver } from '../qemu-driver';
import type { QemuDomainObj } from './obj';
import { checkFlags, FROM_QEMU, notRunning } from './errors';
import * as proc from './proc-stats';
import { diskChain, imageSize, readDiskChain } from '../blockjob/chain';
import type { ChainLayer } from '../blockjob/types';
import { vcpuQueried, vmStats, type QueriedStats } from './query-stats';

/** The groups this driver fills. */
const SUPPORTED =
  S.VIR_DOMAIN_STATS_STATE |
  S.VIR_DOMAIN_STATS_CPU_TOTAL |
  S.VIR_DOMAIN_STATS_BALLOON |
  S.VIR_DOMAIN_STATS_VCPU |
  S.VIR_DOMAIN_STATS_INTERFACE |
  S.VIR_DOMAIN_STATS_BLOCK |
  S.VIR_DOMAIN_STATS_IOTHREAD |
  S.VIR_DOMAIN_STATS_DIRTYRATE |
  S.VIR_DOMAIN_STATS_PERF |
  S.VIR_DOMAIN_STATS_MEMORY |
  S.VIR_DOMAIN_STATS_VM;

const FILTERS = 0xff;
const FLAGS =
  FILTERS |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;

/** The groups that need the domain's QEMU (its capabilities): a domain without a process has none of them. */
const NEED_QEMU = S.VIR_DOMAIN_STATS_IOTHREAD | S.VIR_DOMAIN_STATS_DIRTYRATE | S.VIR_DOMAIN_STATS_VM;

/**
 * qemuDomainGetStatsCheckSupport: the requested groups this domain can give (0 asks for all of
 * them); one it cannot give is an error only with ENFORCE_STATS.
 */
function groupsOf(d: QemuDomainObj, requested: number, flags: number): number {
  const supported = d.active ? SUPPORTED : SUPPORTED & ~NEED_QEMU;
  if (requested === 0) return supported;
  const missing = (requested & ~supported) >>> 0;
  if (missing && flags & F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      FROM_QEMU,
      `Stats types bits 0x${missing.toString(16)} are not supported by this daemon or QEMU`,
    );
  }
  return (requested & supported) >>> 0;
}

/** qemuConnectGetAllDomainStats: the domains the filter flags select (of `doms`, when given). */
export async function listGetStats(driver: QemuDriver, doms: DomainRef[], stats: number, flags: number): Promise<DomainStatsRecordRef[]> {
  checkFlags(flags, FLAGS, 'qemuConnectGetAllDomainStats');
  const selected = new Set(driver.domains.filter(flags & FILTERS, (d) => driver.facts(d)).map((r) => r.uuid));
  const objs = (doms.length ? doms.map((r) => driver.domains.get(r)) : driver.domains.all()).filter((d) => selected.has(d.uuid));
  const groups = objs.map((d) => groupsOf(d, stats, flags));
  const backing = (flags & F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING) !== 0;
  return Promise.all(objs.map(async (d, i) => ({ dom: d.ref(), params: typedParams(await domainStats(d, groups[i], backing)) })));
}

const int = (field: string, value: number): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_INT, value });
const uint = (field: string, value: number): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_UINT, value });
const ull = (field: string, value: number | bigint): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_ULLONG, value });
const str = (field: string, value: string): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_STRING, value });

/** A QMP query, or null when QEMU cannot answer it (no such device, a monitor going away). */
async function query<T>(d: QemuDomainObj, command: string, args?: Record<string, unknown>): Promise<T | null> {
  try {
    return await d.monitor().execute<T>(command, args);
  } catch {
    return null;
  }
}

async function domainStats(d: QemuDomainObj, groups: number, backing: boolean): Promise<TypedParam[]> {
  const out: TypedParam[] = [];
  if (groups & S.VIR_DOMAIN_STATS_STATE) out.push(int('state.state', d.state.state), int('state.reason', d.state.reason));
  if (groups & S.VIR_DOMAIN_STATS_CPU_TOTAL) out.push(...cpuTotal(d));
  if (groups & S.VIR_DOMAIN_STATS_BALLOON) out.push(...(await balloonStats(d)));
  // query-stats answers for the vcpu and vm groups alike: asked once, and only when one needs it.
  const queried = d.active && groups & (S.VIR_DOMAIN_STATS_VCPU | S.VIR_DOMAIN_STATS_VM) ? await queryStats(d) : null;
  if (groups & S.VIR_DOMAIN_STATS_VCPU) out.push(...(await vcpuStats(d, queried)));
  if (groups & S.VIR_DOMAIN_STATS_INTERFACE && d.active) out.push(...netStats(d));
  if (groups & S.VIR_DOMAIN_STATS_BLOCK) out.push(...(await blockGroup(d, backing)));
  // The perf group counts the perf events enabled on the domain, and the memory group its resctrl
  // memory-bandwidth monitors: this driver enables and creates neither, so both stay empty.
  if (groups & S.VIR_DOMAIN_STATS_IOTHREAD && d.active) out.push(...(await iothreadStats(d)));
  if (groups & S.VIR_DOMAIN_STATS_DIRTYRATE && d.active) out.push(...(await dirtyRate(d)));
  if (groups & S.VIR_DOMAIN_STATS_VM && queried) out.push(...vmStats(queried));
  return out;
}

/**
 * qemuDomainGetStatsCpu. A running domain: its process's times, the count of resctrl cache
 * monitors (none: this driver creates none) and KVM's halt-polling times (debugfs; 0 where
 * there is none, as libvirt 9.0 reports them). A domain without a process: libvirt 9.0 reads
 * the stat file of pid 0, which is its own process's, so the daemon's own times appear.
 */
function cpuTotal(d: QemuDomainObj): TypedParam[] {
  const pid = d.active ? d.runtime.pid : undefined;
  const t = proc.processTimes(pid ?? process.pid);
  if (!t) return [];
  const out = [ull('cpu.time', t.total), ull('cpu.user', t.user), ull('cpu.system', t.system)];
  if (!pid) return out;
  const halt = proc.haltPollTimes(pid) ?? { success: 0, fail: 0 };
  out.push(uint('cpu.cache.monitor.count', 0), ull('cpu.haltpoll.success.time', halt.success), ull('cpu.haltpoll.fail.time', halt.fail));
  return out;
}

/** query-stats for the vCPUs and for the VM as a whole, with the schemas naming their figures. */
async function queryStats(d: QemuDomainObj): Promise<QueriedStats | null> {
  const schemas = await query<QueriedStats['schemas']>(d, 'query-stats-schemas');
  if (!schemas?.length) return null;
  const vm = (await query<QueriedStats['vm']>(d, 'query-stats', { target: 'vm' })) ?? [];
  const vcpu = (await query<QueriedStats['vcpu']>(d, 'query-stats', { target: 'vcpu' })) ?? [];
  return { schemas, vm, vcpu };
}

/** One IOThread as query-iothreads describes it. */
export interface QmpIOThread {
  id: string;
  'thread-id': number;
  'poll-max-ns'?: number;
  'poll-grow'?: number;
  'poll-shrink'?: number;
}

/** The IOThread id libvirt gave QEMU's object (`iothread<N>`), or null for one it did not name. */
export const iothreadNumber = (t: QmpIOThread): number | null => (/^iothread(\d+)$/.exec(t.id) ? Number(t.id.slice(8)) : null);

/** qemuDomainGetStatsIOThread: the count, and the polling figures of each thread QEMU reports them for. */
async function iothreadStats(d: QemuDomainObj): Promise<TypedParam[]> {
  const threads = ((await query<QmpIOThread[]>(d, 'query-iothreads')) ?? []).filter((t) => iothreadNumber(t) !== null);
  if (threads.length === 0) return [];
  const out = [uint('iothread.count', threads.length)];
  for (const t of threads) {
    if (t['poll-max-ns'] === undefined) continue;
    const id = iothreadNumber(t);
    out.push(ull(`iothread.${id}.poll-max-ns`, t['poll-max-ns']), uint(`iothread.${id}.poll-grow`, t['poll-grow'] ?? 0));
    out.push(uint(`iothread.${id}.poll-shrink`, t['poll-shrink'] ?? 0));
  }
  return out;
}

interface QmpDirtyRate {
  status: string;
  'start-time': number;
  'calc-time': number;
  mode?: string;
  'dirty-rate'?: number;
}

/** virDomainDirtyRateStatus by QEMU's status name. */
const DIRTY_RATE_STATUS: Record<string, number> = {
  unstarted: DomainDirtyRateStatus.VIR_DOMAIN_DIRTYRATE_UNSTARTED,
  measuring: DomainDirtyRateStatus.VIR_DOMAIN_DIRTYRATE_MEASURING,
  measured: DomainDirtyRateStatus.VIR_DOMAIN_DIRTYRATE_MEASURED,
};

/** qemuDomainGetStatsDirtyRate: the last dirty page rate measurement (query-dirty-rate). */
async function dirtyRate(d: QemuDomainObj): Promise<TypedParam[]> {
  const r = await query<QmpDirtyRate>(d, 'query-dirty-rate');
  if (!r) return [];
  const out = [
    int('dirtyrate.calc_status', DIRTY_RATE_STATUS[r.status] ?? 0),
    { field: 'dirtyrate.calc_start_time', type: P.VIR_TYPED_PARAM_LLONG, value: r['start-time'] },
    int('dirtyrate.calc_period', r['calc-time']),
  ];
  if (r.mode) out.push(str('dirtyrate.calc_mode', r.mode));
  if (r.status === 'measured' && r['dirty-rate'] !== undefined)
    out.push({ field: 'dirtyrate.megabytes_per_second', type: P.VIR_TYPED_PARAM_LLONG, value: r['dirty-rate'] });
  return out;
}

/** The guest-reported balloon figures in libvirt's order, by libvirt's stat name and QEMU's guest-stats key. */
const GUEST_STATS: Array<[number, string, string]> = [
  [T.VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 'swap_in', 'stat-swap-in'],
  [T.VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 'swap_out', 'stat-swap-out'],
  [T.VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 'major_fault', 'stat-major-faults'],
  [T.VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, 'minor_fault', 'stat-minor-faults'],
  [T.VIR_DOMAIN_MEMORY_STAT_UNUSED, 'unused', 'stat-free-memory'],
  [T.VIR_DOMAIN_MEMORY_STAT_AVAILABLE, 'available', 'stat-total-memory'],
  [T.VIR_DOMAIN_MEMORY_STAT_USABLE, 'usable', 'stat-available-memory'],
  [T.VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, 'last-update', 'last-update'],
  [T.VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, 'disk_caches', 'stat-disk-caches'],
  [T.VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 'hugetlb_pgalloc', 'stat-htlb-pgalloc'],
  [T.VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 'hugetlb_pgfail', 'stat-htlb-pgfail'],
];

/** Sizes QEMU reports in bytes and libvirt in KiB. */
const IN_BYTES = new Set(['stat-free-memory', 'stat-total-memory', 'stat-available-memory', 'stat-disk-caches']);

/** qemuDomainMemoryStatsInternal: the balloon size, what the guest reported, and the process RSS. */
async function memoryStatList(d: QemuDomainObj): Promise<Array<[number, string, number]>> {
  const out: Array<[number, string, number]> = [];
  const balloon = d.def.devices.find((x) => x.kind === 'memballoon' && x.el.attr('model') !== 'none');
  if (balloon) {
    const b = await query<{ actual: number }>(d, 'query-balloon');
    if (b) out.push([T.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, 'actual', Math.trunc(b.actual / 1024)]);
    const alias = balloon.el.element('alias')?.attr('name');
    const guest = alias
      ? await query<{ stats: Record<string, number>; 'last-update': number }>(d, 'qom-get', {
          path: `/machine/peripheral/${alias}`,
          property: 'guest-stats',
        })
      : null;
    for (const [tag, name, key] of GUEST_STATS) {
      const v = key === 'last-update' ? guest?.['last-update'] : guest?.stats[key];
      // QEMU writes an unreported figure as -1 in a uint64, 2^64-1.
      if (v !== undefined && v >= 0 && v < 2 ** 63) out.push([tag, name, IN_BYTES.has(key) ? Math.trunc(v / 1024) : v]);
    }
  }
  const rss = d.runtime.pid ? proc.rssKiB(d.runtime.pid) : null;
  if (rss !== null) out.push([T.VIR_DOMAIN_MEMORY_STAT_RSS, 'rss', rss]);
  return out;
}

async function balloonStats(d: QemuDomainObj): Promise<TypedParam[]> {
  const memStats = d.active ? await memoryStatList(d) : [];
  const actual = memStats.find(([tag]) => tag === T.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON);
  const out = [ull('balloon.current', actual ? actual[2] : Number(d.def.currentMemory)), ull('balloon.maximum', Number(d.def.memory))];
  for (const [tag, name, v] of memStats) if (tag !== T.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON) out.push(ull(`balloon.${name}`, v));
  return out;
}

/** qemuDomainGetStatsVcpu: counts, per online vCPU its state and its thread's times, and what query-stats gives. */
async function vcpuStats(d: QemuDomainObj, queried: QueriedStats | null): Promise<TypedParam[]> {
  const out = [uint('vcpu.current', d.def.vcpuCurrent ?? d.def.vcpu), uint('vcpu.maximum', d.def.vcpu)];
  if (!d.active || !d.runtime.pid) return out;
  const pid = d.runtime.pid;
  const cpus = (await query<Array<{ 'cpu-index': number; 'thread-id': number; 'qom-path': string }>>(d, 'query-cpus-fast')) ?? [];
  for (const cpu of cpus) {
    const n = cpu['cpu-index'];
    const t = proc.threadTimes(pid, cpu['thread-id']);
    out.push(
      int(`vcpu.${n}.state`, VcpuState.VIR_VCPU_RUNNING),
      ull(`vcpu.${n}.time`, t.time),
      ull(`vcpu.${n}.wait`, t.wait),
      ull(`vcpu.${n}.delay`, t.delay),
    );
    if (queried) out.push(...vcpuQueried(queried, cpu['qom-path'], `vcpu.${n}`));
  }
  return out;
}

/** qemuDomainGetStatsInterface: the host side of each tap, with receive and transmit swapped to the guest's view. */
function netStats(d: QemuDomainObj): TypedParam[] {
  const nets = d.def.devices.filter((x) => x.kind === 'interface');
  const out = [uint('net.count', nets.length)];
  nets.forEach((n, i) => {
    const dev = n.el.element('target')?.attr('dev');
    if (!dev) return;
    out.push(str(`net.${i}.name`, dev));
    const c = d.active ? proc.tapCounters(dev) : null;
    if (!c) return;
    for (const [k, v] of Object.entries(c)) out.push(ull(`net.${i}.${k}`, v));
  });
  return out;
}

interface QmpBlockStats {
  qdev?: string;
  stats: Record<string, number>;
  backing?: QmpBlockStats;
}
interface QmpBlock {
  qdev?: string;
  inserted?: { image?: { 'virtual-size'?: number } };
}
interface QmpNamedNode {
  'node-name': string;
  file: string;
  image?: { 'virtual-size'?: number };
  write_threshold?: number;
}

/** Whether QEMU's qdev name (the id, or its QOM path) is the device with libvirt alias `alias`. */
const isDevice = (qdev: string | undefined, alias: string | undefined) =>
  alias !== undefined &&
  qdev !== undefined &&
  (qdev === alias || qdev === `/machine/peripheral/${alias}` || qdev.startsWith(`/machine/peripheral/${alias}/`));

/** The disks of the definition as libvirt counts them for the block group. */
const disksOf = (d: QemuDomainObj) => d.def.devices.filter((x) => x.disk !== undefined);

/** What QEMU says of a running domain's block devices and image nodes. */
interface BlockView {
  stats: QmpBlockStats[];
  blocks: QmpBlock[];
  /** The format node of each image path: its index (libvirt's `libvirt-N-format`) and virtual size. */
  nodes: Map<string, { index: number; capacity?: number }>;
  /** The write threshold set on the storage node of each image path (virDomainSetBlockThreshold), when not 0. */
  thresholds: Map<string, number>;
}

async function blockView(d: QemuDomainObj): Promise<BlockView> {
  const [stats, blocks, named] = [
    (await query<QmpBlockStats[]>(d, 'query-blockstats')) ?? [],
    (await query<QmpBlock[]>(d, 'query-block')) ?? [],
    (await query<QmpNamedNode[]>(d, 'query-named-block-nodes', { flat: true })) ?? [],
  ];
  const nodes = new Map<string, { index: number; capacity?: number }>();
  const thresholds = new Map<string, number>();
  for (const n of named) {
    const m = /^libvirt-(\d+)-format$/.exec(n['node-name']);
    if (m && !nodes.has(n.file)) nodes.set(n.file, { index: Number(m[1]), capacity: n.image?.['virtual-size'] });
    if (/^libvirt-\d+-storage$/.test(n['node-name']) && n.write_threshold) thresholds.set(n.file, n.write_threshold);
  }
  return { stats, blocks, nodes, thresholds };
}

/**
 * qemuDomainGetStatsBlock: per disk its name, source, node index, I/O counters and sizes; with
 * BACKING, one entry more for each image below a disk's top (the chain libvirt knows: probed
 * while running, as recorded in the definition otherwise), named as its disk.
 */
async function blockGroup(d: QemuDomainObj, backing: boolean): Promise<TypedParam[]> {
  const view = d.active ? await blockView(d) : null;
  const entries: TypedParam[][] = [];
  for (const dev of disksOf(d)) {
    const disk = dev.disk!;
    const alias = dev.el.element('alias')?.attr('name');
    const layers: ChainLayer[] = !disk.source.path
      ? []
      : view
        ? await diskChain(dev).catch(() => readDiskChain(dev).layers)
        : readDiskChain(dev).layers;
    let s = view?.stats.find((x) => isDevice(x.qdev, alias));
    const capacity = view?.blocks.find((x) => isDevice(x.qdev, alias))?.inserted?.image?.['virtual-size'];
    entries.push(await blockEntry(disk.targetDev, layers[0], view, s, capacity, true));
    if (!backing) continue;
    for (const layer of layers.slice(1)) {
      s = s?.backing;
      entries.push(await blockEntry(disk.targetDev, layer, view, s, undefined, false));
    }
  }
  const out = [uint('block.count', entries.length)];
  entries.forEach((fields, i) => out.push(...fields.map((f) => ({ ...f, field: `block.${i}.${f.field}` }))));
  return out;
}

/** One image's fields, named relative to its `block.N.` prefix. */
async function blockEntry(
  name: string,
  layer: ChainLayer | undefined,
  view: BlockView | null,
  s: QmpBlockStats | undefined,
  capacity: number | undefined,
  top: boolean,
): Promise<TypedParam[]> {
  const out = [str('name', name)];
  if (layer) out.push(str('path', layer.path));
  const node = layer && view?.nodes.get(layer.path);
  if (node) out.push(uint('backingIndex', node.index));
  const c = s?.stats;
  if (c && top)
    out.push(
      ull('rd.reqs', c.rd_operations),
      ull('rd.bytes', c.rd_bytes),
      ull('rd.times', c.rd_total_time_ns),
      ull('wr.reqs', c.wr_operations),
      ull('wr.bytes', c.wr_bytes),
      ull('wr.times', c.wr_total_time_ns),
      ull('fl.reqs', c.flush_operations),
      ull('fl.times', c.flush_total_time_ns),
    );
  if (!layer) return out;
  const st = fileStat(layer.path);
  if (view) {
    // libvirt reports a running image's allocation as QEMU's highest written offset.
    out.push(ull('allocation', c?.wr_highest_offset ?? 0));
    const size = capacity ?? node?.capacity;
    if (size !== undefined) out.push(ull('capacity', size));
  } else {
    if (st) out.push(ull('allocation', st.isBlockDevice() ? st.size : st.blocks * 512));
    const size = await imageSize(layer.path).catch(() => null);
    if (size !== null) out.push(ull('capacity', size));
  }
  if (st) out.push(ull('physical', st.size));
  const threshold = view?.thresholds.get(layer.path);
  if (threshold) out.push(ull('threshold', threshold));
  return out;
}

function fileStat(path: string): fs.Stats | null {
  try {
    return fs.statSync(path);
  } catch {
    return null;
  }
}

/** qemuDomainMemoryStats: the balloon and process figures, at most `nrStats` of them. */
export async function memoryStats(driver: QemuDriver, ref: DomainRef, nrStats: number, flags: number): Promise<MemoryStat[]> {
  checkFlags(flags, 0, 'qemuDomainMemoryStats');
  const d = driver.domains.get(ref);
  if (!d.active) throw notRunning();
  return driver.withJob(d, 'query', 'virDomainMemoryStats', async () =>
    (await memoryStatList(d)).slice(0, nrStats).map(([tag, , val]) => ({ tag, val })),
  );
}

/** qemuDomainBlockStats: one disk's counters by target or source path (errs is unknown: -1). */
export async function blockStats(driver: QemuDriver, ref: DomainRef, path: string): Promise<BlockStats> {
  const d = driver.domains.get(ref);
  if (!d.active) throw notRunning();
  const dev = disksOf(d).find((x) => x.disk!.targetDev === path || x.disk!.source.path === path);
  if (!dev) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `invalid path: ${path}`);
  const alias = dev.el.element('alias')?.attr('name');
  const stats = await driver.withJob(d, 'query', 'virDomainBlockStats', () => d.monitor().execute<QmpBlockStats[]>('query-blockstats'));
  const s = stats.find((x) => isDevice(x.qdev, alias))?.stats;
  if (!s) throw VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, FROM_QEMU, `cannot find statistics for device '${alias}'`);
  return { rd_req: s.rd_operations, rd_bytes: s.rd_bytes, wr_req: s.wr_operations, wr_bytes: s.wr_bytes, errs: -1 };
}

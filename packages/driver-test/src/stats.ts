/**
 * Statistics of the test driver (testConnectGetAllDomainStats, testDomainMemoryStats,
 * testDomainBlockStats, testDomainInterfaceStats, testDomainGetVcpus, the pin-info getters):
 * the state group from the domain objects, the counters made up from the wall clock as
 * libvirt's test driver makes them, so they grow between calls.
 */
import {
  ConnectGetAllDomainStatsFlags as F,
  DomainMemoryStatTags as T,
  DomainModificationImpact,
  DomainStatsTypes,
  ErrorNumber,
  VcpuState,
  typedParams,
  TypedParameterType,
  type BlockStats,
  type DomainRef,
  type DomainStatsRecordRef,
  type DomainVcpus,
  type InterfaceStats,
  type MemoryStat,
  type TypedParam,
} from '@virtkit/core';
import { mapOf, vcpuPin, XmlElement } from '@virtkit/xml';
import type { DomainObj } from './domain-obj';
import { currentMemory, domainDisks, vcpus, type DomainDef } from './domain-xml';
import { oneDefState } from './domain-info';
import { checkFlags, err, FROM_DOMAIN, invalidArg, notRunning, unsupported } from './errors';
import type { TestState } from './state';
import { filterDomains } from './domains';
import { stats as iothreadStats } from './iothreads';

/** The groups the test driver reports (testDomainGetStatsWorkers). */
const SUPPORTED_GROUPS = DomainStatsTypes.VIR_DOMAIN_STATS_STATE | DomainStatsTypes.VIR_DOMAIN_STATS_IOTHREAD;

const STATS_FLAGS =
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;

/**
 * The requested groups the driver has (virDomainStatsGetGroups-like): 0 asks for all of them;
 * with ENFORCE_STATS an unknown group is an error, without it the group is left out.
 */
export function statsGroups(requested: number, supported: number, flags: number): number {
  if (requested === 0) return supported;
  const missing = (requested & ~supported) >>> 0;
  if (missing && flags & F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) {
    throw err(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, `Stats types bits 0x${missing.toString(16)} are not supported by this daemon`);
  }
  return (requested & supported) >>> 0;
}

/** testConnectGetAllDomainStats / virDomainListGetStats: an empty list means every domain the flags select. */
export function listGetStats(state: TestState, doms: DomainRef[], stats: number, flags: number): DomainStatsRecordRef[] {
  checkFlags(flags, STATS_FLAGS, 'testConnectGetAllDomainStats');
  const groups = statsGroups(stats, SUPPORTED_GROUPS, flags);
  const objs = doms.length
    ? filterDomains(
        doms.map((r) => state.domObj(r)),
        flags,
      )
    : filterDomains([...state.domains.values()], flags);
  return objs.map((d) => ({ dom: d.ref(), params: typedParams(domainStats(d, groups)) }));
}

function domainStats(d: DomainObj, groups: number): TypedParam[] {
  const out: TypedParam[] = [];
  if (groups & DomainStatsTypes.VIR_DOMAIN_STATS_STATE) {
    out.push({ field: 'state.state', type: TypedParameterType.VIR_TYPED_PARAM_INT, value: d.state });
    out.push({ field: 'state.reason', type: TypedParameterType.VIR_TYPED_PARAM_INT, value: d.reason });
  }
  if (groups & DomainStatsTypes.VIR_DOMAIN_STATS_IOTHREAD) out.push(...iothreadStats(d));
  return out;
}

/** testDomainMemoryStats: the balloon size and figures derived from it. */
export function memoryStats(state: TestState, ref: DomainRef, nrStats: number, flags: number): MemoryStat[] {
  checkFlags(flags, 0, 'testDomainMemoryStats');
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  if (!hasMemballoon(d.def)) return [];
  const cur = currentMemory(d.def);
  const all: [number, number][] = [
    [T.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, cur],
    [T.VIR_DOMAIN_MEMORY_STAT_SWAP_IN, 0],
    [T.VIR_DOMAIN_MEMORY_STAT_SWAP_OUT, 0],
    [T.VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT, 0],
    [T.VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT, 0],
    [T.VIR_DOMAIN_MEMORY_STAT_UNUSED, Math.trunc(cur / 2)],
    [T.VIR_DOMAIN_MEMORY_STAT_AVAILABLE, cur],
    [T.VIR_DOMAIN_MEMORY_STAT_USABLE, Math.trunc(cur / 2)],
    [T.VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE, 627319920],
    [T.VIR_DOMAIN_MEMORY_STAT_DISK_CACHES, Math.trunc(cur / 8)],
    [T.VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC, 0],
    [T.VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL, 0],
    [T.VIR_DOMAIN_MEMORY_STAT_RSS, Math.trunc(cur / 2)],
  ];
  return all.slice(0, nrStats).map(([tag, val]) => ({ tag, val }));
}

/** virDomainDefHasMemballoon: a balloon that is not model 'none'. */
function hasMemballoon(def: DomainDef): boolean {
  const b = def.devices.find((x) => x.kind === 'memballoon');
  return b !== undefined && b.el.attr('model') !== 'none';
}

/** testDomainSetMemoryStatsPeriod. */
export function setMemoryStatsPeriod(state: TestState, ref: DomainRef, period: number, flags: number): void {
  checkFlags(
    flags,
    DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE | DomainModificationImpact.VIR_DOMAIN_AFFECT_CONFIG,
    'testDomainSetMemoryStatsPeriod',
  );
  const { def } = oneDefState(state.domObj(ref), flags);
  const b = def.devices.find((x) => x.kind === 'memballoon' && x.el.attr('model') !== 'none');
  if (!b) throw err(ErrorNumber.VIR_ERR_INTERNAL_ERROR, 'No memory balloon device configured, can not set the collection period');
  let stats = b.el.element('stats');
  if (!stats) {
    // virDomainMemballoonDefFormat writes <stats> before the device address.
    stats = new XmlElement('stats');
    const at = b.el.children.findIndex((c) => c.kind === 'element' && c.name === 'address');
    b.el.children.splice(at < 0 ? b.el.children.length : at, 0, stats);
  }
  stats.attrs.set('period', String(period));
}

/** Microseconds of the wall clock, libvirt's g_get_real_time(), the base of the made-up counters. */
const realTimeUs = (): bigint => BigInt(Date.now()) * 1000n;

/** testDomainBlockStats. */
export function blockStats(state: TestState, ref: DomainRef, disk: string): BlockStats {
  if (disk === '') throw unsupported('summary statistics are not supported yet');
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  if (!domainDisks(d.def).some((x) => x.dst === disk || diskSourcePath(d.def, x.dst) === disk)) throw invalidArg(`invalid path: ${disk}`);
  const t = realTimeUs();
  return { rd_req: t / 10n, rd_bytes: t / 20n, wr_req: t / 30n, wr_bytes: t / 40n, errs: t / 2_000_000n };
}

function diskSourcePath(def: DomainDef, dst: string): string | undefined {
  return def.devices.find((x) => x.disk?.targetDev === dst)?.disk?.source.path;
}

/** virDomainNetFind: an interface by MAC address, else by host device name or alias. */
function findNet(def: DomainDef, device: string): boolean {
  const lower = device.toLowerCase();
  return def.devices.some((x) => {
    if (x.kind !== 'interface') return false;
    const mac = x.el.element('mac')?.attr('address')?.toLowerCase();
    return mac === lower || x.el.element('target')?.attr('dev') === device || x.el.element('alias')?.attr('name') === device;
  });
}

/** testDomainInterfaceStats. */
export function interfaceStats(state: TestState, ref: DomainRef, device: string): InterfaceStats {
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  if (!findNet(d.def, device)) throw invalidArg(`'${device}' is not a known interface`, FROM_DOMAIN);
  const t = realTimeUs();
  return {
    rx_bytes: t / 10n,
    rx_packets: t / 100n,
    rx_errs: t / 1_000_000n,
    rx_drop: t / 2_000_000n,
    tx_bytes: t / 20n,
    tx_packets: t / 110n,
    tx_errs: t / 3_000_000n,
    tx_drop: t / 4_000_000n,
  };
}

/** VIR_NODEINFO_MAXCPUS: every CPU the node description could hold. */
export function hostCpus(state: TestState): number {
  const n = state.nodeInfo;
  return n.nodes * n.sockets * n.cores * n.threads;
}

/**
 * testDomainGetVcpus: every vCPU runs on the last host CPU, with time from the wall clock, and may
 * run on the CPUs of its pin (all of them when unpinned).
 */
export function getVcpus(state: TestState, ref: DomainRef, maxinfo: number, maplen: number): DomainVcpus {
  const d = state.domObj(ref);
  if (!d.active) throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'cannot list vcpus for an inactive domain');
  const n = Math.min(maxinfo, vcpus(d.def));
  const hosts = hostCpus(state);
  const t = realTimeUs() / 10n;
  const info = Array.from({ length: n }, (_, i) => ({ number: i, state: VcpuState.VIR_VCPU_RUNNING, cpu_time: t, cpu: hosts - 1 }));
  const cpumaps = new Uint8Array(n * Math.max(maplen, 0));
  for (let i = 0; i < n; i++) cpumaps.set(mapOf(vcpuPin(d.def, i) ?? `0-${hosts - 1}`, maplen), i * maplen);
  return { info, cpumaps };
}

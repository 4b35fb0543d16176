/** Per-domain statistics commands: dommemstat, domblkstat and vcpuinfo, with virsh's texts. */
import {
  DomainMemoryModFlags as M,
  DomainMemoryStatTags as Tag,
  DomainModificationImpact as Impact,
  DomainState,
  DomainXMLFlags,
  ErrorNumber,
  VirError,
  wideToNumber,
  type Connect,
  type Domain,
  type TypedParams,
  type Wide,
} from '@virtkit/core';
import { formatBitmap, parseXml } from '@virtkit/xml';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { exclusive, flag, int, req, str } from '../opt';
import { typedParamText } from '../typed-param-text';
import type { CmdDef } from '../types';

/** The statistics dommemstat names (others are skipped); the lines follow the driver's order of entries. */
const MEMSTAT_NAMES: Partial<Record<number, string>> = {
  [Tag.VIR_DOMAIN_MEMORY_STAT_SWAP_IN]: 'swap_in',
  [Tag.VIR_DOMAIN_MEMORY_STAT_SWAP_OUT]: 'swap_out',
  [Tag.VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT]: 'major_fault',
  [Tag.VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT]: 'minor_fault',
  [Tag.VIR_DOMAIN_MEMORY_STAT_UNUSED]: 'unused',
  [Tag.VIR_DOMAIN_MEMORY_STAT_AVAILABLE]: 'available',
  [Tag.VIR_DOMAIN_MEMORY_STAT_USABLE]: 'usable',
  [Tag.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON]: 'actual',
  [Tag.VIR_DOMAIN_MEMORY_STAT_RSS]: 'rss',
  [Tag.VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE]: 'last_update',
  [Tag.VIR_DOMAIN_MEMORY_STAT_DISK_CACHES]: 'disk_caches',
  [Tag.VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC]: 'hugetlb_pgalloc',
  [Tag.VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL]: 'hugetlb_pgfail',
};

/** VIR_DOMAIN_MEMORY_STAT_NR: how many statistics virsh asks for. */
const MEMSTAT_NR = 13;

/** domblkstat's known fields in print order: typed-parameter name, legacy name, human label. */
const BLKSTAT_FIELDS: Array<[string, string | null, string]> = [
  ['rd_operations', 'rd_req', 'number of read operations:'],
  ['rd_bytes', 'rd_bytes', 'number of bytes read:'],
  ['wr_operations', 'wr_req', 'number of write operations:'],
  ['wr_bytes', 'wr_bytes', 'number of bytes written:'],
  ['errs', 'errs', 'error count:'],
  ['flush_operations', null, 'number of flush operations:'],
  ['rd_total_times', null, 'total duration of reads (ns):'],
  ['wr_total_times', null, 'total duration of writes (ns):'],
  ['flush_total_times', null, 'total duration of flushes (ns):'],
];

/** One domblkstat line: `DEV FIELD VALUE`, the field padded to 31 columns in --human form. */
const blkLine = (device: string, field: string, human: boolean, value: string) =>
  `${device} ${human ? field.padEnd(31) : field} ${value}\n`;

/** The typed-parameter form (virDomainBlockStatsFlags): known fields first, the rest after. */
function blkstatParams(params: TypedParams, device: string, human: boolean): string {
  let out = '';
  const printed = new Set<string>();
  for (const [field, legacy, label] of BLKSTAT_FIELDS) {
    if (!(field in params)) continue;
    printed.add(field);
    out += blkLine(device, human ? label : (legacy ?? field), human, typedParamText(params, field, false));
  }
  for (const field of Object.keys(params)) {
    if (!printed.has(field)) out += `${device} ${field} ${typedParamText(params, field, false)}\n`;
  }
  return out;
}

/** The legacy form (virDomainBlockStats): the five counters, a negative one (unsupported) left out. */
function blkstatLegacy(
  stats: Record<'rd_req' | 'rd_bytes' | 'wr_req' | 'wr_bytes' | 'errs', Wide>,
  device: string,
  human: boolean,
): string {
  const values = [stats.rd_req, stats.rd_bytes, stats.wr_req, stats.wr_bytes, stats.errs];
  let out = '';
  values.forEach((v, i) => {
    const [, legacy, label] = BLKSTAT_FIELDS[i]!;
    if (BigInt(v) >= 0n) out += blkLine(device, human ? label : legacy!, human, String(v));
  });
  return out;
}

/** virshNodeGetCPUCount: the host's CPU count from its CPU map, else from node info. */
async function hostCpuCount(conn: Connect): Promise<number> {
  try {
    return (await conn.getCPUMap(0)).ret;
  } catch {
    const i = await conn.getInfo();
    return i.nodes * i.sockets * i.cores * i.threads;
  }
}

const VCPU_STATES = ['offline', 'running', 'blocked'];

/** The CPU Affinity line: one y/- per host CPU, or the pinned set's ranges with --pretty. */
function affinityLine(map: Uint8Array, offset: number, maxcpu: number, pretty: boolean): string {
  const used = (i: number) => ((map[offset + (i >> 3)] ?? 0) & (1 << (i & 7))) !== 0;
  let text = '';
  if (pretty) {
    const bits: number[] = [];
    for (let i = 0; i < ((maxcpu + 7) >> 3) * 8; i++) if (used(i)) bits.push(i);
    text = `${formatBitmap(bits)} (out of ${maxcpu})`;
  } else {
    for (let i = 0; i < maxcpu; i++) text += used(i) ? 'y' : '-';
  }
  return `${'CPU Affinity:'.padEnd(15)} ${text}\n`;
}

/** virshDomainGetVcpuBitmap on the inactive XML: the maximum vCPU count and the vCPUs online in the config. */
function onlineVcpus(ctl: Ctl, xml: string): { max: number; online: number[] } {
  const root = parseXml(xml);
  const vcpu = root.element('vcpu');
  const max = /^\s*\d+\s*$/.exec(vcpu?.text() ?? '') ? Number(vcpu!.text()) : null;
  if (max === null) return ctl.fail('Failed to retrieve maximum vcpu count');
  const cur = Number(/^\s*\d+\s*$/.exec(vcpu?.attr('current') ?? '')?.[0] ?? 0) || max;
  const nodes = root.element('vcpus')?.elements('vcpu') ?? [];
  if (nodes.length === 0) return { max, online: Array.from({ length: cur }, (_x, i) => i) };
  const on = new Set<number>();
  for (const n of nodes) {
    const id = n.attr('id');
    if (id !== undefined && /^\d+$/.test(id) && Number(id) < max && n.attr('enabled') === 'yes') on.add(Number(id));
  }
  if (on.size !== cur) ctl.fail('Failed to retrieve vcpu state bitmap');
  return { max, online: [...on].sort((a, b) => a - b) };
}

/** virshVcpuinfoInactive: the config's pinning for each online vCPU of a shut-off domain. */
async function vcpuinfoInactive(ctl: Ctl, dom: Domain, maxcpu: number, pretty: boolean): Promise<string> {
  const vcpus = onlineVcpus(ctl, await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE));
  const maplen = (maxcpu + 7) >> 3;
  const pin = await dom.getVcpuPinInfo(vcpus.max, maplen, Impact.VIR_DOMAIN_AFFECT_CONFIG);
  return vcpus.online
    .map(
      (n) =>
        `${'VCPU:'.padEnd(15)} ${n}\n${'CPU:'.padEnd(15)} N/A\n${'State:'.padEnd(15)} N/A\n${'CPU time'.padEnd(15)} N/A\n` +
        affinityLine(pin.cpumaps, n * maplen, maxcpu, pretty),
    )
    .join('\n');
}

export const domainStatsCommands: CmdDef[] = [
  {
    name: 'dommemstat',
    group: 'monitor',
    help: 'get memory statistics for a domain',
    opts: [],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'current', 'live');
      exclusive(ctl, opts, 'current', 'config');
      let flags = 0;
      if (flag(opts, 'config')) flags |= M.VIR_DOMAIN_MEM_CONFIG;
      if (flag(opts, 'live')) flags |= M.VIR_DOMAIN_MEM_LIVE;
      const name = req(ctl, opts, 'domain');
      const dom = await lookupDomain(ctl, name);
      if (!flag(opts, 'current') && !flag(opts, 'live') && !flag(opts, 'config') && (await dom.isActive())) flags |= M.VIR_DOMAIN_MEM_LIVE;
      const period = int(ctl, opts, 'period');
      if (period !== null) {
        if (period < 0) ctl.fail(`Invalid collection period value '${period}'`);
        await ctl.attempt('Unable to change balloon collection period.', () => dom.setMemoryStatsPeriod(period, flags));
        return true;
      }
      const stats = await ctl.attempt(`Failed to get memory statistics for domain ${name}`, () => dom.memoryStats(MEMSTAT_NR, 0));
      for (const s of stats) {
        const label = MEMSTAT_NAMES[s.tag];
        if (label) ctl.print(`${label} ${BigInt(s.val) < 0n ? BigInt.asUintN(64, BigInt(s.val)) : s.val}\n`);
      }
      return true;
    },
  },
  {
    name: 'domblkstat',
    group: 'monitor',
    help: 'get device block stats for a domain',
    opts: [],
    async handler(ctl, opts) {
      const name = req(ctl, opts, 'domain');
      const dom = await lookupDomain(ctl, name);
      const human = flag(opts, 'human');
      const device = str(ctl, opts, 'device') ?? '';
      let params: TypedParams | null = null;
      try {
        params = await dom.blockStatsFlags(device, 0);
      } catch (e) {
        if (!(e instanceof VirError) || e.code !== ErrorNumber.VIR_ERR_NO_SUPPORT) throw e;
      }
      // --human names the device once on top and leaves it out of each line.
      if (params !== null) {
        if (human) ctl.print(`Device: ${device}\n`);
        ctl.print(blkstatParams(params, human ? '' : device, human));
        return true;
      }
      const stats = await ctl.attempt(`Failed to get block stats ${name} ${device}`, () => dom.blockStats(device));
      if (human) ctl.print(`Device: ${device}\n`);
      ctl.print(blkstatLegacy(stats, human ? '' : device, human));
      return true;
    },
  },
  {
    name: 'vcpuinfo',
    group: 'domain',
    help: 'detailed domain vcpu information',
    opts: [],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const pretty = flag(opts, 'pretty');
      const maxcpu = await hostCpuCount(ctl.c);
      const info = await dom.getInfo();
      const maplen = (maxcpu + 7) >> 3;
      let vcpus;
      try {
        vcpus = await dom.getVcpus(info.nrVirtCpu, maplen);
      } catch (e) {
        if (info.state !== DomainState.VIR_DOMAIN_SHUTOFF) throw e;
        ctl.print(await vcpuinfoInactive(ctl, dom, maxcpu, pretty));
        return true;
      }
      const blocks = vcpus.info.map((v, n) => {
        let text = `${'VCPU:'.padEnd(15)} ${v.number}\n${'CPU:'.padEnd(15)} ${v.cpu}\n`;
        text += `${'State:'.padEnd(15)} ${VCPU_STATES[v.state] ?? 'no state'}\n`;
        const ns = wideToNumber(v.cpu_time);
        if (ns !== 0) text += `${'CPU time:'.padEnd(15)} ${(ns / 1e9).toFixed(1)}s\n`;
        return text + affinityLine(vcpus.cpumaps, n * maplen, maxcpu, pretty);
      });
      ctl.print(blocks.join('\n'));
      return true;
    },
  },
];

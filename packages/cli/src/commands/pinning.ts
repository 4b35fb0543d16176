/** vcpupin and emulatorpin, as virsh 9.0's cmdVcpuPin and cmdEmulatorPin run them. */
import { DomainModificationImpact, DomainVcpuFlags, isNoSupport, type Connect, type Domain } from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, Opts } from '../types';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, str, uint } from '../opt';
import { printTable } from '../table';

const { VIR_DOMAIN_AFFECT_LIVE: LIVE, VIR_DOMAIN_AFFECT_CONFIG: CONFIG } = DomainModificationImpact;

/** Names, help and options come from virsh's table. */
const cmd = (name: string, handler: CmdDef['handler']): CmdDef => ({ name, group: 'domain', help: '', opts: [], handler });

/** --current/--live/--config as flags, or null when none was given. */
function impact(ctl: Ctl, opts: Opts): number | null {
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  if (!flag(opts, 'current') && !flag(opts, 'live') && !flag(opts, 'config')) return null;
  return (flag(opts, 'config') ? CONFIG : 0) | (flag(opts, 'live') ? LIVE : 0);
}

/** virshNodeGetCPUCount: the host CPU count from the CPU map, else from the node info. */
export async function hostCpuCount(c: Connect): Promise<number> {
  try {
    return (await c.getCPUMap(0)).ret;
  } catch (e) {
    if (!isNoSupport(e)) throw e;
    const info = await c.getInfo();
    return info.nodes * info.sockets * info.cores * info.threads;
  }
}

/** virBitmapDataFormat: the set bits of a map as ranges (`0-2,5`). */
export function cpusetText(map: Uint8Array): string {
  const bits: number[] = [];
  map.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) bits.push(i * 8 + b);
  });
  const parts: string[] = [];
  for (let i = 0; i < bits.length;) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j] + 1) j++;
    parts.push(i === j ? `${bits[i]}` : `${bits[i]}-${bits[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** virBitmapParse of a cpuset (`0-3,^2,5`), or null when it is malformed. */
function parseCpuset(text: string): Set<number> | null {
  const set = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const neg = part.startsWith('^');
    const m = /^(\d+)(?:-(\d+))?$/.exec(neg ? part.slice(1) : part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a || (neg && m[2] !== undefined) || b >= 1024) return null;
    for (let c = a; c <= b; c++)
      if (neg) set.delete(c);
      else set.add(c);
  }
  return set;
}

/** virshParseCPUList: `r` for every host CPU, else a cpuset within the host's CPUs. */
export function cpuMap(ctl: Ctl, text: string, maxcpu: number): Uint8Array {
  const map = new Uint8Array(Math.ceil(maxcpu / 8));
  let cpus: Set<number>;
  if (text.startsWith('r')) cpus = new Set(Array.from({ length: maxcpu }, (_, i) => i));
  else {
    const parsed = parseCpuset(text);
    if (parsed === null) {
      ctl.error(`Invalid cpulist '${text}'`);
      ctl.fail(`invalid argument: Failed to parse bitmap '${text}'`);
    }
    if (parsed.size === 0) ctl.fail(`Invalid cpulist '${text}'`);
    const last = Math.max(...parsed);
    if (last >= maxcpu) ctl.fail(`CPU ${last} in cpulist '${text}' exceed the maxcpu ${maxcpu}`);
    cpus = parsed;
  }
  for (const c of cpus) map[c >> 3] |= 1 << (c & 7);
  return map;
}

/** virshCPUCountCollect with its state check: the vCPU count the query covers, or null when the state does not fit. */
async function vcpuCount(dom: Domain, flags: number): Promise<number | null> {
  if ((flags & LIVE && !(await dom.isActive())) || (flags & CONFIG && !(await dom.isPersistent()))) return null;
  return dom.getVcpusFlags(flags | DomainVcpuFlags.VIR_DOMAIN_VCPU_MAXIMUM);
}

async function vcpuPinQuery(ctl: Ctl, dom: Domain, vcpu: number | null, maxcpu: number, flags: number): Promise<boolean> {
  const n = await vcpuCount(dom, flags);
  if (n === null) ctl.fail(flags & LIVE ? 'cannot get vcpupin for offline domain' : 'cannot get vcpupin for transient domain');
  if (vcpu !== null && vcpu >= n) {
    const live = flags & LIVE || (!(flags & CONFIG) && (await dom.isActive()));
    ctl.fail(`vcpu ${vcpu} is out of range of ${live ? 'live' : 'persistent'} cpu count ${n}`);
  }
  const maplen = Math.ceil(maxcpu / 8);
  const info = await dom.getVcpuPinInfo(n, maplen, flags);
  const rows: string[][] = [];
  for (let i = 0; i < info.num; i++) {
    if (vcpu === null || i === vcpu) rows.push([String(i), cpusetText(info.cpumaps.subarray(i * maplen, (i + 1) * maplen))]);
  }
  printTable(ctl, ['VCPU', 'CPU Affinity'], rows);
  return true;
}

export const pinningCommands: CmdDef[] = [
  cmd('vcpupin', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const vcpu = uint(ctl, opts, 'vcpu');
    const cpulist = str(ctl, opts, 'cpulist');
    if (cpulist !== null && vcpu === null) ctl.fail('vcpupin: Missing vCPU number in pin mode.');
    const maxcpu = await hostCpuCount(ctl.c);
    if (cpulist === null) return vcpuPinQuery(ctl, dom, vcpu, maxcpu, flags ?? 0);
    const map = cpuMap(ctl, cpulist, maxcpu);
    if (flags === null) await dom.pinVcpu(vcpu!, map);
    else await dom.pinVcpuFlags(vcpu!, map, flags);
    return true;
  }),
  cmd('emulatorpin', async (ctl, opts) => {
    const flags = impact(ctl, opts);
    const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const cpulist = str(ctl, opts, 'cpulist');
    const maxcpu = await hostCpuCount(ctl.c);
    if (cpulist === null) {
      const maplen = Math.ceil(maxcpu / 8);
      const info = await dom.getEmulatorPinInfo(maplen, flags ?? 0);
      ctl.printExtra('emulator: CPU Affinity\n----------------------------------\n       *: ');
      ctl.print(`${cpusetText(info.cpumaps.subarray(0, maplen))}\n`);
      return true;
    }
    await dom.pinEmulator(cpuMap(ctl, cpulist, maxcpu), flags ?? LIVE);
    return true;
  }),
];

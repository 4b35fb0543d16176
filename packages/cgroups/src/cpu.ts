/**
 * CPU tunables of a group as libvirt's virCgroupSet/GetCpu*: shares (v1 cpu.shares, v2
 * cpu.weight, written as given), the CFS period and quota (cpu.cfs_period_us and
 * cpu.cfs_quota_us, or v2's one cpu.max "quota period" line; quota -1 is no limit), and the CPU
 * time used.
 */
import type { Cgroup } from './group';

/** The CFS bandwidth of a group: period in µs, quota in µs per period (-1: no limit). */
export interface CpuBandwidth {
  period: bigint;
  quota: bigint;
}

export function cpuShares(cg: Cgroup): bigint {
  return BigInt(cg.read('cpu', cg.layout.v2 ? 'cpu.weight' : 'cpu.shares'));
}

export function setCpuShares(cg: Cgroup, shares: bigint): void {
  cg.write('cpu', cg.layout.v2 ? 'cpu.weight' : 'cpu.shares', String(shares));
}

/** Whether the group's CPU controller has CFS bandwidth control (virCgroupSupportsCpuBW). */
export function supportsCpuBandwidth(cg: Cgroup): boolean {
  return cg.has('cpu') && cg.hasFile('cpu', cg.layout.v2 ? 'cpu.max' : 'cpu.cfs_period_us');
}

export function cpuBandwidth(cg: Cgroup): CpuBandwidth {
  if (cg.layout.v2) {
    const [quota, period] = cg.read('cpu', 'cpu.max').split(/\s+/);
    return { period: BigInt(period), quota: quota === 'max' ? -1n : BigInt(quota) };
  }
  return { period: BigInt(cg.read('cpu', 'cpu.cfs_period_us')), quota: BigInt(cg.read('cpu', 'cpu.cfs_quota_us')) };
}

/** Set the period and/or the quota (0 leaves one as it is), as virDomainCgroupSetupVcpuBW. */
export function setCpuBandwidth(cg: Cgroup, period: bigint, quota: bigint): void {
  if (cg.layout.v2) {
    const cur = cpuBandwidth(cg);
    const q = quota !== 0n ? quota : cur.quota;
    cg.write('cpu', 'cpu.max', `${q < 0n ? 'max' : q} ${period || cur.period}`);
    return;
  }
  const old = cpuBandwidth(cg).period;
  if (period) cg.write('cpu', 'cpu.cfs_period_us', String(period));
  if (!quota) return;
  try {
    cg.write('cpu', 'cpu.cfs_quota_us', String(quota));
  } catch (e) {
    // the pair is set or left as it was
    if (period) cg.write('cpu', 'cpu.cfs_period_us', String(old));
    throw e;
  }
}

/** CPU time used by the group's processes, in nanoseconds (0 when unreadable). */
export function cpuTimeNs(cg: Cgroup): bigint {
  try {
    if (!cg.layout.v2) return BigInt(cg.read('cpuacct', 'cpuacct.usage'));
    const m = /^usage_usec (\d+)$/m.exec(cg.read('cpu', 'cpu.stat'));
    return m ? BigInt(m[1]) * 1000n : 0n;
  } catch {
    return 0n;
  }
}

/** User and system CPU time in ns: cpuacct.stat counts USER_HZ (100/s) ticks, v2's cpu.stat microseconds. */
export function cpuUserSystemNs(cg: Cgroup): { user: bigint; system: bigint } | undefined {
  try {
    const text = cg.layout.v2 ? cg.read('cpu', 'cpu.stat') : cg.read('cpuacct', 'cpuacct.stat');
    const [key, scale] = cg.layout.v2 ? ['_usec', 1000n] : ['', 10_000_000n];
    const get = (k: string) => BigInt(new RegExp(`^${k}${key} (\\d+)$`, 'm').exec(text)?.[1] ?? '0') * scale;
    return { user: get('user'), system: get('system') };
  } catch {
    return undefined;
  }
}

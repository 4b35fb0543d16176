/**
 * virConnectGetAllDomainStats for containers: the groups that mean something for a process tree
 * in cgroups — state, cpu-total (cpuacct or cpu.stat), balloon (memory in use and its limit) and
 * interface (the host ends of the veth pairs, with receive and transmit swapped to the guest's
 * view, as libvirt does for veths). Field names and types are libvirt's.
 */
import * as fs from 'node:fs';
import {
  ConnectGetAllDomainStatsFlags as F,
  DomainStatsTypes as S,
  ErrorDomain,
  ErrorNumber,
  TypedParameterType as P,
  VirError,
  type TypedParam,
} from '@virtkit/core';
import { cpuTimeNs, cpuUserSystemNs, MEMORY_UNLIMITED, memoryLimit, memoryUsageKiB, type Cgroup } from '@virtkit/cgroups';
import { groupOf } from './container/cgroups';
import type { ContainerPlan } from './container/plan';
import type { LxcDomainObj } from './domains/obj';

export const STATS_SUPPORTED =
  S.VIR_DOMAIN_STATS_STATE | S.VIR_DOMAIN_STATS_CPU_TOTAL | S.VIR_DOMAIN_STATS_BALLOON | S.VIR_DOMAIN_STATS_INTERFACE;

export const STATS_FLAGS =
  0xff |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING |
  F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;

/** The requested groups this driver has: 0 means all; an unknown one fails only with ENFORCE_STATS. */
export function statsGroups(requested: number, flags: number): number {
  if (requested === 0) return STATS_SUPPORTED;
  const missing = (requested & ~STATS_SUPPORTED) >>> 0;
  if (missing && flags & F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      ErrorDomain.VIR_FROM_LXC,
      `Stats types bits 0x${missing.toString(16)} are not supported by this daemon`,
    );
  }
  return (requested & STATS_SUPPORTED) >>> 0;
}

const int = (field: string, value: number): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_INT, value });
const uint = (field: string, value: number): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_UINT, value });
const ull = (field: string, value: number | bigint): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_ULLONG, value });
const str = (field: string, value: string): TypedParam => ({ field, type: P.VIR_TYPED_PARAM_STRING, value });

/**
 * The counters of the interfaces in this process's network namespace, from /proc/net/dev (which,
 * unlike /sys/class/net, follows the reader's namespace): receive and transmit bytes, packets,
 * errors and drops.
 */
function netDev(): Map<string, { rx: bigint[]; tx: bigint[] }> {
  const out = new Map<string, { rx: bigint[]; tx: bigint[] }>();
  for (const line of fs.readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)) {
    const m = /^\s*([^:]+):(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2]!.trim().split(/\s+/).map(BigInt);
    out.set(m[1]!, { rx: f.slice(0, 4), tx: f.slice(8, 12) });
  }
  return out;
}

function interfaceStats(plan: ContainerPlan): TypedParam[] {
  const veths = plan.nics.filter((n) => !n.macvlanOf);
  const counters = netDev();
  const out = [uint('net.count', veths.length)];
  veths.forEach((n, i) => {
    out.push(str(`net.${i}.name`, n.hostIf));
    const c = counters.get(n.hostIf) ?? { rx: [0n, 0n, 0n, 0n], tx: [0n, 0n, 0n, 0n] };
    // The host end's transmit is the guest's receive.
    for (const [dir, host] of [
      ['rx', c.tx],
      ['tx', c.rx],
    ] as const) {
      out.push(ull(`net.${i}.${dir}.bytes`, host[0]!), ull(`net.${i}.${dir}.pkts`, host[1]!));
      out.push(ull(`net.${i}.${dir}.errs`, host[2]!), ull(`net.${i}.${dir}.drop`, host[3]!));
    }
  });
  return out;
}

/** The memory limit in KiB, as the group holds it (MEMORY_UNLIMITED when it has none or is gone). */
function hardLimitKiB(cg: Cgroup): bigint {
  try {
    return memoryLimit(cg, 'hard_limit');
  } catch {
    return MEMORY_UNLIMITED;
  }
}

/** The typed parameters of one container for the chosen groups. */
export function containerStats(obj: LxcDomainObj, plan: ContainerPlan | undefined, groups: number): TypedParam[] {
  const out: TypedParam[] = [];
  if (groups & S.VIR_DOMAIN_STATS_STATE) out.push(int('state.state', obj.state), int('state.reason', obj.reason));
  if (!plan) return out;
  const cg = groupOf(plan.cgroup);
  if (groups & S.VIR_DOMAIN_STATS_CPU_TOTAL) {
    out.push(ull('cpu.time', cpuTimeNs(cg)));
    const split = cpuUserSystemNs(cg);
    if (split) out.push(ull('cpu.user', split.user), ull('cpu.system', split.system));
  }
  if (groups & S.VIR_DOMAIN_STATS_BALLOON) {
    const limit = hardLimitKiB(cg);
    out.push(ull('balloon.current', memoryUsageKiB(cg)), ull('balloon.maximum', limit < MEMORY_UNLIMITED ? limit : obj.def.memory));
  }
  if (groups & S.VIR_DOMAIN_STATS_INTERFACE) out.push(...interfaceStats(plan));
  return out;
}

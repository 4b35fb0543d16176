/**
 * virDomainGetSchedulerType and virDomainGet/SetSchedulerParametersFlags over a domain's groups:
 * QEMU's nine parameters (shares on the domain group; vCPU, emulator, global and iothread
 * bandwidth each on its own groups, qemuDomainSetSchedulerParametersFlags) or LXC's three (all
 * on the container's group), kept in `<cputune>`.
 */
import {
  ErrorDomain,
  ErrorNumber,
  TypedParameterType as T,
  typedParams,
  type TypedParams,
  validateTypedParams,
  VirError,
} from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { cpuBandwidth, cpuShares, setCpuBandwidth, setCpuShares, supportsCpuBandwidth } from './cpu';
import type { Cgroup } from './group';
import { needController } from './memory-params';
import { cputuneValue, setCputuneValue, type CputuneScalar } from './tune-xml';

/** The groups a running domain's threads are in; empty lists where threads share the domain's group. */
export interface SchedGroups {
  domain: Cgroup;
  vcpus: Cgroup[];
  emulator: Cgroup | null;
  iothreads: Cgroup[];
}

export interface LiveSched {
  def: DomainDef;
  groups: SchedGroups;
}

/** Which driver's parameters: QEMU has per-thread bandwidth and range checks, LXC neither. */
export type SchedFlavor = 'qemu' | 'lxc';

type Target = 'domain' | 'vcpus' | 'emulator' | 'iothreads';

interface SchedField {
  field: string;
  xml: CputuneScalar;
  target: Target;
}

const QEMU_FIELDS: SchedField[] = [
  { field: 'cpu_shares', xml: 'shares', target: 'domain' },
  { field: 'vcpu_period', xml: 'period', target: 'vcpus' },
  { field: 'vcpu_quota', xml: 'quota', target: 'vcpus' },
  { field: 'emulator_period', xml: 'emulator_period', target: 'emulator' },
  { field: 'emulator_quota', xml: 'emulator_quota', target: 'emulator' },
  { field: 'global_period', xml: 'global_period', target: 'domain' },
  { field: 'global_quota', xml: 'global_quota', target: 'domain' },
  { field: 'iothread_period', xml: 'iothread_period', target: 'iothreads' },
  { field: 'iothread_quota', xml: 'iothread_quota', target: 'iothreads' },
];
const LXC_FIELDS: SchedField[] = [
  { field: 'cpu_shares', xml: 'shares', target: 'domain' },
  { field: 'vcpu_period', xml: 'period', target: 'domain' },
  { field: 'vcpu_quota', xml: 'quota', target: 'domain' },
];
const fieldsOf = (flavor: SchedFlavor) => (flavor === 'qemu' ? QEMU_FIELDS : LXC_FIELDS);

const isQuota = (f: SchedField) => f.xml.endsWith('quota');
const typeOf = (f: SchedField) => (isQuota(f) ? T.VIR_TYPED_PARAM_LLONG : T.VIR_TYPED_PARAM_ULLONG);

/** VIR_CGROUP_CPU_PERIOD_MIN/MAX and VIR_CGROUP_CPU_QUOTA_MIN/MAX. */
const PERIOD = [1000n, 1000000n] as const;
const QUOTA = [1000n, 17592186044415n] as const;

/** virDomainGetSchedulerType: "posix", with 9 (QEMU) or 3 (LXC) parameters, 1 without CFS bandwidth. */
export function schedulerType(flavor: SchedFlavor, live: Cgroup | null, from: ErrorDomain): { type: string; nparams: number } {
  const all = fieldsOf(flavor).length;
  if (!live) return { type: 'posix', nparams: all };
  needController(live, 'cpu', from);
  return { type: 'posix', nparams: supportsCpuBandwidth(live) ? all : 1 };
}

/** The groups a field is set on, live. */
function groupsOf(groups: SchedGroups, target: Target): Cgroup[] {
  if (target === 'domain') return [groups.domain];
  if (target === 'emulator') return groups.emulator ? [groups.emulator] : [groups.domain];
  return groups[target];
}

/** The value of one field, live: from the first group it is set on (the domain's when none). */
function liveValue(live: LiveSched, f: SchedField): bigint {
  if (f.xml === 'shares') return cpuShares(live.groups.domain);
  const own = groupsOf(live.groups, f.target);
  const bw = cpuBandwidth(own[0] ?? live.groups.domain);
  if (!isQuota(f)) return bw.period;
  // one group for all vCPUs: its quota is theirs together (qemuGetVcpusBWLive)
  return !own.length && f.target === 'vcpus' && bw.quota > 0n ? bw.quota / BigInt(live.def.vcpuCurrent ?? live.def.vcpu) : bw.quota;
}

export function schedulerParameters(flavor: SchedFlavor, live: LiveSched | null, config: DomainDef | null, from: ErrorDomain): TypedParams {
  let fields = fieldsOf(flavor);
  if (!config) {
    needController(live!.groups.domain, 'cpu', from);
    if (!supportsCpuBandwidth(live!.groups.domain)) fields = fields.slice(0, 1);
  }
  const value = (f: SchedField) => (config ? cputuneValue(config, f.xml) : liveValue(live!, f));
  return typedParams(fields.map((f) => ({ field: f.field, type: typeOf(f), value: Number(value(f)) })));
}

function checkRange(f: SchedField, v: bigint): void {
  const [min, max] = isQuota(f) ? QUOTA : PERIOD;
  if ((v > 0n && v < min) || v > max)
    throw VirError.invalidArg(`value of '${f.field}' is out of range [${min}, ${max}]`, ErrorDomain.VIR_FROM_QEMU);
}

/** Write one field's bandwidth on its live groups. */
function applyLive(live: LiveSched, f: SchedField, v: bigint): void {
  if (f.xml === 'shares') return setCpuShares(live.groups.domain, v);
  const groups = groupsOf(live.groups, f.target);
  // QEMU without per-thread groups (cgroup v2 here) cannot limit vCPUs apart from the rest
  if (!groups.length && f.target === 'vcpus')
    throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU, 'per-vCPU bandwidth needs cgroup v1 here');
  for (const g of groups) setCpuBandwidth(g, isQuota(f) ? 0n : v, isQuota(f) ? v : 0n);
}

export function setSchedulerParameters(
  flavor: SchedFlavor,
  params: TypedParams,
  live: LiveSched | null,
  config: DomainDef | null,
  from: ErrorDomain,
): void {
  const fields = fieldsOf(flavor);
  validateTypedParams(params, Object.fromEntries(fields.map((f) => [f.field, typeOf(f)])));
  if (live) needController(live.groups.domain, 'cpu', from);
  for (const [name, raw] of Object.entries(params)) {
    const f = fields.find((x) => x.field === name)!;
    const v = BigInt(raw as number | bigint);
    if (flavor === 'qemu' && f.xml !== 'shares') checkRange(f, v);
    // 0 leaves a live bandwidth as it is, but is stored in the persistent definition
    if (live && (v || f.xml === 'shares')) {
      applyLive(live, f, v);
      setCputuneValue(live.def, f.xml, v, f.xml === 'shares');
    } else if (live && flavor === 'lxc') applyLive(live, f, v);
    if (config) setCputuneValue(config, f.xml, v, f.xml === 'shares');
  }
}

/**
 * Apply a definition's `<cputune>` shares and bandwidth to a new domain's groups (qemuSetupCpuCgroup
 * and the per-thread setup). vCPU bandwidth without per-vCPU groups (QEMU on cgroup v2) is left out.
 */
export function applyCputune(flavor: SchedFlavor, live: LiveSched): void {
  const shares = cputuneValue(live.def, 'shares');
  if (shares) setCpuShares(live.groups.domain, shares);
  const fields = fieldsOf(flavor);
  for (const p of fields.filter((f) => f.xml !== 'shares' && !isQuota(f))) {
    const q = fields.find((f) => f.field === p.field.replace('_period', '_quota'))!;
    const [period, quota] = [cputuneValue(live.def, p.xml), cputuneValue(live.def, q.xml)];
    if (period || quota) for (const g of groupsOf(live.groups, p.target)) setCpuBandwidth(g, period, quota);
  }
}

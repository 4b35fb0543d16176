/**
 * virConnectCompareCPU on x86 (libvirt's cpu_x86.c x86Compute): a CPU definition against the host
 * CPU, both as CPU map data. The host's data are the map features whose CPUID bits the host
 * reports. libvirt executes the cpuid instruction in its own process; JavaScript cannot, so the
 * `cpuid` tool does (`cpuid -1 -r`), and without it the kernel's /dev/cpu/0/cpuid answers (a
 * hypervisor may answer the kernel differently from user space). MSR features are unknown here,
 * as they are to libvirt without /dev/cpu/0/msr or KVM.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CPUCompareResult as R, ConnectCompareCPUFlags as C, ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseCpuDef, X86Data, type CpuDef, type FeaturePolicy as Policy, type X86Map } from '@virtkit/xml';

const FROM_CPU = ErrorDomain.VIR_FROM_CPU;
const X86_ARCHES = ['i686', 'x86_64'];

/** x86ModelFromCPU: the model's data (for required features) plus the features of one policy. */
function dataOf(cpu: CpuDef, map: X86Map, policy: Policy): X86Data {
  const data = new X86Data();
  if (cpu.host && policy !== 'require') return data;
  if (cpu.model && policy === 'require') {
    const model = map.model(cpu.model);
    if (!model) throw VirError.internal(`Unknown CPU model ${cpu.model}`, FROM_CPU);
    data.add(model.data);
  }
  for (const f of cpu.features) {
    if (f.policy !== policy) continue;
    const feature = map.feature(f.name);
    if (!feature) throw VirError.internal(`Unknown CPU feature ${f.name}`, FROM_CPU);
    data.add(feature.data);
  }
  return data;
}

const isEmpty = (d: X86Data) => d.regs.size === 0;

/** Whether every bit of `part` is in `whole` (an empty `part` is). */
function subsetOf(part: X86Data, whole: X86Data): boolean {
  for (const [k, v] of part.regs) if (((whole.regs.get(k) ?? 0) & v) >>> 0 !== v) return false;
  return true;
}

function intersect(a: X86Data, b: X86Data): X86Data {
  const out = new X86Data();
  for (const [k, v] of a.regs) out.set(k, v & (b.regs.get(k) ?? 0));
  return out;
}

/** The names of the map features `data` holds, in map order (x86FeatureNames). */
function featureNames(data: X86Data, map: X86Map): string {
  return map.features
    .filter((f) => !isEmpty(f.data) && subsetOf(f.data, data))
    .map((f) => f.name)
    .join(', ');
}

/** The host CPU as x86Compute needs it: its vendor and its data. */
export interface HostCpu {
  vendor?: string;
  data: X86Data;
}

/** The outcome of a comparison, with the reason of an incompatibility. */
export interface Comparison {
  result: R;
  message?: string;
}

/** x86Compute: how `cpu` compares with `host`. */
export function computeCompare(host: HostCpu, cpu: CpuDef, map: X86Map): Comparison {
  const incompatible = (message: string): Comparison => ({ result: R.VIR_CPU_COMPARE_INCOMPATIBLE, message });
  if (cpu.arch && !X86_ARCHES.includes(cpu.arch)) return incompatible(`CPU arch ${cpu.arch} does not match host arch`);
  if (cpu.vendor && cpu.vendor !== host.vendor) return incompatible(`host CPU vendor does not match required CPU vendor ${cpu.vendor}`);
  const force = dataOf(cpu, map, 'force');
  const require = dataOf(cpu, map, 'require');
  const optional = dataOf(cpu, map, 'optional');
  const disable = dataOf(cpu, map, 'disable');
  const forbidden = intersect(dataOf(cpu, map, 'forbid'), host.data);
  if (!isEmpty(forbidden)) return incompatible(`Host CPU provides forbidden features: ${featureNames(forbidden, map)}`);
  for (const d of [force, optional, disable]) require.subtract(d);
  if (!subsetOf(require, host.data)) {
    require.subtract(host.data);
    return incompatible(`Host CPU does not provide required features: ${featureNames(require, map)}`);
  }
  const diff = host.data.clone();
  for (const d of [optional, require, disable, force]) diff.subtract(d);
  if (isEmpty(diff)) return { result: R.VIR_CPU_COMPARE_IDENTICAL };
  if (!cpu.host && cpu.match === 'strict')
    return incompatible(`Host CPU does not strictly match guest CPU: Extra features: ${featureNames(diff, map)}`);
  return { result: R.VIR_CPU_COMPARE_SUPERSET };
}

/** x86Compare: the result, or with FAIL_INCOMPATIBLE an incompatibility as libvirt's error. */
export function compareCpu(host: HostCpu | null, xml: string, map: X86Map, flags: number): R {
  const fail = (flags & C.VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE) !== 0;
  const cpu = parseCpuDef(xml);
  if (!host) {
    if (fail) throw VirError.create(ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE, FROM_CPU, 'unknown host CPU');
    return R.VIR_CPU_COMPARE_INCOMPATIBLE;
  }
  const c = computeCompare(host, cpu, map);
  if (c.result === R.VIR_CPU_COMPARE_INCOMPATIBLE && fail) throw VirError.create(ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE, FROM_CPU, c.message);
  return c.result;
}

const CPUID_DEVICE = '/dev/cpu/0/cpuid';

/** A source of CPUID leaves: (leaf, subleaf) → eax, ebx, ecx, edx. */
type Cpuid = (leaf: number, subleaf: number) => number[];

/** The leaves `cpuid -1 -r` printed, as user space sees them; null without the tool. */
function userSpaceCpuid(): Cpuid | null {
  const r = spawnSync('cpuid', ['-1', '-r'], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const leaves = new Map<string, number[]>();
  for (const m of r.stdout.matchAll(
    /^\s*0x([0-9a-f]+) 0x([0-9a-f]+): eax=0x([0-9a-f]+) ebx=0x([0-9a-f]+) ecx=0x([0-9a-f]+) edx=0x([0-9a-f]+)$/gm,
  ))
    leaves.set(
      `${parseInt(m[1], 16)}:${parseInt(m[2], 16)}`,
      [m[3], m[4], m[5], m[6]].map((v) => parseInt(v, 16)),
    );
  return (leaf, subleaf) => leaves.get(`${leaf}:${subleaf}`) ?? [0, 0, 0, 0];
}

/** CPU 0's leaves through the kernel's cpuid device; null where it cannot be read. */
function kernelCpuid(): Cpuid | null {
  let fd: number;
  try {
    fd = fs.openSync(CPUID_DEVICE, 'r');
  } catch {
    return null;
  }
  const cache = new Map<string, number[]>();
  return (leaf, subleaf) => {
    const key = `${leaf}:${subleaf}`;
    if (!cache.has(key)) {
      const buf = Buffer.alloc(16);
      fs.readSync(fd, buf, 0, 16, BigInt(leaf) | (BigInt(subleaf) << 32n));
      cache.set(
        key,
        [0, 4, 8, 12].map((o) => buf.readUInt32LE(o)),
      );
    }
    return cache.get(key)!;
  };
}

const REGS = ['eax', 'ebx', 'ecx', 'edx'];

/** The host CPU's vendor and map data from CPUID, or null where CPUID cannot be read. */
export function probeHostCpu(map: X86Map): HostCpu | null {
  const cpuid = userSpaceCpuid() ?? kernelCpuid();
  if (!cpuid) return null;
  const [maxBasic, ebx, ecx, edx] = cpuid(0, 0);
  const vendorString = Buffer.from(new Uint32Array([ebx, edx, ecx]).buffer).toString('latin1');
  const maxExtended = cpuid(0x80000000, 0)[0];
  const data = new X86Data();
  for (const f of map.features) {
    for (const [key, mask] of f.data.regs) {
      const [kind, leafText, subText, reg] = key.split(':');
      const leaf = Number(leafText);
      if (kind !== 'cpuid' || (leaf >= 0x80000000 ? leaf > maxExtended : leaf > maxBasic)) continue;
      data.set(key, cpuid(leaf, Number(subText))[REGS.indexOf(reg)] & mask);
    }
  }
  // Only whole features count: a feature of several bits is the host's when all are set.
  const host = new X86Data();
  for (const f of map.features) if (!isEmpty(f.data) && subsetOf(f.data, data)) host.add(f.data);
  return { vendor: map.vendors.find((v) => v.cpuidString === vendorString)?.name, data: host };
}

/** The data of a CPU a model of the map describes: the model's, plus required, less disabled features. */
export function decodedData(
  cpu: { model: string; vendor?: string; features: Array<{ name: string; policy: string }> },
  map: X86Map,
): HostCpu {
  const data = map.model(cpu.model)?.data.clone() ?? new X86Data();
  for (const f of cpu.features) {
    const feature = map.feature(f.name);
    if (!feature) continue;
    if (f.policy === 'require' || f.policy === 'force') data.add(feature.data);
    else if (f.policy === 'disable' || f.policy === 'forbid') data.subtract(feature.data);
  }
  return { vendor: cpu.vendor, data };
}

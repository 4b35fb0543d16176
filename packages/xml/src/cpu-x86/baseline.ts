/**
 * The x86 baseline CPU (libvirt's cpu_x86.c virCPUx86Baseline and the guest-CPU side of x86Decode):
 * the data every given CPU provides, optionally cut down to a feature list, described by the model
 * of the map (among those a hypervisor knows, when it says) that needs the fewest extra and, with
 * a growing penalty, disabled features; a model every input named is preferred.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseCpuDef, type CpuDef, type CpuFeature } from './cpu-def';
import { X86Data } from './data';
import type { X86Map, X86Model } from './map';

/** A CPU model as a hypervisor offers it: usable unless features block it. */
export interface HypervisorCpuModel {
  name: string;
  /** The hypervisor's names of the features it cannot provide for the model. */
  blockers: readonly string[];
}

const failed = (message: string) => VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_CPU, message);
const X86_ARCHES = ['i686', 'x86_64'];

/** A baseline CPU: a guest CPU of a map model, its vendor only when every input named one. */
export interface BaselineCpu {
  model: string;
  vendor?: string;
  fallback: 'allow' | 'forbid';
  features: CpuFeature[];
}

/** What a baseline computation may consider beyond the CPUs. */
export interface BaselineLimits {
  /** The CPU models of the hypervisor (with their blockers); all of the map's when absent. */
  models?: readonly HypervisorCpuModel[];
  /** The features the hypervisor knows; any when absent. */
  features?: readonly string[];
  /** Leave out features that block migration. */
  migratable: boolean;
}

/**
 * virCPUDefListParse and virCPUBaseline's checks: the CPU definitions, each a host CPU (its
 * `<arch>` required) unless `auto` lets a CPU without one be a guest CPU.
 */
export function parseBaselineCpus(xmls: readonly string[], auto: boolean): CpuDef[] {
  if (xmls.length === 0) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_CPU, 'no CPUs given');
  const cpus = xmls.map((xml) => parseCpuDef(xml));
  cpus.forEach((cpu, i) => {
    if (!auto && !cpu.arch) throw VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_CPU, 'Missing CPU architecture');
    if (cpu.host && !cpu.model) throw VirError.create(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_CPU, 'Missing CPU model name');
    if (!cpu.model) {
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_CPU, `no CPU model specified at index ${i}`);
    }
  });
  // The host CPUs name the architecture; the hypervisor variant takes the binary's instead.
  const arch = cpus[0].arch;
  if (!auto && arch && !X86_ARCHES.includes(arch)) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_NO_SUPPORT,
      ErrorDomain.VIR_FROM_CPU,
      `'${arch}' architecture is not supported by CPU driver`,
    );
  }
  return cpus;
}

/** x86ModelFromCPU for every policy: the model's features, plus required and forced, less disabled and forbidden ones. */
function allData(cpu: CpuDef, map: X86Map): X86Data {
  const data = new X86Data();
  const model = map.model(cpu.model ?? '');
  if (!model) throw VirError.internal(`Unknown CPU model ${cpu.model}`, ErrorDomain.VIR_FROM_CPU);
  data.add(model.data);
  for (const f of cpu.features) {
    if (f.policy === 'optional') continue;
    const feature = map.feature(f.name);
    if (!feature) throw VirError.internal(`Unknown CPU feature ${f.name}`, ErrorDomain.VIR_FROM_CPU);
    if (f.policy === 'disable' || f.policy === 'forbid') data.subtract(feature.data);
    else data.add(feature.data);
  }
  return data;
}

function vendorOf(map: X86Map, name: string) {
  const vendor = map.vendors.find((v) => v.name === name);
  if (!vendor) throw failed(`Unknown CPU vendor ${name}`);
  return vendor.name;
}

/** x86DataToCPUFeatures: the map features (in map order) whose bits `data` holds, taking them out of `data`. */
export function takeMapFeatures(data: X86Data, map: X86Map, policy: CpuFeature['policy']): CpuFeature[] {
  const out: CpuFeature[] = [];
  for (const f of map.features) {
    if (!data.contains(f.data)) continue;
    data.subtract(f.data);
    out.push({ name: f.name, policy });
  }
  return out;
}

/**
 * x86DataToCPU for a guest CPU: `data` as `model` plus required and disabled features. The
 * hypervisor's blockers the data does not add are disabled with the missing ones, in map order.
 */
function asModel(data: X86Data, model: X86Model, map: X86Map, hv: HypervisorCpuModel | undefined): CpuFeature[] {
  const extra = data.clone();
  extra.subtract(model.data);
  const missing = model.data.clone();
  missing.subtract(data);
  for (const blocker of hv?.blockers ?? []) {
    const feature = map.featureFromQemu(blocker);
    if (feature && !extra.contains(feature.data)) missing.add(feature.data);
  }
  return [...takeMapFeatures(extra, map, 'require'), ...takeMapFeatures(missing, map, 'disable')];
}

/** virCPUDefUpdateFeature with the disable policy. */
function disable(features: CpuFeature[], name: string): void {
  const f = features.find((x) => x.name === name);
  if (f) f.policy = 'disable';
  else features.push({ name, policy: 'disable' });
}

/** The length libvirt ranks a guest CPU by: enabled features count once, the n-th disabled one 1 + n. */
function weigh(features: readonly CpuFeature[]): { total: number; disabled: number } {
  let enabled = 0;
  let disabled = 0;
  let penalty = 2;
  for (const f of features) {
    if (f.policy === 'disable') disabled += penalty++;
    else enabled++;
  }
  return { total: enabled + disabled, disabled };
}

/** virCPUx86CompareCandidateFeatureList for guest CPUs. */
function better(current: readonly CpuFeature[], candidate: readonly CpuFeature[], preferred: boolean): boolean {
  const cur = weigh(current);
  const cand = weigh(candidate);
  if (cand.total < cur.total || (cand.total === cur.total && cand.disabled < cur.disabled)) return true;
  return preferred && cand.disabled < cur.disabled;
}

/** x86Decode of guest CPU data: the best model, newest first, a lone preferred model ending the search. */
function decode(
  data: X86Data,
  vendor: string | undefined,
  preferred: readonly string[],
  limits: BaselineLimits,
  map: X86Map,
): { model: string; features: CpuFeature[] } {
  let best: { model: string; features: CpuFeature[] } | undefined;
  for (let i = map.models.length - 1; i >= 0; i--) {
    const model = map.models[i];
    const hv = limits.models?.find((m) => m.name === model.name);
    if (limits.models && !hv) continue;
    if ((vendor && model.vendor && vendor !== model.vendor) || !model.decodeGuest) continue;
    const features = asModel(data, model, map, hv);
    const isPreferred = preferred.includes(model.name);
    if (isPreferred && preferred.length === 1) {
      best = { model: model.name, features };
      break;
    }
    if (!best || better(best.features, features, isPreferred)) best = { model: model.name, features };
  }
  if (!best) throw VirError.internal('Cannot find suitable CPU model for given data', ErrorDomain.VIR_FROM_CPU);
  // virCPUx86DisableRemovedFeatures: what QEMU dropped from its model is turned off explicitly.
  for (const name of map.model(best.model)!.removed) disable(best.features, name);
  if (limits.migratable) best.features = best.features.filter((f) => map.feature(f.name)?.migratable !== false);
  return best;
}

/** virCPUx86Baseline: the CPU every one of `cpus` can provide. */
export function baselineCpu(cpus: readonly CpuDef[], limits: BaselineLimits, map: X86Map): BaselineCpu {
  const data = allData(cpus[0], map);
  let vendor = cpus[0].vendor !== undefined ? vendorOf(map, cpus[0].vendor) : undefined;
  let outputVendor = cpus[0].vendor !== undefined;
  const names = [cpus[0].model!];
  for (const cpu of cpus.slice(1)) {
    if (!names.includes(cpu.model!)) names.push(cpu.model!);
    const cpuData = allData(cpu, map);
    const modelVendor = map.model(cpu.model!)?.vendor;
    if (cpu.vendor && modelVendor && cpu.vendor !== modelVendor) {
      throw failed(`CPU vendor ${modelVendor} of model ${cpu.model} differs from vendor ${cpu.vendor}`);
    }
    if (!cpu.vendor) outputVendor = false;
    const name = cpu.vendor ?? modelVendor;
    if (name !== undefined) {
      if (!vendor) vendor = vendorOf(map, name);
      else if (vendor !== name) throw failed('CPU vendors do not match');
    }
    data.intersect(cpuData);
  }
  if (limits.features) {
    const known = new X86Data();
    for (const name of limits.features) {
      const feature = map.feature(name);
      if (feature) known.add(feature.data);
    }
    data.intersect(known);
  }
  if (data.regs.size === 0) throw failed('CPUs are incompatible');
  const { model, features } = decode(data, vendor, names, limits, map);
  return {
    model,
    vendor: outputVendor ? vendor : undefined,
    fallback: names.length === 1 && names[0] === model ? 'forbid' : 'allow',
    features,
  };
}

/**
 * virCPUx86ExpandFeatures for a guest CPU, then sorted by name: every feature the model implies,
 * required, with the CPU's own required and disabled features over them and the model's removed
 * features disabled.
 */
export function expandFeatures(cpu: BaselineCpu, map: X86Map): void {
  const model = map.model(cpu.model);
  if (!model) throw VirError.internal(`unknown CPU model ${cpu.model}`, ErrorDomain.VIR_FROM_CPU);
  const features = takeMapFeatures(model.data.clone(), map, 'require');
  for (const f of cpu.features) {
    if (f.policy !== 'require' && f.policy !== 'disable') continue;
    const known = features.find((x) => x.name === f.name);
    if (known) known.policy = f.policy;
    else features.push({ ...f });
  }
  for (const name of model.removed) disable(features, name);
  cpu.features = features.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** virCPUDefFormat of a baseline CPU. */
export function formatBaselineCpu(cpu: BaselineCpu): string {
  const lines = [`<cpu mode='custom' match='exact'>`, `  <model fallback='${cpu.fallback}'>${cpu.model}</model>`];
  if (cpu.vendor) lines.push(`  <vendor>${cpu.vendor}</vendor>`);
  for (const f of cpu.features) lines.push(`  <feature policy='${f.policy}' name='${f.name}'/>`);
  return `${lines.join('\n')}\n</cpu>\n`;
}

/**
 * The host CPU as a named model plus features (libvirt's x86 decoding): the host-model CPU
 * QEMU reports (its enabled features, vendor and family/model) is matched against every CPU
 * model of the map this QEMU also knows, newest first; the model needing the shortest list of
 * extra (required) and missing (disabled) features wins, a model whose signature matches the
 * host's being preferred.
 */
import { VirError } from '@virtkit/core';
import type { QemuCpuModel, QemuCpuProperty } from '../caps/types';
import { takeMapFeatures, X86Data, type CpuFeature, type X86Map, type X86Model } from '@virtkit/xml';

/** A CPU described by a model of the map. */
export interface DecodedCpu {
  model: string;
  vendor?: string;
  features: CpuFeature[];
}

interface HostData {
  data: X86Data;
  vendor?: string;
  family: number;
  model: number;
}

/**
 * The host CPU's data from its expansion properties. With `migratable`, features QEMU marks as
 * not surviving migration are left out.
 */
function hostData(props: readonly QemuCpuProperty[], map: X86Map, migratable: boolean): HostData {
  const out: HostData = { data: new X86Data(), family: 0, model: 0 };
  for (const p of props) {
    if (typeof p.value === 'boolean') {
      if (!p.value || (migratable && p.migratable === false)) continue;
      const feature = map.featureFromQemu(p.name);
      if (feature) out.data.add(feature.data);
    } else if (p.name === 'vendor') {
      out.vendor = map.vendors.find((v) => v.cpuidString === p.value)?.name;
    } else if (p.name === 'family' || p.name === 'model') {
      out[p.name] = Number(p.value);
    }
  }
  return out;
}

/** Whether the (migratable) host CPU has the feature libvirt calls `name`. */
export function hostHasFeature(props: readonly QemuCpuProperty[], name: string, map: X86Map): boolean {
  const feature = map.feature(name);
  return feature !== undefined && hostData(props, map, true).data.contains(feature.data);
}

function asCandidate(host: HostData, model: X86Model, map: X86Map, hv: QemuCpuModel): CpuFeature[] {
  const extra = host.data.clone();
  extra.subtract(model.data);
  const missing = model.data.clone();
  missing.subtract(host.data);
  const features = [...takeMapFeatures(extra, map, 'require'), ...takeMapFeatures(missing, map, 'disable')];
  // Features QEMU says block its version of the model cannot be provided: they are turned off.
  for (const b of hv.blockers) {
    const name = map.featureFromQemu(b)?.name ?? b;
    const f = features.find((x) => x.name === name);
    if (f) f.policy = 'disable';
    else features.push({ name, policy: 'disable' });
  }
  return features;
}

function hasSignature(model: X86Model, host: HostData): boolean {
  return model.signatures.some((s) => s.family === host.family && s.model === host.model);
}

/** Whether `candidate` fits the host better than the current choice (libvirt's ranking). */
function better(
  host: HostData,
  current: { model: X86Model; features: CpuFeature[] } | undefined,
  candidate: X86Model,
  features: CpuFeature[],
): boolean {
  if (!current) return true;
  if (host.family && hasSignature(current.model, host) && !hasSignature(candidate, host)) return false;
  if (current.features.length > features.length) return true;
  return host.family !== 0 && hasSignature(candidate, host) && !hasSignature(current.model, host);
}

/** The best model of the map for `cpu`, among those `known` to the QEMU binary. */
function decode(cpu: HostData, known: readonly QemuCpuModel[], map: X86Map): { model: X86Model; features: CpuFeature[] } {
  let best: { model: X86Model; features: CpuFeature[] } | undefined;
  for (let i = map.models.length - 1; i >= 0; i--) {
    const model = map.models[i];
    const hv = known.find((k) => k.name === model.name);
    if (!hv) continue;
    if (cpu.vendor && model.vendor && cpu.vendor !== model.vendor) continue;
    if (!model.decodeGuest) continue;
    const features = asCandidate(cpu, model, map, hv);
    if (better(cpu, best, model, features)) best = { model, features };
  }
  if (!best) throw VirError.internal('Cannot find suitable CPU model for given data');
  return best;
}

/**
 * Decode the host CPU for a guest definition: `props` are the host CPU expansion properties,
 * `known` the CPU models of the QEMU binary for the accelerator.
 */
export function decodeHostCpu(
  props: readonly QemuCpuProperty[],
  known: readonly QemuCpuModel[],
  map: X86Map,
  migratable: boolean,
): DecodedCpu {
  const host = hostData(props, map, migratable);
  const best = decode(host, known, map);
  return { model: best.model.name, vendor: host.vendor, features: best.features };
}

/**
 * Describe a CPU whose model the QEMU binary does not know with one it knows (virCPUTranslate):
 * the model's features with the requested changes, decoded again; requested features the new
 * description does not mention are kept.
 */
export function translateCpu(cpu: DecodedCpu, known: readonly QemuCpuModel[], map: X86Map): DecodedCpu {
  const model = map.model(cpu.model);
  if (!model) throw VirError.internal(`Unknown CPU model ${cpu.model}`);
  const data = model.data.clone();
  for (const f of cpu.features) {
    const feature = map.feature(f.name);
    if (!feature) continue;
    if (f.policy === 'require' || f.policy === 'force') data.add(feature.data);
    else if (f.policy === 'disable' || f.policy === 'forbid') data.subtract(feature.data);
  }
  const sig = model.signatures[0];
  const best = decode({ data, vendor: model.vendor, family: sig?.family ?? 0, model: sig?.model ?? 0 }, known, map);
  const features = best.features;
  for (const f of cpu.features) if (!features.some((x) => x.name === f.name)) features.push({ ...f });
  return { model: best.model.name, vendor: cpu.vendor, features };
}

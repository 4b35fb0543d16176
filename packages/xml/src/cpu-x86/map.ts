/**
 * libvirt's x86 CPU map (data/cpu_map, copied from libvirt 9.0): vendors, features with their
 * CPUID/MSR bits, and CPU models with their signatures and feature lists, read through a reader
 * of the map's files so that each driver reads its own copy.
 */
import { VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { X86Data } from './data';

export interface X86Vendor {
  name: string;
  /** The 12-character CPUID vendor string (`GenuineIntel`). */
  cpuidString: string;
}

export interface X86Feature {
  name: string;
  data: X86Data;
  /** Names QEMU uses for this feature. */
  qemuAliases: string[];
  /** False for features that block migration (`migratable='no'` in the map). */
  migratable: boolean;
}

export interface X86Model {
  name: string;
  vendor?: string;
  decodeHost: boolean;
  decodeGuest: boolean;
  signatures: Array<{ family: number; model: number }>;
  /** Bits of its features, the removed ones left out. */
  data: X86Data;
  /** Features QEMU dropped from its version of the model; libvirt turns them off explicitly. */
  removed: string[];
}

export interface X86Map {
  vendors: X86Vendor[];
  /** In the map's order, which is the order features are listed in. */
  features: X86Feature[];
  models: X86Model[];
  feature(name: string): X86Feature | undefined;
  /** The feature QEMU calls `name` (its own name or one of its QEMU aliases). */
  featureFromQemu(name: string): X86Feature | undefined;
  model(name: string): X86Model | undefined;
}

const hexNum = (v: string | undefined) => (v === undefined ? 0 : Number(v)) >>> 0;

function featureData(el: XmlElement): X86Data {
  const data = new X86Data();
  for (const c of el.elements('cpuid')) {
    const leaf = `cpuid:${hexNum(c.attr('eax_in'))}:${hexNum(c.attr('ecx_in'))}`;
    for (const reg of ['eax', 'ebx', 'ecx', 'edx']) data.set(`${leaf}:${reg}`, hexNum(c.attr(reg)));
  }
  for (const m of el.elements('msr')) {
    for (const half of ['eax', 'edx']) data.set(`msr:${hexNum(m.attr('index'))}:${half}`, hexNum(m.attr(half)));
  }
  return data;
}

function readIncludes(read: (file: string) => string): XmlElement[] {
  const index = parseXml(read('index.xml'));
  const x86 = index.elements('arch').find((a) => a.attr('name') === 'x86');
  if (!x86) throw VirError.internal('the CPU map has no x86 section');
  return x86.elements('include').map((inc) => parseXml(read(inc.attr('filename') ?? '')));
}

function buildMap(docs: XmlElement[]): X86Map {
  const vendors: X86Vendor[] = [];
  const features: X86Feature[] = [];
  const byName = new Map<string, X86Feature>();
  const byQemu = new Map<string, X86Feature>();
  const models: X86Model[] = [];
  for (const doc of docs) {
    for (const v of doc.elements('vendor')) vendors.push({ name: v.attr('name') ?? '', cpuidString: v.attr('string') ?? '' });
    for (const f of doc.elements('feature')) {
      const qemuAliases = f
        .elements('alias')
        .filter((a) => a.attr('source') === 'qemu')
        .map((a) => a.attr('name') ?? '');
      const feature: X86Feature = {
        name: f.attr('name') ?? '',
        data: featureData(f),
        qemuAliases,
        migratable: f.attr('migratable') !== 'no',
      };
      features.push(feature);
      byName.set(feature.name, feature);
      for (const a of qemuAliases) byQemu.set(a, feature);
    }
    for (const m of doc.elements('model')) {
      const data = new X86Data();
      const removed: string[] = [];
      for (const f of m.elements('feature')) {
        const name = f.attr('name') ?? '';
        const feature = byName.get(name);
        if (!feature) throw VirError.internal(`Feature ${name} required by CPU model ${m.attr('name')} not found`);
        if (f.attr('removed') === 'yes') removed.push(name);
        else data.add(feature.data);
      }
      const decode = m.element('decode');
      models.push({
        name: m.attr('name') ?? '',
        vendor: m.element('vendor')?.attr('name'),
        decodeHost: decode?.attr('host') !== 'off',
        decodeGuest: decode?.attr('guest') !== 'off',
        signatures: m.elements('signature').map((s) => ({ family: Number(s.attr('family')), model: Number(s.attr('model')) })),
        data,
        removed,
      });
    }
  }
  const byModel = new Map(models.map((m) => [m.name, m]));
  return {
    vendors,
    features,
    models,
    feature: (name) => byName.get(name),
    featureFromQemu: (name) => byName.get(name) ?? byQemu.get(name),
    model: (name) => byModel.get(name),
  };
}

/** The x86 CPU map whose files (`index.xml` and what it includes) `read` returns. */
export function loadX86Map(read: (file: string) => string): X86Map {
  return buildMap(readIncludes(read));
}

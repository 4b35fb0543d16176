/**
 * The tunables of a domain definition that become cgroup settings, read from and written back
 * to its `<memtune>`, `<blkiotune>` and `<cputune>` as libvirt formats them (memory in KiB;
 * cputune's scalar children first, in libvirt's order, before its pins).
 */
import { CPUTUNE_SCALARS, mkEl, unitScale, type DomainDef, type XmlElement } from '@virtkit/xml';
import type { BlkioDeviceTunable } from './blkio';
import { MEMORY_UNLIMITED, type MemoryLimit } from './memory';

export const MEMORY_LIMITS: MemoryLimit[] = ['hard_limit', 'soft_limit', 'swap_hard_limit'];

/** One limit of `<memtune>` in KiB, MEMORY_UNLIMITED when absent. */
export function memtuneLimit(def: DomainDef, which: MemoryLimit): bigint {
  const el = def.preserved.get('memtune')?.[0]?.element(which);
  if (!el) return MEMORY_UNLIMITED;
  return (BigInt(el.text().trim()) * unitScale(el.attr('unit'), 1024n)) / 1024n;
}

/** Write `<memtune>` with these limits (the unlimited ones left out). */
export function setMemtune(def: DomainDef, limits: Map<MemoryLimit, bigint>): void {
  const kids = MEMORY_LIMITS.filter((w) => limits.get(w)! < MEMORY_UNLIMITED).map((w) =>
    mkEl(w, [['unit', 'KiB']], [], String(limits.get(w))),
  );
  const old = def.preserved.get('memtune')?.[0];
  // min_guarantee and anything else libvirt keeps there stays
  const rest = old?.elements().filter((e) => !MEMORY_LIMITS.includes(e.name as MemoryLimit)) ?? [];
  if (kids.length || rest.length) def.preserved.set('memtune', [mkEl('memtune', [], [...kids, ...rest])]);
  else def.preserved.delete('memtune');
}

/** The per-device tunables of `<blkiotune><device>`, in libvirt's order. */
export const BLKIO_DEVICE_TUNABLES: BlkioDeviceTunable[] = [
  'weight',
  'read_iops_sec',
  'write_iops_sec',
  'read_bytes_sec',
  'write_bytes_sec',
];

/** One `<blkiotune><device>`: its path and the tunables it sets. */
export interface BlkioDeviceTune {
  path: string;
  values: Map<BlkioDeviceTunable, bigint>;
}

export interface BlkioTune {
  weight: number;
  devices: BlkioDeviceTune[];
}

const textOf = (el: XmlElement | undefined, name: string) => el?.element(name)?.text().trim();

export function blkiotune(def: DomainDef): BlkioTune {
  const el = def.preserved.get('blkiotune')?.[0];
  return {
    weight: Number(textOf(el, 'weight') ?? 0),
    devices: (el?.elements('device') ?? []).map((d) => ({
      path: textOf(d, 'path') ?? '',
      values: new Map(BLKIO_DEVICE_TUNABLES.filter((t) => d.element(t)).map((t) => [t, BigInt(textOf(d, t)!)])),
    })),
  };
}

/** Write `<blkiotune>`; a device left with no tunable is dropped (virDomainMergeBlkioDevice). */
export function setBlkiotune(def: DomainDef, tune: BlkioTune): void {
  const kids: XmlElement[] = tune.weight ? [mkEl('weight', [], [], String(tune.weight))] : [];
  for (const d of tune.devices) {
    const vals = BLKIO_DEVICE_TUNABLES.filter((t) => d.values.get(t)).map((t) => mkEl(t, [], [], String(d.values.get(t))));
    if (vals.length) kids.push(mkEl('device', [], [mkEl('path', [], [], d.path), ...vals]));
  }
  if (kids.length) def.preserved.set('blkiotune', [mkEl('blkiotune', [], kids)]);
  else def.preserved.delete('blkiotune');
}

export type CputuneScalar = (typeof CPUTUNE_SCALARS)[number];

/** One scalar of `<cputune>`, 0 when absent. */
export function cputuneValue(def: DomainDef, name: CputuneScalar): bigint {
  const t = textOf(def.preserved.get('cputune')?.[0], name);
  return t === undefined ? 0n : BigInt(t);
}

/** Set one scalar of `<cputune>`; 0 removes it (shares are kept as given, 0 included, when `keepZero`). */
export function setCputuneValue(def: DomainDef, name: CputuneScalar, value: bigint, keepZero = false): void {
  const tune = def.preserved.get('cputune')?.[0] ?? mkEl('cputune');
  const values = new Map(CPUTUNE_SCALARS.map((n) => [n, textOf(tune, n)]));
  values.set(name, value || keepZero ? String(value) : undefined);
  const others = tune.children.filter((c) => !(c.kind === 'element' && (CPUTUNE_SCALARS as readonly string[]).includes(c.name)));
  const scalars = CPUTUNE_SCALARS.filter((n) => values.get(n) !== undefined).map((n) => mkEl(n, [], [], values.get(n)));
  tune.children.splice(0, tune.children.length, ...scalars, ...others);
  if (tune.children.some((c) => c.kind === 'element')) def.preserved.set('cputune', [tune]);
  else def.preserved.delete('cputune');
}

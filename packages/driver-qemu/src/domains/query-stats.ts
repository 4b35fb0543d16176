/**
 * The figures QEMU's query-stats gives (KVM's own statistics; TCG has none), as libvirt's vm and
 * vcpu stats groups name them (qemuDomainAddStatsFromHashTable): `<prefix>.<name>.<kind>`, the
 * kind `sum` for a cumulative figure, `cur` for an instant one and `max` for a peak; booleans as
 * booleans, numbers as unsigned long long; histograms left out.
 */
import { TypedParameterType as P, type TypedParam } from '@virtkit/core';

interface StatSchema {
  name: string;
  type: string;
  unit?: string;
}
interface StatValue {
  name: string;
  value: number | boolean | number[];
}
interface StatsResult {
  provider: string;
  'qom-path'?: string;
  stats: StatValue[];
}

/** What query-stats-schemas and query-stats (targets vm and vcpu) answered. */
export interface QueriedStats {
  schemas: Array<{ provider: string; target: string; stats: StatSchema[] }>;
  vm: StatsResult[];
  vcpu: StatsResult[];
}

const KIND: Record<string, string> = { cumulative: 'sum', instant: 'cur', peak: 'max' };

function params(q: QueriedStats, target: string, results: StatsResult[], prefix: string): TypedParam[] {
  const out: TypedParam[] = [];
  for (const r of results) {
    const schema = q.schemas.find((s) => s.provider === r.provider && s.target === target)?.stats ?? [];
    for (const v of r.stats) {
      const def = schema.find((s) => s.name === v.name);
      const kind = def && KIND[def.type];
      if (!kind) continue;
      const field = `${prefix}.${v.name}.${kind}`;
      if (def.unit === 'boolean' && typeof v.value === 'boolean') out.push({ field, type: P.VIR_TYPED_PARAM_BOOLEAN, value: v.value });
      else if (typeof v.value === 'number') out.push({ field, type: P.VIR_TYPED_PARAM_ULLONG, value: v.value });
    }
  }
  return out;
}

/** qemuDomainGetStatsVm: the VM-wide figures. */
export const vmStats = (q: QueriedStats): TypedParam[] => params(q, 'vm', q.vm, 'vm');

/** The figures of one vCPU (by its QOM path), under `prefix` (`vcpu.N`). */
export const vcpuQueried = (q: QueriedStats, qomPath: string, prefix: string): TypedParam[] =>
  params(
    q,
    'vcpu',
    q.vcpu.filter((r) => r['qom-path'] === qomPath),
    prefix,
  );

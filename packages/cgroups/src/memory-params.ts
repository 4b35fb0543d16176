/**
 * virDomainGet/SetMemoryParameters as libvirt's QEMU and LXC drivers share them
 * (virDomainCgroupSetMemoryLimitParameters): hard, soft and swap hard limits in KiB, read from
 * the group when live and from `<memtune>` otherwise; set in the group and the definitions.
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
import type { Cgroup } from './group';
import { MEMORY_UNLIMITED, memoryLimit, setMemoryLimit, type MemoryLimit } from './memory';
import { MEMORY_LIMITS, memtuneLimit, setMemtune } from './tune-xml';

/** A running domain's live definition and group. */
export interface LiveTuning {
  def: DomainDef;
  cg: Cgroup;
}

/** The "controller is not mounted" refusal of a live call. */
export function needController(cg: Cgroup, c: 'memory' | 'cpu' | 'blkio', from: ErrorDomain): void {
  if (cg.has(c)) return;
  const detail = c === 'blkio' ? "blkio cgroup isn't mounted" : `cgroup ${c === 'cpu' ? 'CPU' : c} controller is not mounted`;
  throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, from, detail);
}

/** The three limits, from the group (`live`) or else from `config`. */
export function memoryParameters(live: Cgroup | null, config: DomainDef | null, from: ErrorDomain): TypedParams {
  if (live && !config) needController(live, 'memory', from);
  const value = (w: MemoryLimit) => (config ? memtuneLimit(config, w) : memoryLimit(live!, w));
  return typedParams(MEMORY_LIMITS.map((field) => ({ field, type: T.VIR_TYPED_PARAM_ULLONG, value: Number(value(field)) })));
}

/** Set the limits `params` names in the live group and definition and/or in `config`. */
export function setMemoryParameters(params: TypedParams, live: LiveTuning | null, config: DomainDef | null, from: ErrorDomain): void {
  validateTypedParams(params, Object.fromEntries(MEMORY_LIMITS.map((f) => [f, T.VIR_TYPED_PARAM_ULLONG])));
  if (live) needController(live.cg, 'memory', from);
  const asked = new Map(Object.entries(params).map(([f, v]) => [f as MemoryLimit, BigInt(v as number | bigint)]));
  // the swap limit may not end below the hard limit (judged against the running definition)
  const current = live?.def ?? config!;
  const hard = asked.get('hard_limit') ?? memtuneLimit(current, 'hard_limit');
  const swap = asked.get('swap_hard_limit') ?? memtuneLimit(current, 'swap_hard_limit');
  if ((asked.has('hard_limit') || asked.has('swap_hard_limit')) && hard > swap)
    throw VirError.invalidArg(
      'memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
      ErrorDomain.VIR_FROM_DOMAIN,
    );
  if (live) {
    // lower the hard limit before the swap limit, raise it after (the kernel keeps hard <= memsw)
    const lowering = asked.has('hard_limit') && hard < memtuneLimit(live.def, 'hard_limit');
    const order: MemoryLimit[] = lowering
      ? ['soft_limit', 'hard_limit', 'swap_hard_limit']
      : ['soft_limit', 'swap_hard_limit', 'hard_limit'];
    for (const w of order) if (asked.has(w)) setMemoryLimit(live.cg, w, asked.get(w)!);
  }
  for (const def of [live?.def, config]) {
    if (!def) continue;
    const limits = new Map(MEMORY_LIMITS.map((w) => [w, asked.get(w) ?? memtuneLimit(def, w)]));
    for (const [w, v] of limits) if (v > MEMORY_UNLIMITED) limits.set(w, MEMORY_UNLIMITED);
    setMemtune(def, limits);
  }
}

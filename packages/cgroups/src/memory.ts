/**
 * Memory limits of a group in KiB, as libvirt's virCgroupSet/GetMemory*Limit: hard (v1
 * memory.limit_in_bytes, v2 memory.max), soft (memory.soft_limit_in_bytes, memory.high) and
 * swap hard limit (memory.memsw.limit_in_bytes, memory.swap.max), with "no limit" as
 * VIR_DOMAIN_MEMORY_PARAM_UNLIMITED both ways.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { Cgroup } from './group';

/** VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, in KiB. */
export const MEMORY_UNLIMITED = 9007199254740991n;

/** The memory limits of `<memtune>` (and of virDomainGet/SetMemoryParameters). */
export type MemoryLimit = 'hard_limit' | 'soft_limit' | 'swap_hard_limit';

const FILES: Record<MemoryLimit, [v1: string, v2: string]> = {
  hard_limit: ['memory.limit_in_bytes', 'memory.max'],
  soft_limit: ['memory.soft_limit_in_bytes', 'memory.high'],
  swap_hard_limit: ['memory.memsw.limit_in_bytes', 'memory.swap.max'],
};

const fileOf = (cg: Cgroup, which: MemoryLimit) => FILES[which][cg.layout.v2 ? 1 : 0];

/** What v1 reports for "no limit": the limit of the hierarchy's root, which never has one. */
function v1Unlimited(cg: Cgroup): bigint {
  return BigInt(fs.readFileSync(path.join(cg.layout.root, 'memory', 'memory.limit_in_bytes'), 'utf8').trim());
}

/** Set one limit; `kib` at MEMORY_UNLIMITED removes it. */
export function setMemoryLimit(cg: Cgroup, which: MemoryLimit, kib: bigint): void {
  if (kib > MEMORY_UNLIMITED)
    throw VirError.create(
      ErrorNumber.VIR_ERR_INVALID_ARG,
      ErrorDomain.VIR_FROM_CGROUP,
      `Memory '${kib}' must be less than ${MEMORY_UNLIMITED}`,
    );
  const none = cg.layout.v2 ? 'max' : '-1';
  cg.write('memory', fileOf(cg, which), kib === MEMORY_UNLIMITED ? none : String(kib * 1024n));
}

/** One limit in KiB (MEMORY_UNLIMITED when there is none, or the host cannot limit swap). */
export function memoryLimit(cg: Cgroup, which: MemoryLimit): bigint {
  const file = fileOf(cg, which);
  if (!cg.hasFile('memory', file)) return MEMORY_UNLIMITED;
  const text = cg.read('memory', file);
  if (text === 'max') return MEMORY_UNLIMITED;
  const bytes = BigInt(text);
  if (!cg.layout.v2 && bytes >= v1Unlimited(cg)) return MEMORY_UNLIMITED;
  return bytes / 1024n;
}

/** Memory the group's processes use, in KiB (0 when unreadable). */
export function memoryUsageKiB(cg: Cgroup): bigint {
  try {
    return BigInt(cg.read('memory', cg.layout.v2 ? 'memory.current' : 'memory.usage_in_bytes')) / 1024n;
  } catch {
    return 0n;
  }
}

/**
 * A domain's memory policy through the cpuset controller: `<numatune>` applied to its groups'
 * `cpuset.mems` at start (qemuProcessSetupPid, virLXCCgroupSetupCpusetTune) and changed on a
 * running domain by virDomainSetNumaParameters (qemuDomainSetNumaParameters), with libvirt's
 * refusals.
 */
import * as fs from 'node:fs';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { formatBitmap, numatuneMemory, parseBitmap, setNumatuneMemory, type DomainDef, type NumatuneMode } from '@virtkit/xml';
import type { Cgroup } from './group';
import type { LiveSched, SchedGroups } from './sched-params';

/** The host's online NUMA nodes (node 0 alone where the kernel has no NUMA support). */
export function hostNumaNodes(): number[] {
  try {
    return parseBitmap(fs.readFileSync('/sys/devices/system/node/online', 'utf8').trim()) ?? [0];
  } catch {
    return [0];
  }
}

const setMems = (cg: Cgroup, nodes: number[]) => cg.write('cpuset', 'cpuset.mems', formatBitmap(nodes));

/** The groups that bind a domain's memory: its thread groups on cgroup v1, else the domain's own. */
function memoryGroups(groups: SchedGroups): Cgroup[] {
  const threads = [groups.emulator, ...groups.vcpus, ...groups.iothreads].filter((g): g is Cgroup => g !== null);
  return threads.length ? threads : [groups.domain];
}

/**
 * The nodes one vCPU's memory is bound to: its guest cell's `<memnode>` when that one is
 * restrictive, else the domain-wide nodeset.
 */
function vcpuNodes(def: DomainDef, vcpu: number, domainWide: number[]): number[] {
  const cells = def.preserved.get('cpu')?.[0]?.element('numa')?.elements('cell') ?? [];
  const cell = cells.findIndex((c) => parseBitmap(c.attr('cpus') ?? '')?.includes(vcpu));
  const memnode = def.preserved
    .get('numatune')?.[0]
    ?.elements('memnode')
    .find((m) => m.attr('cellid') === String(cell));
  return memnode?.attr('mode') === 'restrictive' ? (parseBitmap(memnode.attr('nodeset') ?? '') ?? domainWide) : domainWide;
}

/**
 * At start (QEMU): a strict or restrictive domain-wide nodeset binds every thread group's memory;
 * a vCPU in a guest cell with a restrictive `<memnode>` takes that cell's nodes instead.
 */
export function applyNumatune(groups: SchedGroups, def: DomainDef): void {
  const memory = numatuneMemory(def);
  if (!groups.domain.has('cpuset') || !memory?.nodeset || (memory.mode !== 'strict' && memory.mode !== 'restrictive')) return;
  for (const g of memoryGroups(groups)) {
    const vcpu = groups.vcpus.indexOf(g);
    setMems(g, vcpu < 0 ? memory.nodeset : vcpuNodes(def, vcpu, memory.nodeset));
  }
}

/** At start (LXC): a domain-wide nodeset in any mode but strict binds the container's group. */
export function applyContainerNumatune(cg: Cgroup, def: DomainDef): void {
  const memory = numatuneMemory(def);
  if (memory?.nodeset && memory.mode !== 'strict') setMems(cg, memory.nodeset);
}

/** virNumaNodesetIsAvailable: only nodes the host has may be named. */
export function checkNodesAvailable(nodes: readonly number[], host = hostNumaNodes()): void {
  const missing = nodes.find((n) => !host.includes(n));
  if (missing !== undefined)
    throw VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_NONE, `NUMA node ${missing} is unavailable`);
}

const sameNodes = (a: number[] | undefined, b: number[] | undefined) => (a ?? []).join() === (b ?? []).join() && !!a === !!b;

/**
 * qemuDomainSetNumaParameters on the definitions the flags chose, once the request is checked
 * (@virtkit/xml's numaParamsRequest): on a running domain the mode cannot change, a strict
 * nodeset cannot change either, and a restrictive one moves the memory binding of every thread
 * group; the persistent definition takes both as given.
 */
export function setNumaParameters(
  { mode, nodeset }: { mode?: NumatuneMode; nodeset?: number[] },
  live: LiveSched | null,
  config: DomainDef | null,
  from: ErrorDomain,
): void {
  const refuse = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_OPERATION_INVALID, from, detail);
  if (live) {
    if (!live.groups.domain.has('cpuset')) throw refuse('cgroup cpuset controller is not mounted');
    const current = numatuneMemory(live.def);
    if (mode !== undefined && current && current.mode !== mode) throw refuse("can't change numatune mode for running domain");
    if (mode === 'strict') {
      if (!sameNodes(nodeset, current?.nodeset)) throw refuse("can't change nodeset for strict mode for running domain");
    } else {
      if (nodeset) {
        if (current && current.mode !== 'restrictive') throw refuse('change of nodeset for running domain requires restrictive numa mode');
        checkNodesAvailable(nodeset);
        for (const g of memoryGroups(live.groups)) setMems(g, nodeset);
      }
      setNumatuneMemory(live.def, mode, nodeset);
    }
  }
  if (config) setNumatuneMemory(config, mode, nodeset);
}

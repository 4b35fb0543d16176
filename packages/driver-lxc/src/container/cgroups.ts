/**
 * The cgroups of a container (through @virtkit/cgroups, on v1, hybrid or v2 hosts): one group,
 * `virtkit-lxc-<name>`, directly under each hierarchy's root. The plan records it as plain data,
 * as the controller program (libexec/virtkit_lxc.cjs) reads it from the plan's JSON: its folders
 * and its freezer file.
 */
import * as fs from 'node:fs';
import {
  applyBlkiotune,
  applyContainerNumatune,
  applyCputune,
  Cgroup,
  memtuneLimit,
  setMemoryLimit,
  type CgroupController,
  type CgroupLayout,
} from '@virtkit/cgroups';
import { numatuneMemory, type DomainDef } from '@virtkit/xml';

/** The v1 controllers a container gets a group in (cpuset only with a CPU or memory node binding). */
const CONTROLLERS: CgroupController[] = ['memory', 'cpu', 'cpuacct', 'freezer', 'pids', 'blkio'];

export interface ContainerCgroups {
  layout: CgroupLayout;
  rel: string;
  controllers: CgroupController[];
  /** Shorthands for the controller program: v2 or not, every folder, the freezing file. */
  v2: boolean;
  dirs: string[];
  freezer: string;
}

/** The Cgroup of a plan's record. */
export const groupOf = (cg: ContainerCgroups): Cgroup => new Cgroup(cg.rel, cg.controllers, cg.layout);

/** The groups of the container of `def`. */
export function containerCgroups(def: DomainDef): ContainerCgroups {
  const cpuset = def.vcpuCpuset !== undefined || numatuneMemory(def)?.nodeset !== undefined;
  const cg = new Cgroup(`virtkit-lxc-${def.name}`, cpuset ? [...CONTROLLERS, 'cpuset'] : CONTROLLERS);
  const v2 = cg.layout.v2;
  const freezer = v2 ? `${cg.dir('cpu')}/cgroup.freeze` : `${cg.dir('freezer')}/freezer.state`;
  return { layout: cg.layout, rel: cg.rel, controllers: cg.controllers, v2, dirs: cg.dirs(), freezer };
}

/**
 * Make the container's groups and apply its definition (libvirt's virLXCCgroupSetup*), before
 * any of its processes joins: memory (`<memory>`, or a lower `<memtune><hard_limit>`; no swap
 * on v2), `<cputune>`, `<vcpu cpuset>`, `<numatune>` and `<blkiotune>`.
 */
export function makeGroups(plan: ContainerCgroups, def: DomainDef): void {
  const cg = groupOf(plan);
  cg.create();
  const hard = memtuneLimit(def, 'hard_limit');
  setMemoryLimit(cg, 'hard_limit', hard < def.memory ? hard : def.memory);
  if (cg.layout.v2) setMemoryLimit(cg, 'swap_hard_limit', 0n);
  applyCputune('lxc', { def, groups: { domain: cg, vcpus: [], emulator: null, iothreads: [] } });
  if (def.vcpuCpuset) cg.write('cpuset', 'cpuset.cpus', def.vcpuCpuset);
  applyContainerNumatune(cg, def);
  applyBlkiotune(cg, def);
}

/** Remove the container's (empty) groups after a failed start. */
export function removeGroups(plan: ContainerCgroups): Promise<void> {
  return groupOf(plan).remove();
}

/** The pids in the container's groups. */
export function groupPids(plan: ContainerCgroups): number[] {
  return groupOf(plan).pids();
}

/**
 * The host pid of the container's PID 1 once it runs the program `comm` (not the setup script
 * before its exec): the group's process whose innermost pid is 1. 0 while there is none.
 */
export function findInit(plan: ContainerCgroups, comm: string): number {
  for (const pid of groupPids(plan)) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const ids = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
      if (ids.length > 1 && ids[ids.length - 1] === '1') return /^Name:\s*(.*)$/m.exec(status)?.[1] === comm.slice(0, 15) ? pid : 0;
    } catch {
      // exited meanwhile
    }
  }
  return 0;
}

/** Freeze or thaw every process of the container. */
export function setFrozen(plan: ContainerCgroups, frozen: boolean): void {
  fs.writeFileSync(plan.freezer, plan.v2 ? (frozen ? '1' : '0') : frozen ? 'FROZEN' : 'THAWED');
}

/**
 * Where a running QEMU lives in the host's cgroups, as libvirt places it without systemd-machined
 * (virCgroupNewMachineManual, qemuSetupCgroup, qemuProcessSetup{Vcpu,Emulator,IOThread}): a group
 * `machine/<machine name>.libvirt-qemu` under each controller; on cgroup v1, below it an
 * `emulator` group with the process and a `vcpuN`/`iothreadN` group with each of those threads in
 * the CPU controllers. `<memtune>`, `<blkiotune>`, `<cputune>` and `<numatune>` are applied while the machine
 * is still paused (`-S`), before the guest runs.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  applyBlkiotune,
  applyCputune,
  applyNumatune,
  Cgroup,
  cgroupOfPid,
  memtuneLimit,
  MEMORY_UNLIMITED,
  setMemoryLimit,
  type CgroupController,
  type SchedGroups,
} from '@virtkit/cgroups';
import type { DomainDef } from '@virtkit/xml';
import type { QemuPaths } from '../paths';

/** libvirt's default cgroup_controllers for QEMU, less `devices` (no device ACL here). */
const CONTROLLERS: CgroupController[] = ['cpu', 'cpuacct', 'cpuset', 'memory', 'blkio'];
/** The controllers of the per-thread groups (virCgroupNewThread). */
const THREAD_CONTROLLERS: CgroupController[] = ['cpu', 'cpuacct', 'cpuset'];

/** Run one QMP command. */
export type Qmp = (command: string) => Promise<unknown>;

/** virDomainDriverGenerateMachineName for a privileged driver: `qemu-<id>-<name>` (or embed's root hash). */
export function machineName(paths: QemuPaths, id: number, name: string): string {
  const prefix =
    paths.kind === 'embed'
      ? `qemu-embed-${createHash('sha256').update(path.dirname(paths.configBaseDir)).digest('hex').slice(0, 8)}-`
      : 'qemu-';
  let out = `${prefix}${id}-`;
  let skip = true;
  for (const ch of name) {
    if (out.length >= 64) break;
    if (ch === '.' || ch === '-') {
      if (!skip) out += ch;
      skip = true;
    } else if (/^[A-Za-z0-9]$/.test(ch)) {
      out += ch;
      skip = false;
    }
  }
  return out.replace(/[-.]+$/, '');
}

/** The domain's group (virCgroupNewDomainPartition under the `/machine` partition). */
export function domainGroup(machine: string): Cgroup {
  return new Cgroup(`machine/${machine}.libvirt-qemu`, CONTROLLERS);
}

/** Per-thread groups are made on cgroup v1 only (v2 would need a threaded subtree). */
const perThread = (domain: Cgroup) => !domain.layout.v2;

async function threadIds(qmp: Qmp): Promise<{ vcpus: Array<[number, number]>; iothreads: Array<[number, number]> }> {
  const cpus = (await qmp('query-cpus-fast')) as Array<{ 'cpu-index': number; 'thread-id': number }>;
  const io = (await qmp('query-iothreads')) as Array<{ id: string; 'thread-id': number }>;
  return {
    vcpus: cpus.map((c) => [c['cpu-index'], c['thread-id']]),
    iothreads: io.map((t) => [Number(/(\d+)$/.exec(t.id)?.[1] ?? 0), t['thread-id']]),
  };
}

/** Apply `<memtune>` to a new group (virDomainCgroupSetupMemtune). */
function applyMemtune(cg: Cgroup, def: DomainDef): void {
  for (const w of ['hard_limit', 'soft_limit', 'swap_hard_limit'] as const) {
    const kib = memtuneLimit(def, w);
    if (kib < MEMORY_UNLIMITED) setMemoryLimit(cg, w, kib);
  }
}

/**
 * Put the paused QEMU `pid` of `def` into its groups and apply the definition's tuning. Returns
 * the groups; a group left from an earlier run of the same machine name is reused.
 */
export async function placeDomain(machine: string, def: DomainDef, pid: number, qmp: Qmp): Promise<SchedGroups> {
  const domain = domainGroup(machine);
  domain.create();
  applyMemtune(domain, def);
  applyBlkiotune(domain, def);
  const groups: SchedGroups = { domain, vcpus: [], emulator: null, iothreads: [] };
  if (!perThread(domain)) {
    domain.addProcess(pid);
  } else {
    const { vcpus, iothreads } = await threadIds(qmp);
    const made = (name: string) => {
      const g = domain.child(name, THREAD_CONTROLLERS);
      g.create();
      return g;
    };
    // the process (all its threads) first to the other controllers and the emulator group
    domain.child('', ['memory', 'blkio']).addProcess(pid);
    groups.emulator = made('emulator');
    groups.emulator.addProcess(pid);
    for (const [i, tid] of vcpus) {
      const g = made(`vcpu${i}`);
      g.addThread(tid);
      groups.vcpus.push(g);
    }
    for (const [i, tid] of iothreads) {
      const g = made(`iothread${i}`);
      g.addThread(tid);
      groups.iothreads.push(g);
    }
  }
  applyCputune('qemu', { def, groups });
  applyNumatune(groups, def);
  return groups;
}

/** The thread groups below the domain group named `prefix<N>`, in N order. */
function threadGroups(domain: Cgroup, prefix: string): Cgroup[] {
  const g = domain.child('', THREAD_CONTROLLERS);
  let names: string[];
  try {
    names = fs.readdirSync(g.dir(g.controllers[0] ?? 'cpu')).filter((n) => new RegExp(`^${prefix}\\d+$`).test(n));
  } catch {
    return [];
  }
  return names
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map((n) => domain.child(n, THREAD_CONTROLLERS));
}

/** The groups of a QEMU found running after the driver restarted (virCgroupNewDetectMachine). */
export function findDomainGroups(machine: string, pid: number): SchedGroups | null {
  const found = cgroupOfPid(pid, 'memory', CONTROLLERS);
  const domain = domainGroup(machine);
  if (!found || found.rel !== domain.rel) return null;
  if (!perThread(domain)) return { domain, vcpus: [], emulator: null, iothreads: [] };
  return {
    domain,
    vcpus: threadGroups(domain, 'vcpu'),
    emulator: domain.child('emulator', THREAD_CONTROLLERS),
    iothreads: threadGroups(domain, 'iothread'),
  };
}

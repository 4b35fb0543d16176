/**
 * The cgroups of a container on this host's layout: cgroup v1 controllers under
 * /sys/fs/cgroup/<controller> (alone, or "hybrid" beside an empty cgroup2 at
 * /sys/fs/cgroup/unified, which is ignored), or a pure cgroup v2 tree at /sys/fs/cgroup.
 * One group per container, `virtkit-lxc-<name>`, directly under each hierarchy's root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { CgroupTune } from './tuning';

/** The v1 controllers a container gets a group in. */
const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'freezer', 'pids', 'blkio'];

export interface ContainerCgroups {
  v2: boolean;
  /** Every group folder of the container, parents before children. */
  dirs: string[];
  /** The file that freezes the container (freezer.state or cgroup.freeze). */
  freezer: string;
  /** Limits to write once the groups exist: [file, value]. */
  limits: Array<[string, string]>;
  memoryUsage: string;
  cpuUsage: string;
}

export function cgroupLayout(root = process.env.VIRTKIT_LXC_CGROUP_ROOT || '/sys/fs/cgroup'): { v2: boolean; root: string } {
  return { v2: fs.existsSync(path.join(root, 'cgroup.controllers')), root };
}

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_LXC, detail);

/** The first of `names` that the group at `dir` has (weights differ by I/O scheduler), or an error. */
function weightFile(dir: string, names: string[]): string {
  const found = names.find((n) => fs.existsSync(path.join(dir, n)));
  if (!found) throw unsupported('blkio weight is not supported on this host: no bfq or cfq I/O scheduler');
  return found;
}

/** cgroup v2: one group; its limits in the unified files. */
function v2Groups(root: string, leaf: string, bytes: string, tune: CgroupTune): ContainerCgroups {
  const dir = path.join(root, leaf);
  const at = (f: string) => path.join(dir, f);
  const controllers = ['+memory', '+cpu', '+pids'];
  const limits: Array<[string, string]> = [
    [at('memory.max'), bytes],
    [at('memory.swap.max'), '0'],
  ];
  if (tune.shares) limits.push([at('cpu.weight'), tune.shares]);
  if (tune.quota || tune.period)
    limits.push([at('cpu.max'), `${tune.quota && tune.quota !== '-1' ? tune.quota : 'max'} ${tune.period ?? '100000'}`]);
  if (tune.cpuset) {
    controllers.push('+cpuset');
    limits.push([at('cpuset.cpus'), tune.cpuset]);
  }
  if (tune.blkioWeight || tune.devices.length) controllers.push('+io');
  if (tune.blkioWeight) limits.push([at('io.weight'), `default ${tune.blkioWeight}`]);
  for (const d of tune.devices) {
    if (d.weight) limits.push([at('io.weight'), `${d.id} ${d.weight}`]);
    const max = [
      ['rbps', d.readBps],
      ['wbps', d.writeBps],
      ['riops', d.readIops],
      ['wiops', d.writeIops],
    ].filter(([, v]) => v);
    if (max.length) limits.push([at('io.max'), `${d.id} ${max.map(([k, v]) => `${k}=${v}`).join(' ')}`]);
  }
  limits.unshift([path.join(root, 'cgroup.subtree_control'), controllers.join(' ')]);
  return { v2: true, dirs: [dir], freezer: at('cgroup.freeze'), limits, memoryUsage: at('memory.current'), cpuUsage: at('cpu.stat') };
}

/** cgroup v1: a group per controller; cpuset only with `<vcpu cpuset>`, as it needs its CPUs set first. */
function v1Groups(root: string, leaf: string, bytes: string, tune: CgroupTune): ContainerCgroups {
  const controllers = V1_CONTROLLERS.filter((c) => fs.existsSync(path.join(root, c, 'cgroup.procs')));
  const at = (c: string, f: string) => path.join(root, c, leaf, f);
  const limits: Array<[string, string]> = [[at('memory', 'memory.limit_in_bytes'), bytes]];
  if (tune.shares) limits.push([at('cpu', 'cpu.shares'), tune.shares]);
  if (tune.period) limits.push([at('cpu', 'cpu.cfs_period_us'), tune.period]);
  if (tune.quota) limits.push([at('cpu', 'cpu.cfs_quota_us'), tune.quota]);
  if (tune.cpuset) {
    controllers.push('cpuset');
    limits.push([at('cpuset', 'cpuset.mems'), fs.readFileSync(path.join(root, 'cpuset', 'cpuset.mems'), 'utf8').trim()]);
    limits.push([at('cpuset', 'cpuset.cpus'), tune.cpuset]);
  }
  const blkio = path.join(root, 'blkio');
  if (tune.blkioWeight) limits.push([at('blkio', weightFile(blkio, ['blkio.bfq.weight', 'blkio.weight'])), tune.blkioWeight]);
  for (const d of tune.devices) {
    if (d.weight) limits.push([at('blkio', weightFile(blkio, ['blkio.bfq.weight_device', 'blkio.weight_device'])), `${d.id} ${d.weight}`]);
    const throttles: Array<[string, string | undefined]> = [
      ['read_bps_device', d.readBps],
      ['write_bps_device', d.writeBps],
      ['read_iops_device', d.readIops],
      ['write_iops_device', d.writeIops],
    ];
    for (const [f, v] of throttles) if (v) limits.push([at('blkio', `blkio.throttle.${f}`), `${d.id} ${v}`]);
  }
  return {
    v2: false,
    dirs: controllers.map((c) => path.join(root, c, leaf)),
    freezer: at('freezer', 'freezer.state'),
    limits,
    memoryUsage: at('memory', 'memory.usage_in_bytes'),
    cpuUsage: at('cpuacct', 'cpuacct.usage'),
  };
}

/** The groups of container `name`, with the limits its definition asks for. */
export function containerCgroups(name: string, tune: CgroupTune): ContainerCgroups {
  const { v2, root } = cgroupLayout();
  const bytes = (tune.memoryKiB * 1024n).toString();
  return (v2 ? v2Groups : v1Groups)(root, `virtkit-lxc-${name}`, bytes, tune);
}

/** Make the container's groups and write its limits (before any of its processes joins). */
export function makeGroups(cg: ContainerCgroups): void {
  for (const dir of cg.dirs) fs.mkdirSync(dir, { recursive: true });
  for (const [file, value] of cg.limits) fs.writeFileSync(file, value);
}

/** Remove the container's (empty) groups after a failed start. */
export function removeGroups(cg: ContainerCgroups): void {
  for (const dir of [...cg.dirs].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // never made
    }
  }
}

/** The pids in the container's first group (every process of the container is in each group). */
export function groupPids(cg: ContainerCgroups): number[] {
  try {
    return fs.readFileSync(path.join(cg.dirs[0]!, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * The host pid of the container's PID 1 once it runs the program `comm` (not the setup script
 * before its exec): the group's process whose innermost pid is 1. 0 while there is none.
 */
export function findInit(cg: ContainerCgroups, comm: string): number {
  for (const pid of groupPids(cg)) {
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

/** CPU time used by the container's processes, in nanoseconds (0 when unreadable). */
export function cpuTimeNs(cg: ContainerCgroups): bigint {
  try {
    const text = fs.readFileSync(cg.cpuUsage, 'utf8');
    if (!cg.v2) return BigInt(text.trim());
    const m = /^usage_usec (\d+)$/m.exec(text);
    return m ? BigInt(m[1]) * 1000n : 0n;
  } catch {
    return 0n;
  }
}

/** Memory used by the container, in KiB (0 when unreadable). */
export function memoryKiB(cg: ContainerCgroups): bigint {
  try {
    return BigInt(fs.readFileSync(cg.memoryUsage, 'utf8').trim()) / 1024n;
  } catch {
    return 0n;
  }
}

/** Freeze or thaw every process of the container. */
export function setFrozen(cg: ContainerCgroups, frozen: boolean): void {
  fs.writeFileSync(cg.freezer, cg.v2 ? (frozen ? '1' : '0') : frozen ? 'FROZEN' : 'THAWED');
}

/**
 * The cgroups of a container on this host's layout: cgroup v1 controllers under
 * /sys/fs/cgroup/<controller> (alone, or "hybrid" beside an empty cgroup2 at
 * /sys/fs/cgroup/unified, which is ignored), or a pure cgroup v2 tree at /sys/fs/cgroup.
 * One group per container, `virtkit-lxc-<name>`, directly under each hierarchy's root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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

/** The groups of container `name`, with its memory limit in KiB. */
export function containerCgroups(name: string, memoryKiB: bigint): ContainerCgroups {
  const { v2, root } = cgroupLayout();
  const leaf = `virtkit-lxc-${name}`;
  const bytes = (memoryKiB * 1024n).toString();
  if (v2) {
    const dir = path.join(root, leaf);
    return {
      v2,
      dirs: [dir],
      freezer: path.join(dir, 'cgroup.freeze'),
      limits: [
        [path.join(root, 'cgroup.subtree_control'), '+memory +cpu +pids'],
        [path.join(dir, 'memory.max'), bytes],
        [path.join(dir, 'memory.swap.max'), '0'],
      ],
      memoryUsage: path.join(dir, 'memory.current'),
      cpuUsage: path.join(dir, 'cpu.stat'),
    };
  }
  const present = V1_CONTROLLERS.filter((c) => fs.existsSync(path.join(root, c, 'cgroup.procs')));
  const dirs = present.map((c) => path.join(root, c, leaf));
  const mem = path.join(root, 'memory', leaf);
  const limits: Array<[string, string]> = [[path.join(mem, 'memory.limit_in_bytes'), bytes]];
  return {
    v2,
    dirs,
    freezer: path.join(root, 'freezer', leaf, 'freezer.state'),
    limits,
    memoryUsage: path.join(mem, 'memory.usage_in_bytes'),
    cpuUsage: path.join(root, 'cpuacct', leaf, 'cpuacct.usage'),
  };
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

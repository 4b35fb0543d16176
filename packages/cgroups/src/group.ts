/**
 * One control group across the host's hierarchies (libvirt's virCgroup, reduced): on v1 a
 * folder of the same relative path under each mounted controller, on v2 one folder whose
 * parents delegate the controllers to it. Files are named by their v1 controller so callers
 * stay layout-blind where the file is the same; `memory.ts`, `cpu.ts` and `blkio.ts` map the
 * tunables whose files differ.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { cgroupLayout, type CgroupLayout } from './layout';

/** A v1 controller (on v2, the part of the unified hierarchy that does its job). */
export type CgroupController = 'memory' | 'cpu' | 'cpuacct' | 'cpuset' | 'freezer' | 'pids' | 'blkio';

/** The v2 controller to delegate for each v1 one (cpuacct and freezer need none). */
const V2_NAMES: Record<CgroupController, string | null> = {
  memory: 'memory',
  cpu: 'cpu',
  cpuacct: 'cpu',
  cpuset: 'cpuset',
  freezer: null,
  pids: 'pids',
  blkio: 'io',
};

/** strerror of the errno a file call failed with. */
const STRERROR: Record<string, string> = {
  EINVAL: 'Invalid argument',
  ENOENT: 'No such file or directory',
  EBUSY: 'Device or resource busy',
  ERANGE: 'Numerical result out of range',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
};

/** virReportSystemError from the cgroup code: the detail, then strerror. */
function systemError(detail: string, e: unknown): VirError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const message = `${detail}: ${STRERROR[code] ?? code}`;
  return new VirError({ code: ErrorNumber.VIR_ERR_SYSTEM_ERROR, domain: ErrorDomain.VIR_FROM_CGROUP, message });
}

/** Tries of an rmdir a group's last process still holds (it has exited, the kernel is finishing). */
const RMDIR_TRIES = 50;

export class Cgroup {
  /** The controllers of `wanted` this host has, in that order. */
  readonly controllers: CgroupController[];

  /** The group at `rel` (e.g. `machine/qemu-1-vm.libvirt-qemu`) with `wanted` controllers. */
  constructor(
    readonly rel: string,
    wanted: CgroupController[],
    readonly layout: CgroupLayout = cgroupLayout(),
  ) {
    this.controllers = layout.v2
      ? wanted.filter((c) => V2_NAMES[c] === null || this.v2Available().includes(V2_NAMES[c]!))
      : wanted.filter((c) => fs.existsSync(path.join(layout.root, c, 'cgroup.procs')));
  }

  /** The controllers the v2 root offers. */
  private v2Available(): string[] {
    try {
      return fs.readFileSync(path.join(this.layout.root, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    } catch {
      return [];
    }
  }

  has(c: CgroupController): boolean {
    return this.controllers.includes(c);
  }

  /** The group's folder in the hierarchy of `c`. */
  dir(c: CgroupController): string {
    return this.layout.v2 ? path.join(this.layout.root, this.rel) : path.join(this.layout.root, c, this.rel);
  }

  /** Every folder of the group, each once (v1 may mount two controllers together). */
  dirs(): string[] {
    return [...new Set(this.controllers.map((c) => this.dir(c)))];
  }

  /** A group below this one, with the controllers of this one `only` allows. */
  child(name: string, only?: CgroupController[]): Cgroup {
    return new Cgroup(path.join(this.rel, name), only ? this.controllers.filter((c) => only.includes(c)) : this.controllers, this.layout);
  }

  exists(): boolean {
    return this.dirs().every((d) => fs.existsSync(d));
  }

  read(c: CgroupController, file: string): string {
    const at = path.join(this.dir(c), file);
    try {
      return fs.readFileSync(at, 'utf8').trim();
    } catch (e) {
      throw systemError(`Unable to read from '${at}'`, e);
    }
  }

  write(c: CgroupController, file: string, value: string): void {
    const at = path.join(this.dir(c), file);
    try {
      fs.writeFileSync(at, value);
    } catch (e) {
      throw systemError(`Unable to write to '${at}'`, e);
    }
  }

  /** Whether the group has `file` in the hierarchy of `c`. */
  hasFile(c: CgroupController, file: string): boolean {
    return fs.existsSync(path.join(this.dir(c), file));
  }

  /**
   * Make the group's folders. On v2 each parent first delegates the controllers to its
   * children; a v1 cpuset folder starts with no CPUs and memory nodes, so it takes its parent's.
   */
  create(): void {
    if (this.layout.v2) this.delegate();
    for (const c of this.controllers) {
      const dir = this.dir(c);
      if (c === 'cpuset' && !this.layout.v2) this.makeCpuset(dir);
      else fs.mkdirSync(dir, { recursive: true });
    }
  }

  /** Enable the group's controllers in the subtree_control of each of its ancestors. */
  private delegate(): void {
    const enable = [...new Set(this.controllers.map((c) => V2_NAMES[c]).filter((n) => n !== null))].map((n) => `+${n}`);
    const parts = this.rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = path.join(this.layout.root, ...parts.slice(0, i));
      fs.mkdirSync(dir, { recursive: true });
      if (enable.length) fs.writeFileSync(path.join(dir, 'cgroup.subtree_control'), enable.join(' '));
    }
  }

  /** mkdir one level at a time, copying cpuset.cpus and cpuset.mems down where they are empty. */
  private makeCpuset(dir: string): void {
    const top = path.join(this.layout.root, 'cpuset');
    let at = top;
    for (const part of path.relative(top, dir).split(path.sep)) {
      const next = path.join(at, part);
      if (!fs.existsSync(next)) fs.mkdirSync(next);
      for (const f of ['cpuset.cpus', 'cpuset.mems']) {
        if (!fs.readFileSync(path.join(next, f), 'utf8').trim()) fs.writeFileSync(path.join(next, f), fs.readFileSync(path.join(at, f)));
      }
      at = next;
    }
  }

  /** Move a process (all its threads) into the group in every hierarchy. */
  addProcess(pid: number): void {
    for (const dir of this.dirs()) fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  }

  /** Move one thread into the group (v1 only: v2 moves threads only inside threaded subtrees). */
  addThread(tid: number): void {
    for (const dir of this.dirs()) fs.writeFileSync(path.join(dir, 'tasks'), String(tid));
  }

  /** The processes in the group (in its first hierarchy: each process is in every one). */
  pids(): number[] {
    try {
      return fs.readFileSync(path.join(this.dirs()[0]!, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /**
   * Remove the group and the groups below it (virCgroupRemove): at once when it is empty; a
   * group whose last process has just exited may refuse for a moment, and is tried again.
   */
  async remove(): Promise<void> {
    for (let i = 0; i < RMDIR_TRIES; i++) {
      if (this.dirs().reverse().every(removeTree)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** rmdir `dir` and the folders below it, deepest first; true when none is left. */
function removeTree(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return true; // never made, or gone with a controller mounted beside it
  }
  const children = entries.filter((e) => e.isDirectory()).map((e) => removeTree(path.join(dir, e.name)));
  if (children.includes(false)) return false;
  try {
    fs.rmdirSync(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * The group of running process `pid` (virCgroupNewDetect): its path in the hierarchy of
 * `controller` from /proc/<pid>/cgroup, as a Cgroup with `wanted` controllers; null when the
 * process is gone or at the root.
 */
export function cgroupOfPid(pid: number, controller: CgroupController, wanted: CgroupController[], layout = cgroupLayout()): Cgroup | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const [, list, rel] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (rel === undefined) continue;
    const mine = layout.v2 ? list === '' : list.split(',').includes(controller);
    if (mine && rel !== '/') return new Cgroup(rel.slice(1), wanted, layout);
  }
  return null;
}

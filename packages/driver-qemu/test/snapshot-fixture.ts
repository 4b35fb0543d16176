/**
 * Test-only domain for the snapshot suites: qcow2 disks, a persistent definition, and a QEMU
 * (TCG, no guest OS) started from whatever definition the snapshot module hands over, its disks
 * opened as the command-line builder names them (`libvirt-N-format` under `virtio-diskN`).
 * The SnapshotContext it builds behaves like the connection's: job lock, live/persistent
 * definitions, start paused / stop / pause / resume.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mkEl, type DomainDef } from '@virtkit/xml';
import { copyDef, parseStored } from '../src/domains/parse';
import { DomainJobs } from '../src/jobs';
import { QmpClient } from '../src/qmp/client';
import type { SnapshotContext } from '../src/snapshot';
import { ACCEL, QEMU, tmpDir } from './helpers';

export const UUID = '4b0d6c8e-2f43-4d39-9a57-0c1e5f6a7b21';
const RUNNING = 1;
const PAUSED = 3;
const SHUTOFF = 5;

export class SnapVm {
  readonly dir = tmpDir('vk-snap-');
  readonly disks: string[];
  persistent: DomainDef | undefined;
  live: DomainDef | undefined;
  state = SHUTOFF;
  qmp: QmpClient | undefined;
  private child: ChildProcess | undefined;
  private readonly jobs = new DomainJobs();

  constructor(
    diskCount = 2,
    readonly size = '16M',
  ) {
    this.disks = Array.from({ length: diskCount }, (_, i) => {
      const file = path.join(this.dir, `disk${i}.qcow2`);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, size]);
      return file;
    });
    const disks = this.disks
      .map(
        (file, i) =>
          `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${file}'/>` +
          `<target dev='vd${String.fromCharCode(97 + i)}' bus='virtio'/></disk>`,
      )
      .join('');
    this.persistent = parseStored(
      `<domain type='qemu'><name>snap</name><uuid>${UUID}</uuid><memory>65536</memory>` +
        `<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${disks}</devices></domain>`,
      false,
    );
  }

  get snapshotDir(): string {
    return path.join(this.dir, 'snapshot', 'snap');
  }

  ctx(overrides: Partial<SnapshotContext> = {}): SnapshotContext {
    return {
      ref: () => ({ name: 'snap', uuid: UUID, id: this.qmp ? 1 : -1 }),
      qmp: () => this.qmp,
      def: () => (this.qmp ? this.live! : this.persistent!),
      persistentDef: () => this.persistent,
      state: () => this.state,
      saveDef: async (def) => {
        if (def !== this.live) this.persistent = def;
      },
      withJob: (owner, fn) => this.jobs.run(UUID, 'modify', owner, fn),
      start: (def) => this.start(def),
      stop: () => this.stop(),
      pause: () => this.pause(),
      resume: () => this.resume(),
      dirs: { snapshots: this.snapshotDir },
      ...overrides,
    };
  }

  /** Disk image paths of a definition, top first per disk. */
  tops(def: DomainDef | undefined = this.qmp ? this.live : this.persistent): string[] {
    return def!.devices.filter((d) => d.disk).map((d) => d.disk!.source.path!);
  }

  /** Start QEMU paused from `def` (the persistent definition by default). */
  async start(def: DomainDef = this.persistent!): Promise<void> {
    const live = copyDef(def, false);
    const sock = path.join(this.dir, 'qmp.sock');
    const args = ['-S', '-machine', `q35,accel=${ACCEL}`, '-m', '64', '-nodefaults', '-display', 'none', '-no-user-config'];
    live.devices
      .filter((d) => d.disk)
      .forEach((d, i) => {
        const n = i + 1;
        const disk = d.disk!;
        args.push('-blockdev', JSON.stringify({ driver: 'file', filename: disk.source.path, 'node-name': `libvirt-${n}-storage` }));
        args.push(
          '-blockdev',
          JSON.stringify({ driver: disk.driverType ?? 'raw', file: `libvirt-${n}-storage`, 'node-name': `libvirt-${n}-format` }),
        );
        args.push('-device', `virtio-blk-pci,drive=libvirt-${n}-format,id=virtio-disk${i}`);
        d.el.children.push(mkEl('alias', [['name', `virtio-disk${i}`]]));
      });
    args.push('-qmp', `unix:${sock},server=on,wait=off`);
    const child = spawn(QEMU, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    this.child = child;
    this.qmp = await QmpClient.connect(sock, { shouldRetry: () => child.exitCode === null });
    this.live = live;
    this.state = PAUSED;
    this.qmp.on('STOP', () => (this.state = PAUSED));
    this.qmp.on('RESUME', () => (this.state = RUNNING));
  }

  async pause(): Promise<void> {
    await this.qmp!.execute('stop');
    this.state = PAUSED;
  }

  async resume(): Promise<void> {
    await this.qmp!.execute('cont');
    this.state = RUNNING;
  }

  /** Quit QEMU cleanly (images flushed and closed). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    await this.qmp?.execute('quit').catch(() => undefined);
    await exited;
    this.qmp?.destroy();
    this.qmp = undefined;
    this.live = undefined;
    this.state = SHUTOFF;
  }

  /** A guest write (or flush) through HMP qemu-io on disk `i`, flushed to the image. */
  async write(i: number, cmd: string): Promise<void> {
    for (const c of [cmd, 'flush']) {
      const out = await this.qmp!.hmp(`qemu-io -d virtio-disk${i}/virtio-backend "${c}"`);
      if (out.trim() !== '') throw new Error(`qemu-io ${c}: ${out}`);
    }
  }

  /** Whether disk `i` (its current top image and chain) reads `pattern` over [offMiB, +1 MiB). */
  reads(i: number, offMiB: number, pattern: number): boolean {
    return hasPattern(this.tops()[i], offMiB, pattern);
  }

  async cleanup(): Promise<void> {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    this.qmp?.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Whether `image` (through its backing chain) reads `pattern` at [offMiB, +1 MiB); shared with a running QEMU. */
export function hasPattern(image: string, offMiB: number, pattern: number): boolean {
  const args = ['-f', 'qcow2', '-r', '-U', '-c', `read -P 0x${pattern.toString(16)} ${offMiB}M 1M`, image];
  try {
    return !/verification failed/i.test(execFileSync('qemu-io', args, { encoding: 'utf8', stdio: 'pipe' }));
  } catch (e) {
    if (/verification failed/i.test(String((e as { stdout?: string }).stdout))) return false;
    throw e;
  }
}

/** The internal snapshot tags of an image (`qemu-img snapshot -l`, shared). */
export function imageTags(image: string): string[] {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', image], { encoding: 'utf8' }));
  return (info.snapshots ?? []).map((s: { name: string }) => s.name).sort();
}

/** The backing file an image's header names, if any. */
export function backingOf(image: string): string | undefined {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', image], { encoding: 'utf8' }));
  return info['backing-filename'];
}

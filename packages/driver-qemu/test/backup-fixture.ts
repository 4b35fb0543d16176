/**
 * Test-only VM for the checkpoint/backup suites: a q35 QEMU without guest OS whose qcow2 disks
 * are named as the command-line builder names them (`libvirt-N-format` under device
 * `virtio-diskN`), the matching live domain definition, guest writes through HMP `qemu-io`, and
 * image inspection through qemu-img.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDomainXml, type DomainDef } from '@virtkit/xml';
import { type DomainEvent } from '@virtkit/core';
import { QmpClient } from '../src/qmp/client';
import type { BackupContext } from '../src/backup';
import { ACCEL, QEMU, tmpDir } from './helpers';

export const MiB = 1024 * 1024;

export interface Extent {
  start: number;
  length: number;
}

export class TestVm {
  readonly dir = tmpDir('vk-bk-');
  readonly disks: string[];
  readonly events: DomainEvent[] = [];
  private child: ChildProcess | undefined;
  qmp: QmpClient | undefined;

  constructor(
    diskCount = 1,
    readonly size = '64M',
  ) {
    this.disks = Array.from({ length: diskCount }, (_, i) => {
      const file = path.join(this.dir, `disk${i}.qcow2`);
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, size]);
      return file;
    });
  }

  target(i: number): string {
    return `vd${String.fromCharCode(97 + i)}`;
  }

  def(): DomainDef {
    const disks = this.disks
      .map(
        (file, i) =>
          `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${file}'/>` +
          `<target dev='${this.target(i)}' bus='virtio'/><alias name='virtio-disk${i}'/></disk>`,
      )
      .join('');
    const xml =
      `<domain type='qemu'><name>bk</name><uuid>0c8b5a36-1d6f-4c4e-8d3e-5b1f0d6f7a11</uuid><memory>65536</memory>` +
      `<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${disks}</devices></domain>`;
    return parseDomainXml(xml, { inactive: false });
  }

  ctx(): BackupContext {
    return {
      qmp: () => (this.qmp && !this.qmp.closed ? this.qmp : undefined),
      def: () => this.def(),
      ref: () => ({ name: 'bk', uuid: '0c8b5a36-1d6f-4c4e-8d3e-5b1f0d6f7a11', id: this.qmp ? 1 : -1 }),
      dirs: { checkpoints: path.join(this.dir, 'checkpoint', 'bk'), run: path.join(this.dir, 'run') },
      emit: (e) => this.events.push(e),
    };
  }

  async start(): Promise<void> {
    const sock = path.join(this.dir, 'qmp.sock');
    const args = ['-S', '-machine', `q35,accel=${ACCEL}`, '-m', '64', '-nodefaults', '-display', 'none', '-no-user-config'];
    this.disks.forEach((file, i) => {
      const n = i + 1;
      args.push('-blockdev', JSON.stringify({ driver: 'file', filename: file, 'node-name': `libvirt-${n}-storage` }));
      args.push('-blockdev', JSON.stringify({ driver: 'qcow2', file: `libvirt-${n}-storage`, 'node-name': `libvirt-${n}-format` }));
      args.push('-device', `virtio-blk-pci,drive=libvirt-${n}-format,id=virtio-disk${i}`);
    });
    args.push('-qmp', `unix:${sock},server=on,wait=off`);
    this.child = spawn(QEMU, args, { stdio: 'ignore' });
    const child = this.child;
    this.qmp = await QmpClient.connect(sock, { shouldRetry: () => child.exitCode === null });
  }

  /** Clean QEMU exit: persistent bitmaps are written back to the images. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    await this.qmp?.execute('quit').catch(() => undefined);
    await exited;
    this.qmp?.destroy();
    this.qmp = undefined;
  }

  /** QEMU dies (SIGKILL): bitmaps in use stay marked inconsistent in the images. */
  async kill(): Promise<void> {
    const child = this.child!;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.qmp = undefined;
  }

  /** A guest write through HMP qemu-io on disk `i` (e.g. `write -P 0x5a 4M 1M`). */
  async io(i: number, cmd: string): Promise<string> {
    const out = await this.qmp!.hmp(`qemu-io -d virtio-disk${i}/virtio-backend "${cmd}"`);
    if (/error|fail/i.test(out)) throw new Error(`qemu-io ${cmd}: ${out}`);
    return out;
  }

  async flush(i = 0): Promise<void> {
    await this.io(i, 'flush');
  }

  async cleanup(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.qmp?.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }
}

/**
 * Run `fn` (which starts a backup) with every blockdev-backup the module sends throttled to 1
 * byte/s by the job's own `speed` argument, so that the job still runs afterwards however fast
 * the machine is (a speed set once the job exists can come too late on a quiet machine).
 */
export async function throttledBackup<T>(vm: TestVm, fn: () => Promise<T>): Promise<T> {
  const qmp = vm.qmp!;
  const execute = qmp.execute.bind(qmp);
  qmp.execute = ((cmd: string, args?: Record<string, unknown>, ...rest: unknown[]) => {
    if (cmd === 'transaction' && Array.isArray(args?.actions)) {
      for (const a of args.actions as Array<{ type: string; data: Record<string, unknown> }>)
        if (a.type === 'blockdev-backup') a.data.speed = 1;
    }
    return (execute as (...a: unknown[]) => Promise<unknown>)(cmd, args, ...rest);
  }) as typeof qmp.execute;
  try {
    return await fn();
  } finally {
    qmp.execute = execute;
  }
}

/** Allocated data extents of an image (`qemu-img map`), adjacent ones merged. */
export function dataExtents(image: string, opts: string[] = []): Extent[] {
  const map = JSON.parse(execFileSync('qemu-img', ['map', '--output=json', ...opts, image], { encoding: 'utf8' })) as Array<
    Extent & { data: boolean; depth?: number }
  >;
  return merge(map.filter((e) => e.data && (e.depth ?? 0) === 0));
}

/** Dirty extents an NBD export reports through its dirty-bitmap meta context (clean ones read as data). */
export function nbdDirtyExtents(imageOpts: string): Extent[] {
  const map = JSON.parse(execFileSync('qemu-img', ['map', '--output=json', '--image-opts', imageOpts], { encoding: 'utf8' })) as Array<
    Extent & { data: boolean }
  >;
  return merge(map.filter((e) => !e.data));
}

export function merge(list: Extent[]): Extent[] {
  const out: Extent[] = [];
  for (const e of [...list].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && last.start + last.length >= e.start) last.length = Math.max(last.length, e.start + e.length - last.start);
    else out.push({ start: e.start, length: e.length });
  }
  return out;
}

/** `qemu-img bitmap` names of an image at rest (or opened by QEMU, with -U). */
export function imageBitmapNames(image: string): Array<{ name: string; flags: string[] }> {
  const info = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', image], { encoding: 'utf8' }));
  return (info['format-specific']?.data?.bitmaps ?? []).map((b: { name: string; flags: string[] }) => ({ name: b.name, flags: b.flags }));
}

/** Whether two images hold the same guest-visible data. */
export function sameContent(a: string, b: string): boolean {
  try {
    execFileSync('qemu-img', ['compare', '-U', a, b], { encoding: 'utf8' });
    return true;
  } catch {
    return false;
  }
}

export function rebase(image: string, backing: string): void {
  execFileSync('qemu-img', ['rebase', '-u', '-f', 'qcow2', '-F', 'qcow2', '-b', backing, image]);
}

/**
 * Mark one bitmap of a closed qcow2 image `in-use` (inconsistent), as an unclean QEMU exit
 * leaves it: find the bitmaps header extension, walk its directory, set flag bit 0.
 */
export function markBitmapInUse(image: string, name: string): void {
  const fd = fs.openSync(image, 'r+');
  try {
    const read = (off: number, len: number) => {
      const b = Buffer.alloc(len);
      fs.readSync(fd, b, 0, len, off);
      return b;
    };
    let off = read(100, 4).readUInt32BE(0); // header_length: extensions follow the header
    for (;;) {
      const ext = read(off, 8);
      const type = ext.readUInt32BE(0);
      const len = ext.readUInt32BE(4);
      if (type === 0) throw new Error('no bitmaps extension');
      if (type === 0x23852875) {
        const data = read(off + 8, len);
        const count = data.readUInt32BE(0);
        const dirSize = Number(data.readBigUInt64BE(8));
        const dirOff = Number(data.readBigUInt64BE(16));
        const dir = read(dirOff, dirSize);
        let p = 0;
        for (let i = 0; i < count; i++) {
          const flags = dir.readUInt32BE(p + 12);
          const nameSize = dir.readUInt16BE(p + 18);
          const extra = dir.readUInt32BE(p + 20);
          const entryName = dir.subarray(p + 24 + extra, p + 24 + extra + nameSize).toString();
          if (entryName === name) {
            const b = Buffer.alloc(4);
            b.writeUInt32BE(flags | 1);
            fs.writeSync(fd, b, 0, 4, dirOff + p + 12);
            return;
          }
          p += Math.ceil((24 + extra + nameSize) / 8) * 8;
        }
        throw new Error(`no bitmap ${name}`);
      }
      off += 8 + Math.ceil(len / 8) * 8;
    }
  } finally {
    fs.closeSync(fd);
  }
}

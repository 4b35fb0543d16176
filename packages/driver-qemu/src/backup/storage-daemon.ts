/**
 * A qemu-storage-daemon serving the disks of a shut-off domain, so that offline checkpoints
 * sizes and offline backups run through the same QMP commands as live ones. Each disk becomes
 * a `file` node under a format node named `vk-<target>-format`; the daemon lives as long as
 * the job that needed it and quits through QMP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, VirError } from '@virtkit/core';
import { pidAlive, sleep } from '../fsutil';
import { QmpClient } from '../qmp/client';
import type { BackupDisk } from './disks';

export class StorageDaemon {
  private constructor(
    private readonly child: ChildProcess,
    readonly qmp: QmpClient,
    /** Target → format node. */
    readonly nodes: Map<string, string>,
    private readonly socket: string,
  ) {}

  /** Start a daemon opening `disks` (read-only when `readOnly`). */
  static async start(bin: string, runDir: string, disks: readonly BackupDisk[], readOnly: boolean): Promise<StorageDaemon> {
    await fs.promises.mkdir(runDir, { recursive: true, mode: 0o700 });
    const socket = path.join(runDir, `qsd-${process.pid}-${Math.random().toString(36).slice(2, 8)}.sock`);
    const nodes = new Map<string, string>();
    const args = ['--chardev', `socket,id=mon,path=${socket},server=on,wait=off`, '--monitor', 'chardev=mon'];
    for (const d of disks) {
      if (d.path === undefined || (d.type !== 'file' && d.type !== 'block')) continue;
      const storage = `vk-${d.target}-storage`;
      const format = `vk-${d.target}-format`;
      const driver = d.type === 'block' ? 'host_device' : 'file';
      args.push('--blockdev', JSON.stringify({ driver, filename: d.path, 'node-name': storage, 'read-only': readOnly }));
      args.push('--blockdev', JSON.stringify({ driver: d.format ?? 'raw', file: storage, 'node-name': format, 'read-only': readOnly }));
      nodes.set(d.target, format);
    }
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', () => (exited = true));
    try {
      const qmp = await QmpClient.connect(socket, { connectTimeoutMs: 10_000, shouldRetry: () => !exited });
      return new StorageDaemon(child, qmp, nodes, socket);
    } catch {
      child.kill('SIGKILL');
      await sleep(20);
      throw VirError.internal(`qemu-storage-daemon failed to start: ${stderr.trim() || 'no monitor'}`, ErrorDomain.VIR_FROM_QEMU);
    }
  }

  /** Quit (QEMU writes persistent bitmaps back on a clean exit); kill after a bound. */
  async stop(): Promise<void> {
    const gone = this.child.exitCode !== null || this.child.signalCode !== null;
    const exited = new Promise<void>((r) => (gone ? r() : this.child.once('exit', () => r())));
    await this.qmp.execute('quit').catch(() => undefined);
    await Promise.race([exited, sleep(5_000)]);
    if (this.child.pid && pidAlive(this.child.pid)) {
      this.child.kill('SIGKILL');
      await exited;
    }
    this.qmp.destroy();
    await fs.promises.rm(this.socket, { force: true });
  }
}

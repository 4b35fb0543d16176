/** Test-only helpers: scratch dirs, qcow2 disks, and a hand-written minimal QEMU command line. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kvmUsable } from '@virtkit/testkit';
import { bareVmArgv, QEMU } from './vm-argv';

export { QEMU };

export const ACCEL = kvmUsable() ? 'kvm' : 'tcg';

export function tmpDir(prefix = 'virtkit-qemu-'): string {
  // Short base: UNIX socket paths are limited to 107 bytes.
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeDisk(dir: string, name = 'disk.qcow2', size = '16M'): string {
  const file = path.join(dir, name);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, size]);
  return file;
}

/**
 * TEST-ONLY command line (the real one comes from the command-line builder): a q35 VM without
 * guest OS, one qcow2 disk on virtio-blk (node `d0`) and a virtio-scsi controller for hotplug.
 */
export function vmArgv(disk: string, extra: string[] = []): string[] {
  return bareVmArgv(disk, ACCEL, extra);
}

export function pidAliveSync(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(st);
  } catch {
    return false;
  }
}

/** The error a promise rejects with (fails when it resolves). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

/**
 * The disk both contenders back up: one 1 GiB qcow2 template with its first 512 MiB written,
 * copied afresh for each contender and round; the domain XML around it (TCG, IDE disk `hda`,
 * qdev id `ide0-0-0` under both drivers); the guest writes; and what `qemu-img` says about images.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MiB = 1024 * 1024;
export const DISK_SIZE = 1024 * MiB;
export const ALLOCATED = 512 * MiB;

/** 64 × 1 MiB, one every 16 MiB across the whole disk: 64 MiB dirty. */
export const GUEST_WRITES = Array.from({ length: 64 }, (_, i) => `qemu-io -d ide0-0-0 "write -P 0x77 ${i * 16}M 1M"`);
export const DIRTY_BYTES = 64 * MiB;

export function makeTemplate(file: string): void {
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, String(DISK_SIZE)]);
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 0 ${ALLOCATED}`, file], { stdio: 'ignore' });
}

/**
 * A fresh copy of the template for one contender's round (same layout, same page-cache state),
 * on stable storage before the round starts so its write-back does not run under the timings.
 */
export function copyImage(template: string, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(template, file);
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

export const domainXml = (name: string, disk: string): string =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64'>hvm</type></os><devices>` +
  `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/>` +
  `<target dev='hda' bus='ide'/></disk></devices></domain>\n`;

export const pushXml = (target: string, incremental?: string): string =>
  `<domainbackup>${incremental ? `<incremental>${incremental}</incremental>` : ''}<disks>` +
  `<disk name='hda' type='file'><driver type='qcow2'/><target file='${target}'/></disk></disks></domainbackup>`;

export const checkpointXml = (name: string): string => `<domaincheckpoint><name>${name}</name></domaincheckpoint>`;

/** Bytes holding data in the image itself (`qemu-img map`, backing files left out). */
export function dataBytes(image: string): number {
  const map = JSON.parse(execFileSync('qemu-img', ['map', '--output=json', image], { encoding: 'utf8' })) as Array<{
    length: number;
    data: boolean;
    depth?: number;
  }>;
  return map.filter((e) => e.data && (e.depth ?? 0) === 0).reduce((n, e) => n + e.length, 0);
}

/** Seconds of `qemu-img convert` of the image into a new qcow2 file: the copy with no VM around it. */
export function offlineCopyS(image: string, target: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'qcow2', image, target]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.rmSync(target);
  return s;
}

/** Sequential read of the allocated data (read and discard into a null-co target); MiB/s. */
export function sequentialReadMiBs(image: string): number {
  const t0 = process.hrtime.bigint();
  execFileSync('qemu-img', ['convert', '-n', image, '--target-image-opts', `driver=null-co,size=${DISK_SIZE}`]);
  return ALLOCATED / MiB / (Number(process.hrtime.bigint() - t0) / 1e9);
}

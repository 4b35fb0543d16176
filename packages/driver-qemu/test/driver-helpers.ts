/** Helpers of the driver tests: embed connections, small domain XML, event capture, waiting. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { open, type Connect, type Domain, type DomainEvent } from '@virtkit/core';
import type { QemuConnection, QemuDriver } from '../src';
import { tmpDir } from './helpers';

export { makeDisk, pidAliveSync, rejection, tmpDir } from './helpers';
export { cleanupRoot } from '@virtkit/testkit';

export function embedUri(root: string): string {
  return `qemu:///embed?root=${root}`;
}

export function openEmbed(root: string, readOnly = false): Promise<Connect> {
  return open(embedUri(root), { readOnly });
}

/** The driver state behind a connection (for checks the public API cannot make). */
export function driverOf(conn: Connect): QemuDriver {
  return (conn._driver as QemuConnection).driver;
}

export interface DomainXmlOptions {
  uuid?: string;
  /** An IDE disk (alias ide0-0-0) backed by this image. */
  disk?: string;
  diskFormat?: 'qcow2' | 'raw';
  type?: string;
  acpi?: boolean;
}

/** A TCG domain without guest OS (unless its disk boots one). */
export function domainXml(name: string, opts: DomainXmlOptions = {}): string {
  const uuid = opts.uuid ? `<uuid>${opts.uuid}</uuid>` : '';
  const disk = opts.disk
    ? `<disk type='file' device='disk'><driver name='qemu' type='${opts.diskFormat ?? 'qcow2'}'/><source file='${opts.disk}'/>` +
      `<target dev='hda' bus='ide'/></disk>`
    : '';
  const features = opts.acpi ? '<features><acpi/></features>' : '';
  return (
    `<domain type='${opts.type ?? 'qemu'}'><name>${name}</name>${uuid}<memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64'>hvm</type></os>${features}<devices>${disk}</devices></domain>`
  );
}

/**
 * A raw disk whose boot sector powers the machine off at once, the way an OS does: SLP_EN with
 * sleep type 0 written to the ACPI PM1a control port (0x604 as SeaBIOS sets it up).
 */
export function makePoweroffDisk(dir: string): string {
  const code = [0xb8, 0x00, 0x20, 0xba, 0x04, 0x06, 0xef, 0xf4, 0xeb, 0xfd]; // mov ax,0x2000; mov dx,0x604; out dx,ax; hlt; jmp $-1
  const image = Buffer.alloc(1024 * 1024);
  Buffer.from(code).copy(image);
  image[510] = 0x55;
  image[511] = 0xaa;
  const file = path.join(dir, 'poweroff.img');
  fs.writeFileSync(file, image);
  return file;
}

/** Lifecycle events of a connection as [event, detail] pairs, per domain name. */
export async function recordLifecycle(conn: Connect): Promise<Array<[string, number, number]>> {
  const seen: Array<[string, number, number]> = [];
  await conn.domainEventRegisterAny(null, 0, (_c, dom: Domain, ev: DomainEvent) => {
    seen.push([dom.getName(), ev.event as number, ev.detail as number]);
  });
  return seen;
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A scratch root for one suite; removed (after destroying what runs there) by `cleanupRoot`. */
export function newRoot(): string {
  return tmpDir('vkd-');
}

export function configFiles(root: string): string[] {
  try {
    return fs.readdirSync(path.join(root, 'etc')).filter((f) => f.endsWith('.xml'));
  } catch {
    return [];
  }
}

import { ErrorDomain, VirError } from '@virtkit/core';
import { type DomainDef } from '@virtkit/xml';
import type { QmpClient } from '../qmp/client';

/** One domain disk, as far as checkpoints and backups care. */
export interface BackupDisk {
  /** Target name (`vda`). */
  target: string;
  /** Storage type of the top image (`file`, `block`, `network`, ...). */
  type: string;
  /** Top image path; undefined for an empty drive. */
  path?: string;
  /** Top image format (`qcow2`, `raw`); undefined when the definition names none. */
  format?: string;
  readonly: boolean;
  /** Device alias (`virtio-disk0`) of a live definition. */
  alias?: string;
}

/** The disks of a definition, in device order (cdroms and floppies are read-only here). */
export function backupDisks(def: DomainDef): BackupDisk[] {
  return def.devices.flatMap((d) => {
    if (!d.disk) return [];
    const disk = d.disk;
    return [
      {
        target: disk.targetDev,
        type: disk.type,
        path: disk.source.path,
        format: disk.driverType ?? disk.source.format,
        readonly: !!d.el.element('readonly') || disk.device === 'cdrom' || disk.device === 'floppy',
        alias: d.el.element('alias')?.attr('name'),
      },
    ];
  });
}

interface BlockInfo {
  qdev?: string;
  inserted?: { 'node-name': string; file: string };
}

function qdevMatches(qdev: string | undefined, alias: string | undefined): boolean {
  if (!qdev || !alias) return false;
  return qdev === alias || qdev === `/machine/peripheral/${alias}` || qdev.startsWith(`/machine/peripheral/${alias}/`);
}

/** Target → top format node of every disk QEMU has a medium for. */
export async function liveNodeNames(qmp: QmpClient, disks: readonly BackupDisk[]): Promise<Map<string, string>> {
  const blocks = await qmp.execute<BlockInfo[]>('query-block');
  const out = new Map<string, string>();
  for (const disk of disks) {
    const b =
      blocks.find((x) => x.inserted && qdevMatches(x.qdev, disk.alias)) ??
      blocks.find((x) => x.inserted && disk.path !== undefined && x.inserted.file === disk.path);
    if (b?.inserted) out.set(disk.target, b.inserted['node-name']);
  }
  return out;
}

/** The node of one disk, or libvirt's error for a disk QEMU does not know. */
export function nodeOf(nodes: ReadonlyMap<string, string>, target: string): string {
  const n = nodes.get(target);
  if (!n) throw VirError.internal(`failed to find block node of disk '${target}'`, ErrorDomain.VIR_FROM_QEMU);
  return n;
}

/**
 * A snapshot's disks against the domain's (libvirt's virDomainSnapshotAlignDisks and
 * qemuSnapshotPrepare): every domain disk gets one entry, defaults resolved, external overlay
 * names generated, and the combinations QEMU cannot take refused before anything is touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { newDiskSource, type DomainSnapshotDef, type SnapshotDiskDef } from '@virtkit/xml';
import type { BackupDisk } from '../backup/disks';
import { configUnsupported } from './errors';

const alignError = (detail: string) =>
  VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT, detail);

/** What a create will do to each disk. */
export interface SnapshotPlan {
  /** Targets getting an internal snapshot. */
  internal: string[];
  /** Targets getting a new overlay, with the overlay's path and format. */
  external: Array<{ target: string; path: string; format: string }>;
}

/** An image path with its extension replaced by the snapshot name (virDomainSnapshotDefAssignExternalNames). */
function externalName(source: string, snapName: string): string {
  const base = path.basename(source);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? source.slice(0, source.length - base.length + dot) : source;
  return `${stem}.${snapName}`;
}

/** Resolve the snapshot's disk list against `disks` (the domain's), with `location` for defaults. */
export function alignDisks(def: DomainSnapshotDef, disks: readonly BackupDisk[], location: 'internal' | 'external'): void {
  const seen = new Set<string>();
  for (const d of def.disks) {
    if (!disks.some((x) => x.target === d.name)) throw alignError(`no disk named '${d.name}'`);
    if (seen.has(d.name)) throw alignError(`disk '${d.name}' specified twice`);
    seen.add(d.name);
  }
  def.disks = disks.map((disk): SnapshotDiskDef => {
    const given = def.disks.find((d) => d.name === disk.target);
    const out = given ?? { name: disk.target, snapshot: 'default', src: newDiskSource('file') };
    if (out.snapshot === 'default') out.snapshot = disk.path && !disk.readonly ? location : 'no';
    return out;
  });
  for (const d of def.disks) {
    if (d.snapshot !== 'external' || d.src.path) continue;
    const disk = disks.find((x) => x.target === d.name)!;
    if (disk.type !== 'file' || !disk.path) {
      throw alignError(`cannot generate external snapshot name for disk '${d.name}' on a '${disk.type}' device`);
    }
    d.src.path = externalName(disk.path, def.name!);
    const clash = def.disks.find((o) => o !== d && o.src.path === d.src.path);
    if (clash) throw alignError(`cannot generate external snapshot name for disk '${d.name}': collision with disk '${clash.name}'`);
  }
}

/**
 * qemuSnapshotPrepare: check the aligned disks and say what happens to each. `reuse` is
 * VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT (the overlay files exist already).
 */
export function planDisks(def: DomainSnapshotDef, disks: readonly BackupDisk[], active: boolean, reuse: boolean): SnapshotPlan {
  const plan: SnapshotPlan = { internal: [], external: [] };
  let forbidInternal = false;
  for (const d of def.disks) {
    const disk = disks.find((x) => x.target === d.name)!;
    if (d.snapshot === 'internal') {
      if (def.state === 'disk-snapshot' && active) {
        throw configUnsupported(`active qemu domains require external disk snapshots; disk ${d.name} requested internal`);
      }
      if ((disk.format ?? 'raw') !== 'qcow2') {
        throw configUnsupported(`internal snapshot for disk ${d.name} unsupported for storage type ${disk.format ?? 'raw'}`);
      }
      plan.internal.push(d.name);
    } else if (d.snapshot === 'external') {
      plan.external.push(prepareExternal(d, reuse));
    } else if (d.snapshot === 'no' && disk.path && !disk.readonly) {
      forbidInternal = true;
    } else if (d.snapshot === 'manual') {
      throw configUnsupported(`'manual' disk snapshot mode not supported for disk ${d.name}`);
    }
  }
  const internal = plan.internal.length > 0;
  const external = plan.external.length > 0;
  if ((def.memory === 'internal' && !internal) || (internal && forbidInternal)) {
    throw configUnsupported('internal and full system snapshots require all disks to be selected for snapshot');
  }
  if (def.state === 'disk-snapshot' && !external) {
    throw configUnsupported('disk-only snapshots require at least one disk to be selected for snapshot');
  }
  if ((internal && external) || (def.memory === 'internal' && external) || (def.memory === 'external' && internal)) {
    throw configUnsupported('mixing internal and external targets for a snapshot is not yet supported');
  }
  if (!internal && !external && def.memory === 'no') throw configUnsupported('nothing selected for snapshot');
  return plan;
}

function prepareExternal(d: SnapshotDiskDef, reuse: boolean): SnapshotPlan['external'][number] {
  const format = d.src.format ?? 'qcow2';
  d.src.format = format;
  if (format !== 'qcow2' && !reuse) {
    throw configUnsupported(`external snapshot format for disk ${d.name} is unsupported: ${format}`);
  }
  const file = d.src.path!;
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (reuse && !st) throw configUnsupported(`missing existing file for disk ${d.name}: ${file}`);
  if (!reuse && st && !st.isBlockDevice()) {
    throw configUnsupported(`external snapshot file for disk ${d.name} already exists and is not a block device: ${file}`);
  }
  return { target: d.name, path: file, format };
}

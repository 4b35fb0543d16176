import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { PreservedDomain, formatDomainXml, parseXml, type DomainCheckpointDef, type DomainDef } from '@virtkit/xml';
import type { BackupDisk } from './disks';

const CHK = ErrorDomain.VIR_FROM_DOMAIN_CHECKPOINT;
const QEMU = ErrorDomain.VIR_FROM_QEMU;
const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, CHK, detail);

/** A checkpoint's bitmap on one disk. */
export interface CheckpointBitmap {
  target: string;
  bitmap: string;
}

/** libvirt's error for a bitmap a backup or a redefinition cannot use. */
export function brokenBitmap(bitmap: string, target: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_CHECKPOINT_INCONSISTENT, QEMU, `missing or broken bitmap '${bitmap}' for disk '${target}'`);
}

/** The (disk, bitmap) pairs a checkpoint covers. */
export function coveredBitmaps(def: DomainCheckpointDef): CheckpointBitmap[] {
  return def.disks.filter((d) => d.type === 'bitmap' && d.bitmap && d.name).map((d) => ({ target: d.name!, bitmap: d.bitmap! }));
}

/** Names become file names and bitmap names: no path separators. */
export function checkName(name: string): void {
  if (name.includes('/') || name === '.' || name === '..' || name.startsWith('.')) {
    throw VirError.invalidArg(`checkpoint name '${name}' cannot contain '/' or start with '.'`, CHK);
  }
}

/** virDomainCheckpointAlignDisks + qemuCheckpointPrepare's disk checks. */
export function alignDisks(def: DomainCheckpointDef, disks: readonly BackupDisk[]): void {
  const seen = new Set<string>();
  for (const d of def.disks) {
    if (!d.name || !disks.some((x) => x.target === d.name)) throw unsupported(`no disk named '${d.name}'`);
    if (seen.has(d.name)) throw unsupported(`disk '${d.name}' specified twice`);
    seen.add(d.name);
    if (d.type === 'default') d.type = 'bitmap';
    if (d.type === 'bitmap' && !d.bitmap) d.bitmap = def.name;
  }
  def.disks = disks.map((disk) => {
    const given = def.disks.find((d) => d.name === disk.target);
    if (given) return given;
    if (!disk.path || disk.readonly) return { name: disk.target, type: 'no' as const };
    return { name: disk.target, type: 'bitmap' as const, bitmap: def.name };
  });
  for (const d of def.disks) {
    if (d.type !== 'bitmap') continue;
    const disk = disks.find((x) => x.target === d.name)!;
    if (d.bitmap !== def.name) throw unsupported(`bitmap for disk '${d.name}' must match checkpoint name '${def.name}'`);
    if (disk.format !== 'qcow2') {
      throw unsupported(`checkpoint for disk ${d.name} unsupported for storage type ${disk.format ?? 'raw'}`);
    }
  }
}

/** The domain definition stored inside the checkpoint (inactive form). */
export function embed(def: DomainDef): PreservedDomain {
  return new PreservedDomain(parseXml(formatDomainXml(def, { inactive: true })));
}

/** DomainCheckpointDef → `<domaincheckpoint>` (virDomainCheckpointDefFormatInternal). */
import { XmlWriter } from '../writer';
import { embeddedDomainCodec, formatMomentParent } from '../moment';
import type { CheckpointDiskDef, CheckpointFormatOptions, DomainCheckpointDef } from './types';

export function formatCheckpointDisk(w: XmlWriter, disk: CheckpointDiskDef, withSize: boolean): void {
  if (disk.name === undefined) return;
  w.empty('disk', [
    ['name', disk.name],
    ['checkpoint', disk.type !== 'default' ? disk.type : undefined],
    ['bitmap', disk.bitmap],
    ['size', disk.bitmap !== undefined && withSize && disk.size !== undefined ? String(disk.size) : undefined],
  ]);
}

export function writeCheckpoint(w: XmlWriter, def: DomainCheckpointDef, opts: CheckpointFormatOptions = {}): void {
  const c = w.open('domaincheckpoint');
  c.leaf('name', def.name);
  c.leaf('description', def.description);
  formatMomentParent(c, def.parentName);
  if (def.creationTime) c.leaf('creationTime', def.creationTime);
  if (def.disks.length) {
    // libvirt writes <disks> whenever there are entries, even if none is named.
    c.open('disks');
    for (const d of def.disks) formatCheckpointDisk(c, d, !!opts.size);
    c.close('disks');
  }
  if (def.dom && !opts.noDomain) embeddedDomainCodec().format(c, def.dom, 'domain', { secure: !!opts.secure });
  c.close('domaincheckpoint');
}

export function formatCheckpointXml(def: DomainCheckpointDef, opts: CheckpointFormatOptions = {}): string {
  const w = new XmlWriter();
  writeCheckpoint(w, def, opts);
  return w.toString();
}

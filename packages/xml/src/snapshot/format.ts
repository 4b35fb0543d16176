/** DomainSnapshotDef → `<domainsnapshot>`, following virDomainSnapshotDefFormatInternal. */
import { XmlWriter } from '../writer';
import { formatDiskSourceElement } from '../storage-source';
import { embeddedDomainCodec, formatMomentParent } from '../moment';
import { writePreserved } from '../preserved';
import type { DomainSnapshotDef, SnapshotDiskDef, SnapshotFormatOptions } from './types';

/** One `<disk>` of `<disks>` (virDomainSnapshotDiskDefFormat). */
export function formatSnapshotDisk(w: XmlWriter, disk: SnapshotDiskDef): void {
  const src = disk.src;
  const hasSource = !!src.path || src.format !== undefined;
  const attrs: Array<[string, string | undefined]> = [
    ['name', disk.name],
    ['snapshot', disk.snapshot !== 'default' ? disk.snapshot : undefined],
    ['type', hasSource ? src.type : undefined],
  ];
  w.element('disk', attrs, (c) => {
    if (!hasSource) return;
    c.element(
      'driver',
      [['type', src.format]],
      (d) => {
        if (src.metadataCacheMaxSize && src.metadataCacheMaxSize > 0n) {
          d.element('metadata_cache', [], (m) => m.leaf('max_size', String(src.metadataCacheMaxSize), [['unit', 'bytes']]));
        }
      },
      true,
    );
    formatDiskSourceElement(c, 'source', src);
  });
}

/** Write the snapshot into an existing writer. */
export function writeSnapshot(w: XmlWriter, def: DomainSnapshotDef, opts: SnapshotFormatOptions = {}): void {
  const codec = embeddedDomainCodec();
  const c = w.open('domainsnapshot');
  c.leaf('name', def.name);
  c.leaf('description', def.description);
  if (def.state !== 'nostate') c.leaf('state', def.state);
  formatMomentParent(c, def.parentName);
  if (def.creationTime) c.leaf('creationTime', def.creationTime);
  if (def.memory !== 'default')
    c.empty('memory', [
      ['snapshot', def.memory],
      ['file', def.memoryFile],
    ]);
  if (def.disks.length) c.element('disks', [], (d) => def.disks.forEach((disk) => formatSnapshotDisk(d, disk)));
  if (def.dom) codec.format(c, def.dom, 'domain', { secure: !!opts.secure });
  else if (opts.domainUuid) c.element('domain', [], (d) => d.leaf('uuid', opts.domainUuid));
  if (def.inactiveDom) codec.format(c, def.inactiveDom, 'inactiveDomain', { secure: !!opts.secure });
  if (def.cookie) writePreserved(c, def.cookie);
  if (opts.internal) c.leaf('active', opts.current ? 1 : 0);
  c.close('domainsnapshot');
}

/** Format snapshot XML (virDomainSnapshotDefFormat). */
export function formatSnapshotXml(def: DomainSnapshotDef, opts: SnapshotFormatOptions = {}): string {
  const w = new XmlWriter();
  writeSnapshot(w, def, opts);
  return w.toString();
}

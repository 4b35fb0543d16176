/**
 * The live XML's view of a running domain's disk chains (libvirt's qemuDomainDetermineDiskChain
 * result as virDomainDiskSourceFormat writes it): the top image's `<source index='N'>` names its
 * block node (libvirt-N-storage/format), and an image without a backing file ends its chain with
 * an empty `<backingStore/>`. Images with a backing file keep the chain their definition gives.
 */
import { mkEl, type DomainDef, type XmlElement } from '@virtkit/xml';
import { readQcow2Header } from '../blockjob/qcow2';

/** Image formats that can have a backing file; the others always end the chain. */
const BACKED_FORMATS = new Set(['qcow2', 'qcow', 'qed', 'vmdk', 'cow']);

export async function recordDiskChains(def: DomainDef, nodeIndex: ReadonlyMap<XmlElement, number> | undefined): Promise<void> {
  for (const d of def.devices) {
    if (d.kind !== 'disk' || !d.disk) continue;
    const src = d.el.element('source');
    const index = nodeIndex?.get(d.el);
    if (!src || index === undefined) continue;
    src.attrs.set('index', String(index));
    if (d.el.element('backingStore')) continue;
    const file = d.disk.type === 'file' ? src.attr('file') : d.disk.type === 'block' ? src.attr('dev') : undefined;
    if (file === undefined) continue;
    const format = d.disk.driverType ?? 'raw';
    if (BACKED_FORMATS.has(format)) {
      if (format !== 'qcow2') continue;
      const header = await readQcow2Header(file).catch(() => undefined);
      if (!header || header.backing) continue;
    }
    const at = d.el.children.indexOf(src);
    d.el.children.splice(at + 1, 0, mkEl('backingStore'));
  }
}

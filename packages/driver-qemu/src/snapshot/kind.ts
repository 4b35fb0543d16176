import type { DomainSnapshotDef } from '@virtkit/xml';

/** Memory or any disk lives outside the images QEMU runs on (virDomainSnapshotIsExternal). */
export function isExternal(def: DomainSnapshotDef): boolean {
  return def.memory === 'external' || def.disks.some((d) => d.snapshot === 'external');
}

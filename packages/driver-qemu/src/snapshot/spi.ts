/**
 * The snapshot calls of the driver SPI, over the per-domain QemuSnapshots the connection
 * hands out: refs in, names through, refs out.
 */
import type { DomainRef, DomainSnapshotRef, DriverConnection } from '@virtkit/core';
import type { QemuSnapshots } from './snapshots';

type SnapshotSpi = Pick<
  Required<DriverConnection>,
  | 'domainSnapshotCreateXML'
  | 'domainListAllSnapshots'
  | 'domainSnapshotListAllChildren'
  | 'domainSnapshotLookupByName'
  | 'domainSnapshotGetXMLDesc'
  | 'domainSnapshotGetParent'
  | 'domainSnapshotCurrent'
  | 'domainHasCurrentSnapshot'
  | 'domainRevertToSnapshot'
  | 'domainSnapshotDelete'
  | 'domainSnapshotIsCurrent'
  | 'domainSnapshotHasMetadata'
  | 'domainSnapshotNum'
  | 'domainSnapshotListNames'
  | 'domainSnapshotNumChildren'
  | 'domainSnapshotListChildrenNames'
>;

/** The SPI methods; `of` finds the domain's snapshots (and fails as lookups fail for unknown domains). */
export function snapshotSpi(of: (dom: DomainRef) => QemuSnapshots): SnapshotSpi {
  const ref = (dom: DomainRef, name: string): DomainSnapshotRef => ({ name, domain: dom });
  const refs = (dom: DomainRef, names: string[]) => names.map((n) => ref(dom, n));
  return {
    domainSnapshotCreateXML: async (dom, xml, flags) => ref(dom, await of(dom).create(xml, flags)),
    domainListAllSnapshots: async (dom, flags) => refs(dom, await of(dom).listAll(flags)),
    domainSnapshotListAllChildren: async (s, flags) => refs(s.domain, await of(s.domain).listChildren(s.name, flags)),
    domainSnapshotLookupByName: async (dom, name, flags) => ref(dom, await of(dom).lookup(name, flags)),
    domainSnapshotGetXMLDesc: (s, flags) => of(s.domain).getXMLDesc(s.name, flags),
    domainSnapshotGetParent: async (s, flags) => ref(s.domain, await of(s.domain).parent(s.name, flags)),
    domainSnapshotCurrent: async (dom, flags) => ref(dom, await of(dom).current(flags)),
    domainHasCurrentSnapshot: (dom, flags) => of(dom).hasCurrent(flags),
    domainRevertToSnapshot: (s, flags) => of(s.domain).revert(s.name, flags),
    domainSnapshotDelete: (s, flags) => of(s.domain).delete(s.name, flags),
    domainSnapshotIsCurrent: (s, flags) => of(s.domain).isCurrent(s.name, flags),
    domainSnapshotHasMetadata: (s, flags) => of(s.domain).hasMetadata(s.name, flags),
    domainSnapshotNum: (dom, flags) => of(dom).num(flags),
    domainSnapshotListNames: (dom, maxnames, flags) => of(dom).listNames(maxnames, flags),
    domainSnapshotNumChildren: (s, flags) => of(s.domain).numChildren(s.name, flags),
    domainSnapshotListChildrenNames: (s, maxnames, flags) => of(s.domain).listChildrenNames(s.name, maxnames, flags),
  };
}

/**
 * libvirt's listing flags for snapshots and checkpoints turned into MomentTree options and
 * per-moment filters (virDomainSnapshotObjListGetNames / virDomainSnapshotFilter and the
 * checkpoint equivalent). Pure and driver-neutral: every driver lists its trees the same way.
 */
import type { MomentListOptions } from './tree';

/** VIR_DOMAIN_SNAPSHOT_LIST_* bits. */
export const SNAP = {
  ROOTS: 1,
  DESCENDANTS: 1,
  METADATA: 2,
  LEAVES: 4,
  NO_LEAVES: 8,
  NO_METADATA: 16,
  INACTIVE: 32,
  ACTIVE: 64,
  DISK_ONLY: 128,
  INTERNAL: 256,
  EXTERNAL: 512,
  TOPOLOGICAL: 1024,
} as const;
const STATUS = SNAP.INACTIVE | SNAP.ACTIVE | SNAP.DISK_ONLY;
const LOCATION = SNAP.INTERNAL | SNAP.EXTERNAL;

/** VIR_DOMAIN_CHECKPOINT_LIST_* bits. */
export const CHK = { ROOTS: 1, DESCENDANTS: 1, TOPOLOGICAL: 2, LEAVES: 4, NO_LEAVES: 8 } as const;

/** What the snapshot filter needs to know of one snapshot. */
export interface SnapshotFacts {
  /** The snapshot state name: `running`, `paused`, `shutoff`, `disk-snapshot`, ... */
  state: string;
  /** Memory or any disk is stored externally (virDomainSnapshotIsExternal). */
  external: boolean;
}

export interface MomentQuery<F> {
  options: MomentListOptions;
  /** Undefined when no per-moment filtering is needed. */
  filter?: (facts: F) => boolean;
}

/** Translate snapshot list flags. A group with no bit set selects all of that group. */
export function snapshotQuery(flags: number): MomentQuery<SnapshotFacts> {
  const options: MomentListOptions = {
    roots: !!(flags & SNAP.ROOTS),
    descendants: !!(flags & SNAP.DESCENDANTS),
    topological: !!(flags & SNAP.TOPOLOGICAL),
    leaves: !!(flags & SNAP.LEAVES),
    noLeaves: !!(flags & SNAP.NO_LEAVES),
    metadata: !!(flags & SNAP.METADATA),
    noMetadata: !!(flags & SNAP.NO_METADATA),
  };
  let status = flags & STATUS;
  if (status === STATUS) status = 0;
  let location = flags & LOCATION;
  if (location === LOCATION) location = 0;
  if (!status && !location) return { options };
  const filter = (s: SnapshotFacts): boolean => {
    if (status) {
      if (!(status & SNAP.INACTIVE) && s.state === 'shutoff') return false;
      if (!(status & SNAP.DISK_ONLY) && s.state === 'disk-snapshot') return false;
      if (!(status & SNAP.ACTIVE) && s.state !== 'shutoff' && s.state !== 'disk-snapshot') return false;
    }
    if (location & SNAP.INTERNAL && s.external) return false;
    if (location & SNAP.EXTERNAL && !s.external) return false;
    return true;
  };
  return { options, filter };
}

/** Translate checkpoint list flags. */
export function checkpointQuery(flags: number): MomentQuery<never> {
  return {
    options: {
      roots: !!(flags & CHK.ROOTS),
      descendants: !!(flags & CHK.DESCENDANTS),
      topological: !!(flags & CHK.TOPOLOGICAL),
      leaves: !!(flags & CHK.LEAVES),
      noLeaves: !!(flags & CHK.NO_LEAVES),
    },
  };
}

/** The listing-flag translation moved to core (shared with the QEMU driver); kept here for existing imports. */
export { snapshotQuery, checkpointQuery, type SnapshotFacts, type MomentQuery } from '@virtkit/core';

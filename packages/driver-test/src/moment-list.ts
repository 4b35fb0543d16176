export { snapshotQuery, checkpointQuery, type SnapshotFacts, type MomentQuery } from '@virtkit/xml';

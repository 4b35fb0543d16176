export { MomentTree, type MomentNode, type MomentListOptions, type RemoveMode, type ParentProblem } from './tree';
export { snapshotQuery, checkpointQuery, type SnapshotFacts, type MomentQuery } from './list';

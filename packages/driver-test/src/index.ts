/**
 * virtkit's `test` driver: libvirt's mock hypervisor (`test:///default`, `test:///PATH.xml`),
 * kept in memory.
 */
import { driver } from './driver';

export { driver, createDefaultState } from './driver';
export { TestConnection } from './connection';
export { TestState } from './state';
export { MomentTree, type MomentNode, type MomentListOptions, type RemoveMode, type ParentProblem } from './snapshot-tree';
export { snapshotQuery, checkpointQuery, type SnapshotFacts, type MomentQuery } from './moment-list';
export default driver;
export { testDriverTable } from './table';

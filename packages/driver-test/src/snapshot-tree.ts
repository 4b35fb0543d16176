/** The moment tree moved to core (shared with the QEMU driver); kept here for existing imports. */
export { MomentTree, type MomentNode, type MomentListOptions, type RemoveMode, type ParentProblem } from '@virtkit/core';

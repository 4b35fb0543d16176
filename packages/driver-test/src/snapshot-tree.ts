export { MomentTree, type MomentNode, type MomentListOptions, type RemoveMode, type ParentProblem } from '@virtkit/xml';

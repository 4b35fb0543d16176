export * from './types';
export { parseSnapshotXml, parseSnapshotElement, parseSnapshotDisk, validateSnapshotName } from './parse';
export { formatSnapshotXml, writeSnapshot, formatSnapshotDisk } from './format';

export * from './types';
export { parseCheckpointXml, parseCheckpointElement, validateCheckpointSchema } from './parse';
export { formatCheckpointXml, writeCheckpoint, formatCheckpointDisk } from './format';

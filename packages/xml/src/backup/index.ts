export * from './types';
export { parseBackupXml, parseBackupElement, parseStorageSourceBase } from './parse';
export { formatBackupXml, writeBackup, formatBackupDisk } from './format';
export { alignBackupDisks } from './align';

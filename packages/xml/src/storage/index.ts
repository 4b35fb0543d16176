export * from './types';
export { parseStoragePoolXml, parsePoolElement, parsePoolSource, formatStoragePoolXml, writeStoragePool, writePoolSource } from './pool';
export { parseStorageVolXml, parseVolumeElement, formatStorageVolXml, writeStorageVol, writeVolTarget, FILE_FEATURES } from './volume';
export { poolTypeInfo } from './options';
export { sanitizePath } from './util';

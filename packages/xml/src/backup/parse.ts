/** `<domainbackup>` → DomainBackupDef (virDomainBackupDefParse). */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { propEnum, propYesNo } from '../props';
import { parseIntStrict } from '../scaled';
import {
  FILE_FORMATS,
  STORAGE_TYPES,
  newDiskSource,
  parseDiskSourceElement,
  parseNetHost,
  type DiskSource,
  type FileFormat,
  type StorageType,
} from '../storage-source';
import { childString } from '../moment';
import {
  BACKUP_DISK_MODES,
  BACKUP_DISK_STATES,
  BACKUP_TYPES,
  type BackupDiskDef,
  type BackupParseOptions,
  type DomainBackupDef,
} from './types';

const D = ErrorDomain.VIR_FROM_DOMAIN;
const xmlError = (detail: string) => VirError.xml(detail, D);
const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, D, detail);

/** virDomainStorageSourceParseBase: a source of the given type / format / index. */
export function parseStorageSourceBase(type?: string, format?: string, index?: string): DiskSource {
  const src = newDiskSource('file');
  if (type !== undefined) {
    const i = STORAGE_TYPES.indexOf(type as StorageType);
    if (i <= 0) throw xmlError(`unknown storage source type '${type}'`);
    src.type = STORAGE_TYPES[i];
  }
  if (format !== undefined) {
    const i = FILE_FORMATS.indexOf(format as FileFormat);
    if (i <= 0) throw xmlError(`unknown storage source format '${format}'`);
    src.format = FILE_FORMATS[i];
  }
  if (index !== undefined) {
    const id = parseIntStrict(index, 0, 0xffffffff);
    if (id === undefined) throw xmlError(`invalid storage source index '${index}'`);
    src.id = id;
  }
  return src;
}

function parseBackupDisk(el: XmlElement, push: boolean, internal: boolean): BackupDiskDef {
  const name = el.attr('name');
  if (name === undefined) throw xmlError('missing name from disk backup element');
  const disk: BackupDiskDef = { name, backup: propYesNo(el, 'backup') ?? 'yes' };
  if (disk.backup === 'no') return disk;
  if (!push) {
    disk.exportname = el.attr('exportname');
    disk.exportbitmap = el.attr('exportbitmap');
  }
  const mode = propEnum(el, 'backupmode', BACKUP_DISK_MODES);
  if (mode) disk.backupmode = mode;
  disk.incremental = el.attr('incremental');
  if (internal) {
    const state = propEnum(el, 'state', BACKUP_DISK_STATES, { required: true });
    if (state) disk.state = state;
  }
  const type = el.attr('type');
  const store = parseStorageSourceBase(type, el.element('driver')?.attr('type') || undefined, internal ? el.attr('index') : undefined);
  if (store.type !== 'file' && store.type !== 'block') throw xmlError(`unsupported disk backup type '${type}'`);
  const srcNode = el.element(push ? 'target' : 'scratch');
  if (srcNode) parseDiskSourceElement(srcNode, store, internal);
  disk.store = store;
  return disk;
}

export function parseBackupElement(root: XmlElement, opts: BackupParseOptions = {}): DomainBackupDef {
  if (root.name !== 'domainbackup') throw xmlError('domainbackup');
  const internal = !!opts.internal;
  const def: DomainBackupDef = { type: 'push', disks: [] };
  const mode = root.attr('mode');
  if (mode !== undefined) {
    const i = BACKUP_TYPES.indexOf(mode as DomainBackupDef['type']);
    if (i <= 0) throw unsupported(`unknown backup mode '${mode}'`);
    def.type = BACKUP_TYPES[i] as DomainBackupDef['type'];
  }
  const push = def.type === 'push';
  def.incremental = childString(root, 'incremental');
  const server = root.element('server');
  if (server) {
    if (def.type !== 'pull') throw unsupported('use of <server> requires pull mode backup');
    def.server = parseNetHost(server);
    if (def.server.transport === 'rdma') throw unsupported('transport rdma is not supported for <server>');
    if (def.server.transport === 'unix' && !def.server.socket!.startsWith('/')) {
      throw xmlError(`backup socket path '${def.server.socket}' must be absolute`);
    }
    def.tls = propYesNo(server, 'tls');
  }
  def.disks = (root.element('disks')?.elements() ?? []).map((d) => parseBackupDisk(d, push, internal));
  if (internal) {
    const objects = root.find('privateData', 'objects');
    def.tlsSecretAlias =
      objects
        ?.elements('secret')
        .find((s) => s.attr('type') === 'tlskey')
        ?.attr('alias') || undefined;
    def.tlsAlias = objects?.element('TLSx509')?.attr('alias') || undefined;
  }
  return def;
}

/** Parse backup XML text (virDomainBackupDefParseString). */
export function parseBackupXml(text: string, opts: BackupParseOptions = {}): DomainBackupDef {
  return parseBackupElement(parseXml(text), opts);
}

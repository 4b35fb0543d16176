/** `<domainsnapshot>` → DomainSnapshotDef, following virDomainSnapshotDefParse. */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { propEnum } from '../props';
import { ULLONG_MAX, parseScaledElement } from '../scaled';
import {
  STORAGE_TYPES,
  diskSourceIsRelative,
  fileFormatFromString,
  newDiskSource,
  parseDiskSourceElement,
  type StorageType,
} from '../storage-source';
import { childString, defaultMomentPostParse, embeddedDomainCodec, parseLongLongText } from '../moment';
import {
  SNAPSHOT_LOCATIONS,
  SNAPSHOT_STATES,
  type DomainSnapshotDef,
  type SnapshotDiskDef,
  type SnapshotParseOptions,
  type SnapshotParseResult,
  type SnapshotState,
} from './types';

const D = ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT;
const xmlError = (detail: string) => VirError.xml(detail, D);
const internalError = (detail: string) => VirError.internal(detail, D);
const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, D, detail);

/** virDomainSnapshotDiskDefParseXML. */
export function parseSnapshotDisk(el: XmlElement, status = false): SnapshotDiskDef {
  const name = el.attr('name');
  if (name === undefined) throw internalError('missing name from disk snapshot element');
  let snapshot = propEnum(el, 'snapshot', SNAPSHOT_LOCATIONS, { nonzero: true }) ?? 'default';
  const type = (propEnum(el, 'type', STORAGE_TYPES, { nonzero: true }) ?? 'file') as StorageType;
  if (type === 'volume' || type === 'dir') throw xmlError(`unsupported disk snapshot type '${type}'`);
  const src = newDiskSource(type);
  const source = el.element('source');
  if (source) parseDiskSourceElement(source, src, status);
  const driver = el.element('driver');
  const format = driver?.attr('type');
  if (format !== undefined && format !== '') {
    const f = fileFormatFromString(format);
    if (!f) throw unsupported(`unknown disk snapshot driver '${format}'`);
    src.format = f;
  }
  const maxSize = parseScaledElement(driver?.find('metadata_cache', 'max_size'), './driver/metadata_cache/max_size', 1n, ULLONG_MAX);
  if (maxSize !== undefined) src.metadataCacheMaxSize = maxSize;
  if (diskSourceIsRelative(src)) throw xmlError(`disk snapshot image path '${src.path}' must be absolute`);
  if (snapshot === 'default' && (src.path || src.format)) snapshot = 'external';
  return { name, snapshot, src };
}

function parseRedefineFields(root: XmlElement, def: DomainSnapshotDef): boolean {
  const time = parseLongLongText(root.childText('creationTime'));
  if (time === undefined) throw internalError('missing creationTime from existing snapshot');
  def.creationTime = time;
  const parent = root.element('parent');
  def.parentName = parent ? childString(parent, 'name') : undefined;
  const state = childString(root, 'state');
  if (state === undefined) throw xmlError('missing state from existing snapshot');
  const idx = SNAPSHOT_STATES.indexOf(state as SnapshotState);
  if (idx <= 0) throw unsupported(`Invalid state '${state}' in domain snapshot XML`);
  def.state = SNAPSHOT_STATES[idx];
  const offline = def.state === 'shutoff' || def.state === 'disk-snapshot';
  // Older snapshots carry only <domain><uuid>; without a type there is no definition to parse.
  const domain = root.element('domain');
  if (domain && domain.attr('type')) def.dom = embeddedDomainCodec().parse(domain);
  const inactive = root.element('inactiveDomain');
  if (inactive) def.inactiveDom = embeddedDomainCodec().parse(inactive);
  return offline;
}

function parseMemory(root: XmlElement, def: DomainSnapshotDef, redefine: boolean, offline: boolean): void {
  const memory = root.element('memory');
  if (memory) {
    def.memoryFile = memory.attr('file');
    def.memory = propEnum(memory, 'snapshot', SNAPSHOT_LOCATIONS, { nonzero: true }) ?? 'default';
    if (def.memory === 'manual') throw xmlError("'manual' memory snapshot mode not supported");
  }
  if (def.memory === 'default') {
    if (def.memoryFile !== undefined) def.memory = 'external';
    else if (redefine) def.memory = offline ? 'no' : 'internal';
  }
  if (def.memoryFile !== undefined && def.memory !== 'external') {
    throw xmlError(`memory filename '${def.memoryFile}' requires external snapshot`);
  }
  if (def.memoryFile === undefined && def.memory === 'external') {
    throw xmlError('external memory snapshots require a filename');
  }
  if (offline && def.memory !== 'default' && def.memory !== 'no') {
    throw xmlError('memory state cannot be saved with offline or disk-only snapshot');
  }
  if (def.memoryFile !== undefined && !def.memoryFile.startsWith('/')) {
    throw xmlError(`memory snapshot file path (${def.memoryFile}) must be absolute`);
  }
}

/**
 * Names libvirt's drivers refuse, because snapshot metadata is stored in a file named after the
 * snapshot (qemuSnapshotCreateXMLValidateDef): VIR_ERR_XML_DETAIL.
 */
export function validateSnapshotName(name: string): void {
  if (name.includes('/')) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_XML_DETAIL,
      ErrorDomain.VIR_FROM_QEMU,
      `invalid snapshot name '${name}': name can't contain '/'`,
    );
  }
  if (name.startsWith('.')) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_XML_DETAIL,
      ErrorDomain.VIR_FROM_QEMU,
      `invalid snapshot name '${name}': name can't start with '.'`,
    );
  }
}

/** Parse an already-read `<domainsnapshot>` element. */
export function parseSnapshotElement(root: XmlElement, opts: SnapshotParseOptions = {}): SnapshotParseResult {
  if (root.name !== 'domainsnapshot') throw xmlError('domainsnapshot');
  const redefine = !!opts.redefine;
  const def: DomainSnapshotDef = { creationTime: 0, state: 'nostate', memory: 'default', disks: [] };
  def.name = childString(root, 'name');
  if (def.name === undefined && redefine) throw xmlError('a redefined snapshot must have a name');
  def.description = childString(root, 'description');

  let offline = !!opts.offline;
  if (redefine) offline = parseRedefineFields(root, def);
  else (opts.postParse ?? defaultMomentPostParse)(def);

  parseMemory(root, def, redefine, offline);
  const disks = root.element('disks');
  if (disks) def.disks = disks.elements().map((d) => parseSnapshotDisk(d));

  let current = false;
  if (opts.internal) {
    const active = parseLongLongText(root.childText('active'));
    if (active === undefined || active < -(2 ** 31) || active > 2 ** 31 - 1) {
      throw internalError("Could not find 'active' element");
    }
    current = active !== 0;
  }
  if (!offline) def.cookie = root.element('cookie');
  if (opts.validateName !== false && def.name !== undefined) validateSnapshotName(def.name);
  return { def, current };
}

/** Parse snapshot XML text (virDomainSnapshotDefParseString). */
export function parseSnapshotXml(text: string, opts: SnapshotParseOptions = {}): SnapshotParseResult {
  return parseSnapshotElement(parseXml(text), opts);
}

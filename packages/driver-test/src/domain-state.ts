/**
 * The test driver's NMI, key presses, rename, metadata, and save/restore (testDomainInjectNMI,
 * testDomainSendKey, testDomainRename, testDomainSetMetadata/GetMetadata, testDomainSaveFlags,
 * testDomainRestoreFlags, testDomainSaveImageGetXMLDesc/DefineXML). A saved image is libvirt's test driver format: its magic with the
 * terminating NUL, the XML length as a native int, the live XML.
 */
import * as fs from 'node:fs';
import {
  DomainEventID,
  DomainEventDefinedDetailType,
  DomainEventStartedDetailType,
  DomainEventStoppedDetailType,
  DomainEventType,
  DomainEventUndefinedDetailType,
  DomainModificationImpact,
  DomainRunningReason,
  DomainSaveImageXMLFlags,
  DomainSaveRestoreFlags,
  DomainShutoffReason,
  ErrorDomain,
  ErrorNumber,
  VirError,
  type DomainRef,
} from '@virtkit/core';
import { getDomainMetadata, setDomainMetadata } from '@virtkit/xml';
import { oneDefState } from './domain-info';
import { formatDomainXml, generateIfnames, parseDomainXml, type DomainDef } from './domain-xml';
import { addDomain, shutdownState, startState } from './domains';
import { checkFlags, err, FROM_DOMAIN, internal, notRunning, opInvalid, rawInvalidArg, xmlError } from './errors';
import type { TestState } from './state';

/** TEST_SAVE_MAGIC, with its NUL: the start of save images and core dumps. */
export const SAVE_MAGIC = Buffer.from('TestGuestMagic\0', 'latin1');

const STRERROR: Record<string, string> = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory' };

/** virReportSystemError: "<detail>: <strerror>". */
export function systemError(detail: string, e: unknown): VirError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return VirError.create(
    ErrorNumber.VIR_ERR_SYSTEM_ERROR,
    ErrorDomain.VIR_FROM_TEST,
    `${detail}: ${STRERROR[code] ?? (e as Error).message}`,
  );
}

export function injectNMI(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainInjectNMI');
  if (!state.domObj(ref).active) throw notRunning();
}

/** The test driver has no guest to press keys in: it checks the domain runs. */
export function sendKey(state: TestState, ref: DomainRef, flags: number): void {
  checkFlags(flags, 0, 'testDomainSendKey');
  if (!state.domObj(ref).active) throw notRunning();
}

export function rename(state: TestState, ref: DomainRef, newName: string | null, flags: number): number {
  if (newName === null) throw rawInvalidArg('new_name in virDomainRename must not be NULL', FROM_DOMAIN);
  if (newName === '') throw rawInvalidArg('string new_name in virDomainRename must not be empty', FROM_DOMAIN);
  checkFlags(flags, 0, 'testDomainRename');
  const d = state.domObj(ref);
  if (d.active) throw opInvalid('cannot rename active domain');
  if (!d.persistent) throw opInvalid('cannot rename a transient domain');
  if (d.snapshots.size > 0) throw opInvalid('cannot rename domain with snapshots');
  if (d.checkpoints.size > 0) throw opInvalid('cannot rename domain with checkpoints');
  if (newName.includes('/')) throw xmlError(`name ${newName} cannot contain '/'`);
  if (newName === d.name) throw opInvalid("Can't rename domain to itself", FROM_DOMAIN);
  if (state.findByName(newName)) throw opInvalid(`domain with name '${newName}' already exists`, FROM_DOMAIN);
  state.emitLifecycle(d, DomainEventType.VIR_DOMAIN_EVENT_UNDEFINED, DomainEventUndefinedDetailType.VIR_DOMAIN_EVENT_UNDEFINED_RENAMED);
  d.def.name = newName;
  state.emitLifecycle(d, DomainEventType.VIR_DOMAIN_EVENT_DEFINED, DomainEventDefinedDetailType.VIR_DOMAIN_EVENT_DEFINED_RENAMED);
  return 0;
}

const IMPACT = DomainModificationImpact.VIR_DOMAIN_AFFECT_LIVE | DomainModificationImpact.VIR_DOMAIN_AFFECT_CONFIG;

export function getMetadata(state: TestState, ref: DomainRef, type: number, uri: string | null, flags: number): string {
  checkFlags(flags, IMPACT, 'virDomainObjGetMetadata');
  return getDomainMetadata(oneDefState(state.domObj(ref), flags).def, type, uri);
}

export function setMetadata(
  state: TestState,
  ref: DomainRef,
  type: number,
  metadata: string | null,
  key: string | null,
  uri: string | null,
  flags: number,
): void {
  checkFlags(flags, IMPACT, 'virDomainObjSetMetadata');
  const d = state.domObj(ref);
  setDomainMetadata(oneDefState(d, flags).def, type, metadata, key, uri);
  state.emit({ eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, dom: d.ref(), type, nsuri: uri });
}

/** testDomainSaveImageWrite: the magic, the XML's length as a native int, the XML. */
function writeImage(to: string, xml: string, name: string): void {
  const data = Buffer.from(xml);
  const len = Buffer.alloc(4);
  len.writeInt32LE(data.length);
  try {
    fs.writeFileSync(to, Buffer.concat([SAVE_MAGIC, len, data]), { mode: 0o600 });
  } catch (e) {
    throw systemError(`saving domain '${name}' to '${to}': write failed`, e);
  }
}

/** testDomainSaveImageOpen: the definition inside an image, after its checks. */
function readImage(from: string): DomainDef {
  let image: Buffer;
  try {
    image = fs.readFileSync(from);
  } catch (e) {
    throw systemError(`cannot read domain image '${from}'`, e);
  }
  if (image.length < SAVE_MAGIC.length + 4 || !image.subarray(0, SAVE_MAGIC.length).equals(SAVE_MAGIC)) {
    throw internal('mismatched header magic');
  }
  const len = image.readInt32LE(SAVE_MAGIC.length);
  if (len < 1 || len > 8192 * 1024) throw internal('length of metadata out of range');
  return parseDomainXml(image.subarray(SAVE_MAGIC.length + 4, SAVE_MAGIC.length + 4 + len).toString());
}

export function saveImageGetXMLDesc(from: string, flags: number): string {
  checkFlags(flags, DomainSaveImageXMLFlags.VIR_DOMAIN_SAVE_IMAGE_XML_SECURE, 'testDomainSaveImageGetXMLDesc');
  return formatDomainXml(readImage(from), { secure: true });
}

/** testDomainSaveImageDefineXML: the image gets the new XML, unchecked; the test driver keeps no saved state. */
export function saveImageDefineXML(file: string, dxml: string, flags: number): void {
  checkFlags(
    flags,
    DomainSaveRestoreFlags.VIR_DOMAIN_SAVE_RUNNING | DomainSaveRestoreFlags.VIR_DOMAIN_SAVE_PAUSED,
    'testDomainSaveImageDefineXML',
  );
  readImage(file);
  const def = parseDomainXml(dxml);
  writeImage(file, formatDomainXml(def, { secure: true }), def.name);
}

const xmlUnsupported = () => err(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, 'xml modification unsupported');

export function saveFlags(state: TestState, ref: DomainRef, to: string, dxml: string | null, flags: number): void {
  checkFlags(flags, 0, 'testDomainSaveFlags');
  if (dxml !== null) throw xmlUnsupported();
  const d = state.domObj(ref);
  if (!d.active) throw notRunning();
  writeImage(to, formatDomainXml(d.def, { id: d.id, secure: true }), d.name);
  shutdownState(d, DomainShutoffReason.VIR_DOMAIN_SHUTOFF_SAVED);
  state.emitLifecycle(d, DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SAVED);
  if (!d.persistent) state.removeDomain(d);
}

export function restoreFlags(state: TestState, from: string, dxml: string | null, flags: number): void {
  checkFlags(flags, 0, 'testDomainRestoreFlags');
  if (dxml !== null) throw xmlUnsupported();
  const def = readImage(from);
  generateIfnames(def);
  const { dom } = addDomain(state, def, { live: true, checkLive: true });
  startState(state, dom, DomainRunningReason.VIR_DOMAIN_RUNNING_RESTORED);
  state.emitLifecycle(dom, DomainEventType.VIR_DOMAIN_EVENT_STARTED, DomainEventStartedDetailType.VIR_DOMAIN_EVENT_STARTED_RESTORED);
}

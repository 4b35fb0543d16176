/**
 * `<domaincheckpoint>` → DomainCheckpointDef (virDomainCheckpointDefParse). libvirt always
 * validates checkpoint XML against domaincheckpoint.rng; the schema's rules are checked here.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { childString, defaultMomentPostParse, embeddedDomainCodec, parseLongLongText } from '../moment';
import {
  CHECKPOINT_TYPES,
  type CheckpointDiskDef,
  type CheckpointParseOptions,
  type CheckpointType,
  type DomainCheckpointDef,
} from './types';

const D = ErrorDomain.VIR_FROM_DOMAIN_CHECKPOINT;
const xmlError = (detail: string) => VirError.xml(detail, D);

function schemaError(detail: string): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA, D, `Unable to validate doc against domaincheckpoint.rng\n${detail}`);
}

const ROOT_CHILDREN = new Set(['name', 'description', 'creationTime', 'parent', 'disks', 'domain']);
/** checkpointName: usable as a file name (no leading '.', no '/', no newline). */
const NAME_RE = /^[a-zA-Z0-9_-][a-zA-Z0-9_.-]*$/;
const BITMAP_RE = /^[a-zA-Z0-9_\-.]+$/;

/** The checks domaincheckpoint.rng makes that the parser itself does not. */
export function validateCheckpointSchema(root: XmlElement): void {
  for (const c of root.elements()) {
    if (!ROOT_CHILDREN.has(c.name)) throw schemaError(`Element domaincheckpoint has extra content: ${c.name}`);
  }
  for (const n of ['name', 'description', 'creationTime', 'parent', 'disks', 'domain']) {
    if (root.elements(n).length > 1) throw schemaError(`Element domaincheckpoint has extra content: ${n}`);
  }
  const name = root.childText('name');
  if (name !== undefined && !NAME_RE.test(name)) throw schemaError('Element name failed to validate content');
  const time = root.childText('creationTime');
  if (time !== undefined && !/^[0-9]+$/.test(time)) throw schemaError('Element creationTime failed to validate content');
  const parent = root.element('parent');
  if (parent && parent.childText('name') === undefined) throw schemaError('Expecting an element name, got nothing');
  const parentName = parent?.childText('name');
  if (parentName !== undefined && !NAME_RE.test(parentName)) throw schemaError('Element name failed to validate content');
  for (const d of root.element('disks')?.elements() ?? []) {
    if (d.name !== 'disk') throw schemaError(`Element disks has extra content: ${d.name}`);
    const dn = d.attr('name');
    if (dn === undefined || dn === '') throw schemaError('Element disk failed to validate attributes');
    const cp = d.attr('checkpoint');
    if (cp !== undefined && cp !== 'no' && cp !== 'bitmap') throw schemaError('Element disk failed to validate attributes');
    const bitmap = d.attr('bitmap');
    if (bitmap !== undefined && (cp === 'no' || !BITMAP_RE.test(bitmap))) {
      throw schemaError('Element disk failed to validate attributes');
    }
    const size = d.attr('size');
    if (size !== undefined && !/^[0-9]+$/.test(size)) throw schemaError('Element disk failed to validate attributes');
  }
}

function parseCheckpointDisk(el: XmlElement): CheckpointDiskDef {
  const cp = el.attr('checkpoint');
  const type: CheckpointType =
    cp !== undefined ? (CHECKPOINT_TYPES.includes(cp as CheckpointType) ? (cp as CheckpointType) : 'default') : 'bitmap';
  return { name: el.attr('name'), type, bitmap: el.attr('bitmap') };
}

export function parseCheckpointElement(root: XmlElement, opts: CheckpointParseOptions = {}): DomainCheckpointDef {
  if (root.name !== 'domaincheckpoint') throw xmlError('domaincheckpoint');
  validateCheckpointSchema(root);
  const def: DomainCheckpointDef = { creationTime: 0, disks: [] };
  def.name = childString(root, 'name');
  if (def.name === undefined && opts.redefine) throw xmlError('a redefined checkpoint must have a name');
  def.description = childString(root, 'description');
  if (opts.redefine) {
    const time = parseLongLongText(root.childText('creationTime'));
    if (time === undefined) throw VirError.internal('missing creationTime from existing checkpoint', D);
    def.creationTime = time;
    const parent = root.element('parent');
    def.parentName = parent ? childString(parent, 'name') : undefined;
    const domain = root.element('domain');
    if (domain) def.dom = embeddedDomainCodec().parse(domain);
  } else {
    (opts.postParse ?? defaultMomentPostParse)(def);
  }
  def.disks = (root.element('disks')?.elements() ?? []).map(parseCheckpointDisk);
  return def;
}

/** Parse checkpoint XML text (virDomainCheckpointDefParseString). */
export function parseCheckpointXml(text: string, opts: CheckpointParseOptions = {}): DomainCheckpointDef {
  return parseCheckpointElement(parseXml(text), opts);
}

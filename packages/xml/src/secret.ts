/**
 * Secret XML (libvirt's src/conf/secret_conf.c): whether the secret is ephemeral or private, its
 * UUID, description and usage, parsed with libvirt's checks and formatted as libvirt writes it.
 */
import { randomUUID } from 'node:crypto';
import { ErrorDomain, parseUuid, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from './tree';
import { escapeXml } from './writer';

/** A usage type's XML name and the child element that names the object it is for. */
export const SECRET_USAGES: ReadonlyArray<{ type: string; child: string; what: string }> = [
  { type: 'none', child: '', what: '' },
  { type: 'volume', child: 'volume', what: 'volume usage specified, but volume path is missing' },
  { type: 'ceph', child: 'name', what: 'Ceph usage specified, but name is missing' },
  { type: 'iscsi', child: 'target', what: 'iSCSI usage specified, but target is missing' },
  { type: 'tls', child: 'name', what: 'TLS usage specified, but name is missing' },
  { type: 'vtpm', child: 'name', what: 'vTPM usage specified, but name is missing' },
];

export interface SecretDef {
  ephemeral: boolean;
  isPrivate: boolean;
  uuid: string;
  description?: string;
  /** A SecretUsageType value (index into SECRET_USAGES). */
  usageType: number;
  /** The volume path, Ceph/TLS/vTPM name or iSCSI target; '' without a usage. */
  usageID: string;
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const xmlError = (detail: string) => VirError.xml(detail, ErrorDomain.VIR_FROM_SECRET);

function yesNo(root: XmlElement, name: string): boolean {
  const v = root.attr(name);
  if (v === undefined) return false;
  if (v !== 'yes' && v !== 'no') throw xmlError(`invalid value of '${name}'`);
  return v === 'yes';
}

/** virSecretDefParse. */
export function parseSecretXml(text: string): SecretDef {
  const root = parseXml(text);
  if (root.name !== 'secret') throw xmlError(`unexpected root element <${root.name}>, expecting <secret>`);
  const ephemeral = yesNo(root, 'ephemeral');
  const isPrivate = yesNo(root, 'private');
  const uuidText = root.element('uuid')?.text().trim();
  if (uuidText !== undefined && !UUID_RE.test(uuidText)) throw xmlError('malformed uuid element');
  const description = root.element('description')?.text();
  const def: SecretDef = { ephemeral, isPrivate, uuid: uuidText ? parseUuid(uuidText)! : randomUUID(), usageType: 0, usageID: '' };
  if (description !== undefined) def.description = description;
  const usage = root.element('usage');
  if (usage) {
    const type = usage.attr('type');
    if (type === undefined) throw xmlError('unknown secret usage type');
    const idx = SECRET_USAGES.findIndex((u) => u.type === type);
    if (idx < 0) throw xmlError(`unknown secret usage type ${type}`);
    def.usageType = idx;
    if (idx > 0) {
      const id = usage.element(SECRET_USAGES[idx].child)?.text();
      if (!id) throw xmlError(SECRET_USAGES[idx].what);
      def.usageID = id;
    }
  }
  return def;
}

/** virSecretDefFormat. */
export function formatSecretXml(def: SecretDef): string {
  let out = `<secret ephemeral='${def.ephemeral ? 'yes' : 'no'}' private='${def.isPrivate ? 'yes' : 'no'}'>\n`;
  out += `  <uuid>${def.uuid}</uuid>\n`;
  if (def.description !== undefined) out += `  <description>${escapeXml(def.description)}</description>\n`;
  if (def.usageType > 0) {
    const u = SECRET_USAGES[def.usageType];
    out += `  <usage type='${u.type}'>\n    <${u.child}>${escapeXml(def.usageID)}</${u.child}>\n  </usage>\n`;
  }
  return `${out}</secret>\n`;
}

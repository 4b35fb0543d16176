/**
 * A domain's title, description and application metadata elements (libvirt's
 * virDomainObjGetMetadata / virDomainDefSetMetadata, with the argument checks of the public
 * virDomainGetMetadata / virDomainSetMetadata). An application's element lives under
 * `<metadata>` in its own namespace: stored with the caller's prefix on every element and the
 * namespace declared on its root, given back without either.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { serializeElement } from '../preserved';
import { parseXml, XmlElement } from '../tree';
import type { DomainDef } from './types';

const DESCRIPTION = 0;
const TITLE = 1;
const ELEMENT = 2;

/** A public-API argument error: libvirt reports these without the "invalid argument" prefix. */
function argError(message: string): VirError {
  return new VirError({ code: ErrorNumber.VIR_ERR_INVALID_ARG, domain: ErrorDomain.VIR_FROM_DOMAIN, message, str1: message });
}

const mustBeNull = (what: string, fn: string) => argError(`${what} in ${fn} must be NULL`);
const mustNotBeNull = (what: string, fn: string) => argError(`${what} in ${fn} must not be NULL`);

function unknownType(type: number): VirError {
  return VirError.invalidArg(`unknown metadata type '${type}'`, ErrorDomain.VIR_FROM_DOMAIN);
}

function notPresent(): VirError {
  return VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA, ErrorDomain.VIR_FROM_DOMAIN, 'Requested metadata element is not present');
}

/** The prefix an element carries, and whether it declares `uri` for it. */
function inNamespace(el: XmlElement, uri: string): boolean {
  const colon = el.name.indexOf(':');
  const prefix = colon < 0 ? undefined : el.name.slice(0, colon);
  return el.attr(prefix === undefined ? 'xmlns' : `xmlns:${prefix}`) === uri;
}

/** A copy of `el` with element names given `prefix` (or stripped of theirs when undefined). */
function renamed(el: XmlElement, prefix: string | undefined): XmlElement {
  const local = el.name.includes(':') ? el.name.slice(el.name.indexOf(':') + 1) : el.name;
  const out = new XmlElement(prefix === undefined ? local : `${prefix}:${local}`);
  for (const [k, v] of el.attrs) if (k !== 'xmlns' && !k.startsWith('xmlns:')) out.attrs.set(k, v);
  for (const c of el.children) out.children.push(c.kind === 'element' ? renamed(c, prefix) : c);
  return out;
}

function metadataElement(def: DomainDef): XmlElement | undefined {
  return def.preserved.get('metadata')?.[0];
}

/** virDomainGetMetadata on one definition. */
export function getDomainMetadata(def: DomainDef, type: number, uri: string | null): string {
  const fn = 'virDomainGetMetadata';
  if (type === ELEMENT && uri === null) throw mustNotBeNull('uri', fn);
  if ((type === DESCRIPTION || type === TITLE) && uri !== null) throw mustBeNull('uri', fn);
  switch (type) {
    case DESCRIPTION:
      if (def.description === undefined) throw notPresent();
      return def.description;
    case TITLE:
      if (def.title === undefined) throw notPresent();
      return def.title;
    case ELEMENT: {
      const el = metadataElement(def)
        ?.elements()
        .find((e) => inNamespace(e, uri!));
      if (!el) throw notPresent();
      return serializeElement(renamed(el, undefined), 0, true).replace(/\n$/, '');
    }
    default:
      throw unknownType(type);
  }
}

/** virDomainSetMetadata on one definition: null (or '' for the texts) removes. */
export function setDomainMetadata(def: DomainDef, type: number, metadata: string | null, key: string | null, uri: string | null): void {
  const fn = 'virDomainSetMetadata';
  if (type === TITLE && metadata?.includes('\n')) throw argError("metadata title can't contain newlines");
  switch (type) {
    case TITLE:
    case DESCRIPTION:
      if (uri !== null) throw mustBeNull('uri', fn);
      if (key !== null) throw mustBeNull('key', fn);
      break;
    case ELEMENT:
      if (metadata !== null && key === null) throw mustNotBeNull('key', fn);
      if (uri === null) throw mustNotBeNull('uri', fn);
      break;
    default:
      throw unknownType(type);
  }
  if (type === DESCRIPTION) def.description = metadata || undefined;
  else if (type === TITLE) def.title = metadata || undefined;
  else {
    const element = metadata === null ? undefined : renamed(parseXml(metadata), key!);
    if (element) element.attrs.set(`xmlns:${key}`, uri!);
    let holder = metadataElement(def);
    if (holder)
      holder.children.splice(0, holder.children.length, ...holder.children.filter((c) => c.kind !== 'element' || !inNamespace(c, uri!)));
    if (element) {
      if (!holder) {
        holder = new XmlElement('metadata');
        def.preserved.set('metadata', [holder]);
      }
      // The namespace declaration comes first, as libxml2 writes it.
      const attrs = [...element.attrs].filter(([k]) => k !== `xmlns:${key}`);
      element.attrs.clear();
      element.attrs.set(`xmlns:${key}`, uri!);
      for (const [k, v] of attrs) element.attrs.set(k, v);
      holder.children.push(element);
    }
    if (holder && holder.elements().length === 0) def.preserved.delete('metadata');
  }
}

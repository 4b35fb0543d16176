/**
 * What snapshots and checkpoints share (libvirt's virDomainMomentDef): name, description, parent,
 * creation time, and the embedded domain definition.
 *
 * The embedded `<domain>` goes through an EmbeddedDomainCodec. The default codec keeps the element
 * as a preserved subtree and writes it back in libvirt's conventions; the domain model can replace
 * it with `setEmbeddedDomainCodec` (parse with the inactive flag, format inactive [+ secure]).
 */
import type { XmlElement } from './tree';
import type { XmlWriter } from './writer';
import { writePreserved, serializeElement } from './preserved';

export interface MomentDef {
  name?: string;
  description?: string;
  parentName?: string;
  /** Seconds since the epoch; 0 = unset. */
  creationTime: number;
}

/** An embedded domain definition, opaque to the moment models apart from its UUID. */
export interface EmbeddedDomain {
  readonly uuid?: string;
}

export interface EmbeddedDomainCodec {
  /** Parse `<domain>` (or `<inactiveDomain>`) as an inactive definition, validation skipped. */
  parse(el: XmlElement): EmbeddedDomain;
  /** Write the definition with `rootName` as its element name (inactive format, + secure). */
  format(w: XmlWriter, dom: EmbeddedDomain, rootName: string, opts: { secure: boolean }): void;
}

/** The element kept as read; formatting re-serialises it. */
export class PreservedDomain implements EmbeddedDomain {
  constructor(readonly element: XmlElement) {}

  get uuid(): string | undefined {
    return this.element.childText('uuid')?.trim();
  }

  /** The subtree as XML text (e.g. to hand to a domain parser later). */
  toXml(): string {
    return serializeElement(this.element);
  }
}

export const preservedDomainCodec: EmbeddedDomainCodec = {
  parse: (el) => new PreservedDomain(el),
  format: (w, dom, rootName) => {
    if (!(dom instanceof PreservedDomain)) throw new Error('preserved domain codec given a foreign definition');
    writePreserved(w, dom.element, rootName);
  },
};

let codec: EmbeddedDomainCodec = preservedDomainCodec;

/** Swap in the domain model for embedded definitions (process-wide). */
export function setEmbeddedDomainCodec(c: EmbeddedDomainCodec): void {
  codec = c;
}

export function embeddedDomainCodec(): EmbeddedDomainCodec {
  return codec;
}

/**
 * libvirt's default moment post-parse (virDomainMomentDefPostParse): creation time = now, and a
 * missing name becomes that time in decimal. Drivers and test harnesses may pass their own.
 */
export function defaultMomentPostParse(def: MomentDef): void {
  def.creationTime = Math.floor(Date.now() / 1000);
  if (def.name === undefined) def.name = String(def.creationTime);
}

/** virXPathLongLong on a child's text: a whole number, or undefined when absent or malformed. */
export function parseLongLongText(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^[ \t\n\r]*([+-]?[0-9]+)[ \t\n\r]*$/.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Write `<parent><name>..</name></parent>` when a parent is set. */
export function formatMomentParent(w: XmlWriter, parentName: string | undefined): void {
  if (parentName !== undefined) w.element('parent', [], (c) => c.leaf('name', parentName));
}

/** virXPathString("string(./child)"): the first such child's text, undefined when absent or empty. */
export function childString(el: XmlElement, child: string): string | undefined {
  const t = el.childText(child);
  return t === undefined || t === '' ? undefined : t;
}

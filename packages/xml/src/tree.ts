/**
 * A parsed XML document as a small element tree.
 *
 * Parsing goes through saxes (a maintained, strict, non-validating parser that never fetches or
 * expands external entities). On top of it we refuse what libvirt never needs and what makes XML
 * dangerous: document type declarations (entity expansion), oversized input and absurd nesting.
 */
import { SaxesParser } from 'saxes';
import { VirError } from '@virtkit/core';

/** libvirt reads XML documents of at most 10 MiB (virsh's VSH_MAX_XML_FILE). */
export const XML_MAX_BYTES = 10 * 1024 * 1024;
/** libxml2's nesting limit without XML_PARSE_HUGE (which libvirt never sets). */
const MAX_DEPTH = 256;

export type XmlNode = XmlElement | XmlText;

/** Character data between elements (CDATA is folded into text). */
export interface XmlText {
  readonly kind: 'text';
  text: string;
}

/** One element: its name, attributes in document order, and child nodes. */
export class XmlElement {
  readonly kind = 'element';
  readonly attrs = new Map<string, string>();
  readonly children: XmlNode[] = [];

  constructor(public name: string) {}

  /** The value of attribute `name`, or undefined. */
  attr(name: string): string | undefined {
    return this.attrs.get(name);
  }

  /** Child elements, all of them or those with the given name. */
  elements(name?: string): XmlElement[] {
    const out: XmlElement[] = [];
    for (const c of this.children) if (c.kind === 'element' && (name === undefined || c.name === name)) out.push(c);
    return out;
  }

  /** The first child element with this name. */
  element(name: string): XmlElement | undefined {
    for (const c of this.children) if (c.kind === 'element' && c.name === name) return c;
    return undefined;
  }

  /** The concatenated text of this element and its descendants. */
  text(): string {
    let s = '';
    for (const c of this.children) s += c.kind === 'text' ? c.text : c.text();
    return s;
  }

  /** Text content of the named child, or undefined when there is no such child. */
  childText(name: string): string | undefined {
    return this.element(name)?.text();
  }

  /** Follow a path of child element names, e.g. `find('os', 'type')`. */
  find(...path: string[]): XmlElement | undefined {
    return path.reduce<XmlElement | undefined>((el, p) => el?.element(p), this);
  }
}

/** What the document is, for error messages (`domain`, `snapshot`, ...). */
export interface ParseOptions {
  maxBytes?: number;
}

function xmlError(detail: string): VirError {
  return VirError.xml(detail);
}

/** Parse a document into its root element, or throw VIR_ERR_XML_ERROR / VIR_ERR_XML_DETAIL. */
export function parseXml(text: string, opts: ParseOptions = {}): XmlElement {
  const max = opts.maxBytes ?? XML_MAX_BYTES;
  if (Buffer.byteLength(text, 'utf8') > max) {
    throw xmlError(`document is larger than the limit of ${max} bytes`);
  }
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: VirError | undefined;
  const fail = (detail: string) => {
    failure ??= xmlError(detail);
  };

  parser.on('doctype', () => fail('document type declarations are not allowed'));
  parser.on('opentag', (tag) => {
    // Thrown, not recorded: the parser must stop here rather than read a million more levels.
    if (stack.length >= MAX_DEPTH) throw xmlError(`Excessive depth in document: ${MAX_DEPTH} use XML_PARSE_HUGE option`);
    const el = new XmlElement(tag.name);
    for (const [k, v] of Object.entries(tag.attributes)) el.attrs.set(k, v as string);
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) fail('extra content at the end of the document');
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    const last = top.children[top.children.length - 1];
    if (last && last.kind === 'text') last.text += t;
    else top.children.push({ kind: 'text', text: t });
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => fail(e.message.replace(/^[^:]*:\d+:\d+: /, '')));

  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof VirError) failure ??= e;
    else fail((e as Error).message);
  }
  if (failure) throw failure;
  if (!root) throw xmlError('document is empty');
  return root;
}

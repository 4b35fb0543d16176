/**
 * XML output in libvirt's formatter conventions: two-space indentation, attributes in single
 * quotes, `<empty/>` elements, one element per line, and libvirt's escaping (virBufferEscapeString:
 * `< > & " '` become entities, other control characters than TAB, LF and CR are dropped).
 */

/** An attribute list; pairs whose value is undefined or null are left out. */
export type Attrs = ReadonlyArray<readonly [string, string | number | undefined | null]>;

/** Escape text or an attribute value the way libvirt's virBufferEscapeString does. */
export function escapeXml(s: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&apos;';
        break;
      default:
        if (ch >= ' ' || ch === '\n' || ch === '\t' || ch === '\r') out += ch;
    }
  }
  return out;
}

function formatAttrs(attrs: Attrs): string {
  let s = '';
  for (const [k, v] of attrs) if (v !== undefined && v !== null) s += ` ${k}='${escapeXml(String(v))}'`;
  return s;
}

/**
 * Builds a document line by line. Elements whose content turns out empty collapse to `<x/>`,
 * which mirrors libvirt's virXMLFormatElement and keeps formatters free of "did I write
 * anything" bookkeeping.
 */
export class XmlWriter {
  private out: string[] = [];
  private depth = 0;

  private pad(): string {
    return '  '.repeat(this.depth);
  }

  /** `<name attrs/>`, always. */
  empty(name: string, attrs: Attrs = []): this {
    this.out.push(`${this.pad()}<${name}${formatAttrs(attrs)}/>\n`);
    return this;
  }

  /** `<name attrs>text</name>`; skipped entirely when text is undefined or null. */
  leaf(name: string, text: string | number | undefined | null, attrs: Attrs = []): this {
    if (text === undefined || text === null) return this;
    this.out.push(`${this.pad()}<${name}${formatAttrs(attrs)}>${escapeXml(String(text))}</${name}>\n`);
    return this;
  }

  /**
   * An element whose children are written by `body`. With no children it becomes `<name/>`,
   * or disappears when `omitEmpty` is set and it has no attributes either.
   */
  element(name: string, attrs: Attrs, body: (w: this) => void, omitEmpty = false): this {
    const start = this.out.length;
    const open = `${this.pad()}<${name}${formatAttrs(attrs)}`;
    this.out.push(`${open}>\n`);
    this.depth++;
    body(this);
    this.depth--;
    if (this.out.length === start + 1) {
      this.out.pop();
      if (!(omitEmpty && formatAttrs(attrs) === '')) this.out.push(`${open}/>\n`);
    } else {
      this.out.push(`${this.pad()}</${name}>\n`);
    }
    return this;
  }

  /**
   * `<name attrs>` on its own line, never collapsed: for libvirt formatters that always write
   * an open and a close tag. Children follow until the matching `close(name)`.
   */
  open(name: string, attrs: Attrs = []): this {
    this.out.push(`${this.pad()}<${name}${formatAttrs(attrs)}>\n`);
    this.depth++;
    return this;
  }

  /** `</name>`, closing what `open(name)` started. */
  close(name: string): this {
    this.depth--;
    this.out.push(`${this.pad()}</${name}>\n`);
    return this;
  }

  /** Pre-formatted lines (already escaped), re-indented to the current depth. */
  raw(text: string): this {
    for (const line of text.split('\n')) if (line !== '') this.out.push(`${this.pad()}${line}\n`);
    return this;
  }

  toString(): string {
    return this.out.join('');
  }
}

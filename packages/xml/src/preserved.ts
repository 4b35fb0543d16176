/**
 * Writing back an element subtree that a model keeps as-is (an embedded `<domain>` until the
 * domain model is wired in, a driver's save cookie). Output follows libvirt's formatter: blank
 * text dropped, two-space indentation, single-quoted attributes. Inside `<metadata>` libvirt dumps
 * foreign XML through libxml2, which uses double quotes; that is mirrored here.
 */
import { XmlWriter, escapeXml } from './writer';
import type { XmlElement } from './tree';

function escapeLibxmlAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function escapeLibxmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function openTag(el: XmlElement, libxml: boolean): string {
  let s = `<${el.name}`;
  for (const [k, v] of el.attrs) s += libxml ? ` ${k}="${escapeLibxmlAttr(v)}"` : ` ${k}='${escapeXml(v)}'`;
  return s;
}

/** Lines of one element, indented from `depth` (two spaces per level), each ending in `\n`. */
export function serializeElement(el: XmlElement, depth = 0, libxml = false): string {
  const pad = '  '.repeat(depth);
  const kids = el.elements();
  const esc = libxml ? escapeLibxmlText : escapeXml;
  if (kids.length === 0) {
    const text = el.text();
    if (text === '') return `${pad}${openTag(el, libxml)}/>\n`;
    return `${pad}${openTag(el, libxml)}>${esc(text)}</${el.name}>\n`;
  }
  let out = `${pad}${openTag(el, libxml)}>\n`;
  const childLibxml = libxml || el.name === 'metadata';
  for (const c of el.children) {
    if (c.kind === 'element') out += serializeElement(c, depth + 1, childLibxml);
    else if (c.text.trim() !== '') out += `${'  '.repeat(depth + 1)}${esc(c.text.trim())}\n`;
  }
  return out + `${pad}</${el.name}>\n`;
}

/** Write `el` (renamed to `rootName` when given) at the writer's current depth. */
export function writePreserved(w: XmlWriter, el: XmlElement, rootName?: string): void {
  if (rootName && rootName !== el.name) {
    const saved = el.name;
    el.name = rootName;
    try {
      w.raw(serializeElement(el));
    } finally {
      el.name = saved;
    }
    return;
  }
  w.raw(serializeElement(el));
}

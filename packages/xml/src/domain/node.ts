/**
 * Small helpers over XmlElement for the parts of the domain model kept as element subtrees:
 * building elements, dropping formatting whitespace, putting attributes and children into
 * libvirt's order.
 */
import { VirError } from '@virtkit/core';
import { XmlElement } from '../tree';

export type AttrList = ReadonlyArray<readonly [string, string | number | undefined | null]>;

/** A new element with the given attributes (undefined values left out) and children. */
export function mkEl(name: string, attrs: AttrList = [], children: XmlElement[] = [], text?: string): XmlElement {
  const el = new XmlElement(name);
  for (const [k, v] of attrs) if (v !== undefined && v !== null) el.attrs.set(k, String(v));
  for (const c of children) el.children.push(c);
  if (text !== undefined) el.children.push({ kind: 'text', text });
  return el;
}

/** Drop whitespace-only text nodes from elements that have element children (recursively). */
export function stripFormatting(el: XmlElement): XmlElement {
  const hasElements = el.children.some((c) => c.kind === 'element');
  for (let i = el.children.length - 1; i >= 0; i--) {
    const c = el.children[i];
    if (c.kind === 'element') stripFormatting(c);
    else if (hasElements && c.text.trim() === '') el.children.splice(i, 1);
  }
  return el;
}

/** A deep copy. */
export function cloneEl(el: XmlElement): XmlElement {
  const out = new XmlElement(el.name);
  for (const [k, v] of el.attrs) out.attrs.set(k, v);
  for (const c of el.children) out.children.push(c.kind === 'element' ? cloneEl(c) : { kind: 'text', text: c.text });
  return out;
}

/** Put the listed attributes first, in the given order; the others keep their relative order after them. */
export function orderAttrs(el: XmlElement, order: readonly string[]): void {
  const entries = [...el.attrs];
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  el.attrs.clear();
  for (const [k, v] of entries) el.attrs.set(k, v);
}

/** Set an attribute and re-apply an attribute order. */
export function setAttr(el: XmlElement, name: string, value: string, order?: readonly string[]): void {
  el.attrs.set(name, value);
  if (order) orderAttrs(el, order);
}

/**
 * Insert `child` before the first existing child whose name comes later in `order`
 * (names absent from `order` count as coming last); appended when none does.
 */
export function insertChildOrdered(el: XmlElement, child: XmlElement, order: readonly string[]): void {
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  const r = rank(child.name);
  const idx = el.children.findIndex((c) => c.kind === 'element' && rank(c.name) > r);
  if (idx < 0) el.children.push(child);
  else el.children.splice(idx, 0, child);
}

/** Remove every child element with this name. */
export function removeChildren(el: XmlElement, name: string): void {
  for (let i = el.children.length - 1; i >= 0; i--) {
    const c = el.children[i];
    if (c.kind === 'element' && c.name === name) el.children.splice(i, 1);
  }
}

/** Stable sort of the child elements by the rank of their names in `order`. */
export function sortChildren(el: XmlElement, order: readonly string[]): void {
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  const kids = el.elements();
  kids.sort((a, b) => rank(a.name) - rank(b.name));
  const texts = el.children.filter((c) => c.kind === 'text');
  el.children.length = 0;
  el.children.push(...kids, ...texts);
}

// ---------------------------------------------------------------- bitmaps (cpusets, nodesets)

/** virBitmapParse: `0-3,^2,8` into a sorted list of set bits; undefined when malformed. */
export function parseBitmap(text: string): number[] | undefined {
  const set = new Set<number>();
  // virBitmapParse takes a comma at the end as the end of the list
  const parts = text.replace(/(\d)\s*,\s*$/, '$1').split(',');
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') return undefined;
    const neg = p.startsWith('^');
    const body = neg ? p.slice(1) : p;
    const m = /^(\d+)(?:-(\d+))?$/.exec(body);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a || (neg && m[2] !== undefined)) return undefined;
    for (let i = a; i <= b; i++) {
      if (neg) set.delete(i);
      else set.add(i);
    }
  }
  return [...set].sort((x, y) => x - y);
}

/** VIR_DOMAIN_CPUMASK_LEN: CPU and NUMA node sets of a domain name bits below this. */
const CPUMASK_LEN = 16384;

/** virBitmapParse(text, VIR_DOMAIN_CPUMASK_LEN): the bits set, or libvirt's refusal. */
export function parseMask(text: string): number[] {
  const bits = parseBitmap(text);
  if (!bits || bits.some((b) => b >= CPUMASK_LEN)) throw VirError.invalidArg(`Failed to parse bitmap '${text}'`);
  return bits;
}

/** virBitmapFormat: ranges joined by commas (`0-1,3`). */
export function formatBitmap(bits: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < bits.length) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j] + 1) j++;
    out.push(j > i ? `${bits[i]}-${bits[j]}` : `${bits[i]}`);
    i = j + 1;
  }
  return out.join(',');
}

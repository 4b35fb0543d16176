/** Reading the few fields virsh takes from snapshot and checkpoint XML (name, time, state, parent). */
import { splitCommas } from './comma-list';

function unescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Escape text for an XML element or attribute, as libvirt's virBufferEscapeString does. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/** The part of a moment document before its embedded <domain>, where its own fields live. */
function head(xml: string): string {
  const i = xml.search(/<domain[\s>]/);
  return i >= 0 ? xml.slice(0, i) : xml;
}

export interface MomentFields {
  creationTime: number | null;
  state: string | null;
  parent: string | null;
  /** `snapshot=` values of <memory> and of each <disk>. */
  locations: string[];
}

/** The fields of a snapshot or checkpoint document that the list and info commands print. */
export function momentFields(xml: string): MomentFields {
  const h = head(xml);
  const time = /<creationTime>\s*(\d+)\s*<\/creationTime>/.exec(h);
  const state = /<state>\s*([^<]*?)\s*<\/state>/.exec(h);
  const parent = /<parent>\s*<name>([^<]*)<\/name>/.exec(h);
  const locations = [...h.matchAll(/<(?:memory|disk)\b[^>]*\bsnapshot='([^']*)'/g)].map((m) => m[1]);
  return {
    creationTime: time ? Number(time[1]) : null,
    state: state ? unescape(state[1]) : null,
    parent: parent ? unescape(parent[1]) : null,
    locations,
  };
}

/** One `--diskspec` (name[,snapshot=type][,driver=type][,stype=type][,file=path]) as a <disk> element. */
export function diskspecXml(spec: string, kind: 'snapshot' | 'checkpoint'): string {
  const parts = splitCommas(spec);
  const name = parts.shift() ?? '';
  const attrs: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq > 0) attrs[p.slice(0, eq)] = p.slice(eq + 1);
  }
  let open = `    <disk name='${escapeXml(name)}'`;
  if (attrs[kind]) open += ` ${kind}='${escapeXml(attrs[kind])}'`;
  if (kind === 'checkpoint' && attrs.bitmap) open += ` bitmap='${escapeXml(attrs.bitmap)}'`;
  if (attrs.stype) open += ` type='${escapeXml(attrs.stype)}'`;
  const inner: string[] = [];
  if (attrs.driver) inner.push(`      <driver type='${escapeXml(attrs.driver)}'/>\n`);
  if (attrs.file) inner.push(`      <source ${attrs.stype === 'block' ? 'dev' : 'file'}='${escapeXml(attrs.file)}'/>\n`);
  return inner.length ? `${open}>\n${inner.join('')}    </disk>\n` : `${open}/>\n`;
}

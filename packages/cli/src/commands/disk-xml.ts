/**
 * The disk XML virsh's attach-disk, detach-disk and change-media hand to libvirt: a `<disk>`
 * built from options, and a disk cut out of the domain XML and edited as virsh does it through
 * libxml2 (so it prints with double-quoted attributes and the domain XML's own indentation).
 */
import * as fs from 'node:fs';
import { parseXml } from '@virtkit/xml';
import { escapeXml } from './echo';

/** The options of attach-disk that shape its `<disk>`, as given (null when absent). */
export interface NewDisk {
  /** file, block or network, already chosen (see diskSourceType). */
  type: 'file' | 'block' | 'network';
  source: string;
  target: string;
  targetBus: string | null;
  driver: string | null;
  subdriver: string | null;
  iothread: string | null;
  cache: string | null;
  io: string | null;
  device: string | null;
  rawio: boolean;
  mode: string | null;
  serial: string | null;
  alias: string | null;
  wwn: string | null;
  protocol: string | null;
  hostName: string | null;
  hostTransport: string | null;
  hostSocket: string | null;
  /** The formatted `<address .../>` line, if any. */
  address: string | null;
}

function isBlockDevice(file: string): boolean {
  try {
    return fs.statSync(file).isBlockDevice();
  } catch {
    return false;
  }
}

/** attach-disk's source type when --sourcetype is absent: network with a protocol, block for a block device (unless the driver is file or tap), else file. */
export function diskSourceType(source: string, driver: string | null, protocol: string | null): NewDisk['type'] {
  if (protocol !== null) return 'network';
  if (driver !== 'file' && driver !== 'tap' && isBlockDevice(source)) return 'block';
  return 'file';
}

/** virBufferEscapeString's ` name='value'`: nothing for an absent value. */
const attr = (name: string, v: string | null) => (v === null ? '' : ` ${name}='${escapeXml(v)}'`);

/** virXMLFormatElement: nothing when empty, a self-closed tag without children, else the children indented by two. */
function element(name: string, attrs: string, children: string): string {
  if (!attrs && !children) return '';
  if (!children) return `<${name}${attrs}/>\n`;
  return `<${name}${attrs}>\n${children.replace(/^(?=.)/gm, '  ')}</${name}>\n`;
}

/** The `<host>` of a network source: --source-host-name splits at its first colon into name and port. */
function hostElement(d: NewDisk): string {
  let attrs = attr('transport', d.hostTransport) + attr('socket', d.hostSocket);
  if (d.hostName !== null) {
    const colon = d.hostName.indexOf(':');
    const name = colon < 0 ? d.hostName : d.hostName.slice(0, colon);
    attrs += attr('name', name) + attr('port', colon < 0 ? null : d.hostName.slice(colon + 1));
  }
  return element('host', attrs, '');
}

/** cmdAttachDisk's `<disk>` (target, mode, serial, alias and wwn go in unescaped, as virsh writes them). */
export function attachDiskXml(d: NewDisk): string {
  const diskAttrs = ` type='${d.type}'${attr('device', d.device)}${d.rawio ? " rawio='yes'" : ''}`;
  let children = element(
    'driver',
    attr('name', d.driver) + attr('type', d.subdriver) + attr('iothread', d.iothread) + attr('cache', d.cache) + attr('io', d.io),
    '',
  );
  if (d.type === 'network') children += element('source', attr('protocol', d.protocol) + attr('name', d.source), hostElement(d));
  else children += element('source', attr(d.type === 'block' ? 'dev' : 'file', d.source), '');
  children += `<target dev='${d.target}'${d.targetBus === null ? '' : ` bus='${d.targetBus}'`}/>\n`;
  if (d.mode !== null) children += `<${d.mode}/>\n`;
  if (d.serial !== null) children += `<serial>${d.serial}</serial>\n`;
  if (d.alias !== null) children += `<alias name='${d.alias}'/>\n`;
  if (d.wwn !== null) children += `<wwn>${d.wwn}</wwn>\n`;
  if (d.address !== null) children += d.address;
  return element('disk', diskAttrs, children);
}

/** One disk of a domain XML: its parsed element and its text as libxml2 would dump it. */
export interface FoundDisk {
  device: string;
  target: string;
  source: string | null;
  text: string;
}

const SOURCE_ATTRS = ['file', 'dev', 'dir', 'name', 'volume'];

/** Attribute quoting as libxml2 writes it: double quotes, `"` escaped, `'` plain. */
export function libxmlQuotes(text: string): string {
  return text.replace(/<[^>]+>/g, (tag) =>
    tag.replace(
      /(\s[\w:-]+)='([^']*)'/g,
      (_m, name: string, v: string) => `${name}="${v.replace(/&apos;/g, "'").replace(/"/g, '&quot;')}"`,
    ),
  );
}

/** virshFindDisk: the disk whose target or source is `path` (only CD-ROMs and floppies when `changeable`). */
export function findDisk(domainXml: string, path: string, changeable: boolean): FoundDisk | null {
  const els = parseXml(domainXml).element('devices')?.elements('disk') ?? [];
  const texts = domainXml.match(/<disk[\s>][\s\S]*?<\/disk>|<disk[^>]*\/>/g) ?? [];
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const device = el.attr('device') ?? 'disk';
    if (changeable && device !== 'cdrom' && device !== 'floppy') continue;
    const src = el.element('source');
    const source = SOURCE_ATTRS.map((a) => src?.attr(a)).find((v) => v !== undefined) ?? null;
    const target = el.element('target')?.attr('dev') ?? '';
    if (target === path || source === path) return { device, target, source, text: libxmlQuotes(texts[i] ?? '') };
  }
  return null;
}

/**
 * virshUpdateDiskXML on the dumped text: the old `<source>` is cut out (its surrounding
 * whitespace stays), a new one goes right before `<target>` followed by that line's indentation,
 * and the disk's type follows the new source's kind.
 */
export function replaceMedium(text: string, newSource: string | null, block: boolean): string {
  let out = text.replace(/<source\b[^>]*\/>|<source\b[^>]*>[\s\S]*?<\/source>/, '');
  if (newSource === null) return out;
  const type = block ? 'block' : 'file';
  out = out.replace(/^<disk type="[^"]*"/, `<disk type="${type}"`);
  const at = out.indexOf('<target');
  const indent = /[ \t]*$/.exec(out.slice(0, at))?.[0] ?? '';
  const source = `<source ${block ? 'dev' : 'file'}="${escapeXml(newSource).replace(/&apos;/g, "'")}"/>`;
  return `${out.slice(0, at)}${source}\n${indent}${out.slice(at)}`;
}
